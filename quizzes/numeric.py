"""Numbers from formulas for pictures: f on a grid, and a few optimizer steps.

The heat map of a compute card needs f at a few hundred points. `lambdify` would
generate and compile Python source from the expression, which this project never
does with text that came from a deck file; instead a short walk over the sympy
tree applies the numpy counterpart of each node it knows (a fixed list: sums,
products, powers, exp, log, sqrt, sin, cos, tan, tanh, abs and constants) and
refuses anything else.

The optimizer paths continue a step problem for a few more steps with the same
update the problem's prompt states, so the picture shows where the method goes
next; the first steps must match the problem's own path (a test checks that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from quizzes.expressions import parse_expression
from quizzes.problem import Problem

Array = np.ndarray[Any, np.dtype[np.float64]]
Point = tuple[float, ...]

_FUNCTIONS: dict[type[sympy.Basic], Callable[[Array], Array]] = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.tan: np.tan,
    sympy.tanh: np.tanh,
    sympy.Abs: np.abs,
}


class NumericError(ValueError):
    """The formula holds something the grid evaluator does not know how to compute."""


def evaluate(expr: sympy.Expr, values: Mapping[str, Array | float]) -> Array:
    """f at every point of the arrays in `values` (broadcast together).

    Points where f is undefined or overflows come back as NaN, so a picture can
    leave them blank instead of failing on one bad corner.
    """
    arrays = {name: np.asarray(value, dtype=np.float64) for name, value in values.items()}
    with np.errstate(all="ignore"):
        result = np.asarray(_walk(expr, arrays), dtype=np.float64)
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
        result = np.broadcast_to(result, shape).copy()
    result[~np.isfinite(result)] = np.nan
    return result


def _walk(node: sympy.Basic, values: Mapping[str, Array]) -> Array | float:
    if isinstance(node, sympy.Symbol):
        if node.name not in values:
            raise NumericError(f"no value given for the variable {node.name!r}")
        return values[node.name]
    if node.is_number:
        return _constant(node)
    args = [_walk(arg, values) for arg in node.args]
    if isinstance(node, sympy.Add):
        return _fold(args, np.add)
    if isinstance(node, sympy.Mul):
        return _fold(args, np.multiply)
    if isinstance(node, sympy.Pow):
        return np.power(np.asarray(args[0], dtype=np.float64), args[1])
    function = _FUNCTIONS.get(node.func)
    if function is None or len(args) != 1:
        raise NumericError(f"cannot evaluate {node.func.__name__} on a grid")
    return function(np.asarray(args[0], dtype=np.float64))


def _constant(node: sympy.Basic) -> float:
    value = complex(node.evalf())
    if value.imag:
        raise NumericError(f"the constant {node} is not a real number")
    return value.real


def _fold(args: Sequence[Array | float], op: Callable[[Any, Any], Array]) -> Array | float:
    total = args[0]
    for arg in args[1:]:
        total = op(total, arg)
    return total


@dataclass(frozen=True)
class Grid:
    """f sampled on a rectangle around a point; row 0 is the top (largest y).

    `center` is f at the point the map is about, the reference a diverging
    colour scale is centred on.
    """

    variables: tuple[str, str]
    xs: Array
    ys: Array
    values: Array
    center: float

    def cell(self, point: Sequence[float]) -> tuple[int, int] | None:
        """The (row, column) a point falls in, or None when it is off the map."""
        x, y = point[0], point[1]
        dx = self.xs[1] - self.xs[0]
        dy = self.ys[0] - self.ys[1]
        col = round((x - self.xs[0]) / dx)
        row = round((self.ys[0] - y) / dy)
        if 0 <= row < len(self.ys) and 0 <= col < len(self.xs):
            return row, col
        return None


def sample(
    function: str | sympy.Expr,
    variables: tuple[str, str],
    center: Sequence[float],
    *,
    path: Sequence[Sequence[float]] = (),
    columns: int = 31,
    rows: int = 13,
    min_radius: float = 1.5,
) -> Grid:
    """f on a `columns` x `rows` grid centred on `center`, wide enough for `path`.

    Terminal cells are about twice as tall as wide, so twice as many columns as
    rows keeps the x and y scales close to equal.
    """
    expr = parse_expression(function, variables) if isinstance(function, str) else function
    radius = max([min_radius, *(1.15 * _distance(p, center) for p in path)])
    half_height = radius * (rows - 1) / (columns - 1) * 2
    xs = np.linspace(center[0] - radius, center[0] + radius, columns)
    ys = np.linspace(center[1] + half_height, center[1] - half_height, rows)
    grid_x, grid_y = np.meshgrid(xs, ys)
    values = evaluate(expr, {variables[0]: grid_x, variables[1]: grid_y})
    middle = evaluate(expr, {variables[0]: center[0], variables[1]: center[1]})
    return Grid(variables, xs, ys, values, float(middle))


def _distance(a: Sequence[float], b: Sequence[float]) -> float:
    return max(abs(a[0] - b[0]), abs(a[1] - b[1]))


Update = Callable[[Point, int], Point]
# The constants the adam-step prompt states when its problem does not list them.
ADAM_DEFAULTS = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def optimizer_path(problem: Problem, points: int = 6) -> tuple[Point, ...]:
    """The problem's path continued to `points` iterates with its own update rule.

    Problems that are not step problems (or whose template this module does not
    know) keep their path as it is; a path stops early where it blows up.
    """
    if not problem.path or problem.function is None:
        return problem.path
    make = _UPDATES.get(problem.template)
    if make is None:
        return problem.path
    expr = parse_expression(problem.function, problem.variables)
    update = make(expr, problem.variables, problem.given)
    path = [problem.path[0]]
    while len(path) < max(points, len(problem.path)):
        step = update(path[-1], len(path) - 1)
        if not all(np.isfinite(step)) or max(map(abs, step)) > 1e6:
            break
        path.append(step)
    return tuple(path)


def _point(values: Array) -> Point:
    return tuple(float(v) for v in values)


def _gradient(expr: sympy.Expr, variables: Sequence[str]) -> Callable[[Point], Array]:
    parts = [sympy.diff(expr, sympy.Symbol(name)) for name in variables]

    def at(point: Point) -> Array:
        values = dict(zip(variables, point, strict=True))
        return np.array([float(evaluate(part, values)) for part in parts])

    return at


def _descent(expr: sympy.Expr, variables: Sequence[str], given: Mapping[str, Any]) -> Update:
    grad, rate = _gradient(expr, variables), float(given["learning_rate"])

    def update(theta: Point, _t: int) -> Point:
        return _point(np.asarray(theta) - rate * grad(theta))

    return update


def _momentum(expr: sympy.Expr, variables: Sequence[str], given: Mapping[str, Any]) -> Update:
    """Damped momentum; Nesterov's gradient is taken at θ - η·u, as its prompt says."""
    grad, rate, beta = _gradient(expr, variables), float(given["learning_rate"]), given["beta"]
    velocity = np.asarray(given["velocity"], dtype=np.float64)
    nesterov = bool(given.get("nesterov"))

    def update(theta: Point, _t: int) -> Point:
        nonlocal velocity
        probe = np.asarray(theta) - rate * velocity if nesterov else np.asarray(theta)
        velocity = beta * velocity + (1 - beta) * grad(tuple(probe))
        return _point(np.asarray(theta) - rate * velocity)

    return update


def _adam(expr: sympy.Expr, variables: Sequence[str], given: Mapping[str, Any]) -> Update:
    grad, rate = _gradient(expr, variables), float(given["learning_rate"])
    beta1 = float(given.get("beta1", ADAM_DEFAULTS["beta1"]))
    beta2 = float(given.get("beta2", ADAM_DEFAULTS["beta2"]))
    eps = float(given.get("eps", ADAM_DEFAULTS["eps"]))
    mean = np.asarray(given["m"], dtype=np.float64)
    square = np.asarray(given["v"], dtype=np.float64)
    first = int(given["t"])

    def update(theta: Point, k: int) -> Point:
        nonlocal mean, square
        g, t = grad(theta), first + k
        mean = beta1 * mean + (1 - beta1) * g
        square = beta2 * square + (1 - beta2) * g * g
        m_hat, v_hat = mean / (1 - beta1**t), square / (1 - beta2**t)
        return _point(np.asarray(theta) - rate * m_hat / (np.sqrt(v_hat) + eps))

    return update


def _newton(expr: sympy.Expr, variables: Sequence[str], _given: Mapping[str, Any]) -> Update:
    grad = _gradient(expr, variables)
    symbols = [sympy.Symbol(name) for name in variables]
    second = [[sympy.diff(expr, a, b) for b in symbols] for a in symbols]

    def update(theta: Point, _t: int) -> Point:
        values = dict(zip(variables, theta, strict=True))
        hessian = np.array([[float(evaluate(d, values)) for d in row] for row in second])
        try:
            step = np.linalg.solve(hessian, grad(theta))
        except np.linalg.LinAlgError:
            return (float("nan"),) * len(theta)
        return _point(np.asarray(theta) - step)

    return update


_UPDATES: dict[str, Callable[[sympy.Expr, Sequence[str], Mapping[str, Any]], Update]] = {
    "gd-step": _descent,
    "momentum-step": _momentum,
    "nesterov-step": _momentum,
    "adam-step": _adam,
    "newton-step": _newton,
}
