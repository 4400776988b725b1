"""The grid evaluator behind heat maps, and the optimizer paths drawn on them."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
import sympy

from quizzes.expressions import parse_expression
from quizzes.numeric import NumericError, evaluate, optimizer_path, sample
from quizzes.registry import get

FORMULAS = [
    "3*x^2 + 2*x*y - y^3 + 7",
    "exp(-x^2 - y^2) * sin(3*x) + cos(y)/2",
    "log(1 + x^2) - sqrt(y^2 + 1) + tanh(x*y)",
    "abs(x - y) + sigmoid(x) + pi*e - tan(y/4)",
    "x^-2 + (y + 3)^(3/2)",
]
POINTS = [(0.5, -1.25), (-2.0, 0.75), (1.0, 1.0), (3.5, -0.1)]


@pytest.mark.parametrize("text", FORMULAS)
def test_grid_values_agree_with_sympy_at_every_point(text: str) -> None:
    expr = parse_expression(text, ("x", "y"))
    xs = np.array([p[0] for p in POINTS])
    ys = np.array([p[1] for p in POINTS])
    values = evaluate(expr, {"x": xs, "y": ys})
    for (x, y), value in zip(POINTS, values, strict=True):
        exact = complex(expr.subs({"x": x, "y": y}).evalf())
        assert value == pytest.approx(exact.real, rel=1e-12, abs=1e-12)


def test_points_where_f_is_undefined_come_back_as_nan_without_warnings() -> None:
    expr = parse_expression("log(x) + sqrt(y)", ("x", "y"))
    values = evaluate(expr, {"x": np.array([1.0, -1.0, 4.0]), "y": np.array([4.0, 1.0, -1.0])})
    assert values[0] == pytest.approx(2.0)
    assert math.isnan(values[1])
    assert math.isnan(values[2])


def test_a_constant_formula_fills_the_whole_grid() -> None:
    grid = np.zeros((3, 4))
    values = evaluate(parse_expression("2 + pi"), {"x": grid})
    assert values.shape == (3, 4)
    assert np.allclose(values, 2 + math.pi)


def test_functions_outside_the_whitelist_are_refused() -> None:
    x = sympy.Symbol("x")
    with pytest.raises(NumericError, match="gamma"):
        evaluate(sympy.gamma(x), {"x": np.array([1.0])})


def test_a_variable_without_values_is_named_in_the_error() -> None:
    with pytest.raises(NumericError, match="'y'"):
        evaluate(parse_expression("x + y"), {"x": np.array([1.0])})


def test_sample_centres_the_grid_on_the_point_with_y_growing_upwards() -> None:
    grid = sample("x^2 - y^2", ("x", "y"), (1.0, -2.0), columns=11, rows=5, min_radius=1.0)
    assert grid.values.shape == (5, 11)
    assert grid.center == pytest.approx(1 - 4)
    assert grid.cell((1.0, -2.0)) == (2, 5)
    assert grid.ys[0] > grid.ys[-1]
    top_left = grid.xs[0] ** 2 - grid.ys[0] ** 2
    assert grid.values[0, 0] == pytest.approx(top_left)
    assert grid.cell((5.0, -2.0)) is None


def test_sample_widens_the_window_to_hold_the_whole_path() -> None:
    path = [(0.0, 0.0), (4.0, 1.0)]
    grid = sample("x*y", ("x", "y"), (0.0, 0.0), path=path, min_radius=1.0)
    assert grid.cell(path[1]) is not None
    assert grid.xs[-1] >= 4.0


STEP_TEMPLATES = ["gd-step", "momentum-step", "nesterov-step", "adam-step", "newton-step"]


@pytest.mark.parametrize("name", STEP_TEMPLATES)
def test_continued_paths_start_with_the_problems_own_steps(name: str) -> None:
    for seed in range(12):
        problem = get(name).generate(seed)
        path = optimizer_path(problem, points=6)
        assert len(problem.path) <= len(path) <= 6
        for ours, theirs in zip(path, problem.path, strict=False):
            assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9)


def test_several_asked_steps_are_all_kept() -> None:
    problem = get("gd-step").generate(5, {"steps": 5})
    path = optimizer_path(problem, points=3)
    assert len(path) == 6
    for ours, theirs in zip(path, problem.path, strict=True):
        assert ours == pytest.approx(theirs)


def test_problems_that_are_not_steps_keep_their_path() -> None:
    problem = get("hessian-classify-2d").generate(4)
    assert optimizer_path(problem) == problem.path == ()


def test_gradient_descent_on_a_bowl_shrinks_each_coordinate_by_its_factor() -> None:
    # f = x^2 + 2y^2: one step multiplies x by (1 - 2*rate) and y by (1 - 4*rate).
    rate = 0.1
    problem = replace(
        get("gd-step").generate(0),
        function="x^2 + 2*y^2",
        path=((2.0, 1.0), (2.0 * (1 - 2 * rate), 1.0 * (1 - 4 * rate))),
        given={"learning_rate": rate, "steps": 1},
    )
    path = optimizer_path(problem, points=5)
    assert len(path) == 5
    for k, (x, y) in enumerate(path):
        assert x == pytest.approx(2.0 * (1 - 2 * rate) ** k)
        assert y == pytest.approx(1.0 * (1 - 4 * rate) ** k)


def test_a_path_that_blows_up_stops_before_the_overflow() -> None:
    problem = replace(
        get("gd-step").generate(0),
        function="x^2 + y^2",
        path=((1.0, 1.0), (-9.0, -9.0)),
        given={"learning_rate": 5.0, "steps": 1},
    )
    path = optimizer_path(problem, points=40)
    assert 2 <= len(path) < 40
    assert all(max(abs(v) for v in point) <= 1e6 for point in path)
