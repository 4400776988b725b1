"""Backpropagation through a small expression graph: the partials at a point.

Several shapes reuse an input in two nodes, so the student must add the adjoint
contributions from each path, the step reverse-mode differentiation is built on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy

from quizzes.generators._common import (
    EXACT,
    EXACT_NOTE,
    Draft,
    Draw,
    function_text,
    make_template,
    pretty,
    vec,
    vector_hint,
)
from quizzes.problem import AnswerKind, Mistake

_SYMBOLS = {"add": "+", "sub": "-", "mul": "·"}


@dataclass(frozen=True)
class Node:
    name: str
    op: str  # add, sub, mul, square
    args: tuple[str, ...]

    def describe(self) -> str:
        if self.op == "square":
            return f"{self.name} = {self.args[0]}²"
        return f"{self.name} = {self.args[0]} {_SYMBOLS[self.op]} {self.args[1]}"


SHAPES: tuple[tuple[Node, ...], ...] = (
    (Node("q", "add", ("x", "y")), Node("f", "mul", ("q", "z"))),
    (Node("q", "mul", ("x", "y")), Node("r", "add", ("q", "z")), Node("f", "square", ("r",))),
    (Node("a", "mul", ("x", "y")), Node("b", "mul", ("y", "z")), Node("f", "add", ("a", "b"))),
    (Node("a", "add", ("x", "y")), Node("b", "sub", ("y", "z")), Node("f", "mul", ("a", "b"))),
    (Node("q", "mul", ("x", "y")), Node("f", "mul", ("q", "x"))),
    (Node("q", "sub", ("x", "y")), Node("r", "square", ("q",)), Node("f", "mul", ("r", "z"))),
)


@dataclass(frozen=True)
class Rules:
    """How local derivatives are taken; the defaults are right, the others are slips."""

    square_factor: bool = True
    swap_product: bool = False
    sub_sign: bool = True
    first_path_only: bool = False


def _inputs(shape: Sequence[Node]) -> tuple[str, ...]:
    produced = {node.name for node in shape}
    return tuple(sorted({a for node in shape for a in node.args if a not in produced}))


def forward(shape: Sequence[Node], values: Mapping[str, int]) -> dict[str, int]:
    out = dict(values)
    for node in shape:
        a = out[node.args[0]]
        b = out[node.args[-1]]
        out[node.name] = {"add": a + b, "sub": a - b, "mul": a * b, "square": a * a}[node.op]
    return out


def _locals(node: Node, out: Mapping[str, int], rules: Rules) -> tuple[int, ...]:
    a, b = out[node.args[0]], out[node.args[-1]]
    if node.op == "add":
        return (1, 1)
    if node.op == "sub":
        return (1, -1 if rules.sub_sign else 1)
    if node.op == "mul":
        return (a, b) if rules.swap_product else (b, a)
    return (2 * a if rules.square_factor else 1,)


def backward(
    shape: Sequence[Node], out: Mapping[str, int], rules: Rules | None = None
) -> tuple[dict[str, int], list[str]]:
    """Adjoints ∂f/∂v for every value, plus the working lines."""
    rules = rules or Rules()
    adjoint = {shape[-1].name: 1}
    seen_inputs: set[str] = set()
    lines = [f"∂f/∂{shape[-1].name} = 1"]
    for node in reversed(shape):
        for arg, local in zip(node.args, _locals(node, out, rules), strict=True):
            if rules.first_path_only and arg in seen_inputs:
                continue
            contribution = adjoint[node.name] * local
            adjoint[arg] = adjoint.get(arg, 0) + contribution
            lines.append(
                f"via {node.name}: ∂f/∂{arg} += ∂f/∂{node.name}·∂{node.name}/∂{arg} = "
                f"{_paren(adjoint[node.name])}·{_paren(local)} = {contribution}"
            )
            if arg in out and arg not in {n.name for n in shape}:
                seen_inputs.add(arg)
    return adjoint, lines


def _paren(value: int) -> str:
    return f"({value})" if value < 0 else str(value)


def _expression(shape: Sequence[Node], names: Sequence[str]) -> sympy.Expr:
    env: dict[str, sympy.Expr] = {n: sympy.Symbol(n) for n in names}
    for node in shape:
        a, b = env[node.args[0]], env[node.args[-1]]
        env[node.name] = {"add": a + b, "sub": a - b, "mul": a * b, "square": a**2}[node.op]
    return env[shape[-1].name]


def _mistakes(
    shape: Sequence[Node], out: Mapping[str, int], names: Sequence[str]
) -> tuple[Mistake, ...]:
    def grad(rules: Rules) -> tuple[float, ...]:
        adjoint, _ = backward(shape, out, rules)
        return tuple(float(adjoint.get(n, 0)) for n in names)

    return (
        Mistake(
            "single-path",
            "An input that feeds several nodes gets the sum of the contributions along every "
            "path; you kept only one.",
            grad(Rules(first_path_only=True)),
        ),
        Mistake(
            "product-rule-swap",
            "For q = a·b, ∂q/∂a is the other factor b, not a.",
            grad(Rules(swap_product=True)),
        ),
        Mistake(
            "square-factor",
            "The local derivative of r² is 2r; you used 1.",
            grad(Rules(square_factor=False)),
        ),
        Mistake(
            "subtraction-sign",
            "For q = a - b, ∂q/∂b = -1: the sign carries through the chain rule.",
            grad(Rules(sub_sign=False)),
        ),
    )


def _evaluate(
    draw: Draw, shape: Sequence[Node], names: Sequence[str]
) -> tuple[dict[str, int], dict[str, int], dict[str, int], list[str]]:
    """Input values where no partial vanishes, so every path's contribution shows."""
    for _ in range(100):
        values = {n: draw.nonzero(-3, 3) for n in names}
        out = forward(shape, values)
        adjoint, lines = backward(shape, out)
        if all(adjoint[n] for n in names):
            return values, out, adjoint, lines
    raise RuntimeError("no point with every partial derivative nonzero found")


@make_template(
    "backprop-graph",
    "Backpropagation through a graph",
    "models",
    ("backpropagation", "chain-rule", "autodiff"),
    "M",
    1,
)
def backprop_graph(draw: Draw, params: Mapping[str, str | int]) -> Draft:
    shape = draw.pick(SHAPES)
    names = _inputs(shape)
    values, out, adjoint, lines = _evaluate(draw, shape, names)
    expected = tuple(float(adjoint[n]) for n in names)
    expr = _expression(shape, names)
    at = ", ".join(f"{n} = {values[n]}" for n in names)
    return Draft(
        prompt=(
            f"The graph {'; '.join(node.describe() for node in shape)} computes f. At {at}, "
            f"give the gradient ({', '.join(f'∂f/∂{n}' for n in names)}) by backpropagation."
        ),
        math=pretty(sympy.Eq(sympy.Symbol("f"), expr, evaluate=False)),
        answer_kind=AnswerKind.VECTOR,
        expected=expected,
        answer_hint=vector_hint(len(names), EXACT_NOTE),
        tolerance=EXACT,
        solution=(
            "Forward pass: " + ", ".join(f"{node.name} = {out[node.name]}" for node in shape),
            "Backward pass (adjoints, from the output back):",
            *lines,
            f"Gradient: {vec(expected)}",
        ),
        mistakes=_mistakes(shape, out, names),
        function=function_text(expr),
        variables=names,
        point=tuple(float(values[n]) for n in names),
        given={"values": dict(values)},
    )


TEMPLATES = (backprop_graph,)
