"""newsflow: raw news articles in; classified, deduplicated, enriched streams out."""

from __future__ import annotations

__version__ = "0.1.0"
