"""Hostile or broken files are refused quickly, with a message that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.decks import errors
from flashcards.decks.errors import MAX_FILE_BYTES, DeckValidationError, Problem
from flashcards.decks.yaml_deck import load_deck, load_decks

VALID = "id: d\nname: D\ncards:\n  - {id: a, front: F, back: B}\n"


def problems_loading(path: Path) -> list[Problem]:
    with pytest.raises(DeckValidationError) as caught:
        load_decks([path])
    return list(caught.value.problems)


def test_a_file_over_20_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk, fails if read whole
    [problem] = problems_loading(huge)
    assert problem.file == str(huge)
    assert "the limit is 20 MB" in problem.message
    assert "split it" in problem.hint


def test_the_limit_itself_is_allowed_and_one_byte_more_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(errors, "MAX_FILE_BYTES", 1000)  # the real limit would be slow to parse
    path = tmp_path / "padded.yaml"
    path.write_text(VALID + "#" * (1000 - len(VALID) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == 1000
    assert load_deck(path).cards[0].front == "F"
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n")
    assert "the limit is" in problems_loading(path)[0].message


def test_invalid_utf8_reports_the_byte_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    data = "id: d\nname: D\ncards:\n  - {id: a, front: Café, back: B}\n".encode("latin-1")
    path.write_bytes(data)
    [problem] = problems_loading(path)
    assert problem.line == 4
    offset = data.index("é".encode("latin-1"))
    assert f"byte 0xe9 at byte offset {offset}" in problem.message
    assert "UTF-8" in problem.hint


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_deck(path).external_id == "d"


def test_an_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_loading(path)
    assert [(p.line, p.column) for p in problems] == [(1, 5)]
    assert "anchors and aliases" in problems[0].message


def test_a_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(
        "id: d\nname: !!python/object/apply:pathlib.Path.touch\n"
        f"  - !!python/object/apply:pathlib.Path ['{marker}']\ncards: []\n",
        encoding="utf-8",
    )
    problems = problems_loading(path)
    assert {p.message.split(" (")[0] for p in problems} == {"Python tags are not allowed"}
    assert [p.line for p in problems] == [2, 3]
    assert not marker.exists()


def test_an_unreadable_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    [problem] = problems_loading(tmp_path / "missing.yaml")
    assert problem.message == "no such file or folder"
