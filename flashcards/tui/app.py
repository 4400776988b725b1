"""`FlashcardsApp`: wires the collection, the clock and the screens together.

It holds no study logic. The clock and the random source are parameters so
tests and snapshots can fix time and the compute-card seeds; every screen
reaches them through a typed `flashcards` property.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from flashcards import clock as clocks
from flashcards.crash import CrashReported, try_write_report
from flashcards.errors import FlashcardsError
from flashcards.storage.collection import Collection
from flashcards.tui.messages import CardAnswered
from flashcards.tui.screens.decks import DecksScreen
from flashcards.tui.screens.review import ReviewScreen, StartSpec

__all__ = ["FIRST_SCREEN_ENV", "FlashcardsApp", "StartSpec"]

FIRST_SCREEN_ENV = "FLASHCARDS_FIRST_SCREEN_FILE"
"""Benchmark hook: when set to a path, the app writes `time.time()` there as soon
as its first screen has been drawn, then exits. `tests/benchmarks/bench_tui.py`
uses it to time start-up from process spawn."""

# Screens get the class -wide from 120 columns: the compute panel then puts its
# heat map beside the worked solution instead of below it.
BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
# Decks is the base of the one screen stack. As a mode (rather than the default
# screen) its stylesheet is loaded like any pushed screen's.
HOME_MODES: dict[str, str | Callable[[], Screen[Any]]] = {"decks": DecksScreen}


class FlashcardsApp(App[None]):
    """The study app on one collection; opens on Decks, or on a review with `start`."""

    TITLE = "flashcards"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    MODES = HOME_MODES
    DEFAULT_MODE = "decks"
    failure: Exception | None = None
    """What stopped the app, raised again by `run` once the terminal is restored."""

    def __init__(
        self,
        collection: Collection,
        *,
        clock: Callable[[], datetime] = clocks.now,
        seed: int | None = None,
        start: StartSpec | None = None,
    ) -> None:
        super().__init__()
        self.collection = collection
        self.clock = clock
        self.rng = random.Random(seed)
        self.start = start

    def on_mount(self) -> None:
        if self.start is not None:
            self.push_screen(ReviewScreen(self.start))
        report = os.environ.get(FIRST_SCREEN_ENV)
        if report:
            self.call_after_refresh(self._first_screen_drawn, Path(report))
        else:
            self.call_after_refresh(self._warm_up)

    def _warm_up(self) -> None:
        """Once the first screen is up, load the math stack off the UI thread."""
        from flashcards.compute import warm_up

        self.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)

    def _first_screen_drawn(self, report: Path) -> None:
        report.write_text(repr(time.time()), encoding="utf-8")
        self.exit()

    def _handle_exception(self, error: Exception) -> None:
        """Textual's hook for any exception escaping a handler, timer or worker.

        Textual would print a Rich traceback with local variables on exit. The
        report goes to a file instead (written now: the process may not get
        further), and `run` hands it to the CLI, which prints one line. A
        `FlashcardsError` is a message for the user, not a crash: no report.
        """
        if self.failure is None:
            reported = isinstance(error, FlashcardsError)
            self.failure = error if reported else CrashReported(error, try_write_report(error))
        super()._handle_exception(error)
        self._exit_renderables.clear()

    def run(self, **options: Any) -> Any:
        """Run the app; what made it stop unexpectedly is raised after the terminal is back."""
        result = super().run(**options)
        if self.failure is not None:
            raise self.failure
        return result

    def on_card_answered(self, message: CardAnswered) -> None:
        """A card that just became a leech deserves a word: it left the rotation."""
        if message.result.became_leech:
            self.notify(
                "This card has lapsed too often: it is now tagged leech and suspended. "
                "Find it in Browse (is:leech) to rewrite it.",
                title="Leech",
                severity="warning",
                timeout=10,
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette lists Textual's commands plus every action the screen offers now.

        The screen's own bindings are read rather than the active ones, so an
        action whose key a focused widget shadows (Enter on a table) is listed too.
        """
        builtin = list(super().get_system_commands(screen))
        yield from builtin
        seen = {command.title for command in builtin}
        for binding in Binding.make_bindings(screen.BINDINGS):
            _, name, params = parse_action(binding.action)
            if not binding.description or binding.description in seen:
                continue
            if not screen.check_action(name, params):
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"Key: {self.get_key_display(binding)}",
                partial(screen.run_action, binding.action),
            )
