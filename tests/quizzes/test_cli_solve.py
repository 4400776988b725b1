"""`flashcards solve` as a user runs it: worked steps on stdout, JSON numbers, clear errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flashcards.cli import main


def solve_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["solve", *args, "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_critical_point_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "critical-point", "x**3 - 3*x*y + y**3", "--at", "x=1,y=1")
    assert data == {
        "variables": ["x", "y"],
        "point": [1.0, 1.0],
        "gradient": [0.0, 0.0],
        "hessian": [[6.0, -3.0], [-3.0, 6.0]],
        "eigenvalues": [3.0, 9.0],
        "classification": "minimum",
    }


def test_critical_point_saddle_at_the_origin(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "critical-point", "x^3 - 3*x*y + y^3", "--at", "x=0,y=0")
    assert data["classification"] == "saddle"
    assert data["eigenvalues"] == [-3.0, 3.0]


def test_critical_point_shows_the_working(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "critical-point", "x^2 - y^2", "--at", "x=0,y=0"]) == 0
    out = capsys.readouterr().out
    assert "∇f = (2*x, -2*y)" in out
    assert "λ = -2, 2" in out
    assert out.rstrip().endswith("classification: saddle")


def test_variables_come_out_in_alphabetical_order(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "gd-step", "3*b^2 + a^2", "--at", "b=1,a=2", "--lr", "0.1")
    assert data["variables"] == ["a", "b"]
    assert data["start"] == [2.0, 1.0]
    assert data["gradient"] == [4.0, 6.0]
    assert data["next"] == [1.6, 0.4]


def test_gd_step_json_with_several_steps(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(
        capsys, "gd-step", "x**2 + 3*y**2", "--at", "x=1,y=1", "--lr", "0.1", "--steps", "2"
    )
    assert data["gradient"] == [2.0, 6.0]
    assert data["path"] == [[1.0, 1.0], [0.8, 0.4], [0.64, 0.16]]
    assert data["next"] == data["path"][-1]


def test_gd_step_human_output_shows_each_update(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", "gd-step", "x^2 + 3*y^2", "--at", "x=1,y=1", "--lr", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "θ₁ = θ₀ - η∇f(θ₀) = (1, 1) - 0.1·(2, 6) = (0.8, 0.4)" in out


def test_newton_step_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "newton-step", "x**4 + y**2", "--at", "x=1,y=2")
    assert data["gradient"] == [4.0, 4.0]
    assert data["hessian"] == [[12.0, 0.0], [0.0, 2.0]]
    assert data["next"] == pytest.approx([2 / 3, 0.0])


def test_momentum_and_nesterov_differ_once_there_is_velocity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    common = ["x^2 + 3*y^2", "--at", "x=1,y=1", "--lr", "0.1", "--beta", "0.9"]
    heavy = solve_json(capsys, "momentum-step", *common, "--velocity=-1,2")
    nesterov = solve_json(capsys, "nesterov-step", *common, "--velocity=-1,2")
    # u1 = 0.9*u0 + 0.1*grad at theta (heavy ball) or at theta - 0.1*u0 = (1.1, 0.8) (Nesterov)
    assert heavy["velocity"] == pytest.approx([0.9 * -1 + 0.1 * 2, 0.9 * 2 + 0.1 * 6])
    assert nesterov["velocity"] == pytest.approx([0.9 * -1 + 0.1 * 2.2, 0.9 * 2 + 0.1 * 4.8])
    assert heavy["next"] != nesterov["next"]


def test_adam_step_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "adam-step", "x^2 - y", "--at", "x=1,y=1", "--lr", "0.01")
    # Adam's first step moves every coordinate by about lr, against the gradient's sign.
    assert data["next"] == pytest.approx([0.99, 1.01], abs=1e-8)
    assert data["m"] == pytest.approx([0.2, -0.1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["critical-point", "x**3 - 3*x*y + y**3", "--at", "x=1,y=2"], "not a critical point"),
        (["critical-point", "x^2 + y^2", "--at", "x=1"], "--at must name every variable"),
        (["critical-point", "x^2", "--at", "x=1,y=1"], "f has no y"),
        (["critical-point", "x^^2", "--at", "x=1"], "could not read it at column 3"),
        (["critical-point", "__import__('os').system('true')", "--at", "x=1"], "cannot be called"),
        (["critical-point", "x^2", "--at", "x"], "name=value pairs"),
        (["gd-step", "x^2", "--at", "x=1", "--lr", "-1"], "learning rate must be a positive"),
        (["newton-step", "x^3", "--at", "x=0"], "singular"),
        (["momentum-step", "x^2", "--at", "x=1", "--lr", "1", "--velocity", "1,2"], "--velocity"),
    ],
)
def test_errors_go_to_stderr_with_exit_code_1(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["solve", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_a_missing_problem_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["solve"])
    assert caught.value.code == 1
    assert "PROBLEM" in capsys.readouterr().err


@pytest.mark.parametrize(
    "problem",
    [
        ["critical-point"],
        ["gd-step", "--lr", "0.1"],
        ["newton-step"],
        ["momentum-step", "--lr", "0.1"],
        ["nesterov-step", "--lr", "0.1"],
        ["adam-step", "--lr", "0.1"],
    ],
)
def test_abs_at_its_kink_is_refused_by_every_subcommand(
    capsys: pytest.CaptureFixture[str], problem: list[str]
) -> None:
    assert main(["solve", problem[0], "abs(x) + y^2", "--at", "x=0,y=0", *problem[1:]]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "f is not differentiable at (x=0, y=0) (abs(x) has a kink there); pick another point"
        in captured.err
    )
    assert "Traceback" not in captured.err and "unexpected error" not in captured.err


def test_abs_away_from_its_kink_is_solved(capsys: pytest.CaptureFixture[str]) -> None:
    data = solve_json(capsys, "gd-step", "abs(x) + max(y, 0)^2", "--at", "x=-2,y=1", "--lr", "0.25")
    assert data["gradient"] == [-1.0, 2.0]
    assert data["next"] == [-1.75, 0.5]


@pytest.mark.parametrize("tol", ["nan", "inf", "-1e-9", "0", "1", "2"])
def test_a_tolerance_must_be_between_0_and_1(capsys: pytest.CaptureFixture[str], tol: str) -> None:
    assert main(["solve", "critical-point", "x^2", "--at", "x=0", f"--tol={tol}"]) == 1
    assert "tol must be above 0 and below 1" in capsys.readouterr().err


def test_a_tolerance_widens_what_counts_as_zero(capsys: pytest.CaptureFixture[str]) -> None:
    at = ["--at", "x=0,y=0"]
    assert solve_json(capsys, "critical-point", "x^2 + 1e-10*y^2", *at)["classification"] == (
        "minimum"
    )
    wide = solve_json(capsys, "critical-point", "x^2 + 1e-10*y^2", *at, "--tol", "1e-6")
    assert wide["classification"] == "inconclusive"


@pytest.mark.parametrize(
    "args",
    [
        ["gd-step", "x^100", "--at", "x=1e4", "--lr", "1e-300"],
        ["adam-step", "x^2", "--at", "x=1e200", "--lr", "0.1"],
        ["gd-step", "x^4", "--at", "x=10", "--lr", "1", "--steps", "50"],
    ],
)
def test_json_of_an_overflowing_step_is_an_error_not_a_crash(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    assert main(["solve", *args, "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no half-written JSON
    assert "exceeds 1e308" in captured.err and "try a smaller learning rate" in captured.err
    assert "unexpected error" not in captured.err


def test_vars_poses_a_function_in_more_variables_than_it_mentions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = solve_json(capsys, "critical-point", "x^2", "--at", "x=0,y=0", "--vars", "y,x")
    assert data["variables"] == ["x", "y"]
    assert data["hessian"] == [[2.0, 0.0], [0.0, 0.0]]
    assert data["classification"] == "inconclusive"
    steps = solve_json(
        capsys,
        "momentum-step",
        "x^2",
        "--at",
        "x=1,y=3",
        "--vars",
        "x,y",
        "--lr",
        "0.5",
        "--velocity",
        "0,2",
    )
    assert steps["next"] == [0.9, 2.1]


def test_without_vars_the_error_says_how_to_add_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["solve", "critical-point", "x^2", "--at", "x=0,y=0"]) == 1
    assert "to pose f in y as well, add --vars x,y" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("vars_", "message"),
    [
        ("x", "--vars must list every variable of f (it lacks y)"),
        ("x,y,x", "names a variable twice"),
        ("x,y,2z", "'2z' is not a variable name"),
        ("x,y,exp", "'exp' is not a variable name"),
    ],
)
def test_bad_vars_are_explained(
    capsys: pytest.CaptureFixture[str], vars_: str, message: str
) -> None:
    assert main(["solve", "gd-step", "x*y", "--at", "x=1,y=1", "--lr", "1", "--vars", vars_]) == 1
    assert message in capsys.readouterr().err
