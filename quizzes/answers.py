"""Reading what a student typed: numbers, vectors, matrices, labels and formulas.

Students write answers in many shapes (`(0.8, 0.4)`, `[0.8 0.4]`, `1 2; 3 4`, `3/4`).
Every reader here is forgiving about layout but strict about meaning, and every
failure is an `AnswerError` whose message says what shape was expected, so the
study screen can let the student retype instead of marking them wrong.
"""

from __future__ import annotations

import cmath
import difflib
import math
import random
import re
import unicodedata
from collections.abc import Iterable, Mapping

import sympy

from quizzes.expressions import FORMULA_HINT, ExpressionError, evaluate, parse_expression

MAX_ANSWER_CHARS = 2000
NUMBER_HINT = "a number, like 0.25, -3 or 3/4"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_PAIRS = {"(": ")", "[": "]"}
_CLOSERS = {")": "(", "]": "["}
_SIMPLIFY_MAX_OPS = 60
_SIMPLIFY_MAX_POWER = 6
_EQUIVALENCE_POINTS = 8
_MIN_USABLE_POINTS = 3

# --- forms of the same answer -------------------------------------------------------------
# Cards print "−" and students paste from PDFs, phones and word processors, so every reader
# first rewrites look-alike characters and notations into the one plain form it parses.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2796\ufe58\ufe63"
_LOOK_ALIKES = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        "\u3001": ",",  # ideographic comma
        "\u00f7": "/",
        "\u2215": "/",
        "\u2044": "/",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
    }
)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789+-")
_VULGAR = {
    char: unicodedata.normalize("NFKC", char).replace("\u2044", "/")
    for char in "¼½¾⅐⅑⅒⅓⅔⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
}
_VULGAR_FRACTION = re.compile(f"(?<!\\d)(\\d*)([{''.join(_VULGAR)}])")
# 2.5×10^-2, 2.5 x 10^-2, 2.5·10^(-2) -> 2.5e-2 (one token, so a vector split on spaces
# keeps it whole). Not after / or ^, where 3/2.5*10^2 would change its meaning.
_SCIENTIFIC = re.compile(
    r"(?<![\w.)^/*])(\d+(?:\.\d*)?|\.\d+)\s*[*×·⋅∙xX]\s*10\s*(?:\^|\*\*)\s*"
    r"(?:\(\s*([+-]?\d+)\s*\)|([+-]?\d+))(?![\w.^(])"
)
_TIMES = str.maketrans(dict.fromkeys("×·⋅∙", "*"))
_LEADING_ZEROS = re.compile(r"(?<![\w.])0+(?=\d)")
_ROOT_OF_NUMBER = re.compile(r"√\s*(\d+(?:\.\d*)?|\.\d+|[^\W\d]\w*)")
_ROOT = re.compile(r"√\s*\(")
_TIMES_PI = re.compile(r"(?<=[\d)])\s*π")
_NAME = r"[^\W\d]\w*'?"
# "θ = (1, 2)", "(x, y) = (1, 2)", "x ≈ 0.25": a name before the answer is dropped.
_ANSWER_NAME = re.compile(rf"^\s*(?:{_NAME}|\(\s*{_NAME}(?:\s*,\s*{_NAME})*\s*\))\s*(?:=|≈|:)\s*")
_ITEM_NAME = re.compile(rf"(?<![\w.])({_NAME})\s*(?:=|≈|:)\s*")
_APPROX_PREFIX = re.compile(r"^\s*(?:=|≈|~|≃)\s*")
_PERCENT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%")
_VECTOR_BRACKETS = str.maketrans("<>⟨⟩〈〉{}", "()()()()")
_AXES = "xyzw"
_NUMBERED = re.compile(r"(\D*?)(\d+)'?")

# Labels are compared word by word after these rewrites, so a generator lists only true
# synonyms and "a local minima", "p.s.d." or "the test is inconclusive" need no entry.
_LABEL_INITIALS = re.compile(r"\b([^\W\d_])\.\s*(?=[^\W\d_]\b)")  # p. s. d. -> psd.
_LABEL_WORDS = {
    "pt": "point",
    "pts": "point",
    "points": "point",
    "min": "minimum",
    "mins": "minimum",
    "minima": "minimum",
    "minimums": "minimum",
    "max": "maximum",
    "maxs": "maximum",
    "maxima": "maximum",
    "maximums": "maximum",
    "saddles": "saddle",
    "indeterminate": "inconclusive",
    "undetermined": "inconclusive",
    "cant": "cannot",
    "pos": "positive",
    "neg": "negative",
    "nonneg": "nonnegative",
    "nonpos": "nonpositive",
    "def": "definite",
    "semidef": "semidefinite",
    "indef": "indefinite",
    "posdef": "positive definite",
    "negdef": "negative definite",
    "pd": "positive definite",
    "nd": "negative definite",
    "psd": "positive semidefinite",
    "nsd": "negative semidefinite",
    "spd": "positive definite",
    "spsd": "positive semidefinite",
}
# Words that never decide a label: articles, "the test is ...", "a local/strict ... point".
_LABEL_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "its",
        "is",
        "this",
        "that",
        "point",
        "local",
        "relative",
        "strict",
        "strictly",
        "isolated",
        "test",
        "second",
        "2nd",
        "order",
        "derivative",
        "symmetric",
        "matrix",
    ]
)
_LABEL_PAIRS = {
    ("nonnegative", "definite"): "positive semidefinite",
    ("nonpositive", "definite"): "negative semidefinite",
    ("semipositive", "definite"): "positive semidefinite",
    ("seminegative", "definite"): "negative semidefinite",
    ("definite", "positive"): "positive definite",
    ("definite", "negative"): "negative definite",
    ("semidefinite", "positive"): "positive semidefinite",
    ("semidefinite", "negative"): "negative semidefinite",
}


class AnswerError(ValueError):
    """The answer could not be read; `str(exc)` says what was expected."""


def parse_number(text: str) -> float:
    """A real number; simple arithmetic such as `1/3 + 1` or `sqrt(2)/2` is allowed.

    Also read: − and other dashes, 2.5×10^-2 (or x, ·, superscripts), ½ and other vulgar
    fractions, 25%, √2, a leading `x =` or `≈`, and a trailing full stop.
    """
    stripped = _checked(text, NUMBER_HINT)
    if _PLAIN_NUMBER.fullmatch(stripped):
        return _finite(float(stripped), stripped)
    read = _number_text(stripped)
    if not read:
        raise AnswerError(f"expected {NUMBER_HINT}; '{_short(stripped)}' has no number")
    if _PLAIN_NUMBER.fullmatch(read):
        return _finite(float(read), stripped)
    percent = _PERCENT.fullmatch(read)
    if percent:
        return _finite(float(percent[1]) / 100, stripped)
    shown = f"'{_short(stripped)}'{_read_as(stripped, read)}"
    try:
        expr = parse_expression(read, variables=())
    except ExpressionError as exc:
        detail = str(exc).removesuffix(FORMULA_HINT).rstrip("; ")
        if "," in read:
            detail = "use a dot for decimals (0.5, not 0,5)"
        raise AnswerError(f"expected {NUMBER_HINT}; {shown}: {detail}") from None
    try:
        value = evaluate(expr)
    except ExpressionError:
        raise AnswerError(f"expected {NUMBER_HINT}; {shown} has no value") from None
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise AnswerError(f"expected a real number; {shown} is not real")
    return _finite(value.real, stripped)


def parse_vector(text: str, size: int | None = None) -> tuple[float, ...]:
    """Numbers separated by commas (or, without commas, by semicolons or spaces), brackets
    optional: `(1, 2)`, `[1; 2]`, `<1, 2>`, `⟨1, 2⟩`, `1 2`, `x=1, y=2`, `θ = (1, 2)`."""
    hint = _vector_hint(size)
    stripped = _checked(text, hint)
    normal = _vector_text(stripped)
    named = _ANSWER_NAME.sub("", normal, count=1)
    # `θ = (1, 2)` names the whole vector; in `x=1, y=2` the first name is an item's.
    read = _item_names_dropped(named if _wrapped(named) else normal, hint)
    body = _strip_brackets(read, hint, stripped)
    items = _split_items(body, hint, stripped)
    if not items:
        raise AnswerError(f"expected {hint}; got an empty list '{_short(stripped)}'")
    values = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(parse_number(item))
        except AnswerError as exc:
            where = f"item {position}" if len(items) > 1 else "the answer"
            typed = "" if read == stripped else f" of '{_short(stripped)}'"
            raise AnswerError(f"expected {hint}; {where} '{_short(item)}'{typed}: {exc}") from None
    if size is not None and len(values) != size:
        got = _count(len(values), "number")
        raise AnswerError(f"expected {hint}; got {got} in '{_short(stripped)}'")
    return tuple(values)


def parse_matrix(text: str, shape: tuple[int, int] | None = None) -> tuple[tuple[float, ...], ...]:
    """Rows as `[[1, 2], [3, 4]]`, or separated by `;` or new lines as in `1 2; 3 4`
    (brackets around each row, the whole, both or neither); `{{1, 2}, {3, 4}}`, LaTeX's
    `1 & 2 \\\\ 3 & 4` and a leading `H =` are read too."""
    hint = _matrix_hint(shape)
    stripped = _checked(text, hint)
    read = _ANSWER_NAME.sub("", _matrix_text(stripped), count=1)
    rows_text = _matrix_rows(read, hint, stripped)
    rows: list[tuple[float, ...]] = []
    for position, row_text in enumerate(rows_text, start=1):
        try:
            rows.append(parse_vector(row_text))
        except AnswerError as exc:
            raise AnswerError(f"expected {hint}; row {position}: {exc}") from None
    width = len(rows[0])
    for position, (row, row_text) in enumerate(zip(rows, rows_text, strict=True), start=1):
        if len(row) != width:
            raise AnswerError(
                f"expected {hint}; row {position} has {_count(len(row), 'number')} "
                f"but row 1 has {width}: '{_short(row_text)}'"
            )
    if shape is not None and (len(rows), width) != shape:
        raise AnswerError(
            f"expected {hint}; got a {len(rows)}x{width} matrix in '{_short(stripped)}'"
        )
    return tuple(rows)


def parse_label(text: str, synonyms: Mapping[str, Iterable[str]]) -> str:
    """The canonical key whose synonyms (or the key itself) match, ignoring case,
    spaces, hyphens and underscores, so `Saddle-Point` counts as `saddle point`."""
    lookup: dict[str, str] = {}
    for key, words in synonyms.items():
        for word in (key, *words):
            for normal in (_normal_label(word), _squashed_label(word)):
                if lookup.setdefault(normal, key) != key:
                    raise ValueError(
                        f"label synonym {word!r} is shared by {lookup[normal]!r} and {key!r}"
                    )
    options = ", ".join(synonyms)
    stripped = _checked(text, f"one of: {options}")
    for normal in (_normal_label(stripped), _squashed_label(stripped)):
        if normal in lookup:
            return lookup[normal]
    words = set(_label_words(stripped))
    partial = [key for key in synonyms if words and words < set(_label_words(key))]
    close = difflib.get_close_matches(_normal_label(stripped), list(lookup), n=1, cutoff=0.75)
    if len(partial) > 1:
        suggestion = " (which one: " + " or ".join(f"'{key}'" for key in partial) + "?)"
    elif close:
        suggestion = f" (did you mean '{lookup[close[0]]}'?)"
    else:
        suggestion = ""
    raise AnswerError(f"expected one of: {options}; got '{_short(stripped)}'{suggestion}")


def expressions_equivalent(a: sympy.Expr, b: sympy.Expr, seed: int = 0) -> bool:
    """Whether `a` and `b` are the same function of their variables.

    Cheap checks decide almost every case: sympy's automatic cancellation of `a - b`,
    then evaluating both sides at random real points (agreement to 1e-9 at every usable
    point settles it either way). Only when too few points can be evaluated is
    `simplify` asked, and only on small differences without large powers, because on
    something like (x + y + z + w)^40 it would expand for minutes.
    """
    a, b = _unify_symbols(a, b)
    if a == b or a - b == 0:
        return True
    agreed = _agree_numerically(a, b, random.Random(seed))
    if agreed is not None:
        return agreed
    difference = a - b
    if not _cheap_to_simplify(difference):
        return False
    try:
        return bool(sympy.simplify(difference) == 0)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return False


def _checked(text: str, hint: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise AnswerError(f"expected {hint}; got nothing")
    if len(stripped) > MAX_ANSWER_CHARS:
        raise AnswerError(f"the answer is too long (more than {MAX_ANSWER_CHARS:,} characters)")
    return stripped


def _finite(value: float, text: str) -> float:
    if not math.isfinite(value):
        raise AnswerError(f"expected {NUMBER_HINT}; '{_short(text)}' is too large")
    return value


def _short(text: str, limit: int = 40) -> str:
    """One line (new lines shown as ⏎), cut to `limit` characters."""
    text = text.replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _vector_hint(size: int | None) -> str:
    if size is None:
        return "a list of numbers, like (1.5, -2)"
    example = ", ".join(("1.5", "-2", "0", "3")[:size]) if size <= 4 else "1.5, -2, …"
    return f"a vector of {_count(size, 'number')}, like ({example})"


def _matrix_hint(shape: tuple[int, int] | None) -> str:
    if shape is None:
        return "a matrix, like [[1, 2], [3, 4]] or 1 2; 3 4"
    rows, columns = shape
    return f"a {rows}x{columns} matrix, like [[1, 2], [3, 4]] or 1 2; 3 4"


def _matching_close(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start`, or -1 when unbalanced."""
    stack: list[str] = []
    for index in range(start, len(text)):
        char = text[index]
        if char in _PAIRS:
            stack.append(char)
        elif char in _CLOSERS:
            if not stack or stack.pop() != _CLOSERS[char]:
                return -1
            if not stack:
                return index
    return -1


def _wrapped(text: str) -> bool:
    return bool(text) and text[0] in _PAIRS and _matching_close(text, 0) == len(text) - 1


def _strip_brackets(text: str, hint: str, typed: str) -> str:
    if _wrapped(text):
        return text[1:-1].strip()
    if text and text[0] in _PAIRS and _matching_close(text, 0) == -1:
        raise AnswerError(f"expected {hint}; the brackets do not match in '{_short(typed)}'")
    return text


def _split_top(text: str, separators: str) -> list[str]:
    """Split at `separators` outside brackets; a run of whitespace counts as one."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in _PAIRS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    if " " in separators or "\n" in separators:
        return [part for part in parts if part]
    return parts


def _split_items(body: str, hint: str, typed: str) -> list[str]:
    """Items separated by commas, else by semicolons (as in `[1; 2]`), else by spaces."""
    if not body:
        return []
    for separator, name in ((",", "commas"), (";", "semicolons")):
        items = _split_top(body, separator)
        if items == [body]:
            continue
        if items[-1] == "":
            items.pop()
        if "" in items:
            raise AnswerError(
                f"expected {hint}; two {name} in a row in '{_short(typed)}': "
                f"write one number between each pair of {name}"
            )
        return items
    return _split_top(body, " \t\n")


def _matrix_rows(text: str, hint: str, typed: str) -> list[str]:
    """Rows split at `;`, else at new lines (a row may end with a comma), else bracketed."""
    body = _strip_brackets(text, hint, typed)
    for separators in (";", "\n"):
        rows = [row.rstrip(",; \t") for row in _split_top(body, separators)]
        rows = [row for row in rows if row]
        if len(rows) > 1:
            return rows
    items = _split_items(body, hint, typed)
    bracketed = [_wrapped(item) for item in items]
    if items and all(bracketed):
        return items
    if any(bracketed):
        raise AnswerError(
            f"expected {hint}; put every row in brackets, or none: got '{_short(typed)}'"
        )
    if not items:
        raise AnswerError(f"expected {hint}; got an empty matrix '{_short(typed)}'")
    return [body]


def _normal_label(text: str) -> str:
    return "".join(_label_words(text))


def _label_words(text: str) -> list[str]:
    """The label's words, rewritten to one spelling each, so that case, spacing, hyphens,
    dots, articles, plurals and abbreviations do not matter."""
    text = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES).casefold()
    text = re.sub(r"['\"`.]", "", _LABEL_INITIALS.sub(r"\1", text))
    words: list[str] = []
    for word in re.findall(r"[^\W_]+", text):
        if words and (words[-1] in ("non", "semi") or (words[-1], word) == ("can", "not")):
            words[-1] += word  # non-negative, semi definite, can not
        else:
            words.append(word)
    spelled = " ".join(_LABEL_WORDS.get(word, word) for word in words).split()
    kept = [word for word in spelled if word not in _LABEL_FILLER]
    for index in range(len(kept) - 1):
        pair = _LABEL_PAIRS.get((kept[index], kept[index + 1]))
        if pair is not None:
            kept[index], kept[index + 1] = pair.split()
    return kept


def _squashed_label(text: str) -> str:
    """The label without case, spaces, hyphens or dots, so `saddlepoint` is `saddle point`."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _common_text(text: str) -> str:
    """Look-alike characters and notations rewritten into what the number reader parses."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m[0].translate(_FROM_SUPERSCRIPT), text)
    text = _VULGAR_FRACTION.sub(_vulgar, text)
    text = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKES)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SCIENTIFIC.sub(lambda m: f"{m[1]}e{m[2] or m[3]}", text).translate(_TIMES)
    text = _ROOT_OF_NUMBER.sub(r"sqrt(\1)", text)
    text = _ROOT.sub("sqrt(", text)
    text = _TIMES_PI.sub("*π", text).replace("π", "pi")
    return _LEADING_ZEROS.sub("", text)


def _vulgar(match: re.Match[str]) -> str:
    whole, fraction = match[1], _VULGAR[match[2]]
    return f"({whole}+{fraction})" if whole else f"({fraction})"


def _number_text(text: str) -> str:
    read = _ANSWER_NAME.sub("", _common_text(text), count=1)
    read = _APPROX_PREFIX.sub("", read, count=1).strip()
    return _without_full_stop(read)


def _vector_text(text: str) -> str:
    return _without_full_stop(_common_text(text).translate(_VECTOR_BRACKETS).strip())


def _matrix_text(text: str) -> str:
    """Also LaTeX's `1 & 2 \\\\ 3 & 4`."""
    return _vector_text(text).replace("\\\\", ";").replace("&", ",")


def _without_full_stop(text: str) -> str:
    """`0.25.` at the end of a sentence is 0.25 (a dot after a digit or a bracket)."""
    if len(text) > 1 and text.endswith(".") and (text[-2].isdigit() or text[-2] in ")]"):
        return text[:-1].rstrip()
    return text


def _read_as(typed: str, read: str) -> str:
    return "" if " ".join(typed.split()) == " ".join(read.split()) else f" (read as '{read}')"


def _item_names_dropped(text: str, hint: str) -> str:
    """`x=1, y=2` as `1, 2`, refusing names given twice or out of order (`y=2, x=1`)."""
    names = _ITEM_NAME.findall(text)
    if not names:
        return text
    shown = _short(text)
    for name in names:
        if names.count(name) > 1:
            raise AnswerError(f"expected {hint}; '{name}' is given twice in '{shown}'")
    order = _axis_order(names)
    if order != names:
        raise AnswerError(
            f"expected {hint}; give the components in order ({', '.join(order)}), got '{shown}'"
        )
    return _ITEM_NAME.sub("", text)


def _axis_order(names: list[str]) -> list[str]:
    """The order the names must come in: x, y, z, w, or by index as in θ1, θ2."""
    if all(name in _AXES for name in names):
        return sorted(names, key=_AXES.index)
    numbered = [_NUMBERED.fullmatch(name) for name in names]
    indices = [(m[1], int(m[2])) for m in numbered if m is not None]
    if len(indices) == len(names) and len({stem for stem, _ in indices}) == 1:
        return [name for _, name in sorted(zip(indices, names, strict=True))]
    return names


def _unify_symbols(a: sympy.Expr, b: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """Symbols with the same name are the same variable, whatever their assumptions."""
    names = {str(s) for s in a.free_symbols | b.free_symbols}
    real = {name: sympy.Symbol(name, real=True) for name in names}
    a = a.xreplace({s: real[str(s)] for s in a.free_symbols})
    b = b.xreplace({s: real[str(s)] for s in b.free_symbols})
    return a, b


def _cheap_to_simplify(expr: sympy.Expr) -> bool:
    if int(sympy.count_ops(expr)) > _SIMPLIFY_MAX_OPS:
        return False
    exponents = (power.exp for power in expr.atoms(sympy.Pow))
    return all(not e.is_Number or abs(e) <= _SIMPLIFY_MAX_POWER for e in exponents)


def _agree_numerically(a: sympy.Expr, b: sympy.Expr, rng: random.Random) -> bool | None:
    """True/False when the sample points decide; None when too few could be evaluated."""
    names = sorted({str(s) for s in a.free_symbols | b.free_symbols})
    usable = 0
    for _ in range(_EQUIVALENCE_POINTS):
        point = {name: complex(rng.choice((-1, 1)) * rng.uniform(0.2, 2.5)) for name in names}
        left, right = _value_at(a, point), _value_at(b, point)
        if left is None or right is None:
            continue
        usable += 1
        if not cmath.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True if usable >= _MIN_USABLE_POINTS else None


def _value_at(expr: sympy.Expr, point: Mapping[str, complex]) -> complex | None:
    try:
        return evaluate(expr, point)
    except ExpressionError:
        return None
