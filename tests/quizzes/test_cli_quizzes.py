"""`flashcards quizzes list | sample | stress`, as a template author uses them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from flashcards.cli import main
from quizzes import registry
from quizzes.problem import AnswerKind, Mistake, Problem, Template
from quizzes.render import to_dict

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["quizzes", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_template_with_topic_and_difficulty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines()}
    assert set(rows) == registry.names()
    assert rows["hessian-classify-3d"] == ["critical-points", "H"]


def test_list_json_describes_params(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    listed = {entry["name"]: entry for entry in json.loads(out)}
    assert set(listed) == registry.names()
    steps = listed["gd-step"]["params"][0]
    assert steps["name"] == "steps" and steps["default"] == 1 and 3 in steps["choices"]
    assert all(entry["topic"] and entry["title"] for entry in listed.values())


def test_sample_prints_problem_worked_answer_and_mistakes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "sample", "newton-step", "--seed", "5")
    assert code == 0
    problem = registry.get("newton-step").generate(5)
    assert problem.prompt in out
    assert "Worked solution:" in out and "Known mistakes:" in out
    assert all(m.name in out for m in problem.mistakes)
    assert run(capsys, "sample", "newton-step", "--seed", "5")[1] == out


def test_sample_json_is_the_generated_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sample", "gd-step", "--seed", "9", "--param", "steps=3", "--json")
    assert code == 0
    data = json.loads(out)
    expected = to_dict(registry.get("gd-step").generate(9, {"steps": 3}))
    assert data == json.loads(json.dumps(expected))
    assert len(data["path"]) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sample", "gd-stpe"), "did you mean 'gd-step'"),
        (("sample", "gd-step", "--param", "steps=9"), "must be one of 1, 2, 3, 4, 5"),
        (("sample", "gd-step", "--param", "steps"), "expects KEY=VALUE"),
        (("sample", "gd-step", "--seed", "-4"), "seed must be a whole number"),
        (("stress", "gd-step", "--seeds", "0"), "--seeds must be between 1"),
        (("stress", "all", "--param", "steps=2"), "name it instead of `all`"),
    ],
)
def test_user_errors_exit_1_with_the_reason(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 1
    assert message in err


def test_stress_reports_label_shares_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stress", "hessian-classify-2d", "--seeds", "40", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["failures"] == 0
    (entry,) = report["templates"]
    assert entry["seeds"] == 40
    assert set(entry["labels"]) == {"minimum", "maximum", "saddle", "inconclusive"}
    assert sum(entry["labels"].values()) == pytest.approx(1.0, abs=0.01)


def test_stress_all_summarises_step_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stress", "all", "--seeds", "3", "--start", "50")
    assert code == 0
    assert out.strip().endswith(f"0 failure(s) in {len(registry.names())} template(s).")
    gd_line = next(i for i, line in enumerate(out.splitlines()) if line.startswith("gd-step:"))
    assert "answer/step size: min" in out.splitlines()[gd_line + 1]


def _broken_build(seed: int, params: Mapping[str, str | int]) -> Problem:
    if seed == 2:
        raise ZeroDivisionError("division by zero")
    return Problem(
        template="broken",
        version=1,
        seed=seed,
        title="Broken",
        prompt="What is 1 + 1?",
        math="",
        answer_kind=AnswerKind.NUMBER,
        expected=2.0,
        answer_hint="a number",
        labels={},
        rel_tol=1e-6,
        abs_tol=1e-9,
        solution=(),
        mistakes=(Mistake("same", "Collides with the answer.", 2.0),),
    )


def test_stress_exits_1_and_lists_each_failure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Template("broken", "Broken", "erm", (), "E", 1, build=_broken_build)
    monkeypatch.setattr(registry, "get", lambda name: broken)
    code, out, _ = run(capsys, "stress", "broken", "--seeds", "3")
    assert code == 1
    assert "FAIL seed 0: mistake 'same' is within 5x the tolerance of the answer" in out
    assert "FAIL seed 2: generation failed: ZeroDivisionError" in out


def test_the_module_keeps_sympy_and_numpy_out_of_startup() -> None:
    code = (
        "import sys, argparse\nimport flashcards.commands.quizzes_cmd as m\n"
        "m.register(argparse.ArgumentParser().add_subparsers())\n"
        "print(','.join(x for x in ('sympy', 'numpy') if x in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_missing_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["quizzes"])
    assert exit_info.value.code == 1
    assert "list" in capsys.readouterr().err
