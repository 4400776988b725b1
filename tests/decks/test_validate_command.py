"""`flashcards validate` tells an author whether a deck is ready, without a collection."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.paths import bundled_content_dir


def test_valid_decks_print_a_count_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "id: d\nname: D\ncards:\n"
        "  - {id: a, front: F, back: B}\n"
        "  - {id: z, kind: cloze, text: '{{c1::x}} and {{c2::y}}'}\n",
        encoding="utf-8",
    )
    table = tmp_path / "t.csv"
    table.write_text("front,back\nq,a\n", encoding="utf-8")
    assert main(["validate", str(deck), str(table)]) == 0
    assert capsys.readouterr().out == "ok: 2 decks, 4 cards\n"
    assert not (tmp_path / "default-collection.sqlite3").exists()


def test_every_problem_is_printed_with_its_place_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "id: d\nname: D\ncards:\n"
        "  - {id: a, front: F, back: B, difficulty: Q}\n"
        "  - {id: g, kind: compute, generator: gd-stp}\n"
        "  - {id: s, kind: compute, generator: gd-step, params: {steps: 99}}\n",
        encoding="utf-8",
    )
    assert main(["validate", str(deck), str(tmp_path / "missing.yaml")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{deck}:4:44: difficulty 'Q' is not E, M or H")
    assert lines[1].startswith(f"{deck}:5:39: unknown generator 'gd-stp' (did you mean 'gd-step'")
    assert lines[1].endswith("`flashcards quizzes list` shows them)")
    assert lines[2].startswith(f"{deck}:6:56: template 'gd-step': parameter 'steps'")
    assert lines[3] == f"{tmp_path / 'missing.yaml'}: no such file or folder (check the path)"
    assert lines[4] == "4 problems found"


def test_the_bundled_content_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(bundled_content_dir())]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
