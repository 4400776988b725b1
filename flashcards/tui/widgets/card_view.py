"""One flash card on screen: question, then answer; choice cards with lettered options.

Text is rendered as Markdown by Rich inside Static widgets rather than with
Textual's Markdown widget: it mounts one widget per block, which costs several
times the 50 ms budget between a grade and the next card on a slow machine.
"""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Rule, Static

from flashcards import cardtext
from flashcards.cardtext import LETTERS, Options
from flashcards.model import CardKind, StoredCard
from flashcards.tui.safe import safe


def describe_state(card: StoredCard) -> str:
    """Where the card stands, in the words the deck list uses."""
    state = card.state
    if state.is_new:
        return "new"
    if state.redrill_day is not None:
        return "re-drill"
    return f"review · interval {state.interval_days}d · ease {state.easiness:.2f}"


class CardView(VerticalScroll, can_focus=False):
    """Shows a card's front; `reveal` adds the back, `choose` answers a choice card."""

    DEFAULT_CSS = """
    CardView { height: 1fr; padding: 0 2; }
    CardView > * { max-width: 100; }
    CardView #card-meta { color: $text-muted; margin-bottom: 1; }
    CardView #card-options { margin-top: 1; }
    CardView #card-verdict { margin-top: 1; text-style: bold; }
    CardView .-hidden { display: none; }
    """

    def __init__(self) -> None:
        super().__init__(id="card-view")
        self.card: StoredCard | None = None
        self.options: Options | None = None
        self.chosen: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="card-meta", markup=False)
        yield Static(id="card-front", markup=False)
        yield Static(id="card-options", markup=False)
        yield Rule(id="card-rule", classes="-hidden")
        yield Static(id="card-verdict", markup=False, classes="-hidden")
        yield Static(id="card-back", markup=False, classes="-hidden")

    def show_card(self, card: StoredCard, salt: str) -> None:
        """Show the question side; `salt` fixes the option order for the day."""
        self.card, self.chosen = card, None
        choice = card.card.kind is CardKind.CHOICE
        self.options = cardtext.choice_options(card.card, salt) if choice else None
        tags = f" · {' '.join(card.tags)}" if card.tags else ""
        self._static("card-meta").update(safe(f"{card.deck_name} · {describe_state(card)}{tags}"))
        front = card.card.front if choice else cardtext.question(card.card, salt)
        self._static("card-front").update(Markdown(safe(front)))
        self._static("card-options").update(self._options_text())
        self._static("card-options").set_class(self.options is None, "-hidden")
        self._static("card-back").update(Markdown(safe(cardtext.answer(card.card, salt))))
        for name in ("card-rule", "card-verdict", "card-back"):
            self.query_one(f"#{name}").add_class("-hidden")
        self.scroll_home(animate=False)

    def reveal(self) -> None:
        for name in ("card-rule", "card-back"):
            self.query_one(f"#{name}").remove_class("-hidden")

    def choose(self, letter: str) -> bool | None:
        """Pick an option of a choice card; returns whether it was right (None: no such option)."""
        if self.options is None or letter not in LETTERS[: len(self.options.texts)]:
            return None
        self.chosen = LETTERS.index(letter)
        right = self.chosen == self.options.correct
        verdict = self._static("card-verdict")
        verdict.update("✓ Right." if right else f"✗ Not {letter}): the answer is below.")
        verdict.remove_class("-hidden")
        self._static("card-options").update(self._options_text())
        self.reveal()
        return right

    def _options_text(self) -> Text:
        """The options; once one is chosen, ✓ marks the right one and ✗ a wrong pick."""
        text = Text()
        if self.options is None:
            return text
        for index, line in enumerate(self.options.lines()):
            mark, style = "  ", ""
            if self.chosen is not None and index == self.options.correct:
                mark, style = "✓ ", "bold green"
            elif index == self.chosen:
                mark, style = "✗ ", "bold red"
            text.append(f"{mark}{safe(line)}\n", style=style)
        text.rstrip()
        return text

    def _static(self, name: str) -> Static:
        return self.query_one(f"#{name}", Static)
