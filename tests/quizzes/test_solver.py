"""The solver against textbook cases and against an independent numeric computation.

The independent side evaluates each function as plain Python (`math`), takes central
finite differences for the gradient and Hessian, and uses numpy for eigenvalues and
linear solves, so a mistake in the symbolic pipeline cannot hide behind itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from quizzes.solver import (
    CRITICAL_LABELS,
    DEFINITENESS_LABELS,
    SolverError,
    adam_step,
    classify_eigenvalues,
    classify_matrix,
    critical_point,
    gradient_step,
    momentum_step,
    newton_step,
    parse_point,
)

Function = Callable[..., float]


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# (text for the solver, the same function in plain Python, its variables in order)
FUNCTIONS: list[tuple[str, Function, tuple[str, ...]]] = [
    ("x^3 - 3*x*y + y^3", lambda x, y: x**3 - 3 * x * y + y**3, ("x", "y")),
    ("exp(x)*sin(y) + x^2*y", lambda x, y: math.exp(x) * math.sin(y) + x**2 * y, ("x", "y")),
    ("log(1 + x^2 + y^2) - x*y", lambda x, y: math.log(1 + x**2 + y**2) - x * y, ("x", "y")),
    ("sigmoid(x*y) + cos(x - y)", lambda x, y: _sigmoid(x * y) + math.cos(x - y), ("x", "y")),
    (
        "tanh(a)*b^2 + sqrt(1 + a^2)",
        lambda a, b: math.tanh(a) * b**2 + math.sqrt(1 + a**2),
        ("a", "b"),
    ),
    (
        "sqrt(1 + x^2 + 2*y^2 + z^2) + x*z - y^4/4",
        lambda x, y, z: math.sqrt(1 + x**2 + 2 * y**2 + z**2) + x * z - y**4 / 4,
        ("x", "y", "z"),
    ),
]


def fd_gradient(f: Function, p: Sequence[float], h: float = 1e-5) -> np.ndarray:
    def shifted(i: int, d: float) -> float:
        q = list(p)
        q[i] += d
        return f(*q)

    return np.array([(shifted(i, h) - shifted(i, -h)) / (2 * h) for i in range(len(p))])


def fd_hessian(f: Function, p: Sequence[float], h: float = 1e-4) -> np.ndarray:
    n = len(p)
    hessian = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            total = 0.0
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                q = list(p)
                q[i] += si * h
                q[j] += sj * h
                total += si * sj * f(*q)
            hessian[i, j] = total / (4 * h * h)
    return hessian


def random_points(n: int, count: int = 3, seed: int = 7) -> list[list[float]]:
    rng = random.Random(seed)
    return [[round(rng.uniform(-1.5, 1.5), 3) for _ in range(n)] for _ in range(count)]


CASES = [
    (text, f, names, point)
    for text, f, names in FUNCTIONS
    for point in random_points(len(names), seed=len(text))
]


@pytest.mark.parametrize(("text", "f", "names", "point"), CASES)
def test_gradient_step_matches_finite_differences(
    text: str, f: Function, names: tuple[str, ...], point: list[float]
) -> None:
    result = gradient_step(text, dict(zip(names, point, strict=True)), lr=0.05)
    gradient = fd_gradient(f, point)
    assert result.variables == names
    assert result.gradient == pytest.approx(gradient, rel=1e-6, abs=1e-7)
    assert result.next == pytest.approx(np.array(point) - 0.05 * gradient, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize(("text", "f", "names", "point"), CASES)
def test_newton_step_matches_finite_differences(
    text: str, f: Function, names: tuple[str, ...], point: list[float]
) -> None:
    hessian = fd_hessian(f, point)
    if abs(np.linalg.det(hessian)) < 1e-3:
        pytest.skip("the Hessian is close to singular here")
    result = newton_step(text, dict(zip(names, point, strict=True)))
    assert result.hessian is not None
    assert np.array(result.hessian) == pytest.approx(hessian, rel=1e-5, abs=1e-5)
    expected = np.array(point) - np.linalg.solve(hessian, fd_gradient(f, point))
    assert result.next == pytest.approx(expected, rel=1e-4, abs=1e-5)
    positive = bool(np.all(np.linalg.eigvalsh(hessian) > 0))
    assert (result.notes == ()) == positive


# (function, a critical point, the same function in plain Python)
CRITICAL_CASES = [
    ("x^3 - 3*x*y + y^3", {"x": 0, "y": 0}, FUNCTIONS[0][1]),
    ("x^3 - 3*x*y + y^3", {"x": 1, "y": 1}, FUNCTIONS[0][1]),
    ("cos(x)*cos(y)", {"x": 0, "y": 0}, lambda x, y: math.cos(x) * math.cos(y)),
    ("cos(x)*cos(y)", {"x": math.pi / 2, "y": math.pi / 2}, lambda x, y: math.cos(x) * math.cos(y)),
    ("x^2 + 3*x*y + y^2", {"x": 0, "y": 0}, lambda x, y: x**2 + 3 * x * y + y**2),
    (
        "x^2 + y^2 + z^2 - x*y - y*z",
        {"x": 0, "y": 0, "z": 0},
        lambda x, y, z: x**2 + y**2 + z**2 - x * y - y * z,
    ),
    ("exp(x^2 - 2*x + y^2)", {"x": 1, "y": 0}, lambda x, y: math.exp(x**2 - 2 * x + y**2)),
]


@pytest.mark.parametrize(("text", "at", "f"), CRITICAL_CASES)
def test_critical_point_matches_numpy_eigenvalues(
    text: str, at: dict[str, float], f: Function
) -> None:
    result = critical_point(text, at)
    point = [at[name] for name in sorted(at)]
    eigenvalues = np.linalg.eigvalsh(fd_hessian(f, point))
    assert result.eigenvalues == pytest.approx(eigenvalues, abs=1e-5)
    signs = {int(np.sign(v)) for v in eigenvalues if abs(v) > 1e-6}
    expected = {frozenset({1}): "minimum", frozenset({-1}): "maximum"}.get(frozenset(signs))
    assert result.classification == (expected or "saddle")


@pytest.mark.parametrize(
    ("text", "at", "label"),
    [
        ("x^3 - 3*x*y + y^3", {"x": 0, "y": 0}, "saddle"),
        ("x^3 - 3*x*y + y^3", {"x": 1, "y": 1}, "minimum"),
        ("x^4 + y^4", {"x": 0, "y": 0}, "inconclusive"),
        ("x^2 - y^2", {"x": 0, "y": 0}, "saddle"),
        ("-x^2 - y^2", {"x": 0, "y": 0}, "maximum"),
        ("x^2 + y^4", {"x": 0, "y": 0}, "inconclusive"),
        ("x^2 - y^4", {"x": 0, "y": 0}, "inconclusive"),
    ],
)
def test_textbook_critical_points(text: str, at: dict[str, float], label: str) -> None:
    assert critical_point(text, at).classification == label


def test_worked_solution_shows_gradient_hessian_and_eigenvalues() -> None:
    result = critical_point("x^3 - 3*x*y + y^3", {"x": 1, "y": 1})
    text = "\n".join(result.steps)
    assert "∇f = (3*x^2 - 3*y, -3*x + 3*y^2)" in text
    assert "H(1, 1) = [[6, -3], [-3, 6]]" in text
    assert "λ = 3, 9" in text
    assert "local minimum" in result.steps[-1]


def test_a_point_that_is_not_critical_is_reported_with_its_gradient() -> None:
    with pytest.raises(SolverError) as caught:
        critical_point("x^2 + 3*y", {"x": 1, "y": 2})
    assert str(caught.value) == (
        "the gradient at (x=1, y=2) is (2, 3), not zero: not a critical point"
    )


def test_every_variable_needs_a_value() -> None:
    with pytest.raises(SolverError, match="no value given for y"):
        gradient_step("x^2 + y^2", {"x": 1}, lr=0.1)


def test_a_variable_that_cancelled_out_keeps_its_coordinate() -> None:
    result = gradient_step("x^2 + 0*y^2", {"x": 1, "y": 5}, lr=0.25)
    assert result.variables == ("x", "y")
    assert result.gradient == (2.0, 0.0)
    assert result.next == (0.5, 5.0)


def test_gradient_steps_follow_the_update_rule_exactly_in_decimals() -> None:
    # f = x^2 + 3y^2: each step multiplies x by (1 - 2*lr) and y by (1 - 6*lr).
    result = gradient_step("x**2 + 3*y**2", {"x": 1, "y": 1}, lr=0.1, steps=3)
    expected = [(0.8**k, 0.4**k) for k in range(4)]
    assert np.array(result.path) == pytest.approx(np.array(expected), rel=1e-15)
    assert result.next == result.path[-1]
    assert result.next[1] == 0.064  # printed as the decimal, not 0.06400000000000002


def test_divergent_gradient_descent_is_reported() -> None:
    with pytest.raises(SolverError, match=r"overflows: .* exceeds 1e308.*smaller learning rate"):
        gradient_step("x^4", {"x": 10}, lr=1, steps=50)


def test_newton_solves_a_quadratic_in_one_step() -> None:
    result = newton_step("2*x^2 + x*y + y^2 - 3*x + y", {"x": 5, "y": -7})
    minimizer = np.linalg.solve([[4, 1], [1, 2]], [3, -1])
    assert result.next == pytest.approx(minimizer, abs=1e-12)
    assert result.notes == ()


def test_newton_warns_when_the_hessian_is_not_positive_definite() -> None:
    result = newton_step("x^2 - y^2", {"x": 1, "y": 2})
    assert result.next == pytest.approx((0.0, 0.0))
    assert any("not positive definite" in note for note in result.notes)


def test_newton_refuses_a_singular_hessian() -> None:
    with pytest.raises(SolverError, match=r"Hessian at \(x=0, y=2\) is singular"):
        newton_step("x^4 + y^2", {"x": 0, "y": 2})


def reference_momentum(
    f: Function, p: list[float], lr: float, beta: float, u: list[float], steps: int, nesterov: bool
) -> list[np.ndarray]:
    theta, velocity, path = np.array(p), np.array(u), [np.array(p)]
    for _ in range(steps):
        probe = theta - lr * velocity if nesterov else theta
        velocity = beta * velocity + (1 - beta) * fd_gradient(f, list(probe))
        theta = theta - lr * velocity
        path.append(theta)
    return path


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize(("text", "f", "names"), FUNCTIONS[:4])
def test_momentum_matches_a_reference_implementation(
    text: str, f: Function, names: tuple[str, ...], nesterov: bool
) -> None:
    start, velocity = [0.4, -0.3], [0.5, -1.0]
    result = momentum_step(
        text, dict(zip(names, start, strict=True)), 0.1, 0.8, velocity, nesterov, steps=4
    )
    expected = reference_momentum(f, start, 0.1, 0.8, velocity, 4, nesterov)
    assert np.array(result.path) == pytest.approx(np.array(expected), rel=1e-6, abs=1e-8)
    assert dict(result.state)["velocity"] == pytest.approx(
        (expected[-2] - expected[-1]) / 0.1, rel=1e-6, abs=1e-8
    )


def test_momentum_without_memory_is_gradient_descent() -> None:
    plain = gradient_step("x^2*y + y^3", {"x": 1, "y": 0.5}, lr=0.2, steps=3)
    momentum = momentum_step("x^2*y + y^3", {"x": 1, "y": 0.5}, lr=0.2, beta=0.0, steps=3)
    assert np.array(momentum.path) == pytest.approx(np.array(plain.path))


def test_nesterov_from_rest_takes_the_same_first_step_as_momentum() -> None:
    at = {"x": 1.0, "y": -1.0}
    heavy = momentum_step("x^4 + x*y + y^2", at, lr=0.1, beta=0.9)
    nesterov = momentum_step("x^4 + x*y + y^2", at, lr=0.1, beta=0.9, nesterov=True)
    assert nesterov.next == pytest.approx(heavy.next)


def reference_adam(
    f: Function, p: list[float], lr: float, b1: float, b2: float, eps: float, steps: int
) -> list[np.ndarray]:
    theta, m, v, path = np.array(p), np.zeros(len(p)), np.zeros(len(p)), [np.array(p)]
    for t in range(1, steps + 1):
        g = fd_gradient(f, list(theta))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        theta = theta - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        path.append(theta)
    return path


@pytest.mark.parametrize(("text", "f", "names"), FUNCTIONS[:4])
def test_adam_matches_a_reference_implementation(
    text: str, f: Function, names: tuple[str, ...]
) -> None:
    start = [0.7, 0.2]
    result = adam_step(text, dict(zip(names, start, strict=True)), 0.05, 0.8, 0.99, 1e-8, steps=5)
    expected = reference_adam(f, start, 0.05, 0.8, 0.99, 1e-8, 5)
    assert np.array(result.path) == pytest.approx(np.array(expected), rel=1e-6, abs=1e-8)


def test_adams_first_step_moves_each_coordinate_by_the_learning_rate() -> None:
    result = adam_step("3*x^2 - 5*y + exp(z)", {"x": 1, "y": 2, "z": 0}, lr=0.01)
    moves = np.array(result.next) - np.array(result.start)
    assert np.abs(moves) == pytest.approx([0.01, 0.01, 0.01], rel=1e-6)
    assert np.sign(moves).tolist() == [-1, 1, -1]


def test_adam_continues_from_carried_moments() -> None:
    at = {"x": 1.0, "y": 1.0}
    one = adam_step("x^2 + 2*y^2", at, lr=0.1)
    two = adam_step("x^2 + 2*y^2", at, lr=0.1, steps=2)
    moments = dict(one.state)
    resumed = adam_step(
        "x^2 + 2*y^2",
        dict(zip(one.variables, one.next, strict=True)),
        lr=0.1,
        m=moments["m"],
        v=moments["v"],
        t=2,
    )
    assert resumed.next == pytest.approx(two.next, rel=1e-12)
    assert dict(resumed.state)["v"] == pytest.approx(dict(two.state)["v"], rel=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: gradient_step("x^2", {"x": 1}, lr=0), "learning rate must be a positive"),
        (lambda: gradient_step("x^2", {"x": 1}, lr=0.1, steps=0), "steps must be between"),
        (lambda: momentum_step("x^2", {"x": 1}, lr=0.1, beta=1.0), "beta must be at least 0"),
        (lambda: momentum_step("x^2", {"x": 1}, 0.1, 0.9, velocity=(1, 2)), "velocity needs 1"),
        (lambda: adam_step("x^2", {"x": 1}, lr=0.1, t=0), "t is the step number"),
        (lambda: adam_step("x^2", {"x": 1}, lr=0.1, v=(-1,)), "cannot be negative"),
        (lambda: gradient_step("sqrt(x)", {"x": -1}, lr=0.1), "no finite real value at \\(x=-1\\)"),
        (lambda: critical_point("x^2", {"x": math.inf}), "not a finite number"),
    ],
)
def test_bad_parameters_are_explained(call: Callable[[], object], message: str) -> None:
    with pytest.raises(SolverError, match=message):
        call()


@pytest.mark.parametrize(
    ("eigenvalues", "label"),
    [
        ((1.0, 2.0), "minimum"),
        ((-1.0, -2.0), "maximum"),
        ((1.0, -2.0), "saddle"),
        ((0.0, 1.0), "inconclusive"),
        ((0.0, -1.0), "inconclusive"),
        ((0.0, 0.0), "inconclusive"),
        ((0.0, 1.0, -1.0), "saddle"),
        ((1e-12, 1.0), "inconclusive"),
        # zero is judged relative to the largest |λ|, as rounding error is
        ((1e6, 1e6 + 1, 1e-2), "minimum"),
        ((1e6, 1e-6), "inconclusive"),
    ],
)
def test_classify_eigenvalues(eigenvalues: tuple[float, ...], label: str) -> None:
    assert classify_eigenvalues(eigenvalues) == label
    assert label in CRITICAL_LABELS


@pytest.mark.parametrize(
    ("matrix", "label"),
    [
        ([[2, 0], [0, 3]], "positive definite"),
        ([[-2, 1], [1, -2]], "negative definite"),
        ([[1, 2], [2, 1]], "indefinite"),
        ([[1, 1], [1, 1]], "positive semidefinite"),
        ([[-1, 0], [0, 0]], "negative semidefinite"),
        ([[0, 0], [0, 0]], "positive semidefinite"),
        ([[0, 1], [-1, 0]], "positive semidefinite"),  # vᵀMv = 0: only the symmetric part counts
        ([[1, 4], [0, 1]], "indefinite"),
        ([[5]], "positive definite"),
    ],
)
def test_classify_matrix(matrix: list[list[float]], label: str) -> None:
    assert classify_matrix(matrix) == label
    assert label in DEFINITENESS_LABELS


@pytest.mark.parametrize("matrix", [[[1, 2, 3], [4, 5, 6]], [], [[math.nan]]])
def test_classify_matrix_refuses_what_is_not_a_square_matrix(matrix: list[list[float]]) -> None:
    with pytest.raises(SolverError):
        classify_matrix(matrix)


def test_parse_point_reads_names_and_values() -> None:
    assert parse_point("x=1,y=-2.5") == {"x": 1.0, "y": -2.5}
    assert parse_point(" a = 3/4 ; b=1e-3 ") == {"a": 0.75, "b": 0.001}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x1", "name=value pairs"),
        ("x=1,x=2", "x is given twice"),
        ("x=abc", "the value of x"),
        ("1=2", "name=value pairs"),
        ("", "name=value pairs"),
    ],
)
def test_parse_point_explains_bad_points(text: str, message: str) -> None:
    with pytest.raises(SolverError, match=message):
        parse_point(text)


# Functions students bring: abs, max and min, differentiable or not at the point.
@pytest.mark.parametrize(
    ("text", "at", "gradient"),
    [
        ("abs(x) + y^2", {"x": 1, "y": 2}, (1.0, 4.0)),
        ("abs(x) + y^2", {"x": -1, "y": 2}, (-1.0, 4.0)),
        ("max(x, y)", {"x": 3, "y": 1}, (1.0, 0.0)),
        ("min(x, 2*y)", {"x": 3, "y": 1}, (0.0, 2.0)),
        ("max(x, 0)^2 + abs(y - 1)", {"x": 2, "y": 0}, (4.0, -1.0)),
    ],
)
def test_abs_max_and_min_differentiate_away_from_their_kinks(
    text: str, at: dict[str, float], gradient: tuple[float, ...]
) -> None:
    assert gradient_step(text, at, lr=0.5).gradient == gradient


def test_a_critical_point_of_a_function_with_abs_is_classified() -> None:
    result = critical_point("abs(x) - x + y^2", {"x": 1, "y": 0})
    assert result.classification == "inconclusive"  # flat in x for x > 0


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda: critical_point("abs(x) + y^2", {"x": 0, "y": 0}), r"\(x=0, y=0\) \(abs\(x\)"),
        (lambda: gradient_step("abs(x - 1)", {"x": 1}, lr=0.1), r"\(x=1\) \(abs\(x - 1\)"),
        (lambda: newton_step("max(x, y) + x^2", {"x": 2, "y": 2}), r"max\(x, y\)"),
        (lambda: momentum_step("min(x, y^2)", {"x": 4, "y": -2}, 0.1, 0.9), r"min\(x, y\^2\)"),
        (lambda: adam_step("abs(sin(x))", {"x": math.pi}, lr=0.1), r"abs\(sin\(x\)\)"),
        # the path walks onto the kink: refused at the step that lands there
        (lambda: gradient_step("max(x, y)", {"x": 2, "y": 1}, lr=0.5, steps=3), r"\(x=1, y=1\)"),
    ],
)
def test_a_kink_at_the_point_is_refused_not_guessed(call: Callable[[], object], where: str) -> None:
    with pytest.raises(SolverError, match=f"not differentiable at .*{where}.*pick another point"):
        call()


@pytest.mark.parametrize(
    ("text", "at", "gradient"),
    [
        # on the kink, but every piece meeting there has the same slope
        ("x*abs(x) + y^2", {"x": 0, "y": 1}, (0.0, 2.0)),
        ("max(x, 0)^2 - y", {"x": 0, "y": 3}, (0.0, -1.0)),
        ("abs(x)^3 + min(y, 0)^2", {"x": 0, "y": 0}, (0.0, 0.0)),
        ("abs(x - y)*(x - y)", {"x": 2, "y": 2}, (0.0, 0.0)),
    ],
)
def test_a_kink_where_f_is_still_differentiable_is_solved(
    text: str, at: dict[str, float], gradient: tuple[float, ...]
) -> None:
    assert gradient_step(text, at, lr=0.5).gradient == gradient


def test_a_kink_where_the_slopes_differ_on_one_side_only_is_refused() -> None:
    with pytest.raises(SolverError, match=r"abs\(x\) and abs\(y\) have kinks there"):
        gradient_step("x*abs(x) + abs(y)", {"x": 0, "y": 0}, lr=0.1)


def test_no_hessian_where_the_second_derivatives_jump() -> None:
    # x|x| has slope 0 at 0 on both sides, but curvature -2 left and +2 right.
    with pytest.raises(SolverError, match=r"no Hessian at \(x=0, y=0\).*abs\(x\)"):
        critical_point("x*abs(x) + y^2", {"x": 0, "y": 0})
    with pytest.raises(SolverError, match="no Hessian"):
        newton_step("x*abs(x) + y^2", {"x": 0, "y": 1})


def test_a_kink_twice_smooth_at_the_point_is_classified() -> None:
    # max(x, 0)^3 has value, slope and curvature 0 on both sides of x = 0
    result = critical_point("max(x, 0)^3 + y^2", {"x": 0, "y": 0})
    assert result.classification == "inconclusive"
    assert critical_point("abs(x)^3 + x^2 + y^2", {"x": 0, "y": 0}).classification == "minimum"


def test_a_tie_that_is_not_the_largest_is_not_a_kink() -> None:
    # max(x, y, 0) at (-1, -1) is 0 near the point: x and y tie, but below the max.
    assert gradient_step("max(x, y, 0)", {"x": -1, "y": -1}, lr=0.1).gradient == (0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "at", "label"),
    [
        # zero is relative to the Hessian's own size: 2e-10 is a trillion times its noise
        ("x^2 + 1e-10*y^2", {"x": 0, "y": 0}, "minimum"),
        ("-x^2 - 1e-10*y^2", {"x": 0, "y": 0}, "maximum"),
        ("1e8*x^2 - y^2", {"x": 0, "y": 0}, "saddle"),
        # a genuinely flat direction stays inconclusive
        ("x^2 + y^4", {"x": 0, "y": 0}, "inconclusive"),
        ("1e8*x^2 - y^4", {"x": 0, "y": 0}, "inconclusive"),
        # rounding dust (sin(π) is about 1e-16, not 0) is not curvature
        ("sin(x)^3", {"x": math.pi}, "inconclusive"),
    ],
)
def test_zero_is_judged_against_the_functions_own_scale(
    text: str, at: dict[str, float], label: str
) -> None:
    assert critical_point(text, at).classification == label


def test_a_steep_function_at_its_minimum_typed_in_decimals_is_critical() -> None:
    # 1.0000000000000002 is the nearest double above 1: ∇f = 4.4e-6, tiny for f's scale
    assert critical_point("1e10*(x - 1)^2", {"x": 1.0000000000000002}).classification == "minimum"
    with pytest.raises(SolverError, match="not a critical point"):
        critical_point("1e10*(x - 1)^2", {"x": 1.000001})


@pytest.mark.parametrize("tol", [math.nan, math.inf, -1e-9, 0.0, 1.0])
def test_a_tolerance_that_is_not_a_small_positive_number_is_refused(tol: float) -> None:
    with pytest.raises(SolverError, match="tol must be above 0 and below 1"):
        critical_point("x^2", {"x": 0}, tol=tol)


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (lambda: gradient_step("x^100", {"x": 1e4}, lr=1e-300), "the gradient at θ₀"),
        (lambda: adam_step("x^2", {"x": 1e200}, lr=0.1), "the second moment v"),
        (lambda: newton_step("x^100", {"x": 1e4}), "the Hessian at θ₀"),
        (lambda: critical_point("exp(y)*x^2", {"x": 0, "y": 800}), "the Hessian"),
    ],
)
def test_numbers_past_a_doubles_range_are_refused(call: Callable[[], object], what: str) -> None:
    with pytest.raises(SolverError, match=f"{what} overflows: .* exceeds 1e308"):
        call()
