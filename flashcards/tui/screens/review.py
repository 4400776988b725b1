"""Review: one card at a time, graded 0-5 (FSRS decks: 1-4), each answer committed first.

The screen drives a `StudySession` and shows its current card either in the
flash-card view (basic, cloze, choice) or in the compute panel. Keys that make
no sense for the card on screen are switched off through `check_action`, which
also hides them from the footer, so the footer always tells the truth. The
number keys go through the card's grade choices: key 4 is "good" (4) on an
SM-2 card and "Easy" (stored as 5) on an FSRS card; 0 and 5 do nothing there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Input, Static

from flashcards.clock import study_day
from flashcards.errors import CardGoneError, FlashcardsError
from flashcards.model import AnswerResult, CardKind, Grade, StoredCard
from flashcards.session import FSRS_CHOICES, GradeChoice, StudySession, choice_grade
from flashcards.tui.messages import CardAnswered, CardShown
from flashcards.tui.safe import safe
from flashcards.tui.screens.compute import ComputePanel
from flashcards.tui.screens.summary import SummaryScreen, build_report
from flashcards.tui.widgets.card_view import CardView
from flashcards.tui.widgets.grade_bar import GradeBar
from flashcards.tui.widgets.progress import StudyProgress

if TYPE_CHECKING:
    from flashcards.model import Card
    from flashcards.tui.app import FlashcardsApp

SAVING_HINT = "Saving… waiting for the collection (another program is writing to it)"
_GRADES = Binding.Group("Grade", compact=True)
_FSRS_NAMES = {choice.key: choice.label for choice in FSRS_CHOICES}


def _grade_key_help(grade: Grade) -> str:
    """What a number key does, for the keys panel: its SM-2 grade, and on FSRS decks its rating."""
    key = str(int(grade))
    fsrs = f" (FSRS deck: {_FSRS_NAMES[key]})" if key in _FSRS_NAMES else ""
    return f"Grade {key}: {grade.label}{fsrs}"


@dataclass(frozen=True)
class StartSpec:
    """What to study: some decks (None: all), optionally one tag, scheduled or cram."""

    title: str = "All decks"
    deck_ids: tuple[int, ...] | None = None
    tag: str | None = None
    cram: bool = False


class ReviewScreen(Screen[None]):
    """Study the cards of a `StartSpec` until none are left or the student leaves."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "reveal", "Show answer", id="review.reveal"),
        *(
            Binding(
                str(int(g)),
                f"grade({int(g)})",
                _grade_key_help(g),
                group=_GRADES,
                id=f"review.grade-{int(g)}",
            )
            for g in Grade
        ),
        Binding("enter", "accept", "Accept grade", id="review.accept"),
        *(
            Binding(
                letter,
                f"choose('{letter}')",
                f"Option {letter}",
                show=False,
                id=f"review.choose-{letter}",
            )
            for letter in "abcd"
        ),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("s", "suspend", "Suspend", id="review.suspend"),
        Binding("b", "bury", "Bury", id="review.bury"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("r", "retry", "New variant", id="review.retry"),
        Binding("ctrl+g", "give_up", "Solution", id="review.give-up"),
        Binding("c", "cram", "Cram anyway", id="review.cram"),
        Binding("escape", "leave", "Finish", id="review.leave"),
        *(
            Binding(key, f"scroll({lines})", show=False, id=f"review.scroll-{key}")
            for key, lines in (("up", -1), ("down", 1), ("pageup", -10), ("pagedown", 10))
        ),
    ]

    def __init__(self, spec: StartSpec) -> None:
        super().__init__()
        self.spec = spec
        self.session: StudySession | None = None
        self.suggested: Grade | None = None
        self.saving = False
        self._planned = 0
        self._started: datetime

    @property
    def flashcards(self) -> FlashcardsApp:
        return cast("FlashcardsApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield StudyProgress()
        with ContentSwitcher(initial="card-view", id="review-body"):
            yield CardView()
            yield ComputePanel(self.flashcards.clock)
            yield Static(id="review-empty", markup=False)
        yield Static(id="review-hint")
        yield GradeBar()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = safe(self.spec.title) + (" · cram" if self.spec.cram else "")
        self._start(self.spec.cram)
        self.set_interval(1.0, self._tick)

    def _start(self, cram: bool) -> None:
        app = self.flashcards
        spec = self.spec
        self.session = StudySession(
            app.collection,
            app.clock,
            spec.deck_ids,
            tag=spec.tag,
            cram=cram,
            timer=lambda: app.clock().timestamp(),
            rng=app.rng,
        )
        self._started = app.clock()
        self._planned = self.session.remaining if cram or spec.tag else self._due_count()
        self._show_current()

    def _due_count(self) -> int:
        counts = self.flashcards.collection.deck_counts(self.flashcards.clock())
        ids = self.spec.deck_ids
        return sum(d.new + d.due + d.redrill for d in counts if ids is None or d.deck_id in ids)

    # -- showing -------------------------------------------------------------------

    @property
    def current(self) -> StoredCard | None:
        return None if self.session is None else self.session.current

    @property
    def compute(self) -> ComputePanel:
        return self.query_one(ComputePanel)

    def _show_current(self) -> None:
        card = self.current
        self.suggested = None
        self.query_one(GradeBar).display = False
        switcher = self.query_one(ContentSwitcher)
        if card is None:
            switcher.current = "review-empty"
            self._ran_out()
        elif card.card.kind is CardKind.COMPUTE:
            switcher.current = "compute-panel"
            assert self.session is not None and self.session.compute is not None
            self.compute.load(self.session.compute)
        else:
            switcher.current = "card-view"
            salt = str(study_day(self.flashcards.clock()))
            self.query_one(CardView).show_card(card, salt)
        self._update_hint()
        self._tick()
        self.refresh_bindings()
        card_id = None if card is None else card.id
        self.call_after_refresh(self.post_message, CardShown(card_id))
        self.call_after_refresh(self._draw_ahead)

    def _draw_ahead(self) -> None:
        """Draw the next compute card's problem while this card is on screen (started
        after the card's first paint, which it would otherwise slow down)."""
        upcoming = None if self.session is None else self.session.upcoming_compute()
        if upcoming is not None:
            self.run_worker(upcoming.draw, thread=True, group="draw-ahead", exit_on_error=False)

    def _ran_out(self) -> None:
        """No card left: summarise a session that did something, else say why it is empty."""
        assert self.session is not None
        if self.session.done:
            self._summarise()
            return
        place = self.spec.title
        message = (
            f"No cards to cram in {place}. Press Escape to go back to the decks."
            if self.session.cram
            else f"No cards due in {place} right now. Press c to cram them anyway (the "
            "schedule stays as it is), or Escape to go back to the decks."
        )
        self.query_one("#review-empty", Static).update(message)

    def _summarise(self) -> None:
        assert self.session is not None
        app = self.flashcards
        report = build_report(self.session, app.collection, app.clock(), self.spec.title)
        app.push_screen(SummaryScreen(report), self._after_summary)

    def _after_summary(self, undo: bool | None) -> None:
        if undo:
            self.action_undo()
        else:
            self.dismiss()

    def _show_grades(self, suggested: Grade | None = None) -> None:
        session, bar = self.session, self.query_one(GradeBar)
        assert session is not None
        bar.show(session.grade_choices(), session.intervals(), suggested)
        bar.display = True
        self.suggested = suggested
        self._update_hint()
        self.refresh_bindings()

    def _update_hint(self) -> None:
        self.query_one("#review-hint", Static).update(self._hint())

    def _hint(self) -> str:
        card = self.current
        if card is None or self.session is None:
            return ""
        if self.saving:
            return SAVING_HINT
        choices = self.session.grade_choices()
        keys = f"{choices[0].key}-{choices[-1].key}"
        if self.suggested is not None:
            choice = _choice_of(choices, self.suggested)
            extra = " · r  a new variant" if card.card.kind is CardKind.COMPUTE else ""
            return f"Enter  accept {choice.key} ({choice.label}) · {keys}  another grade{extra}"
        if card.card.kind is CardKind.COMPUTE:
            return "Enter  check · Ctrl+G  show the solution · Esc  leave the answer box"
        if self.session.revealed:
            return f"{keys}  grade how well you recalled it"
        if card.card.kind is CardKind.CHOICE:
            return "a-d  choose an option · Space  show the answer"
        return "Space  show the answer"

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        seconds = (self.flashcards.clock() - self._started).total_seconds()
        left = max(session.remaining, self._planned - session.done)
        self.query_one(StudyProgress).show(session.done, left, seconds, cram=session.cram)

    # -- actions -------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session, card = self.session, self.current
        if session is None:
            return action == "leave"
        if self.saving:
            return action in ("scroll", "leave") or None
        kind = None if card is None else card.card.kind
        compute = kind is CardKind.COMPUTE
        rules = {
            "reveal": card is not None and not compute and not session.revealed,
            "grade": self._can_grade() and self._key_choice(parameters) is not None,
            "accept": self.suggested is not None,
            "choose": kind is CardKind.CHOICE and not session.revealed,
            "undo": session.can_undo,
            "suspend": card is not None,
            "bury": card is not None,
            "edit": card is not None,
            "retry": compute and not self.compute.loading,
            "give_up": compute and self.compute.ready and not self.compute.finished,
            "cram": card is None and not session.cram and session.done == 0,
        }
        return rules.get(action, True)

    def _key_choice(self, parameters: tuple[object, ...]) -> GradeChoice | None:
        """The grade choice a number key presses on this card; None if it offers none."""
        if self.session is None or not parameters:
            return None
        key = str(parameters[0])
        return next((c for c in self.session.grade_choices() if c.key == key), None)

    def _can_grade(self) -> bool:
        card, session = self.current, self.session
        if card is None or session is None:
            return False
        if card.card.kind is CardKind.COMPUTE:
            return self.compute.finished
        return session.revealed

    def action_reveal(self) -> None:
        assert self.session is not None
        self.session.reveal()
        self.query_one(CardView).reveal()
        self._show_grades()

    def action_choose(self, letter: str) -> None:
        assert self.session is not None
        right = self.query_one(CardView).choose(letter)
        if right is None:
            self.notify(f"This card has no option {letter}.", severity="warning")
            return
        self.session.reveal()
        self._show_grades(self.session.offered_grade(choice_grade(right)))

    async def action_grade(self, key: int) -> None:
        """A number key: the grade its choice stores on this card (FSRS's 4 is Easy, 5)."""
        choice = self._key_choice((key,))
        if choice is not None:
            await self._answer(choice.grade)

    async def action_accept(self) -> None:
        if self.suggested is not None:
            await self._answer(self.suggested)

    @on(GradeBar.Chosen)
    async def grade_clicked(self, event: GradeBar.Chosen) -> None:
        """A click on a grade button grades like its number key."""
        if self._can_grade() and not self.saving:
            await self._answer(Grade(event.quality))

    @on(ComputePanel.Finished)
    def compute_finished(self, event: ComputePanel.Finished) -> None:
        """The compute panel derived a grade: offer it (on its scheduler's buttons) and the rest."""
        assert self.session is not None
        self._show_grades(self.session.offered_grade(event.grade))

    async def _answer(self, grade: Grade) -> None:
        """Save the grade off the UI thread: a held lock shows a hint, never a freeze.

        Any `FlashcardsError` (disk full, read-only file, lock timeout) becomes a
        notice and the card stays on screen, graded again with the same key once
        the cause is gone; a card deleted meanwhile is skipped with a notice.
        """
        session = self.session
        assert session is not None
        self.saving = True
        self._update_hint()
        self.refresh_bindings()
        try:
            result: AnswerResult = await asyncio.to_thread(session.answer, grade)
        except CardGoneError as exc:
            self.notify(f"{exc} It was skipped.", title="Card gone", severity="warning")
            self._show_current()
            return
        except FlashcardsError as exc:
            self.notify(
                f"{exc}\nThe card stays on screen: grade it again once that is fixed.",
                title="Answer not saved",
                severity="error",
                timeout=10,
            )
            return
        finally:
            self.saving = False
            self._update_hint()
            self.refresh_bindings()
        self.post_message(CardAnswered(result, int(grade)))
        self._show_current()

    def action_undo(self) -> None:
        assert self.session is not None
        try:
            undone = self.session.undo()
        except FlashcardsError as exc:
            self.notify(str(exc), title="Could not undo", severity="error")
            return
        if undone is None:
            self.notify("Nothing to undo in this session.")
            return
        self.notify(safe(undone.message))
        self._show_current()

    def action_suspend(self) -> None:
        assert self.session is not None
        self._change(
            self.session.suspend,
            "Card suspended",
            "Browse (is:suspended) can bring it back; u undoes it now.",
        )

    def action_bury(self) -> None:
        assert self.session is not None
        self._change(self.session.bury, "Card buried", "Hidden until tomorrow; u undoes it now.")

    def _change(self, change: Callable[[], object], title: str, message: str) -> None:
        try:
            change()
        except FlashcardsError as exc:
            self.notify(str(exc), title=title.replace("Card", "Card not"), severity="error")
        else:
            self.notify(message, title=title)
        self._show_current()

    def action_edit(self) -> None:
        """Open the card editor; its module loads on first use, off the start-up path."""
        from flashcards.tui.screens.edit import EditCardScreen

        card = self.current
        assert card is not None
        self.app.push_screen(EditCardScreen(card), lambda edited: self._edited(card, edited))

    def _edited(self, card: StoredCard, edited: Card | None) -> None:
        session = self.session
        if edited is None or session is None or session.current is None:
            return
        if session.current.id != card.id:
            return
        try:
            session.edit(edited)
        except FlashcardsError as exc:
            self.notify(str(exc), title="Edit not saved", severity="error")
            return
        self.notify("Saved; its schedule and history are unchanged; u undoes.", title="Card edited")
        self._show_current()

    def action_retry(self) -> None:
        assert self.session is not None
        self.compute.load(self.session.new_variant())
        self.query_one(GradeBar).display = False
        self.suggested = None
        self._update_hint()
        self.refresh_bindings()

    def action_scroll(self, lines: int) -> None:
        """The card area never takes focus, so the screen scrolls it."""
        body = self.query_one(ContentSwitcher)
        shown = body.visible_content
        if shown is not None:
            shown.scroll_relative(y=lines, animate=False)

    def action_give_up(self) -> None:
        self.compute.give_up()

    def action_cram(self) -> None:
        self.sub_title = safe(self.spec.title) + " · cram"
        self._start(cram=True)

    def action_leave(self) -> None:
        """Escape leaves the answer box first, then the session (with a summary if any)."""
        if isinstance(self.focused, Input):
            self.set_focus(None)
            return
        if self.session is not None and self.session.done:
            self._summarise()
        else:
            self.dismiss()


def _choice_of(choices: tuple[GradeChoice, ...], grade: Grade) -> GradeChoice:
    """The button that stores `grade` (an offered grade is always on one)."""
    fallback = GradeChoice(str(int(grade)), grade, grade.label)
    return next((c for c in choices if c.grade == grade), fallback)
