"""The compute half of the Review screen: a drawn problem, a typed answer, a verdict.

It is a panel the Review screen swaps in for compute cards rather than a screen
of its own, so undo, suspend, bury, edit, progress and timing stay in one place.
Drawing a problem and checking an answer run in thread workers: the first use
imports sympy (about a second) and symbolic answers may need simplifying, and
neither may freeze the keyboard. Results come back through `call_from_thread`
and are dropped if the student has moved on meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from flashcards.model import Card
from flashcards.tui.widgets.heatmap import HeatMap

if TYPE_CHECKING:
    from quizzes.numeric import Grid
    from quizzes.problem import CheckResult, Mistake, Problem

_PROBLEM_PARTS = ("compute-prompt", "compute-math", "compute-choices", "compute-format")
MAX_ATTEMPTS = 2
SLOW_SECONDS = 180
HEATMAP_STEPS = 6


@dataclass(frozen=True)
class Drawn:
    """A problem and, for functions of two variables, its heat map and path."""

    problem: Problem
    grid: Grid | None
    path: tuple[tuple[float, ...], ...]


def draw_problem(card: Card, seed: int) -> Drawn:
    """Generate the card's problem for `seed` (runs in a worker thread)."""
    from quizzes.numeric import NumericError, optimizer_path, sample
    from quizzes.registry import get

    problem = get(card.generator).generate(seed, card.params)
    if len(problem.variables) != 2 or problem.function is None or problem.point is None:
        return Drawn(problem, None, ())
    names = (problem.variables[0], problem.variables[1])
    try:
        path = optimizer_path(problem, HEATMAP_STEPS)
        grid = sample(problem.function, names, problem.point, path=problem.path)
    except NumericError:
        return Drawn(problem, None, ())
    return Drawn(problem, grid, path)


class ComputePanel(VerticalScroll, can_focus=False):
    """Ask, check and explain one compute problem."""

    DEFAULT_CSS = """
    ComputePanel { height: 1fr; padding: 0 2; }
    ComputePanel #compute-prompt, ComputePanel #compute-format { max-width: 100; }
    ComputePanel #compute-title { margin-bottom: 1; }
    ComputePanel #compute-math { margin: 1 0; }
    ComputePanel #compute-input { margin-top: 1; }
    ComputePanel #compute-format { color: $text-muted; }
    ComputePanel #compute-feedback { margin-top: 1; }
    ComputePanel #compute-result { height: auto; layout: vertical; margin-bottom: 1; }
    ComputePanel #compute-explained { height: auto; width: 1fr; }
    ComputePanel #compute-solution { margin-top: 1; }
    ComputePanel #compute-map { margin-top: 1; }
    """

    class Finished(Message):
        """The student is done with the problem; `quality` is the derived grade."""

        def __init__(self, quality: int) -> None:
            super().__init__()
            self.quality = quality

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__(id="compute-panel")
        self.clock = clock
        self.card: Card | None = None
        self.seed = 0
        self.drawn: Drawn | None = None
        self.attempts = 0
        self.answer_text: str | None = None
        self.suggested: int | None = None
        self._token = 0
        self._shown_at = clock()

    def compose(self) -> ComposeResult:
        """The result sits above the problem: once answered, it is what the student reads."""
        yield Static(id="compute-title", markup=False)
        with Horizontal(id="compute-result"):
            with Vertical(id="compute-explained"):
                yield Static(id="compute-verdict", markup=False)
                yield Static(id="compute-solution", markup=False)
            yield HeatMap(id="compute-map")
        yield Static(id="compute-prompt", markup=False)
        yield Static(id="compute-math", markup=False)
        yield Static(id="compute-choices", markup=False)
        yield Input(id="compute-input", disabled=True)
        yield Static(id="compute-format", markup=False)
        yield Static(id="compute-feedback", markup=False)

    @property
    def finished(self) -> bool:
        return self.suggested is not None

    @property
    def ready(self) -> bool:
        """A problem is on screen (not still being drawn, not failed)."""
        return self.drawn is not None

    def load(self, card: Card, seed: int) -> None:
        """Start drawing a problem for `card`; the panel shows it when it is ready."""
        self._token += 1
        self.card, self.seed, self.drawn = card, seed, None
        self.attempts, self.answer_text, self.suggested = 0, None, None
        self._static("compute-title").update(Text(card.front, style="bold"))
        for name in (*_PROBLEM_PARTS, "compute-feedback"):
            self._static(name).update("")
        self.query_one("#compute-result").display = False
        self._input.display = False
        self._input.disabled = True
        self.loading = True
        token = self._token
        self.run_worker(
            lambda: self._draw(card, seed, token), thread=True, exclusive=True, group="compute"
        )

    def _draw(self, card: Card, seed: int, token: int) -> None:
        try:
            drawn = draw_problem(card, seed)
        except Exception as exc:  # a broken template must not take the session down
            self.app.call_from_thread(self._failed, token, exc)
            return
        self.app.call_from_thread(self._show, token, drawn)

    def _failed(self, token: int, exc: Exception) -> None:
        if token != self._token:
            return
        self.loading = False
        self._static("compute-prompt").update(
            f"This card's problem could not be drawn ({type(exc).__name__}: {exc}).\n"
            "Press s to suspend the card, or e to edit its template and params."
        )

    def _show(self, token: int, drawn: Drawn) -> None:
        if token != self._token:
            return
        problem = drawn.problem
        self.drawn, self.loading = drawn, False
        self._shown_at = self.clock()
        self._static("compute-title").update(Text(problem.title, style="bold"))
        self._static("compute-prompt").update(Markdown(problem.prompt))
        self._static("compute-math").update(Text(problem.math, no_wrap=True))
        choices = "   ".join(f"{n}. {c}" for n, c in enumerate(problem.choices, start=1))
        self._static("compute-choices").update(choices)
        self._static("compute-choices").display = bool(choices)
        self._static("compute-format").update(f"Answer format: {problem.answer_hint}")
        self._input.value = ""
        self._input.placeholder = "Type your answer, then press Enter"
        self._input.disabled = False
        self._input.display = True
        self._input.focus()

    @on(Input.Submitted, "#compute-input")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter in the answer box checks the answer off the UI thread."""
        event.stop()
        if self.drawn is None or self.finished or not event.value.strip():
            return
        problem, text, token = self.drawn.problem, event.value, self._token
        self.run_worker(
            lambda: self._check(problem, text, token), thread=True, exclusive=True, group="check"
        )

    def _check(self, problem: Problem, text: str, token: int) -> None:
        from quizzes.checking import check_answer

        result = check_answer(problem, text)
        self.app.call_from_thread(self._checked, token, text, result)

    def _checked(self, token: int, text: str, result: CheckResult) -> None:
        if token != self._token or self.finished:
            return
        feedback = self._static("compute-feedback")
        if result.parse_error:
            feedback.update(Text(f"⚠ {result.message}", style="bold"))
            return
        self.attempts += 1
        self.answer_text = text
        if result.correct or self.attempts >= MAX_ATTEMPTS:
            self._finish(result.correct, result.mistake, verdict=result.message)
            return
        feedback.update(
            Text(
                f"✗ {result.message}\nTry once more, or press Ctrl+G to see the solution.",
                style="bold",
            )
        )
        self._input.select_all()  # the next keystroke replaces the wrong answer

    def give_up(self) -> None:
        """Show the worked solution without an answer (grade 0 suggested)."""
        if self.drawn is not None and not self.finished:
            self._finish(False, None, verdict="Solution shown without an answer.", gave_up=True)

    def _finish(
        self, correct: bool, mistake: Mistake | None, *, verdict: str, gave_up: bool = False
    ) -> None:
        from quizzes.checking import suggested_quality

        assert self.drawn is not None
        slow = (self.clock() - self._shown_at).total_seconds() > SLOW_SECONDS
        self.suggested = suggested_quality(
            correct,
            attempts=self.attempts,
            solution_shown=False,
            mistake=mistake,
            gave_up=gave_up,
            slow=slow,
        )
        self._input.disabled = True
        self._static("compute-feedback").update("")
        self._show_result(correct, verdict)
        self.post_message(self.Finished(self.suggested))

    def _show_result(self, correct: bool, verdict: str) -> None:
        from quizzes.render import DISPLAY_DIGITS, format_value

        assert self.drawn is not None
        problem = self.drawn.problem
        expected = format_value(problem.answer_kind, problem.expected, DISPLAY_DIGITS)
        mark = "✓" if correct else "✗"
        lines = Text()
        lines.append(f"{mark} {verdict}\n", style="bold green" if correct else "bold red")
        if self.answer_text is not None:
            lines.append(f"Your answer: {self.answer_text.strip()}\n")
        lines.append(f"Expected:    {expected}")
        self._static("compute-verdict").update(lines)
        solution = Text("Worked solution\n", style="bold")
        solution.append("\n".join(problem.solution))
        self._static("compute-solution").update(solution)
        heatmap = self.query_one(HeatMap)
        heatmap.show(self.drawn.grid, problem.point, self.drawn.path)
        self.query_one("#compute-result").display = True
        self.scroll_home(animate=False)

    @property
    def _input(self) -> Input:
        return self.query_one("#compute-input", Input)

    def _static(self, name: str) -> Static:
        return self.query_one(f"#{name}", Static)
