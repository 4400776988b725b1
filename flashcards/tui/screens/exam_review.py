"""Going back over an exam attempt, one item at a time.

Each item shows the question as it was asked, the answer given, the key and the
verdict; a compute item adds the checker's named mistake and the worked solution, an
open item the key the student marked against and the mark they gave. The words come
from `flashcards.exams.review`, so `flashcards exam history --open` prints the same.
Everything from decks and specs passes through `safe` and is shown as plain text,
never as markup. PgDn/PgUp (or n/p) move, Esc goes back to where the review was
opened: the score screen, or the exam picker's history.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from flashcards.exams.review import NOT_STORED, Review, ReviewItem, review_lines, verdict
from flashcards.tui.safe import safe

HEADINGS = ("Your answer:", "Key:", "Key you marked against:", "Verdict:", "Named mistake")


class ExamReviewScreen(Screen[None]):
    """Every item of `review` with the answer, the key and whether it was right."""

    CSS_PATH = "exam_review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the scrolling body would otherwise take PgUp/PgDn for itself.
        Binding("pagedown,n", "move(1)", "Next", id="exam-review.next", priority=True),
        Binding("pageup,p", "move(-1)", "Previous", id="exam-review.previous", priority=True),
        Binding("escape", "back", "Back", id="exam-review.back"),
    ]

    def __init__(self, review: Review, start: int = 0, *, back_to: str = "the score") -> None:
        super().__init__()
        self.review = review
        self.back_to = back_to  # where Esc returns, for the hint
        self.index = min(max(0, start), max(0, len(review.items) - 1))

    @property
    def current(self) -> ReviewItem:
        return self.review.items[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="review-top"):
            yield Static(id="review-position", markup=False)
            yield Static(id="review-verdict", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static(NOT_STORED, id="review-note", markup=False)
            yield Static(id="review-item", markup=False)
        yield Static(
            f"PgDn/n next · PgUp/p previous · Esc back to {self.back_to}",
            id="review-hint",
            markup=False,
        )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Review: {safe(self.review.title)}"
        self.query_one("#review-note").display = not self.review.complete
        if not self.review.items:
            self.query_one("#review-item", Static).update("This attempt has no items.")
            return
        self._show()

    def _show(self) -> None:
        item = self.current
        self.query_one("#review-position", Static).update(
            f"{self.index + 1} of {len(self.review.items)}"
        )
        top = self.query_one("#review-verdict", Static)
        top.update(verdict(item))
        top.set_class(item.correct is True, "-right")
        top.set_class(item.correct is not True, "-wrong")
        self.query_one("#review-item", Static).update(item_renderable(item))
        self.query_one("#review-body", VerticalScroll).scroll_home(animate=False)

    def action_move(self, step: int) -> None:
        target = self.index + step
        if 0 <= target < len(self.review.items):
            self.index = target
            self._show()

    def action_back(self) -> None:
        self.dismiss()


def item_renderable(item: ReviewItem) -> Text:
    """The review lines as plain text, their labels in bold; nothing is read as markup."""
    text = Text()
    for number, line in enumerate(review_lines(item)):
        shown = safe(line)
        if number:
            text.append("\n")
        label = next((h for h in HEADINGS if shown.startswith(h)), "")
        if not label and shown in ("Worked solution:", "Notes:"):
            label = shown
        text.append(label, style="bold")
        text.append(shown[len(label) :])
    return text
