"""newsflow: turns a firehose of raw news articles into classified, deduplicated, enriched streams."""

from __future__ import annotations

__version__ = "0.1.0"
