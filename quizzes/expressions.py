"""Formulas typed by students or written in deck files, read without ever running them.

The text is parsed with `ast`, every node is checked against a short whitelist, and
sympy objects are built by walking the tree. Nothing reaches `eval`, `sympify` or
`parse_expr`, so a hostile deck or answer can at worst earn an error message.
Sizes are bounded (text length, nesting, exponents, digits) so that no input can
make sympy spend minutes on arithmetic such as `9^9^9`.
"""

from __future__ import annotations

import ast
import cmath
import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction

import sympy

MAX_EXPRESSION_CHARS = 2000
MAX_DEPTH = 100
MAX_EXPONENT = 100
MAX_NAME_CHARS = 40
# Exact numbers (literals and folded arithmetic) stay below about 120 decimal digits:
# sympy factors integers under roots, which gets slow for much longer ones.
MAX_NUMBER_BITS = 400
_TOO_MANY_DIGITS = "has too many digits (about 120 at most)"

EXAMPLE = "3*x^2 + 2*x*y - exp(-y)"
# Appended to messages about the shape of the text, so callers reading a number can drop it.
FORMULA_HINT = f"write a formula like {EXAMPLE}"


class ExpressionError(ValueError):
    """The text is not a formula this app accepts; `str(exc)` is shown to the user."""


def _sigmoid(z: sympy.Expr) -> sympy.Expr:
    return sympy.Integer(1) / (1 + sympy.exp(-z))


FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
    "tanh": sympy.tanh,
    "sigmoid": _sigmoid,
    "abs": sympy.Abs,
}
# Functions of two or more arguments, as students write them for ReLU-like pieces.
VARIADIC: dict[str, Callable[..., sympy.Expr]] = {"max": sympy.Max, "min": sympy.Min}
CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E}

_FUNCTION_LIST = ", ".join([*FUNCTIONS, *VARIADIC])
_OPERATORS: dict[type[ast.operator], Callable[[sympy.Expr, sympy.Expr], sympy.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_OPERATOR_SYMBOLS: dict[type[ast.operator], str] = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
}
_REFUSED_NODES: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access with '.'",
    ast.Subscript: "indexing with [...]",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.NamedExpr: "assignment with ':='",
    ast.Starred: "unpacking with '*'",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'if ... else'",
    ast.Tuple: "a list of values separated by commas",
    ast.List: "a list in [...]",
    ast.Set: "a set in {...}",
    ast.Dict: "a dictionary in {...}",
    ast.JoinedStr: "a string",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
}


def parse_expression(text: str, variables: Iterable[str] | None = None) -> sympy.Expr:
    """Read `text` as a formula; `variables`, when given, are the only names allowed.

    `^` means power (as in most maths writing) and is the one textual rewrite made
    before parsing; `**` works too.
    """
    stripped = text.strip()
    if not stripped:
        raise ExpressionError(f"expected a formula, like {EXAMPLE}; got nothing")
    if len(stripped) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(
            f"the formula is {len(stripped):,} characters long; "
            f"the limit is {MAX_EXPRESSION_CHARS:,}"
        )
    position = _Positions(stripped)
    tree = _parse(position)
    _check_depth(tree)
    allowed = None if variables is None else frozenset(variables)
    builder = _Builder(position, allowed)
    result = builder.build(tree.body)
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise ExpressionError(
            "the value is undefined (a division by zero or log(0)?); check the denominators"
        )
    return result


def variables_of(expr: sympy.Expr) -> tuple[str, ...]:
    """Names of the free variables, sorted so that vectors have a stable order."""
    return tuple(sorted(str(symbol) for symbol in expr.free_symbols))


class _Positions:
    """The text with `^` rewritten as `**`, and the way back from a position in the
    rewritten source (line and column, as `ast` reports them) to the text as typed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.source = text.replace("^", "**")
        self.original: list[int] = []
        for index, char in enumerate(text):
            self.original += [index, index] if char == "^" else [index]
        self.original.append(len(text))
        self.line_starts = [0]
        for index, char in enumerate(self.source):
            if char == "\n":
                self.line_starts.append(index + 1)

    def describe(self, lineno: int, char_offset: int) -> str:
        """' at column 7' (or ' at line 2, column 3' for text on several lines)."""
        if not 1 <= lineno <= len(self.line_starts):
            return ""
        index = min(self.line_starts[lineno - 1] + max(char_offset, 0), len(self.original) - 1)
        typed = self.original[index]
        line = self.text.count("\n", 0, typed) + 1
        column = typed - (self.text.rfind("\n", 0, typed) + 1) + 1
        return f" at line {line}, column {column}" if "\n" in self.text else f" at column {column}"

    def of_node(self, node: ast.AST) -> str:
        lineno, offset = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
        if not 1 <= lineno <= len(self.line_starts):
            return ""
        line = self.source[self.line_starts[lineno - 1] :]
        chars = len(line.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        return self.describe(lineno, chars)


def _parse(position: _Positions) -> ast.Expression:
    try:
        return ast.parse(position.source, mode="eval")
    except SyntaxError as exc:
        where = position.describe(exc.lineno or 0, (exc.offset or 1) - 1)
        raise ExpressionError(
            f"could not read it{where} (use * for multiplication and ^ for powers); " + FORMULA_HINT
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(
            "could not read it (use plain characters and at most a few levels of "
            "parentheses); " + FORMULA_HINT
        ) from None


def _check_depth(tree: ast.AST) -> None:
    """Refuse deep trees up front, iteratively, so the recursive builder stays safe."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"there are more than {MAX_DEPTH} nested operations; shorten it")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


class _Builder:
    """Turns a checked `ast` tree into sympy objects, one whitelisted node at a time."""

    def __init__(self, position: _Positions, allowed: frozenset[str] | None) -> None:
        self.position = position
        self.allowed = allowed
        self.memo: dict[sympy.Basic, complex] = {}

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        where = self.position.of_node(node).removeprefix(" at ")
        return ExpressionError(f"{where}: {message}" if where else message)

    def build(self, node: ast.expr) -> sympy.Expr:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.check_value(_check_size(self.binary(node), self, node), node)
        if isinstance(node, ast.Call):
            return self.check_value(self.call(node), node)
        what = _REFUSED_NODES.get(type(node), f"'{type(node).__name__}'")
        raise self.fail(node, f"{what} is not allowed; {FORMULA_HINT}")

    def check_value(self, result: sympy.Expr, node: ast.expr) -> sympy.Expr:
        """A constant part must have a finite value in double precision; otherwise
        sympy could later spend hours evaluating something like sin(exp(exp(99)))."""
        if not result.free_symbols:
            self.value(result, node)
        return result

    def value(self, number: sympy.Expr, node: ast.expr) -> complex:
        try:
            return _evaluate(number, {}, self.memo)
        except _NUMERIC_ERRORS:
            raise self.fail(
                node, "this part has no finite value (too large, or undefined like 1/0)"
            ) from None

    def constant(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(
                node, f"{_describe(value)} is not allowed; write numbers like 2.5 or 1e-3"
            )
        if isinstance(value, int):
            if value.bit_length() > MAX_NUMBER_BITS:
                raise self.fail(node, f"the number {_TOO_MANY_DIGITS}")
            return sympy.Integer(value)
        if not math.isfinite(value):
            raise self.fail(node, "the number is too large to represent")
        exact = Fraction(repr(value))
        return sympy.Rational(exact.numerator, exact.denominator)

    def name(self, node: ast.Name) -> sympy.Expr:
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS or name in VARIADIC:
            raise self.fail(
                node,
                f"{name} is a function; write it with its arguments, like "
                + (f"{name}(x, 0)" if name in VARIADIC else f"{name}(x)"),
            )
        if name.startswith("_") or len(name) > MAX_NAME_CHARS:
            raise self.fail(node, f"'{name[:MAX_NAME_CHARS]}' is not an allowed variable name")
        if self.allowed is not None and name not in self.allowed:
            if not self.allowed:
                raise self.fail(node, f"expected only numbers here, but found the name '{name}'")
            known = ", ".join(sorted(self.allowed))
            raise self.fail(node, f"unknown variable '{name}'; this formula may use {known}")
        return sympy.Symbol(name)

    def unary(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        symbol = "~" if isinstance(node.op, ast.Invert) else "not"
        raise self.fail(node, f"'{symbol}' is not allowed; use +, -, *, / and ^")

    def binary(self, node: ast.BinOp) -> sympy.Expr:
        if isinstance(node.op, ast.Pow):
            base = self.build(node.left)
            exponent = self.build(node.right)
            _check_power(base, exponent, self, node)
            return sympy.Pow(base, exponent)
        operator = _OPERATORS.get(type(node.op))
        if operator is None:
            symbol = _OPERATOR_SYMBOLS.get(type(node.op), type(node.op).__name__)
            raise self.fail(node, f"the operator {symbol} is not allowed; use +, -, *, / and ^")
        return operator(self.build(node.left), self.build(node.right))

    def call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name) or (
            node.func.id not in FUNCTIONS and node.func.id not in VARIADIC
        ):
            called = f"'{node.func.id}'" if isinstance(node.func, ast.Name) else "this"
            raise self.fail(
                node, f"{called} cannot be called; the known functions are {_FUNCTION_LIST}"
            )
        name = node.func.id
        if name in VARIADIC:
            if (
                node.keywords
                or len(node.args) < 2
                or any(isinstance(arg, ast.Starred) for arg in node.args)
            ):
                raise self.fail(node, f"{name} takes two or more arguments, like {name}(x, 0)")
            return VARIADIC[name](*(self.build(arg) for arg in node.args))
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.fail(node, f"{name} takes exactly one argument, like {name}(x)")
        return FUNCTIONS[name](self.build(node.args[0]))


def _check_power(
    base: sympy.Expr, exponent: sympy.Expr, builder: _Builder, node: ast.BinOp
) -> None:
    """Refuse a power before sympy computes it if the result would be enormous."""
    if exponent.free_symbols:
        return
    value = builder.value(exponent, node)
    if value.imag:
        raise builder.fail(node, "the exponent must be a real number")
    size = abs(value.real)
    if size > MAX_EXPONENT:
        raise builder.fail(
            node, f"exponents are limited to -{MAX_EXPONENT}..{MAX_EXPONENT}; this one is too big"
        )
    largest = max((_bits(atom) for atom in base.atoms(sympy.Rational)), default=0)
    if largest * size > MAX_NUMBER_BITS:
        raise builder.fail(node, f"the power would have {_TOO_MANY_DIGITS.removeprefix('has ')}")


def _check_size(result: sympy.Expr, builder: _Builder, node: ast.BinOp) -> sympy.Expr:
    """Folded arithmetic such as 10^99 * 10^99 * ... must stay a sensible size."""
    number = result
    if result.is_Mul:
        number = result.as_coeff_Mul()[0]
    elif result.is_Add:
        number = result.as_coeff_Add()[0]
    if number.is_Rational and _bits(number) > MAX_NUMBER_BITS:
        raise builder.fail(node, f"a number {_TOO_MANY_DIGITS}")
    return result


def evaluate(expr: sympy.Expr, values: Mapping[str, complex] | None = None) -> complex:
    """The value at a point, in double precision.

    Unlike sympy's `evalf`, which raises its working precision until it succeeds (and
    can run for hours on sin(exp(exp(99)))), this takes time proportional to the size
    of the tree: anything too large for a float is an ExpressionError at once.
    """
    try:
        return _evaluate(expr, values or {}, {})
    except KeyError as exc:
        raise ExpressionError(f"no value was given for the variable {exc.args[0]}") from None
    except _NUMERIC_ERRORS:
        raise ExpressionError(
            "the formula has no finite value here (too large, or undefined like 1/0)"
        ) from None


_NUMERIC_ERRORS = (OverflowError, ZeroDivisionError, ValueError, TypeError, RecursionError)
_UNARY: dict[type[sympy.Basic], Callable[[complex], complex]] = {
    sympy.exp: cmath.exp,
    sympy.log: cmath.log,
    sympy.sin: cmath.sin,
    sympy.cos: cmath.cos,
    sympy.tan: cmath.tan,
    sympy.tanh: cmath.tanh,
    sympy.Abs: lambda z: complex(abs(z)),
}


def _evaluate(
    expr: sympy.Basic, values: Mapping[str, complex], memo: dict[sympy.Basic, complex]
) -> complex:
    if expr in memo:
        return memo[expr]
    if expr.is_Symbol:
        value = complex(values[str(expr)])
    elif expr.is_Atom:
        value = complex(expr)
    elif expr.is_Add or expr.is_Mul:
        parts = [_evaluate(arg, values, memo) for arg in expr.args]
        value = sum(parts, 0j) if expr.is_Add else math.prod(parts, start=1 + 0j)
    elif expr.is_Pow:
        base, exponent = (_evaluate(arg, values, memo) for arg in expr.args)
        value = _power(base, exponent)
    elif type(expr) in _UNARY and len(expr.args) == 1:
        value = _UNARY[type(expr)](_evaluate(expr.args[0], values, memo))
    elif isinstance(expr, sympy.Max | sympy.Min):
        parts = [_evaluate(arg, values, memo) for arg in expr.args]
        if any(part.imag for part in parts):
            raise ValueError("max and min compare real numbers only")
        pick = max if isinstance(expr, sympy.Max) else min
        value = complex(pick(part.real for part in parts))
    else:
        point = {symbol: values[str(symbol)] for symbol in expr.free_symbols}
        value = complex(expr.evalf(15, subs=point))
    if not cmath.isfinite(value):
        raise OverflowError(str(expr))
    memo[expr] = value
    return value


def _power(base: complex, exponent: complex) -> complex:
    """Real powers stay real where they are defined, so (-2)^3 is exactly -8."""
    if not base.imag and not exponent.imag and (base.real > 0 or exponent.real.is_integer()):
        return complex(base.real**exponent.real)
    return base**exponent


def _describe(value: object) -> str:
    if isinstance(value, complex):
        return "an imaginary number"
    if isinstance(value, str | bytes):
        return "text in quotes"
    return repr(value)


def _bits(number: sympy.Basic) -> int:
    if not isinstance(number, sympy.Rational):
        return 0
    return max(int(number.p).bit_length(), int(number.q).bit_length())
