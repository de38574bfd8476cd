"""The cached timestamp reader against datetime's (its reference)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.timeutil import iso_from_seconds, seconds_from_iso, seconds_from_iso_reference

OWN_SHAPED = st.from_regex(r"\A\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-6]\d:[0-6]\d\.\d{3}Z\Z")


def _outcome(parse: Any, value: Any) -> tuple[str, object]:
    try:
        return "value", parse(value)
    except Exception as exc:  # the same refusal (type and message) is the expected outcome
        return type(exc).__name__, str(exc)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=0, max_value=4e9))
def test_own_stamps_read_as_the_same_float(seconds: float) -> None:
    """A stamp the pipeline wrote reads back as exactly datetime's float."""
    stamp = iso_from_seconds(seconds)
    assert seconds_from_iso(stamp) == seconds_from_iso_reference(stamp)


@settings(max_examples=500, deadline=None)
@given(OWN_SHAPED | st.text(max_size=30) | st.none())
def test_any_value_reads_or_fails_as_the_reference(value: Any) -> None:
    """Stamps of the own shape (impossible dates too), other text and None give datetime's
    value or its error."""
    assert _outcome(seconds_from_iso, value) == _outcome(seconds_from_iso_reference, value)


def test_offset_and_other_precisions_still_parse() -> None:
    """Offsets and other fraction lengths go through datetime."""
    assert seconds_from_iso("1970-01-01T01:00:00+01:00") == 0.0
    assert seconds_from_iso("1970-01-01T00:00:01.5Z") == 1.5
    assert seconds_from_iso("1970-01-01T00:00:01.250Z") == 1.25


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-11-22T24:00:00.000Z",
        "2026-11-22T24:00:00.123Z",
        "2026-11-22T24:00:59.000Z",
        "2026-11-22T24:30:00.000Z",
        "2026-12-31T24:00:00.001Z",
    ],
)
def test_hour_24_reads_or_fails_as_the_reference(stamp: str) -> None:
    """A stamp of the own shape at hour 24 gives datetime's value or its error."""
    assert _outcome(seconds_from_iso, stamp) == _outcome(seconds_from_iso_reference, stamp)
