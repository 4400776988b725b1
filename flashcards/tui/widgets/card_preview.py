"""The Browse preview: a card as the review would show it, then its schedule.

Rendered with Rich's Markdown inside a Static, like the review's card view:
Textual's Markdown widget mounts a widget per block, too slow to follow the
cursor down a table. Choice options become a Markdown list, because plain
lines would run together into one paragraph.
"""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from flashcards import cardtext
from flashcards.clock import day_to_date
from flashcards.model import Card, CardKind, ScheduleState, StoredCard
from flashcards.tui.safe import safe


class CardPreview(VerticalScroll, can_focus=False):
    """Shows one stored card, or nothing; `source` is the Markdown on display."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = ""

    def compose(self) -> ComposeResult:
        yield Static(markup=False)

    def show(self, stored: StoredCard | None, today: int) -> None:
        self.source = safe(preview_markdown(stored, today)) if stored is not None else ""
        self.query_one(Static).update(Markdown(self.source))
        self.scroll_home(animate=False)


def preview_markdown(stored: StoredCard, today: int) -> str:
    """The card as the review shows it, then where it stands in the schedule."""
    card = stored.card
    parts = [f"{_kind_title(card)} · {stored.deck_name}", "", _question(card)]
    if card.kind is CardKind.COMPUTE:
        params = ", ".join(f"{key}={value}" for key, value in card.params.items())
        parts += ["", f"Template `{card.generator}`" + (f" ({params})" if params else "")]
    else:
        parts += ["", "---", "", cardtext.answer(card)]
    parts += ["", "---", "", _schedule_line(stored.state, today)]
    if stored.tags:
        parts += ["", "Tags: " + ", ".join(stored.tags)]
    return "\n".join(parts)


def _question(card: Card) -> str:
    if card.kind is not CardKind.CHOICE:
        return cardtext.question(card)
    options = cardtext.choice_options(card)
    return "\n".join([card.front, "", *(f"- {line}" for line in options.lines())])


def _kind_title(card: Card) -> str:
    return {
        CardKind.BASIC: "Card",
        CardKind.CHOICE: "Choice",
        CardKind.CLOZE: f"Cloze {card.cloze}",
        CardKind.COMPUTE: "Compute",
    }[card.kind]


def _schedule_line(state: ScheduleState, today: int) -> str:
    if state.due_day is None:
        facts = ["new"]
    else:
        facts = [
            f"due {day_to_date(state.due_day).isoformat()}",
            f"interval {state.interval_days} d",
            f"ease {state.easiness:.2f}",
            f"lapses {state.lapses}",
        ]
    if state.suspended:
        facts.append("suspended")
    if state.buried_until is not None and state.buried_until > today:
        facts.append("buried until tomorrow")
    if state.leech:
        facts.append("leech")
    return " · ".join(facts)
