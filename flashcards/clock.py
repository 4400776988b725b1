"""Study days: how wall-clock time maps onto the whole days SM-2 counts in.

A study day starts at 04:00 local time (as in Anki), so a student revising past
midnight is still on the same day. Days are integers (days since 1970-01-01 of
the study date), which keeps due comparisons exact and indexable. Nothing here
reads the clock: callers pass `now` in, and only the CLI and TUI call `now()`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

DAY_ROLLOVER_HOUR = 4
_EPOCH = date(1970, 1, 1)


def now() -> datetime:
    """The current local time, timezone-aware. Only entry points call this."""
    return datetime.now().astimezone()


def study_date(moment: datetime, rollover_hour: int = DAY_ROLLOVER_HOUR) -> date:
    local = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return (local - timedelta(hours=rollover_hour)).date()


def study_day(moment: datetime, rollover_hour: int = DAY_ROLLOVER_HOUR) -> int:
    return (study_date(moment, rollover_hour) - _EPOCH).days


def day_to_date(day: int) -> date:
    return _EPOCH + timedelta(days=day)


def date_to_day(value: date) -> int:
    return (value - _EPOCH).days


def to_epoch_ms(moment: datetime) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int(aware.timestamp() * 1000)


def from_epoch_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
