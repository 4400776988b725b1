"""The compute half of the Review screen: it renders the session's `ComputeAttempt`.

The rules (seed, tries, the slow threshold, the suggested grade) live in
`flashcards.compute`; this panel only shows the problem, passes typed text on
and shows the verdict. Drawing a problem and checking an answer run in thread
workers: the first use imports sympy (about a second) and symbolic answers may
need simplifying, and neither may freeze the keyboard. Results come back through
`call_from_thread` and are dropped if the student has moved on meanwhile.

First paint: a problem drawn ahead is shown at once, and one that is not gets
`FIRST_PAINT_BUDGET` seconds of a thread's time while the screen waits (a warm
template needs a few milliseconds), so the card appears with the screen rather than
after a loading indicator. Only a slower draw falls back to the indicator. The heat
map is not needed until the answer is in: it is computed afterwards, in a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
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

from flashcards.compute import ComputeAttempt
from flashcards.model import Grade
from flashcards.tui.safe import safe
from flashcards.tui.widgets.answer_input import AnswerInput
from flashcards.tui.widgets.heatmap import HeatMap

if TYPE_CHECKING:
    from quizzes.numeric import Grid
    from quizzes.problem import CheckResult, Problem

_PROBLEM_PARTS = ("compute-prompt", "compute-math", "compute-choices", "compute-format")
HEATMAP_STEPS = 6
FIRST_PAINT_BUDGET = 0.04
"""Seconds the screen may wait for a problem before showing the loading indicator."""


@dataclass(frozen=True)
class Drawn:
    """A problem and, for functions of two variables, its heat map and path."""

    problem: Problem
    grid: Grid | None
    path: tuple[tuple[float, ...], ...]


def draw_problem(attempt: ComputeAttempt) -> Drawn:
    """Generate the attempt's problem and its picture (runs in a worker thread)."""
    return picture(attempt.draw())


def picture(problem: Problem) -> Drawn:
    """The problem with its heat map and path, for functions of two variables.

    A function the sampler cannot handle gets no map: the card itself still works.
    """
    from quizzes.numeric import optimizer_path, sample

    if len(problem.variables) != 2 or problem.function is None or problem.point is None:
        return Drawn(problem, None, ())
    names = (problem.variables[0], problem.variables[1])
    try:
        path = optimizer_path(problem, HEATMAP_STEPS)
        grid = sample(problem.function, names, problem.point, path=problem.path)
    except Exception:  # NumericError, or a template's function the parser refuses
        return Drawn(problem, None, ())
    return Drawn(problem, grid, path)


def _draw_in_thread(attempt: ComputeAttempt) -> Future[Problem]:
    """Start drawing the attempt's problem in a fresh thread (a Textual worker would not
    start before the screen's handler returns, and the screen waits for this one)."""
    future: Future[Problem] = Future()

    def run() -> None:
        try:
            future.set_result(attempt.draw())
        except BaseException as exc:  # delivered to whoever waits on the future
            future.set_exception(exc)

    threading.Thread(target=run, name="compute-first-draw", daemon=True).start()
    return future


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
        """The student is done with the problem; `grade` is the one it suggests."""

        def __init__(self, grade: Grade) -> None:
            super().__init__()
            self.grade = grade

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__(id="compute-panel")
        self.clock = clock
        self.attempt: ComputeAttempt | None = None
        self.drawn: Drawn | None = None
        self._token = 0
        self._pictured = False
        """Whether `drawn` has its heat map (or needs none) for the problem on screen."""

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
        yield AnswerInput(id="compute-input", disabled=True)
        yield Static(id="compute-format", markup=False)
        yield Static(id="compute-feedback", markup=False)

    @property
    def finished(self) -> bool:
        return self.attempt is not None and self.attempt.finished

    @property
    def ready(self) -> bool:
        """A problem is on screen (not still being drawn, not failed)."""
        return self.drawn is not None

    def load(self, attempt: ComputeAttempt) -> None:
        """Draw the attempt's problem; the panel shows it when it is ready.

        A problem ready within `FIRST_PAINT_BUDGET` goes straight on screen (nothing
        is blanked and hidden first, which would cost the first paint a restyle);
        otherwise the panel shows the card's front and the loading indicator.
        """
        self._token += 1
        self.attempt, self.drawn = attempt, None
        self._pictured = False
        token = self._token
        self.query_one("#compute-result").display = False
        self._static("compute-feedback").update("")
        pending = attempt.drawn_before()
        future = None
        if pending is None:
            future = _draw_in_thread(attempt)
            try:
                pending = future.result(timeout=FIRST_PAINT_BUDGET)
            except FutureTimeout:
                pending = None
            except Exception:  # the worker below reports it
                pending = None
        if pending is not None:
            self._show(token, Drawn(pending, None, ()))
            return
        self._static("compute-title").update(Text(safe(attempt.card.front), style="bold"))
        for name in _PROBLEM_PARTS:
            self._static(name).update("")
        self._input.display = False
        self._input.disabled = True
        self.loading = True
        self.run_worker(
            lambda: self._draw(attempt, token, future),
            thread=True,
            exclusive=True,
            group="compute",
        )

    def _draw(self, attempt: ComputeAttempt, token: int, future: Future[Problem] | None) -> None:
        try:
            problem = attempt.draw() if future is None else future.result()
        except Exception as exc:  # a broken template must not take the session down
            self.app.call_from_thread(self._failed, token, exc)
            return
        self.app.call_from_thread(self._show, token, Drawn(problem, None, ()))

    def _draw_picture(self, problem: Problem, token: int) -> None:
        drawn = picture(problem)
        self.app.call_from_thread(self._pictured_now, token, drawn)

    def _pictured_now(self, token: int, drawn: Drawn) -> None:
        """The heat map is ready; it shows at once if the result is already up."""
        if token != self._token or self._pictured:
            return
        self.drawn, self._pictured = drawn, True
        if self.query_one("#compute-result").display:
            self.query_one(HeatMap).show(drawn.grid, drawn.problem.point, drawn.path)

    def _failed(self, token: int, exc: Exception) -> None:
        if token != self._token:
            return
        self.loading = False
        self._static("compute-prompt").update(
            f"This card's problem could not be drawn ({type(exc).__name__}: {safe(str(exc))}).\n"
            "Press s to suspend the card, or e to edit its template and params."
        )

    def _show(self, token: int, drawn: Drawn) -> None:
        if token != self._token:
            return
        problem = drawn.problem
        self.drawn, self.loading = drawn, False
        assert self.attempt is not None
        self.attempt.shown(problem, self._now())
        self._static("compute-title").update(Text(safe(problem.title), style="bold"))
        self._static("compute-prompt").update(Markdown(safe(problem.prompt)))
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
        # After the first paint: the map's sampling would compete with it for the GIL.
        self.call_after_refresh(self._start_picture, problem, token)

    def _start_picture(self, problem: Problem, token: int) -> None:
        if token != self._token or self._pictured:
            return
        self.run_worker(
            lambda: self._draw_picture(problem, token),
            thread=True,
            exclusive=True,
            group="compute-map",
            exit_on_error=False,
        )

    @on(Input.Submitted, "#compute-input")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter in the answer box checks the answer off the UI thread."""
        event.stop()
        attempt = self.attempt
        if attempt is None or self.drawn is None or attempt.finished or not event.value.strip():
            return
        text, token = event.value, self._token
        self.run_worker(
            lambda: self._check(attempt, text, token), thread=True, exclusive=True, group="check"
        )

    def _check(self, attempt: ComputeAttempt, text: str, token: int) -> None:
        result = attempt.evaluate(text)
        self.app.call_from_thread(self._checked, token, text, result)

    def _checked(self, token: int, text: str, result: CheckResult) -> None:
        attempt = self.attempt
        if token != self._token or attempt is None or attempt.finished:
            return
        step = attempt.record_check(text, result, self._now())
        feedback = self._static("compute-feedback")
        if step.parse_error:
            feedback.update(Text(f"⚠ {result.message}", style="bold"))
        elif step.retry:
            feedback.update(
                Text(
                    f"✗ {result.hint or result.message}\n"
                    "Try once more, or press Ctrl+G to see the solution.",
                    style="bold",
                )
            )
            self._input.select_all()  # the next keystroke replaces the wrong answer
        else:
            self._finished()

    def give_up(self) -> None:
        """Show the worked solution without an answer."""
        if self.attempt is not None and self.drawn is not None and not self.attempt.finished:
            self.attempt.give_up(self._now())
            self._finished()

    def _finished(self) -> None:
        attempt = self.attempt
        assert attempt is not None and attempt.suggested is not None
        self._input.disabled = True
        self._static("compute-feedback").update("")
        self._show_result(attempt.correct, attempt.verdict)
        self.post_message(self.Finished(attempt.suggested))

    def _now(self) -> float:
        return self.clock().timestamp()

    def _show_result(self, correct: bool, verdict: str) -> None:
        from quizzes.render import DISPLAY_DIGITS, format_value

        assert self.drawn is not None
        if not self._pictured:  # answered before the map's worker was done: draw it now
            self.drawn, self._pictured = picture(self.drawn.problem), True
        problem = self.drawn.problem
        expected = format_value(problem.answer_kind, problem.expected, DISPLAY_DIGITS)
        mark = "✓" if correct else "✗"
        lines = Text()
        lines.append(f"{mark} {verdict}\n", style="bold green" if correct else "bold red")
        answer_text = self.attempt.answer_text if self.attempt is not None else None
        if answer_text is not None:
            lines.append(f"Your answer: {answer_text.strip()}\n")
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
