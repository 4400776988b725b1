"""`flashcards validate` on exam specs: checked as `exam build` would read them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.cli import main
from flashcards.paths import bundled_content_dir

WriteSpec = Callable[[str], Path]
DATA = Path(__file__).parent / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_mock_exam_validates_as_a_spec_with_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = bundled_content_dir() / "exams" / "mock-exam.exam.yaml"
    code, out, err = run(capsys, str(spec))
    assert (code, err) == (0, "")
    assert out == f"ok: {spec}: 41 items, 63 points, about 85 minutes of work in 90\n"


def test_a_content_folder_validates_its_decks_and_the_specs_in_its_exams_folder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, str(bundled_content_dir()))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("ok: 12 decks")
    assert [line.split(": ")[1].rsplit("/", 1)[-1] for line in lines[1:]] == [
        "critical-points-quiz.exam.yaml",
        "mock-exam.exam.yaml",
    ]


def test_a_spec_draws_on_the_decks_given_beside_it(
    tmp_path: Path, short_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "exams").mkdir()
    shutil.copy(DATA / "alpha.yaml", tmp_path)
    (tmp_path / "exams" / "short.exam.yaml").write_text(short_spec, encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path))
    assert (code, err) == (0, "")
    assert "short.exam.yaml: 4 items, 11 points, about 10 minutes of work in 10" in out
    # Alone, the spec does not know the alpha deck; with --decks it does.
    spec = str(tmp_path / "exams" / "short.exam.yaml")
    code, _, err = run(capsys, spec)
    assert code == 2
    assert f"{spec}:6:13: unknown deck 'alpha'" in err
    assert run(capsys, spec, "--decks", str(DATA / "alpha.yaml"))[0] == 0


BAD_SPEC = """\
title: Bad
minutes: 30
sections:
  - decks: [critical-points]
    tags: [hesian]
    count: 2
  - decks: [critical-points]
    kinds: [cloze]
    count: 9
  - templates: [jensen-gpa]
    count: 1
"""


def test_every_spec_problem_is_reported_with_its_place_and_fix(
    write_spec: WriteSpec, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(BAD_SPEC)
    code, out, err = run(capsys, str(spec))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{spec}:5:12: unknown tag (in these decks) 'hesian' (did you mean 'hessian'?)",
        f"{spec}:9:12: asks for 9 cards but its decks and filters match only 1 "
        "(lower `count` to 1, or add decks or loosen the filters)",
        f"{spec}:10:17: unknown template 'jensen-gpa' (did you mean 'jensen-gap'?)",
        "3 problems found",
    ]


def test_more_work_than_minutes_is_a_warning_not_an_error(
    write_spec: WriteSpec, short_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = write_spec(short_spec.replace("minutes: 10", "minutes: 6"))
    code, out, err = run(capsys, str(spec), "--decks", str(DATA / "alpha.yaml"))
    assert code == 0
    assert out == f"ok: {spec}: 4 items, 11 points, about 10 minutes of work in 6\n"
    assert err == (
        f"warning: {spec}:3:10: about 10 minutes of work in 6, by the rule of thumb "
        "(choice 1 minute, cloze 2, basic 3, compute 5) (raise `minutes` to 10 or draw "
        "fewer items)\n"
    )


def test_a_yaml_file_with_sections_is_a_spec_whatever_its_name(
    tmp_path: Path, short_spec: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "quiz.yaml"
    spec.write_text(short_spec, encoding="utf-8")
    code, out, _ = run(capsys, str(spec), "--decks", str(DATA / "alpha.yaml"))
    assert code == 0
    assert out.startswith(f"ok: {spec}: 4 items")
