"""The end of a sitting: what was done, how well, and what comes next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from flashcards.clock import study_date
from flashcards.model import DeckCounts
from flashcards.session import StudySession
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe
from flashcards.tui.widgets.progress import format_duration


@dataclass(frozen=True)
class SessionReport:
    """The numbers the summary shows, gathered when the session ends."""

    title: str
    reviewed: int
    right_first_time: int
    cards_seen: int
    seconds: float
    left_today: int
    tomorrow: date
    tomorrow_due: int
    tomorrow_new: int
    cram: bool
    finished: bool

    def lines(self) -> list[tuple[str, str]]:
        seen = self.cards_seen
        share = f" ({round(100 * self.right_first_time / seen)}%)" if seen else ""
        return [
            ("Cards reviewed", str(self.reviewed)),
            ("Right first time", f"{self.right_first_time} of {_count(seen, 'card')}{share}"),
            ("Time spent", format_duration(self.seconds)),
            ("Left today", str(self.left_today)),
            (
                f"Due {self.tomorrow.strftime('%a %d %b')}",
                f"{_count(self.tomorrow_due, 'review')}, {_count(self.tomorrow_new, 'new card')}",
            ),
        ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def build_report(
    session: StudySession, collection: Collection, now: datetime, title: str
) -> SessionReport:
    """Summarise `session`; tomorrow's counts come from the deck list a day ahead."""
    tomorrow = now + timedelta(days=1)
    today_counts = _selected(collection.deck_counts(now), session.deck_ids)
    ahead = _selected(collection.deck_counts(tomorrow), session.deck_ids)
    stats = session.stats
    return SessionReport(
        title=title,
        reviewed=stats.reviewed,
        right_first_time=stats.right_first_time,
        cards_seen=len(stats.first_answers),
        seconds=stats.seconds,
        left_today=session.remaining
        if session.cram or session.tag
        else sum(d.new + d.due + d.redrill for d in today_counts),
        tomorrow=study_date(tomorrow),
        tomorrow_due=sum(d.due for d in ahead),
        tomorrow_new=sum(d.new for d in ahead),
        cram=session.cram,
        finished=session.current is None,
    )


def _selected(counts: list[DeckCounts], deck_ids: Sequence[int] | None) -> list[DeckCounts]:
    return counts if deck_ids is None else [d for d in counts if d.deck_id in deck_ids]


class SummaryScreen(Screen[bool]):
    """Dismisses with True when the student wants the last answer undone."""

    CSS_PATH = "summary.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "Back to decks", id="summary.close"),
        Binding("escape", "close", "Back to decks", show=False, id="summary.escape"),
        Binding("u", "undo", "Undo last action", id="summary.undo"),
    ]

    def __init__(self, report: SessionReport) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        report = self.report
        yield Header()
        with Vertical(id="summary-box"):
            heading = "Session finished" if report.finished else "Session ended"
            yield Static(safe(f"{heading}: {report.title}"), id="summary-title", markup=False)
            for label, value in report.lines():
                yield Static(f"{label:<18}{value}", classes="summary-line", markup=False)
            if report.cram:
                yield Static("Cram session: the schedule was not changed.", id="summary-note")
            elif report.finished:
                yield Static("Nothing more is due here today. Well done.", id="summary-note")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Summary"

    def action_close(self) -> None:
        self.dismiss(False)

    def action_undo(self) -> None:
        self.dismiss(True)
