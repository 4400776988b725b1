"""The weight variance of a scaled initialization: Xavier/Glorot or He.

Xavier (Glorot & Bengio, 2010) draws weights with Var(W) = 2 / (n_in + n_out), a
compromise between keeping the forward activations' variance (n_in Var(W) = 1) and the
backward gradients' variance (n_out Var(W) = 1) steady. He et al. (2015) account for ReLU
zeroing half of each layer's pre-activations and use Var(W) = 2 / n_in (their fan-in
mode; the fan-out mode 2 / n_out keeps the backward pass steady instead). The prompt names
the scheme, the mode and the distribution, so the answer has one convention.
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
)
from quizzes.problem import AnswerKind, Mistake

# Layer widths a student meets in practice; no two within 2% of each other except equal.
WIDTHS = (16, 32, 64, 100, 128, 200, 256, 300, 400, 500, 512, 784, 1000, 1024)

_SCHEMES = {
    "xavier": "Xavier (Glorot) initialization",
    "he": "He (Kaiming) initialization in its fan-in mode, the usual choice for ReLU layers",
}


def _variance(scheme: str, fan_in: int, fan_out: int) -> sympy.Rational:
    if scheme == "xavier":
        return sympy.Rational(2, fan_in + fan_out)
    return sympy.Rational(2, fan_in)


def _mistakes(scheme: str, fan_in: int, fan_out: int, *, std: bool) -> tuple[Mistake, ...]:
    """Each slip as the variance it uses, reported as a std on a std card."""

    def shown(variance: sympy.Expr) -> float:
        return float(sympy.sqrt(variance)) if std else float(variance)

    total = fan_in + fan_out
    lecun = Mistake(
        "lecun-variance",
        "You used LeCun's 1 / n_in. "
        + (
            "Xavier keeps the factor 2 and uses both fans: 2 / (n_in + n_out)."
            if scheme == "xavier"
            else "He doubles it to make up for ReLU zeroing half the pre-activations: 2 / n_in."
        ),
        shown(sympy.Rational(1, fan_in)),
        hint="Which numerator does this card's scheme use, and which fan(s) go below it?",
    )
    if scheme == "xavier":
        slips = (
            Mistake(
                "forgot-factor-2",
                "You left out the 2: Glorot's variance is 2 / (n_in + n_out), the reciprocal "
                "of the average of the two fans.",
                shown(sympy.Rational(1, total)),
                hint="Xavier uses the reciprocal of the average fan, (n_in + n_out) / 2.",
            ),
            Mistake(
                "fan-in-only",
                "You used He's 2 / n_in, which takes the fan-in alone; Xavier uses both fans: "
                "2 / (n_in + n_out).",
                shown(sympy.Rational(2, fan_in)),
                hint="Xavier balances the forward and the backward pass, so both fans count.",
            ),
            lecun,
            _uniform_bound(sympy.Rational(6, total), "√(6 / (n_in + n_out))", std=std),
        )
    else:
        slips = (
            lecun,
            Mistake(
                "fan-out-mode",
                "You used 2 / n_out, He's fan-out mode, which keeps the backward gradients' "
                "variance steady; this card asks for the fan-in mode, 2 / n_in.",
                shown(sympy.Rational(2, fan_out)),
                hint="Check which fan the card's mode names: fan-in counts the layer's inputs.",
            ),
            Mistake(
                "xavier-not-he",
                "You used Xavier's 2 / (n_in + n_out). He's fan-in mode uses the inputs alone, "
                "2 / n_in, to make up for ReLU zeroing half the pre-activations.",
                shown(sympy.Rational(2, total)),
                hint="He's scheme depends on one fan only; which one does the card name?",
            ),
            _uniform_bound(sympy.Rational(6, fan_in), "√(6 / n_in)", std=std),
        )
    variance = _variance(scheme, fan_in, fan_out)
    if std:
        other = Mistake(
            "variance-not-std",
            "That is the variance; the standard deviation is its square root.",
            float(variance),
        )
    else:
        other = Mistake(
            "std-not-variance",
            "That is a standard deviation; the card asks for the variance, its square.",
            float(sympy.sqrt(variance)),
        )
    return (*slips, other)


def _uniform_bound(six_over: sympy.Rational, formula: str, *, std: bool) -> Mistake:
    """The limit a of the scheme's uniform variant U(-a, a), whose variance is a² / 3."""
    return Mistake(
        "uniform-bound",
        f"That is the limit a = {formula} of the scheme's uniform variant U(-a, a). A "
        "uniform distribution on (-a, a) has variance a² / 3; this card draws from a normal "
        "distribution with that same variance.",
        float(sympy.sqrt(six_over)),
        hint="The square-root-of-6 formula is the limit of the uniform variant, not a "
        + ("standard deviation." if std else "variance."),
    )


@make_template(
    "init-variance",
    "Xavier and He initialization variance",
    "challenges",
    ("initialization", "xavier", "he", "variance"),
    "M",
    1,
)
def init_variance(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    scheme = str(params.get("scheme") or draw.pick(tuple(_SCHEMES)))
    ask = str(params.get("ask") or draw.pick(("variance", "std")))
    fan_in, fan_out = draw.pick(WIDTHS), draw.pick(WIDTHS)
    variance = _variance(scheme, fan_in, fan_out)
    std = ask == "std"
    expected = sympy.sqrt(variance) if std else variance
    wanted = "standard deviation σ" if std else "variance Var(W)"
    if scheme == "xavier":
        rule = (
            "Xavier (Glorot & Bengio, 2010) compromises between keeping the activations' "
            "variance steady forward (n_in Var(W) = 1) and the gradients' backward "
            "(n_out Var(W) = 1): Var(W) = 2 / (n_in + n_out)."
        )
        worked = f"Var(W) = 2 / ({fan_in} + {fan_out}) = {variance} = {num(variance)}"
    else:
        rule = (
            "He et al. (2015), fan-in mode: a ReLU zeroes half of the pre-activations, so "
            "the weights need twice LeCun's variance 1 / n_in: Var(W) = 2 / n_in."
        )
        worked = f"Var(W) = 2 / {fan_in} = {variance} = {num(variance)}"
    solution: tuple[str, ...] = (rule, worked)
    if std:
        solution += (f"σ = √Var(W) = √{num(variance)} = {num(expected)}",)
    return Draft(
        prompt=(
            f"A fully connected layer has fan-in n_in = {fan_in} (inputs) and fan-out "
            f"n_out = {fan_out} (outputs). Its weights are drawn from a zero-mean normal "
            f"distribution with {_SCHEMES[scheme]}. What is the {wanted} of each weight?"
        ),
        answer_kind=AnswerKind.NUMBER,
        expected=float(expected),
        answer_hint=number_hint(ROUNDED_NOTE + ", or an expression such as 2/7 or sqrt(2/7)"),
        tolerance=ROUNDED_RELATIVE,
        solution=solution,
        mistakes=_mistakes(scheme, fan_in, fan_out, std=std),
        given={"scheme": scheme, "ask": ask, "fan_in": fan_in, "fan_out": fan_out},
    )


TEMPLATES = (init_variance,)
