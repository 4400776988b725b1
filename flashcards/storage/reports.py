"""Read-only aggregate queries over the collection, for `stats` and the TUI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select

from flashcards.clock import study_day
from flashcards.model import ReviewKind
from flashcards.scheduling.constants import PASS_GRADE
from flashcards.storage.collection import Collection
from flashcards.storage.tables import reviews_t, schedule_t

MATURE_DAYS = 21
RETENTION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Summary:
    reviews_total: int
    reviews_today: int
    minutes_today: float
    retention_30d: float | None  # share of passed reviews of seen cards, last 30 days
    cards_total: int
    cards_new: int
    cards_young: int
    cards_mature: int
    cards_suspended: int
    cards_buried: int
    cards_leech: int
    due_today: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def summary(collection: Collection, now: datetime) -> Summary:
    today = study_day(now)
    s = schedule_t.c
    r = reviews_t.c
    active = s.suspended == 0
    states = select(
        func.count(),
        func.sum(case((s.due_day.is_(None) & active, 1), else_=0)),
        func.sum(
            case((s.due_day.is_not(None) & active & (s.interval_days < MATURE_DAYS), 1), else_=0)
        ),
        func.sum(
            case((s.due_day.is_not(None) & active & (s.interval_days >= MATURE_DAYS), 1), else_=0)
        ),
        func.sum(s.suspended),
        func.sum(case((s.buried_until > today, 1), else_=0)),
        func.sum(s.leech),
        func.sum(case(((s.due_day <= today) & active, 1), else_=0)),
    )
    today_q = select(func.count(), func.coalesce(func.sum(r.duration_ms), 0)).where(r.day == today)
    retention_q = select(func.count(), func.sum(case((r.quality >= PASS_GRADE, 1), else_=0))).where(
        r.kind == ReviewKind.REVIEW.value,
        r.due_before.is_not(None),
        r.day > today - RETENTION_WINDOW_DAYS,
    )
    with collection.read() as conn:
        total_reviews = conn.execute(select(func.count()).select_from(reviews_t)).scalar_one()
        counts = [int(value or 0) for value in conn.execute(states).one()]
        reviews_today, ms_today = conn.execute(today_q).one()
        judged, passed = conn.execute(retention_q).one()
    return Summary(
        reviews_total=int(total_reviews),
        reviews_today=int(reviews_today),
        minutes_today=round(int(ms_today) / 60000, 1),
        retention_30d=round(int(passed or 0) / judged, 3) if judged else None,
        cards_total=counts[0],
        cards_new=counts[1],
        cards_young=counts[2],
        cards_mature=counts[3],
        cards_suspended=counts[4],
        cards_buried=counts[5],
        cards_leech=counts[6],
        due_today=counts[7],
    )
