"""RFC 3339 timestamps, always UTC with millisecond precision."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_from_seconds(seconds: float) -> str:
    """Format epoch seconds as an RFC 3339 UTC timestamp."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now_iso() -> str:
    """The current time as an RFC 3339 UTC timestamp."""
    return iso_from_seconds(datetime.now(tz=UTC).timestamp())


def seconds_from_iso(value: str) -> float:
    """Parse an RFC 3339 timestamp (``Z`` or offset) to epoch seconds."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
