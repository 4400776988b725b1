"""The noise of a minibatch gradient: the standard error σ / √n of a mean of n examples.

Per-example gradients scatter around the full gradient with some standard deviation σ;
the mean of n independent ones scatters with σ / √n. Noise therefore falls only as the
square root of the batch size: 100 times the examples buys 10 times less noise at 100
times the cost, which is why minibatch SGD wins in wall-clock time.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy

from quizzes.generators._common import (
    ROUNDED_NOTE,
    ROUNDED_RELATIVE,
    Draft,
    Draw,
    make_template,
    num,
    number_hint,
    rational,
)
from quizzes.problem import AnswerKind, Mistake

SIGMAS = ("0.5", "1", "1.5", "2", "2.5", "3", "4", "5", "6", "8", "10", "12")
BATCHES = (4, 8, 16, 25, 32, 50, 64, 100, 128, 256, 400, 512, 1024)
SMALL_BATCHES = (1, 8, 16, 25, 32, 50, 64, 100, 128)
GROWTH = (2, 4, 8, 9, 10, 16, 25, 100)

_INDEPENDENT = (
    "The per-example gradients (one component of them) are independent draws with "
    "standard deviation σ = {sigma} around the full-batch gradient."
)


def _error(draw: Draw) -> Draft:
    sigma, n = rational(draw.pick(SIGMAS)), draw.pick(BATCHES)
    expected = sigma / sympy.sqrt(n)
    mistakes = (
        Mistake(
            "forgot-sqrt",
            "Averaging n independent examples divides the variance by n, so the standard "
            "deviation falls by √n, not by n.",
            float(sigma / n),
        ),
        Mistake(
            "variance-not-std",
            "σ² / n is the variance of the mean; the standard error is its square root.",
            float(sigma**2 / n),
            hint="Is your answer a variance or a standard deviation?",
        ),
        Mistake(
            "per-example-spread",
            "σ is the spread of a single example's gradient; the mean of n of them scatters less.",
            float(sigma),
        ),
    )
    return Draft(
        prompt=(
            _INDEPENDENT.format(sigma=num(sigma)) + f" What is the standard error (standard "
            f"deviation) of that component of the minibatch gradient, the mean over a "
            f"batch of n = {n} examples?"
        ),
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=number_hint(ROUNDED_NOTE + ", or an expression such as 3/sqrt(7)"),
        tolerance=ROUNDED_RELATIVE,
        solution=(
            f"Var(mean of n) = σ² / n for independent examples = {num(sigma**2)} / {n} = "
            f"{num(sigma**2 / n)}.",
            f"Standard error = σ / √n = {num(sigma)} / √{n} = {num(sigma)} / "
            f"{num(sympy.sqrt(n))} = {num(expected)}.",
        ),
        mistakes=mistakes,
        given={"ask": "error", "sigma": float(sigma), "batch": n},
    )


def _factor(draw: Draw) -> Draft:
    small = draw.pick(SMALL_BATCHES)
    large = small * draw.pick(GROWTH)
    ratio = sympy.Rational(large, small)
    expected = sympy.sqrt(ratio)
    mistakes = (
        Mistake(
            "forgot-sqrt",
            "The batch grew by n2 / n1, but the standard error goes as 1 / √n, so it falls "
            "by √(n2 / n1).",
            float(ratio),
            hint="How does the standard error of a mean depend on n: as 1 / n or 1 / √n?",
        ),
        Mistake(
            "inverted",
            "That is SE(n2) / SE(n1), below 1; the card asks for SE(n1) / SE(n2).",
            float(1 / expected),
        ),
        Mistake(
            "inverted-no-sqrt",
            "That is n1 / n2; the ratio asked is SE(n1) / SE(n2), and the standard error "
            "goes as 1 / √n.",
            float(1 / ratio),
        ),
    )
    return Draft(
        prompt=(
            "Minibatch SGD averages the gradients of n independent examples. The batch grows "
            f"from n1 = {small} to n2 = {large} examples. By what factor does the standard "
            "error of the minibatch gradient fall? Give SE(n1) / SE(n2)."
        ),
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=number_hint(ROUNDED_NOTE + ", or an expression such as sqrt(7)"),
        tolerance=ROUNDED_RELATIVE,
        solution=(
            "The standard error of a mean of n independent examples is σ / √n.",
            f"SE(n1) / SE(n2) = (σ / √{small}) / (σ / √{large}) = √({large} / {small}) = "
            f"√{num(ratio)} = {num(expected)}.",
            f"The batch costs {num(ratio)} times as much per step for {num(expected)} times "
            "less noise.",
        ),
        mistakes=mistakes,
        given={"ask": "factor", "batch_before": small, "batch_after": large},
    )


@make_template(
    "minibatch-noise",
    "Standard error of a minibatch gradient",
    "gradient-descent",
    ("sgd", "minibatch", "noise"),
    "E",
    1,
)
def minibatch_noise(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    ask = str(params.get("ask") or draw.pick(("error", "factor")))
    return _error(draw) if ask == "error" else _factor(draw)


TEMPLATES = (minibatch_noise,)
