"""Softmax cross-entropy: the loss for given logits and label, or its gradient wrt the logits.

The loss is loss(h, y) = log Σ_j exp(h_j) - h_y and its gradient is softmax(h) - e_y: the
predicted probabilities minus the one-hot label, which is why the logits of wrong
classes are pushed down in proportion to how much probability they take.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import sympy

from quizzes.generators._common import (
    ROUNDED,
    ROUNDED_NOTE,
    Draft,
    Draw,
    make_template,
    number_hint,
    pretty,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake


def _softmax(logits: Sequence[int]) -> tuple[float, ...]:
    top = max(logits)
    weights = [math.exp(h - top) for h in logits]
    total = sum(weights)
    return tuple(w / total for w in weights)


def _loss_mistakes(logits: Sequence[int], label: int, loss: float) -> tuple[Mistake, ...]:
    probs = _softmax(logits)
    return (
        Mistake(
            "missing-normalizer",
            "The loss is log Σ exp(h_j) - h_y; you left out the log-sum-exp term.",
            float(-logits[label]),
        ),
        Mistake(
            "sign-flip",
            "Cross-entropy is -log p_y, which is never negative: log Σ exp(h_j) - h_y.",
            -loss,
        ),
        Mistake(
            "probability-not-loss",
            "That is the probability p_y of the true class; the loss is -log p_y.",
            probs[label],
        ),
        Mistake(
            "log-base-2",
            "Use the natural logarithm: the loss is ln Σ exp(h_j) - h_y.",
            loss / math.log(2),
        ),
    )


def _gradient_mistakes(
    logits: Sequence[int], onehot: Sequence[int], probs: Sequence[float]
) -> tuple[Mistake, ...]:
    return (
        Mistake(
            "forgot-one-hot",
            "Subtract the one-hot label: the gradient is softmax(h) - e_y.",
            tuple(probs),
        ),
        Mistake(
            "sign-flip",
            "The gradient is softmax(h) - e_y, not e_y - softmax(h): raising the true logit "
            "lowers the loss, so its component is negative.",
            tuple(y - p for p, y in zip(probs, onehot, strict=True)),
        ),
        Mistake(
            "logits-not-probabilities",
            "Turn the logits into probabilities with softmax before subtracting e_y.",
            tuple(float(h - y) for h, y in zip(logits, onehot, strict=True)),
        ),
    )


def _solution(logits: Sequence[int], label: int) -> tuple[str, ...]:
    probs = _softmax(logits)
    onehot = [1 if j == label else 0 for j in range(len(logits))]
    exps = " + ".join(f"e^{h}" if h >= 0 else f"e^({h})" for h in logits)
    return (
        f"softmax(h) = exp(h_j) / Σ exp(h_k) = {vec(probs)}  (Σ exp(h_k) = {exps})",
        f"Loss = log({exps}) - h_y = {-math.log(probs[label]):.6g}  "
        f"(= -log p_y with p_y = {probs[label]:.6g})",
        f"Gradient wrt h = softmax(h) - e_y = {vec(probs)} - {vec(onehot)} = "
        f"{vec([p - y for p, y in zip(probs, onehot, strict=True)])}",
    )


@make_template(
    "softmax-xent",
    "Softmax cross-entropy",
    "models",
    ("softmax", "cross-entropy", "loss"),
    "M",
    2,
)
def softmax_xent(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    ask = str(params.get("ask") or draw.pick(("loss", "gradient")))
    size = draw.integer(3, 4)
    logits = [draw.integer(-2, 3) for _ in range(size)]
    label = draw.integer(0, size - 1)
    probs = _softmax(logits)
    onehot = [1 if j == label else 0 for j in range(size)]
    if ask == "loss":
        top = max(logits)
        loss = top + math.log(sum(math.exp(h - top) for h in logits)) - logits[label]
        question = "the cross-entropy loss = log Σ_j exp(h_j) - h_y (natural log)"
        expected: object = loss
        kind, hint = AnswerKind.NUMBER, number_hint(ROUNDED_NOTE)
        mistakes = _loss_mistakes(logits, label, loss)
    else:
        question = "the gradient of the cross-entropy loss with respect to the logits h"
        expected = tuple(p - y for p, y in zip(probs, onehot, strict=True))
        kind, hint = AnswerKind.VECTOR, vector_hint(size, ROUNDED_NOTE)
        mistakes = _gradient_mistakes(logits, onehot, probs)
    return Draft(
        prompt=(
            "A classifier outputs the logits h below for one example whose true label is "
            f"class {label + 1} of {size} (counting from 1). Give {question}."
        ),
        math=pretty(sympy.Eq(sympy.Symbol("h"), sympy.Matrix([logits]), evaluate=False)),
        answer_kind=kind,
        expected=expected,
        answer_hint=hint,
        tolerance=ROUNDED,
        solution=_solution(logits, label),
        mistakes=mistakes,
        given={"logits": tuple(logits), "label": label, "ask": ask},
    )


TEMPLATES = (softmax_xent,)
