"""An unexpected error: one line on stderr, exit 70, the traceback in a report file."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from flashcards.cli import main
from flashcards.commands import decks as decks_command
from flashcards.crash import EX_SOFTWARE, CrashReported
from flashcards.paths import crash_dir
from flashcards.storage.collection import Collection
from flashcards.storage.tables import BUNDLED_MARK
from flashcards.tui.app import FlashcardsApp
from flashcards.tui.screens.decks import DecksScreen

from support import FakeClock

LINE = re.compile(
    r"flashcards: unexpected error \(RuntimeError\); the full report is in (\S+) "
    r"— please attach it to a bug report"
)


def report_named_in(stderr: str) -> Path:
    """The report file the single stderr line names."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    match = LINE.fullmatch(lines[0])
    assert match is not None, lines[0]
    path = Path(match.group(1))
    assert path.parent == crash_dir()
    return path


def fail_stats(_screen: DecksScreen) -> None:
    raise RuntimeError("the stats screen blew up")


def test_a_command_that_fails_unexpectedly_exits_70_with_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: argparse.Namespace) -> int:
        raise RuntimeError("the deck list blew up")

    monkeypatch.setattr(decks_command, "run", broken)
    assert main(["decks"]) == EX_SOFTWARE
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    report = report_named_in(captured.err).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in report
    assert "RuntimeError: the deck list blew up" in report
    assert "in broken" in report
    assert "argv" in report and "'decks'" in report


async def test_an_action_that_fails_in_the_app_writes_the_report(
    collection: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DecksScreen, "action_stats", fail_stats)
    app = FlashcardsApp(collection, clock=clock)
    with pytest.raises(RuntimeError, match="the stats screen blew up"):
        async with app.run_test() as pilot:
            await pilot.press("s")
    assert isinstance(app.failure, CrashReported)
    assert app.failure.report is not None
    report = app.failure.report.read_text(encoding="utf-8")
    assert "RuntimeError: the stats screen blew up" in report
    assert "in fail_stats" in report


def test_the_app_crashing_under_the_cli_prints_one_line_and_exits_70(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "c.sqlite3"
    with Collection(db) as collection:
        collection.set_meta(BUNDLED_MARK, "1")
    monkeypatch.setattr(DecksScreen, "action_stats", fail_stats)
    run = FlashcardsApp.run

    def headless_run(self: FlashcardsApp, **_options: Any) -> None:
        async def press_stats(pilot: Pilot[None]) -> None:
            await pilot.press("s")

        run(self, headless=True, auto_pilot=press_stats)

    monkeypatch.setattr(FlashcardsApp, "run", headless_run)
    assert main(["--db", str(db)]) == EX_SOFTWARE
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    report = report_named_in(captured.err).read_text(encoding="utf-8")
    assert "RuntimeError: the stats screen blew up" in report
