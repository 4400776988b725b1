"""Every compute-card template: it generates, it checks itself, it is right, it is fair.

"Right" is judged by an independent computation written here: the template's function
is parsed from its text and evaluated exactly at integer offsets (finite-difference
stencils that are exact for the low-degree polynomials the templates draw), and numpy
does the eigenvalues, solves and softmaxes. Nothing here reuses generator code.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
import sympy

from quizzes import registry
from quizzes.checking import check_answer
from quizzes.expressions import parse_expression
from quizzes.problem import AnswerKind, Problem, TemplateParamError
from quizzes.render import to_dict

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(200)
NAMES = sorted(registry.names())


@functools.cache
def problems(name: str) -> tuple[Problem, ...]:
    template = registry.get(name)
    return tuple(template.generate(seed) for seed in SEEDS)


def typed(kind: AnswerKind, value: object, style: int = 0) -> str:
    """The value as a student might type it; `style` varies the layout."""
    if isinstance(value, str):
        return value.upper() if style % 2 else value
    if isinstance(value, float):
        return f"{value:.12g}"
    assert isinstance(value, tuple)
    if value and isinstance(value[0], tuple):
        return "; ".join(" ".join(f"{x:.12g}" for x in row) for row in value)
    items = [f"{x:.12g}" for x in value]
    return ("({})", "[{}]", "{}")[style % 3].format((", " if style % 3 != 1 else " ").join(items))


# --- every template, every seed ------------------------------------------------------------


def test_catalog_matches_the_generator_modules() -> None:
    templates = registry.all_templates()
    assert {t.name for t in templates} == registry.names()
    for template in templates:
        assert template.params == registry.params_of(template.name)
        assert template.difficulty in {"E", "M", "H"}
        assert template.version >= 1


def test_template_names_are_known_without_importing_sympy_or_numpy() -> None:
    code = (
        "import sys\nfrom quizzes import registry\nassert 'gd-step' in registry.names()\n"
        "registry.check_params('gd-step', {'steps': 2})\n"
        "print(','.join(m for m in ('sympy', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", NAMES)
def test_expected_answer_passes_its_own_checker(name: str) -> None:
    for problem in problems(name):
        result = check_answer(problem, typed(problem.answer_kind, problem.expected, problem.seed))
        assert result.correct, (problem.seed, problem.expected, result.message)
        assert (problem.template, problem.seed) == (name, problem.seed)


@pytest.mark.parametrize("name", NAMES)
def test_every_listed_mistake_is_recognised_and_wrong(name: str) -> None:
    seen: Counter[str] = Counter()
    for problem in problems(name):
        for mistake in problem.mistakes:
            result = check_answer(problem, typed(problem.answer_kind, mistake.value))
            assert not result.correct, (problem.seed, mistake.name)
            assert result.mistake == mistake, (problem.seed, mistake.name, result.message)
            assert result.message == mistake.message
            seen[mistake.name] += 1
    assert len(seen) >= 2, f"{name} names fewer than two kinds of mistake: {seen}"


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_problem_and_seeds_differ(name: str) -> None:
    template = registry.get(name)
    for problem in problems(name)[:20]:
        assert template.generate(problem.seed) == problem
    variants = {(p.prompt, p.math, repr(p.expected)) for p in problems(name)[:50]}
    assert len(variants) >= 40


def test_problems_do_not_depend_on_the_process() -> None:
    """Hash randomisation or import order must not leak into a problem."""
    code = (
        "import json\nfrom quizzes import registry\nfrom quizzes.render import to_dict\n"
        "print(json.dumps({t.name: [to_dict(t.generate(s)) for s in range(3)] "
        "for t in reversed(registry.all_templates())}))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    here = {name: [to_dict(p) for p in problems(name)[:3]] for name in NAMES}
    assert json.loads(done.stdout) == json.loads(json.dumps(here))


@pytest.mark.parametrize(
    ("name", "labels", "low", "high"),
    [
        ("hessian-classify-2d", ("minimum", "maximum", "saddle", "inconclusive"), 0.15, 0.35),
        ("hessian-classify-3d", ("minimum", "maximum", "saddle", "inconclusive"), 0.15, 0.35),
        ("definiteness", tuple(registry.get("definiteness").generate(0).choices), 0.10, 0.30),
    ],
)
def test_classifier_answers_are_fairly_shared(
    name: str, labels: Sequence[str], low: float, high: float
) -> None:
    counts = Counter(str(p.expected) for p in problems(name))
    assert set(counts) == set(labels)
    for label in labels:
        assert low <= counts[label] / len(SEEDS) <= high, counts


# --- params and errors ---------------------------------------------------------------------


def test_gd_step_takes_the_number_of_steps_asked() -> None:
    problem = registry.get("gd-step").generate(7, {"steps": 3})
    assert len(problem.path) == 4
    assert problem.expected == pytest.approx(problem.path[-1])
    assert any(m.name == "stale-gradient" for m in problem.mistakes)


@pytest.mark.parametrize(
    ("name", "params", "kind"),
    [
        ("softmax-xent", {"ask": "loss"}, AnswerKind.NUMBER),
        ("softmax-xent", {"ask": "gradient"}, AnswerKind.VECTOR),
        ("condition-number", {"ask": "kappa"}, AnswerKind.NUMBER),
        ("l1-l2-step", {"penalty": "l1"}, AnswerKind.VECTOR),
    ],
)
def test_params_choose_the_question(name: str, params: dict[str, str], kind: AnswerKind) -> None:
    for seed in range(10):
        problem = registry.get(name).generate(seed, params)
        assert problem.answer_kind is kind
        assert all(problem.given[key] == value for key, value in params.items())


def test_bad_params_and_seeds_are_refused_with_the_reason() -> None:
    template = registry.get("gd-step")
    with pytest.raises(TemplateParamError, match=r"'gd-step' has no parameter 'rate'"):
        template.generate(1, {"rate": 0.1})
    with pytest.raises(TemplateParamError, match=r"must be one of 1, 2, 3, 4, 5, got 9"):
        template.generate(1, {"steps": 9})
    with pytest.raises(TemplateParamError, match="seed must be a whole number"):
        template.generate(-1)
    with pytest.raises(registry.UnknownTemplateError, match="did you mean 'gd-step'"):
        registry.get("gd-stpe")


# --- independent checks --------------------------------------------------------------------


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
