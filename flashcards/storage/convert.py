"""Turning rows into domain objects and back; no queries here."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import RowMapping

from flashcards.model import Card, CardKind, Difficulty, ScheduleState

SCHEDULE_COLUMNS = (
    "repetitions",
    "easiness_centi",
    "interval_days",
    "due_day",
    "lapses",
    "last_review_day",
    "redrill_day",
    "suspended",
    "buried_until",
    "leech",
    "stability",
    "fsrs_difficulty",
)


def state_from_row(row: Mapping[str, Any] | RowMapping) -> ScheduleState:
    return ScheduleState(
        repetitions=row["repetitions"],
        easiness_centi=row["easiness_centi"],
        interval_days=row["interval_days"],
        due_day=row["due_day"],
        lapses=row["lapses"],
        last_review_day=row["last_review_day"],
        redrill_day=row["redrill_day"],
        suspended=bool(row["suspended"]),
        buried_until=row["buried_until"],
        leech=bool(row["leech"]),
        stability=row.get("stability"),
        fsrs_difficulty=row.get("fsrs_difficulty"),
    )


def state_from_tuple(row: Sequence[Any]) -> ScheduleState:
    """A state from its columns in `STATE_COLUMNS` order (the hot path's row)."""
    reps, easiness, interval, due, lapses, last, redrill, suspended, buried, leech, s, d = row
    return ScheduleState(
        reps,
        easiness,
        interval,
        due,
        lapses,
        last,
        redrill,
        bool(suspended),
        buried,
        bool(leech),
        s,
        d,
    )


def state_tuple(state: ScheduleState) -> tuple[Any, ...]:
    """A state's column values in `STATE_COLUMNS` order (booleans as 0/1)."""
    return (
        state.repetitions,
        state.easiness_centi,
        state.interval_days,
        state.due_day,
        state.lapses,
        state.last_review_day,
        state.redrill_day,
        int(state.suspended),
        state.buried_until,
        int(state.leech),
        state.stability,
        state.fsrs_difficulty,
    )


def state_values(state: ScheduleState) -> dict[str, Any]:
    """Column values for the schedule table (booleans as 0/1)."""
    return {
        "repetitions": state.repetitions,
        "easiness_centi": state.easiness_centi,
        "interval_days": state.interval_days,
        "due_day": state.due_day,
        "lapses": state.lapses,
        "last_review_day": state.last_review_day,
        "redrill_day": state.redrill_day,
        "suspended": int(state.suspended),
        "buried_until": state.buried_until,
        "leech": int(state.leech),
        "stability": state.stability,
        "fsrs_difficulty": state.fsrs_difficulty,
    }


_STATE_ENCODER = json.JSONEncoder(separators=(",", ":"))


def state_to_json(state: ScheduleState) -> str:
    return _STATE_ENCODER.encode(state_values(state))


def state_from_json(text: str) -> ScheduleState:
    return state_from_row(json.loads(text))


def card_from_row(
    external_id: str, kind: str, content: str, tags: str, difficulty: str | None
) -> Card:
    data = json.loads(content)
    return Card(
        external_id=external_id,
        kind=CardKind(kind),
        front=data.get("front", ""),
        back=data.get("back", ""),
        distractors=tuple(data.get("distractors", ())),
        cloze=int(data.get("cloze", 0)),
        generator=data.get("generator", ""),
        params=data.get("params", {}),
        extra=data.get("extra", ""),
        tags=tuple(tags.split()) if tags else (),
        difficulty=Difficulty(difficulty) if difficulty else None,
        source=data.get("source", ""),
    )


_CONTENT_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_STRING = json.encoder.encode_basestring  # what the encoder above uses for a str


def content_json(card: Card) -> str:
    """The stored form of a card's content; imports compare it byte for byte.

    It is exactly `_CONTENT_ENCODER.encode(card.content())` (a test holds the two
    equal), written out key by key in sorted order: building the dict and walking it
    was a quarter of a 10,000-row import.
    """
    parts = ['{"back":', _STRING(card.back)]
    if card.cloze:
        parts += [',"cloze":', _CONTENT_ENCODER.encode(card.cloze)]
    if card.distractors:
        parts += [',"distractors":', _CONTENT_ENCODER.encode(list(card.distractors))]
    if card.extra:
        parts += [',"extra":', _STRING(card.extra)]
    parts += [',"front":', _STRING(card.front)]
    if card.generator:
        parts += [',"generator":', _STRING(card.generator)]
    if card.params:
        parts += [',"params":', _CONTENT_ENCODER.encode(dict(card.params))]
    if card.source:
        parts += [',"source":', _STRING(card.source)]
    parts.append("}")
    return "".join(parts)


def tags_text(tags: tuple[str, ...]) -> str:
    return " ".join(dict.fromkeys(tags))


STATE_COLUMNS = tuple(state_values(ScheduleState()))
assert tuple(f.name for f in fields(ScheduleState)) == STATE_COLUMNS, "keep the two in step"
