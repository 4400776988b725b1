"""The initialization, minibatch-noise, momentum effective-step and contraction templates.

Each answer and each named slip is recomputed here from the problem's `given` inputs
with plain Python floats (and numpy for the contraction factor), from the published
formulas: Glorot & Bengio (2010) Var(W) = 2 / (n_in + n_out) and the uniform limit
√(6 / (n_in + n_out)); He et al. (2015) Var(W) = 2 / n_in; the standard error σ / √n of
a mean of n independent examples; heavy-ball momentum v ← βv + g settling at
v = g / (1 - β); and the gradient-descent error factor max |1 - ηλ| over the Hessian's
eigenvalues. Nothing here reuses generator code. The typed answer must be accepted, and
each slip typed must be refused and named.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import pytest

from quizzes import registry
from quizzes.checking import check_answer

SEEDS = range(80)
Expected = tuple[float, dict[str, float]]


def number(value: object) -> float:
    assert isinstance(value, int | float) and not isinstance(value, bool)
    return float(value)


def integer(value: object) -> int:
    assert isinstance(value, int) and not isinstance(value, bool)
    return value


def init_variance(given: Mapping[str, object]) -> Expected:
    n_in, n_out = integer(given["fan_in"]), integer(given["fan_out"])
    xavier = given["scheme"] == "xavier"
    variance = 2 / (n_in + n_out) if xavier else 2 / n_in
    bound = math.sqrt(6 / (n_in + n_out)) if xavier else math.sqrt(6 / n_in)
    assert math.isclose(bound**2 / 3, variance)  # U(-a, a) has variance a² / 3
    std = given["ask"] == "std"
    slip_variances = {"lecun-variance": 1 / n_in}
    if xavier:
        slip_variances |= {"forgot-factor-2": 1 / (n_in + n_out), "fan-in-only": 2 / n_in}
    else:
        slip_variances |= {"fan-out-mode": 2 / n_out, "xavier-not-he": 2 / (n_in + n_out)}
    slips = {name: math.sqrt(v) if std else v for name, v in slip_variances.items()}
    slips["uniform-bound"] = bound
    if std:
        slips["variance-not-std"] = variance
        return math.sqrt(variance), slips
    slips["std-not-variance"] = math.sqrt(variance)
    return variance, slips


def minibatch_noise(given: Mapping[str, object]) -> Expected:
    if given["ask"] == "error":
        sigma, n = number(given["sigma"]), integer(given["batch"])
        return sigma / math.sqrt(n), {
            "forgot-sqrt": sigma / n,
            "variance-not-std": sigma**2 / n,
            "per-example-spread": sigma,
        }
    before, after = integer(given["batch_before"]), integer(given["batch_after"])
    # SE(n) = σ / √n for any σ: the ratio of two standard errors, σ = 1.
    factor = (1 / math.sqrt(before)) / (1 / math.sqrt(after))
    return factor, {
        "forgot-sqrt": after / before,
        "inverted": 1 / factor,
        "inverted-no-sqrt": before / after,
    }


def momentum_effective_step(given: Mapping[str, object]) -> Expected:
    eta, beta = number(given["learning_rate"]), number(given["beta"])
    g = number(given["gradient"]) if given["ask"] == "step" else 1.0
    # Run the heavy-ball recursion itself until the step settles.
    v, theta, step = 0.0, 0.0, math.inf
    for _ in range(100_000):
        v = beta * v + g
        new_theta = theta - eta * v
        step, theta = abs(new_theta - theta), new_theta
        if abs(step - eta * g / (1 - beta)) < 1e-12 * step:
            break
    assert math.isclose(step, eta * g / (1 - beta), rel_tol=1e-9)
    damped = 0.0
    for _ in range(100_000):  # the EMA form u <- βu + (1 - β)g settles at g
        damped, before = beta * damped + (1 - beta) * g, damped
        if damped == before:
            break
    return eta * g / (1 - beta), {
        "damped-convention": eta * damped,
        "times-one-minus-beta": eta * (1 - beta) * g,
        "divided-by-beta": eta / beta * g,
        "missed-current-gradient": eta * beta / (1 - beta) * g,
    }


def worst_factor(eta: float, hessian: np.ndarray) -> float:
    """‖I - ηH‖₂: how much one gradient step can shrink the error at worst."""
    return float(np.linalg.norm(np.eye(len(hessian)) - eta * hessian, 2))


def gd_contraction(given: Mapping[str, object]) -> Expected:
    eigenvalues = given["eigenvalues"]
    assert isinstance(eigenvalues, tuple)
    low, high = (number(v) for v in eigenvalues)
    hessian = np.diag([low, high])
    kappa = high / low
    best = (kappa - 1) / (kappa + 1)
    if given["ask"] == "optimal":
        factor = worst_factor(2 / (low + high), hessian)
        # No other fixed step does better: scan steps around the optimum.
        assert all(
            worst_factor(e, hessian) >= factor - 1e-12 for e in np.linspace(0, 2 / high, 301)
        )
        return factor, {
            "one-minus-inverse-kappa": worst_factor(1 / high, hessian),
            "inverse-kappa": 1 / kappa,
            "function-value-factor": factor**2,
            "momentum-rate": (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1),
        }
    eta = number(given["learning_rate"])
    assert eta * high < 2  # a stable step
    return worst_factor(eta, hessian), {
        "only-lambda-min": abs(1 - eta * low),
        "only-lambda-max": abs(1 - eta * high),
        "coefficients-not-hessian": worst_factor(eta, hessian / 2),
        "optimal-step-factor": best,
    }


INDEPENDENT: dict[str, Callable[[Mapping[str, object]], Expected]] = {
    "init-variance": init_variance,
    "minibatch-noise": minibatch_noise,
    "momentum-effective-step": momentum_effective_step,
    "gd-contraction": gd_contraction,
}


def cases() -> list[tuple[str, dict[str, str | int]]]:
    found: list[tuple[str, dict[str, str | int]]] = []
    for name in INDEPENDENT:
        found.append((name, {}))
        for spec in registry.params_of(name):
            found += [(name, {spec.name: choice}) for choice in spec.choices]
    return found


CASES = cases()


def typed(value: float) -> str:
    return f"{value:.12g}"


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(
    ("name", "params"), CASES, ids=[n + "".join(f"-{v}" for v in p.values()) for n, p in CASES]
)
def test_answers_and_slips_agree_with_the_formulas(name: str, params: dict[str, str | int]) -> None:
    template = registry.get(name)
    for seed in SEEDS:
        problem = template.generate(seed, params)
        assert all(problem.given[key] == value for key, value in params.items())
        want, slips = INDEPENDENT[name](problem.given)
        assert close(number(problem.expected), want), (seed, problem.expected, want)
        assert check_answer(problem, typed(want)).correct, seed
        named = {m.name: m for m in problem.mistakes}
        # Every slip the template names is one computed here, with the same value.
        assert set(named) <= set(slips), (seed, set(named) - set(slips))
        for slip, value in slips.items():
            if close(value, want):
                assert slip not in named, (seed, slip)  # it is the answer here: left out
                continue
            assert slip in named, (seed, slip)
            assert close(number(named[slip].value), value), (seed, slip)
            result = check_answer(problem, typed(value))
            assert not result.correct, (seed, slip)
            assert named[slip] in result.mistakes, (seed, slip, result.message)


def test_hand_checked_examples() -> None:
    """A few problems worked on paper, to pin the formulas (not just agree with them)."""
    he = init_variance({"scheme": "he", "ask": "variance", "fan_in": 512, "fan_out": 256})
    assert he[0] == pytest.approx(2 / 512)
    xavier = init_variance({"scheme": "xavier", "ask": "std", "fan_in": 100, "fan_out": 200})
    assert xavier[0] == pytest.approx(math.sqrt(2 / 300))
    noise = minibatch_noise({"ask": "factor", "batch_before": 16, "batch_after": 1600})
    assert noise[0] == pytest.approx(10.0)  # 100 times the examples, 10 times less noise
    rate = momentum_effective_step({"ask": "rate", "learning_rate": 0.01, "beta": 0.9})
    assert rate[0] == pytest.approx(0.1)
    optimal = gd_contraction({"ask": "optimal", "eigenvalues": (2, 18)})
    assert optimal[0] == pytest.approx(0.8)  # κ = 9: (9 - 1) / (9 + 1)
    given = gd_contraction({"ask": "given-rate", "eigenvalues": (2, 10), "learning_rate": 0.15})
    assert given[0] == pytest.approx(0.7)  # |1 - 0.3| = 0.7 against |1 - 1.5| = 0.5


def test_momentum_card_states_its_update_form() -> None:
    for seed in range(20):
        problem = registry.get("momentum-effective-step").generate(seed)
        assert "v_(t+1) = β v_t + g" in problem.prompt
        assert "no (1 - β) factor" in problem.prompt


def test_contraction_steps_are_stable_and_fall_on_both_sides_of_the_best_step() -> None:
    sides = set()
    for seed in range(200):
        given = registry.get("gd-contraction").generate(seed, {"ask": "given-rate"}).given
        eigenvalues = given["eigenvalues"]
        assert isinstance(eigenvalues, tuple)
        low, high = eigenvalues
        eta = number(given["learning_rate"])
        assert eta * high < 2
        sides.add(eta * (low + high) > 2)
    assert sides == {True, False}
