"""`flashcards exam build | take | history` as a user runs them (in process, via main)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.exams.build import build_exam
from flashcards.exams.history import record_attempt
from flashcards.exams.scoring import score_attempt
from flashcards.exams.spec import load_spec
from flashcards.model import Deck
from flashcards.storage.collection import Collection

from support import FakeClock

WriteSpec = Callable[[str], Path]


def test_build_writes_every_variant_and_says_what_it_wrote(
    tmp_path: Path,
    write_spec: WriteSpec,
    short_spec: str,
    deck_files: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = write_spec(short_spec)
    out = tmp_path / "out"
    extra = [arg for path in deck_files for arg in ("--decks", str(path))]
    code = main(
        ["exam", "build", str(spec), "--seed", "3", "--variants", "3", "-o", str(out), *extra]
    )
    assert code == 0
    printed = capsys.readouterr().out.splitlines()
    names = sorted(path.name for path in out.iterdir())
    assert len(names) == 3 * 4
    assert sorted(Path(line).name for line in printed[:-1]) == names
    assert printed[-1] == (
        "3 variant(s) of 'Short test exam': 4 questions, 11 points, 10 minutes (seed 3)"
    )


def test_a_bad_spec_exits_2_naming_file_line_and_fix_and_writes_nothing(
    tmp_path: Path,
    write_spec: WriteSpec,
    short_spec: str,
    deck_files: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = write_spec(short_spec.replace("points: 3", "points: -1"))
    out = tmp_path / "out"
    extra = ["--decks", str(deck_files[0])]
    assert main(["exam", "build", str(spec), "--seed", "1", "-o", str(out), *extra]) == 2
    error = capsys.readouterr().err
    assert f"{spec}:14:13: `points` must be more than 0, got '-1'" in error
    assert error.rstrip().endswith("no exam was built")
    assert not out.exists()


def test_a_spec_naming_an_unknown_deck_fails_before_the_exam_opens(
    write_spec: WriteSpec, short_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(short_spec)
    assert main(["exam", "take", str(spec), "--seed", "1"]) == 2
    assert "unknown deck 'alpha'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--variants", "0"], "--variants must be from 1 to 100, got 0"),
        (["--seed", "-4"], "--seed must be a whole number of 0 or more, got -4"),
    ],
)
def test_bad_options_are_user_errors(
    tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["exam", "build", "critical-points-quiz", "--seed", "1", "-o", str(tmp_path)]
    assert main([*command, *args]) == 1
    assert message in capsys.readouterr().err


def test_history_lists_attempts_newest_first_as_a_table_and_as_json(
    tmp_path: Path,
    write_spec: WriteSpec,
    short_spec: str,
    decks: list[Deck],
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "exam", "history"]) == 0
    assert "No exam attempts yet" in capsys.readouterr().out
    exam = build_exam(load_spec(write_spec(short_spec), decks), decks, 8)
    with Collection(db) as collection:
        for number in (1, 2):
            score = score_attempt(exam, {number: exam.items[number - 1].correct_letter})
            record_attempt(
                collection, exam, score, started=clock(), finished=clock.advance(minutes=3)
            )
    assert main(["--db", str(db), "exam", "history"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["ID", "Finished", "Exam", "Seed", "Variant", "Score", "Time"]
    assert len(table) == 4 and "Short test exam" in table[1]
    assert "2/11 (18%)" in table[1] and table[1].rstrip().endswith("3m 00s")
    assert main(["--db", str(db), "exam", "history", "--json", "--limit", "1"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["spec"], a["seed"], a["earned"], a["seconds"]) for a in listed] == [
        ("short", 8, 2, 180)
    ]
