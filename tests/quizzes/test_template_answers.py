"""Every compute-card template's answers, against an independent computation.

Kept apart from `test_templates` (generation, self-checks, fairness) because this half
is a second implementation of the maths, with its own helpers. The template's function
is parsed from its text and evaluated exactly at integer offsets (finite-difference
stencils that are exact for the low-degree polynomials the templates draw), and numpy
does the eigenvalues, solves and softmaxes. Nothing here reuses generator code.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
import sympy
from template_problems import problems

from quizzes import registry
from quizzes.expressions import parse_expression
from quizzes.problem import Problem


def evaluator(problem: Problem) -> sympy.Expr:
    assert problem.function is not None
    return parse_expression(problem.function)


def value_at(expr: sympy.Expr, names: Sequence[str], point: Sequence[object]) -> sympy.Expr:
    values = dict(zip(names, point, strict=True))
    return expr.xreplace({s: exact(values[str(s)]) for s in expr.free_symbols})


def number(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


def floats_of(value: object) -> np.ndarray:
    assert isinstance(value, tuple | float)
    return np.array(value, dtype=float)


def exact(x: object) -> sympy.Expr:
    """Exact sympy number: a float is read as the decimal it prints as."""
    if isinstance(x, float):
        return sympy.Rational(repr(float(x)))
    return sympy.Integer(x) if isinstance(x, int) else x


def stencil_gradient(
    expr: sympy.Expr, names: Sequence[str], p: Sequence[sympy.Expr]
) -> list[sympy.Expr]:
    """Five-point central differences with h = 1: exact for polynomials of degree <= 4."""
    grad = []
    for i in range(len(names)):

        def at(k: int, i: int = i) -> sympy.Expr:
            return value_at(expr, names, [v + k if j == i else v for j, v in enumerate(p)])

        grad.append((-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / 12)
    return grad


def stencil_hessian(expr: sympy.Expr, names: Sequence[str], p: Sequence[sympy.Expr]) -> np.ndarray:
    """Second differences with h = 1: exact for cubic polynomials."""
    n = len(names)

    def at(**shift: int) -> sympy.Expr:
        moved = [v + shift.get(f"d{j}", 0) for j, v in enumerate(p)]
        return value_at(expr, names, moved)

    h = np.zeros((n, n))
    for i in range(n):
        h[i, i] = float(at(**{f"d{i}": 1}) - 2 * at() + at(**{f"d{i}": -1}))
        for j in range(i + 1, n):
            corners = [at(**{f"d{i}": a, f"d{j}": b}) * a * b for a in (1, -1) for b in (1, -1)]
            h[i, j] = h[j, i] = float(sum(corners) / 4)
    return h


def sign_label(eigenvalues: np.ndarray) -> str:
    scale = max(1.0, float(np.max(np.abs(eigenvalues))))
    signs = {0 if abs(e) < 1e-9 * scale else int(np.sign(e)) for e in eigenvalues}
    if signs == {1}:
        return "minimum"
    if signs == {-1}:
        return "maximum"
    return "saddle" if {1, -1} <= signs else "inconclusive"


@pytest.mark.parametrize("name", ["hessian-classify-2d", "hessian-classify-3d"])
def test_classification_agrees_with_numeric_hessian(name: str) -> None:
    for problem in problems(name)[:100]:
        f, names = evaluator(problem), problem.variables
        point = [int(v) for v in problem.point or ()]
        assert all(g == 0 for g in stencil_gradient(f, names, point)), problem.seed
        eigenvalues = np.linalg.eigvalsh(stencil_hessian(f, names, point))
        assert sign_label(eigenvalues) == problem.expected, problem.seed


def definiteness_label(eigenvalues: np.ndarray) -> str:
    kind = sign_label(eigenvalues)
    if kind == "inconclusive":
        return f"{'positive' if eigenvalues.sum() > 0 else 'negative'} semidefinite"
    return {"minimum": "positive definite", "maximum": "negative definite"}.get(kind, "indefinite")


def test_definiteness_agrees_with_numpy_eigenvalues() -> None:
    for problem in problems("definiteness"):
        eigenvalues = np.linalg.eigvalsh(np.array(problem.given["matrix"], dtype=float))
        assert definiteness_label(eigenvalues) == problem.expected, problem.seed


def test_saddle_escape_direction_is_a_negative_curvature_eigenvector() -> None:
    for problem in problems("saddle-escape"):
        f, names = evaluator(problem), problem.variables
        point = [int(v) for v in problem.point or ()]
        h = stencil_hessian(f, names, point)
        u = np.array(problem.expected)
        hu = h @ u
        curvature = float(u @ hu / (u @ u))
        assert curvature < 0, problem.seed
        assert np.allclose(hu, curvature * u), problem.seed
        step = [exact(v) / 100 for v in u]
        moved = value_at(f, names, [p + s for p, s in zip(point, step, strict=True)])
        assert moved < value_at(f, names, point)


def test_condition_number_agrees_with_numpy() -> None:
    for problem in problems("condition-number"):
        h = stencil_hessian(evaluator(problem), problem.variables, [0, 0])
        low, high = np.linalg.eigvalsh(h)
        want = high / low if problem.given["ask"] == "kappa" else 2 / high
        assert problem.expected == pytest.approx(want, rel=1e-12)


def descend(problem: Problem, steps: int) -> list[sympy.Expr]:
    f, names = evaluator(problem), problem.variables
    theta = [exact(v) for v in problem.point or ()]
    rate = exact(number(problem.given["learning_rate"]))
    for _ in range(steps):
        grad = stencil_gradient(f, names, theta)
        theta = [t - rate * g for t, g in zip(theta, grad, strict=True)]
    return theta


@pytest.mark.parametrize("steps", [1, 3])
def test_gd_step_agrees_with_finite_differences(steps: int) -> None:
    template = registry.get("gd-step")
    for seed in range(60):
        problem = template.generate(seed, {"steps": steps})
        want = [float(v) for v in descend(problem, steps)]
        assert problem.expected == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_newton_step_agrees_with_numpy_solve() -> None:
    for problem in problems("newton-step"):
        f, names, point = evaluator(problem), problem.variables, problem.point or ()
        grad = np.array([float(g) for g in stencil_gradient(f, names, [exact(v) for v in point])])
        h = stencil_hessian(f, names, [exact(v) for v in point])
        want = np.array(point) - np.linalg.solve(h, grad)
        assert np.allclose(floats_of(problem.expected), want, rtol=1e-9, atol=1e-9), problem.seed
        pd = bool(np.all(np.linalg.eigvalsh(h) > 0))
        assert pd == problem.given["positive_definite"]
        assert pd or any("not positive definite" in line for line in problem.solution)


@pytest.mark.parametrize("name", ["momentum-step", "nesterov-step"])
def test_momentum_steps_follow_the_syllabus_formula(name: str) -> None:
    for problem in problems(name):
        f, names = evaluator(problem), problem.variables
        theta = np.array(problem.point)
        rate, beta = number(problem.given["learning_rate"]), number(problem.given["beta"])
        u = np.array(problem.given["velocity"])
        probe = theta - rate * u if name == "nesterov-step" else theta
        grad = np.array([float(g) for g in stencil_gradient(f, names, [exact(v) for v in probe])])
        u_next = beta * u + (1 - beta) * grad
        assert np.allclose(floats_of(problem.expected), theta - rate * u_next, atol=1e-12), (
            problem.seed
        )


def test_adam_step_agrees_with_numpy() -> None:
    for problem in problems("adam-step"):
        f, names, g = evaluator(problem), problem.variables, problem.given
        theta = np.array(problem.point)
        grad = np.array([float(v) for v in stencil_gradient(f, names, [exact(v) for v in theta])])
        t = int(number(g["t"]))
        m = 0.9 * np.array(g["m"]) + 0.1 * grad
        v = 0.999 * np.array(g["v"]) + 0.001 * grad**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        want = theta - number(g["learning_rate"]) * m_hat / (np.sqrt(v_hat) + 1e-8)
        assert np.allclose(floats_of(problem.expected), want, rtol=1e-9, atol=1e-9), problem.seed


def test_softmax_cross_entropy_agrees_with_numpy() -> None:
    for problem in problems("softmax-xent"):
        logits = np.array(problem.given["logits"], dtype=float)
        label = int(number(problem.given["label"]))
        p = np.exp(logits) / np.exp(logits).sum()
        want = -np.log(p[label]) if problem.given["ask"] == "loss" else p - np.eye(len(p))[label]
        assert np.allclose(floats_of(problem.expected), want, rtol=1e-9), problem.seed


def test_finite_difference_is_the_central_estimate() -> None:
    for problem in problems("finite-difference"):
        f, names = evaluator(problem), problem.variables
        p, h = [exact(v) for v in problem.point or ()], exact(number(problem.given["h"]))
        want = []
        for i in range(len(names)):
            plus = value_at(f, names, [v + h if j == i else v for j, v in enumerate(p)])
            minus = value_at(f, names, [v - h if j == i else v for j, v in enumerate(p)])
            want.append(float((plus - minus) / (2 * h)))
        assert problem.expected == pytest.approx(want, rel=1e-12, abs=1e-12), problem.seed


def test_regularized_steps_agree_with_numpy() -> None:
    for problem in problems("l1-l2-step"):
        g = problem.given
        w, grad = np.array(g["w"]), np.array(g["grad"])
        rate, lam = number(g["learning_rate"]), number(g["lambda"])
        if g["penalty"] == "l1":
            z = w - rate * grad
            want = np.sign(z) * np.maximum(np.abs(z) - rate * lam, 0)
            assert 0 < np.count_nonzero(np.isclose(want, 0)) < len(w)
        else:
            want = w - rate * (grad + 2 * lam * w)
        assert np.allclose(floats_of(problem.expected), want, atol=1e-12), problem.seed


def test_jensen_gap_is_positive_and_agrees_with_direct_sums() -> None:
    for problem in problems("jensen-gap"):
        f = evaluator(problem)
        xs, ps = problem.given["values"], problem.given["probabilities"]
        assert isinstance(xs, tuple) and isinstance(ps, tuple)
        fx = [float(value_at(f, ("x",), [x])) for x in xs]
        mean = sum(p * x for p, x in zip(ps, xs, strict=True))
        want = float(np.dot(ps, fx)) - float(value_at(f, ("x",), [exact(mean)]))
        assert want > 0
        assert problem.expected == pytest.approx(want, rel=1e-9), problem.seed


def test_backprop_partials_agree_with_finite_differences() -> None:
    for problem in problems("backprop-graph"):
        f, names = evaluator(problem), problem.variables
        grad = stencil_gradient(f, names, [int(v) for v in problem.point or ()])
        assert problem.expected == tuple(float(g) for g in grad), problem.seed
