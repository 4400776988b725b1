"""Exam: a timed sitting, then marking against the key, then the score.

The screen goes through three phases. While answering, every keystroke is kept
(answers survive moving back and forth) and a clock counts down; handing in, or
running out of time, grades choice and compute items at once. While marking, each
item shows its key and the student marks their open answers right or wrong. The
report totals the score by section and topic, stores the attempt, and can send the
wrong card items back to review as lapses.

After the score, `v` opens the review (`flashcards.tui.screens.exam_review`): every
item with the answer given, the key and the verdict.

The screen needs only `collection` and `clock` from its app, so it runs inside
`FlashcardsApp` (from the Decks screen, through `exam_picker`) and inside the bare
`ExamApp` that `flashcards exam take` starts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import ClassVar, Protocol, cast

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from flashcards import clock as clocks
from flashcards.exams.build import Exam, ExamItem, ItemKind, points_label
from flashcards.exams.history import ReviewSent, record_attempt, send_to_review
from flashcards.exams.review import review_of
from flashcards.exams.scoring import DASH, Score, Subtotal, choice_input_problem, score_attempt
from flashcards.exams.text import VERDICTS, key_text, question_text
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe
from flashcards.tui.widgets.answer_input import AnswerInput


class ExamHost(Protocol):
    """What the screen needs from whichever app runs it."""

    collection: Collection
    clock: Callable[[], datetime]


class Phase(StrEnum):
    ANSWERING = "answering"
    MARKING = "marking"
    REPORT = "report"


class ExamScreen(Screen[None]):
    """Sit `exam`: answer, hand in, mark open answers, read the score."""

    CSS_PATH = "exam.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "move(1)", "Next", id="exam.next"),
        Binding("pageup", "move(-1)", "Previous", id="exam.previous"),
        Binding("ctrl+s", "hand_in", "Hand in", id="exam.hand-in"),
        Binding("y", "mark(True)", "Mark right", id="exam.mark-right"),
        Binding("n", "mark(False)", "Mark wrong", id="exam.mark-wrong"),
        Binding("s", "report", "Score", id="exam.score"),
        Binding("v", "review", "Review answers", id="exam.review"),
        Binding("r", "send_to_review", "Wrong items to review", id="exam.send-to-review"),
        Binding("escape", "leave", "Leave", id="exam.leave"),
    ]

    def __init__(self, exam: Exam) -> None:
        super().__init__()
        self.exam = exam
        self.items = exam.items
        self.phase = Phase.ANSWERING
        self.index = 0
        self.typed: dict[int, str] = {}  # what each answer box holds
        self.answers: dict[int, str] = {}  # what is handed in: choice slips count blank
        self.notice = ""  # why the current answer is not accepted, for the status line
        self.marks: dict[int, bool] = {}
        self.score: Score | None = None
        self.attempt_id: int | None = None
        self.sent: ReviewSent | None = None
        self._confirming = ""
        self._started: datetime
        self._finished: datetime | None = None

    @property
    def host(self) -> ExamHost:
        return cast(ExamHost, self.app)

    @property
    def answer_box(self) -> Input:
        return self.query_one("#exam-answer", Input)

    @property
    def current(self) -> ExamItem:
        return self.items[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-top"):
            yield Static(id="exam-clock", markup=False)
            yield Static(id="exam-status", markup=False)
        with VerticalScroll(id="exam-body"):
            yield Static(self.exam.instructions, id="exam-instructions", markup=False)
            yield Static(id="exam-question", markup=False)
            yield AnswerInput(id="exam-answer", placeholder="your answer")
            yield Static(id="exam-key", markup=False)
            yield Static(id="exam-report", markup=False)
        yield Static(id="exam-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = safe(self.exam.title)
        self._started = self.host.clock()
        self.query_one("#exam-report").display = False
        self._show()
        self.set_interval(1.0, self.tick)

    # -- time ----------------------------------------------------------------------

    def seconds_left(self) -> float:
        elapsed = (self.host.clock() - self._started).total_seconds()
        return self.exam.minutes * 60 - elapsed

    def tick(self) -> None:
        """Refresh the clock; at zero the exam is handed in as it stands."""
        if self.phase is not Phase.ANSWERING:
            return
        if self.seconds_left() <= 0:
            self.notify("Time is up: your answers were handed in.", title="Exam")
            self._hand_in()
        else:
            self._update_status()

    def _update_status(self) -> None:
        """The clock in its own fixed region (never cut off), then where the student is."""
        self.query_one("#exam-clock", Static).update(self._clock_text())
        item = self.current
        parts = [f"Question {item.number} of {len(self.items)}"]
        if self.notice:
            parts.append(self.notice)
        if self.phase is Phase.ANSWERING:
            answered = sum(1 for text in self.answers.values() if text.strip())
            parts.append(f"{answered} answered")
        elif self.score is not None:
            parts.append(f"score so far {self.score.earned:g}/{self.score.possible:g}")
        parts += [points_label(item.points), safe(self.exam.sections[item.section].title)]
        status = self.query_one("#exam-status", Static)
        status.update(" · ".join(parts))
        status.set_class(bool(self.notice), "-notice")

    def _clock_text(self) -> str:
        if self.phase is Phase.ANSWERING:
            left = max(0, round(self.seconds_left()))
            return f"{left // 60}:{left % 60:02d} left"
        used = round(((self._finished or self.host.clock()) - self._started).total_seconds())
        return f"took {used // 60}:{used % 60:02d}"

    # -- showing -------------------------------------------------------------------

    def _show(self) -> None:
        item = self.current
        first = self.phase is Phase.ANSWERING and self.index == 0
        self.query_one("#exam-instructions").display = first and bool(self.exam.instructions)
        self.query_one("#exam-question", Static).update(safe(question_text(item)))
        box = self.answer_box
        with box.prevent(Input.Changed):
            box.value = self.typed.get(item.number, "")
        box.cursor_position = len(box.value)  # typing goes after the old answer, not before
        self.notice = self._input_problem(box.value)
        box.disabled = self.phase is not Phase.ANSWERING
        key = self.query_one("#exam-key", Static)
        key.display = self.score is not None
        if self.score is not None:
            result = self.score.results[self.index]
            verdict = Text(VERDICTS[result.correct], style="bold")
            key.update(
                Text.assemble(verdict, "  ", safe(result.feedback), "\n", safe(key_text(result)))
            )
        if self.phase is Phase.ANSWERING:
            box.focus()
        self.query_one("#exam-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#exam-hint", Static).update(self._hint())
        self._update_status()
        self.refresh_bindings()

    def _hint(self) -> str:
        item = self.current
        if self.phase is Phase.ANSWERING:
            last = "abcdefgh"[max(0, len(item.options) - 1)]
            what = {
                ItemKind.CHOICE: f"type a letter a{DASH}{last}",
                ItemKind.COMPUTE: "type your answer",
                ItemKind.OPEN: "type; you mark it later",
            }[item.kind]
            return f"{what} · Enter/PgDn next · PgUp back · Ctrl+S hand in"
        if self._needs_mark(item):
            return "Compare with the key: y  right · n  wrong · PgUp/PgDn other questions"
        return "PgUp/PgDn other questions · y/n mark open answers · s  see the score"

    # -- answering -----------------------------------------------------------------

    @on(Input.Changed, "#exam-answer")
    def keep_answer(self, event: Input.Changed) -> None:
        """Every keystroke is kept, so moving away never loses an answer."""
        if self.phase is Phase.ANSWERING:
            self._keep(event.value)
            self._confirming = ""
            self._update_status()

    def _keep(self, text: str) -> None:
        """Keep the box's text; a choice answer that names no option counts as blank."""
        number = self.current.number
        self.typed[number] = text
        self.notice = self._input_problem(text)
        self.answers[number] = "" if self.notice else text

    def _input_problem(self, text: str) -> str:
        item = self.current
        if self.phase is not Phase.ANSWERING or item.kind is not ItemKind.CHOICE:
            return ""
        if not text.strip():
            return ""
        return choice_input_problem(item, text) or ""

    @on(Input.Submitted, "#exam-answer")
    def next_question(self) -> None:
        """Enter moves on, as PgDn does, once a choice answer names an option."""
        if self.notice:
            self.app.bell()
            return
        self.action_move(1)

    def action_move(self, step: int) -> None:
        if self.phase is Phase.ANSWERING:
            self._keep(self.answer_box.value)
        target = self.index + step
        if 0 <= target < len(self.items):
            self.index = target
            self._show()
        elif self.phase is Phase.ANSWERING and target == len(self.items):
            self.notify("That was the last question. Press Ctrl+S to hand in.")

    def action_hand_in(self) -> None:
        blank = [i.number for i in self.items if not self.answers.get(i.number, "").strip()]
        if blank and self._confirming != "hand_in":
            self._confirming = "hand_in"
            listed = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
            self.notify(
                f"{len(blank)} question(s) are blank ({listed}). "
                "Press Ctrl+S again to hand in anyway.",
                severity="warning",
            )
            return
        self._hand_in()

    def _hand_in(self) -> None:
        self.phase = Phase.MARKING
        self._finished = self.host.clock()
        self._regrade()
        pending = [n for n, item in enumerate(self.items) if self._needs_mark(item)]
        if not pending:
            self.action_report()
            return
        self.index = pending[0]
        self._show()

    # -- marking -------------------------------------------------------------------

    def _needs_mark(self, item: ExamItem) -> bool:
        return (
            self.phase is Phase.MARKING
            and item.kind is ItemKind.OPEN
            and bool(self.answers.get(item.number, "").strip())
        )

    def _regrade(self) -> None:
        self.score = score_attempt(self.exam, self.answers, self.marks)

    def action_mark(self, right: bool) -> None:
        """Record the student's verdict, then go to the next open answer still unmarked."""
        self.marks[self.current.number] = right
        self._regrade()
        unmarked = [
            n
            for n, item in enumerate(self.items)
            if self._needs_mark(item) and item.number not in self.marks
        ]
        if not unmarked:
            self.action_report()
            return
        self.index = next((n for n in unmarked if n > self.index), unmarked[0])
        self._show()

    # -- the report ----------------------------------------------------------------

    def action_report(self) -> None:
        """Store the attempt and show the score; open answers left unmarked count 0."""
        self._regrade()
        score = self.score
        assert score is not None
        self.phase = Phase.REPORT
        finished = self._finished or self.host.clock()
        self.attempt_id = record_attempt(
            self.host.collection, self.exam, score, started=self._started, finished=finished
        )
        for part in ("#exam-instructions", "#exam-question", "#exam-answer", "#exam-key"):
            self.query_one(part).display = False
        report = self.query_one("#exam-report", Static)
        report.display = True
        seconds = (finished - self._started).total_seconds()
        report.update(report_renderable(self.exam, score, seconds))
        self.query_one("#exam-status", Static).set_class(False, "-notice")
        self.query_one("#exam-status", Static).update(
            f"Score {score.earned:g}/{score.possible:g} ({score.percent:.0f}%) · stored"
        )
        self.query_one("#exam-clock", Static).update(self._clock_text())
        self.query_one("#exam-hint", Static).update(self._report_hint())
        self.refresh_bindings()

    def _report_hint(self) -> str:
        send = self.sent is None and bool(self.score and self.score.wrong)
        return (
            "v  review answers · " + ("r  wrong cards to review · " if send else "") + "Esc  leave"
        )

    def action_review(self) -> None:
        """Go through every item with the answer given, the key and the verdict."""
        from flashcards.tui.screens.exam_review import ExamReviewScreen

        if self.score is not None:
            review = review_of(self.exam.title, self.score, self.attempt_id)
            self.app.push_screen(ExamReviewScreen(review))

    def action_send_to_review(self) -> None:
        if self.score is None or self.sent is not None:
            return
        self.sent = send_to_review(self.host.collection, self.score.results, self.host.clock())
        self.notify(sent_message(self.sent), title="Review", timeout=10)
        self.query_one("#exam-hint", Static).update(self._report_hint())
        self.refresh_bindings()

    # -- leaving -------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.phase is not Phase.REPORT and self._confirming != "leave":
            self._confirming = "leave"
            self.notify(
                "Leaving now stores nothing. Press Esc again to leave the exam.",
                severity="warning",
            )
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        rules = {
            "move": self.phase is not Phase.REPORT,
            "hand_in": self.phase is Phase.ANSWERING,
            "mark": self._needs_mark(self.current),
            "report": self.phase is Phase.MARKING,
            "review": self.phase is Phase.REPORT,
            "send_to_review": self.phase is Phase.REPORT
            and self.sent is None
            and bool(self.score and self.score.wrong),
        }
        return rules.get(action, True)


def report_renderable(exam: Exam, score: Score, seconds: float) -> RenderableType:
    minutes, rest = divmod(round(seconds), 60)
    head = Text()
    head.append(f"{safe(exam.title)}\n", style="bold")
    head.append(
        f"Score: {score.earned:g} of {score.possible:g} points ({score.percent:.0f}%) · "
        f"time {minutes}m {rest:02d}s · seed {exam.seed}, variant {exam.variant}\n"
    )
    if score.ungraded:
        head.append(f"{len(score.ungraded)} open answer(s) left unmarked count 0.\n", style="dim")
    parts: list[RenderableType] = [head, _table("Section", score.sections)]
    parts.append(_table("Topic", score.topics))
    wrong = [str(result.item.number) for result in score.wrong]
    parts.append(Text("Wrong or blank: " + (", ".join(wrong) if wrong else "none")))
    return Group(*parts)


def _table(title: str, rows: tuple[Subtotal, ...]) -> Table:
    table = Table(title=f"By {title.lower()}", title_justify="left", expand=False)
    table.add_column(title)
    table.add_column("Points", justify="right")
    table.add_column("Right", justify="right")
    for row in rows:
        table.add_row(
            safe(row.name),
            f"{row.earned:g}/{row.possible:g} ({row.percent:.0f}%)",
            f"{row.right} of {row.items}",
        )
    return table


class ExamApp(App[None]):
    """Only the exam screen, for `flashcards exam take`: leaving the exam quits."""

    TITLE = "flashcards"

    def __init__(
        self,
        collection: Collection,
        exam: Exam,
        *,
        clock: Callable[[], datetime] = clocks.now,
    ) -> None:
        super().__init__()
        self.collection = collection
        self.clock = clock
        self.exam = exam

    def on_mount(self) -> None:
        self.push_screen(ExamScreen(self.exam), lambda _result: self.exit())


def sent_message(sent: ReviewSent) -> str:
    """What sending wrong items to review did, in words."""
    parts = [f"{sent.sent} card(s) will come back in review as lapses."]
    if sent.not_in_collection:
        parts.append(
            f"{len(sent.not_in_collection)} card(s) are not in your collection; "
            "import their decks to study them."
        )
    if sent.compute:
        parts.append(
            f"{sent.compute} compute question(s) have no card; practise them with "
            "the compute cards of the same topic."
        )
    return " ".join(parts)
