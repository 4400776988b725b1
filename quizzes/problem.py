"""The data a compute card passes around: templates, problems, mistakes and check results.

This module stays free of numpy and sympy so that code which only needs the types (the
collection, deck validation, the TUI's type hints) does not pay for importing them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class AnswerKind(StrEnum):
    """How a typed answer is parsed and compared with the expected one."""

    NUMBER = "number"
    VECTOR = "vector"
    MATRIX = "matrix"
    LABEL = "label"
    EXPRESSION = "expression"
    DIRECTION = "direction"  # a vector that is right up to any nonzero scale, sign included


class TemplateParamError(ValueError):
    """A card asked a template for a parameter it does not have or a value it does not allow."""


@dataclass(frozen=True)
class ParamSpec:
    """One option a deck card may pass to a template.

    `default` None means the seed chooses among `choices`, which keeps a card without
    params varied across reviews.
    """

    name: str
    choices: tuple[str | int, ...]
    default: str | int | None = None
    help: str = ""


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often give, recognised so the feedback can name the slip.

    `value` has the shape of `Problem.expected`. `message` explains the slip once the
    attempt is over (it may name the right answer); `hint` is what a first wrong try
    hears: which quantity to look at or which step to redo, never the answer itself.
    """

    name: str
    message: str
    value: object
    hint: str = ""

    @property
    def first_hint(self) -> str:
        return self.hint or self.message


@dataclass(frozen=True)
class Problem:
    """One drawn variant of a template: everything needed to ask, check and explain it.

    `given` holds the drawn inputs by name (logits, weights, probabilities...) so that a
    JSON dump or an independent check can recompute the answer without reading prose.
    """

    template: str
    version: int
    seed: int
    title: str
    prompt: str
    math: str
    answer_kind: AnswerKind
    expected: object
    answer_hint: str
    labels: Mapping[str, tuple[str, ...]]
    rel_tol: float
    abs_tol: float
    solution: tuple[str, ...]
    mistakes: tuple[Mistake, ...]
    function: str | None = None
    variables: tuple[str, ...] = ()
    point: tuple[float, ...] | None = None
    path: tuple[tuple[float, ...], ...] = ()
    choices: tuple[str, ...] = ()
    given: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one typed answer.

    `parse_error` True means the text was not understood at all: the UI should let the
    student retype it without counting an attempt.
    """

    correct: bool
    parsed: object | None
    mistake: Mistake | None
    message: str
    parse_error: bool = False
    hint: str = ""
    """What to say after a wrong first try: a pointer to the method, never the answer."""
    mistakes: tuple[Mistake, ...] = ()
    """Every named slip that gives this answer (two slips can coincide)."""


@dataclass(frozen=True)
class Template:
    """A named, versioned recipe for problems.

    `generate` must be a pure function of (seed, params): reviews store only the template
    name, version and seed, and replaying them must show the very same problem.
    """

    name: str
    title: str
    topic: str
    tags: tuple[str, ...]
    difficulty: str
    version: int
    build: Callable[[int, Mapping[str, str | int]], Problem] = field(repr=False, compare=False)
    params: tuple[ParamSpec, ...] = ()

    def resolve_params(self, params: Mapping[str, object] | None) -> dict[str, str | int]:
        """Validate card params before any work, so deck errors name the bad option."""
        return resolve_params(self.name, self.params, params)

    def generate(self, seed: int, params: Mapping[str, object] | None = None) -> Problem:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise TemplateParamError(
                f"template {self.name!r}: the seed must be a whole number >= 0, got {seed!r}"
            )
        return self.build(seed, self.resolve_params(params))


def resolve_params(
    name: str, specs: tuple[ParamSpec, ...], params: Mapping[str, object] | None
) -> dict[str, str | int]:
    """Check `params` against `specs` and fill in fixed defaults.

    Raises TemplateParamError naming the option, the allowed values and the template.
    """
    known = {spec.name: spec for spec in specs}
    resolved: dict[str, str | int] = {}
    for key, value in (params or {}).items():
        spec = known.get(key)
        if spec is None:
            allowed = ", ".join(sorted(known)) or "none"
            raise TemplateParamError(
                f"template {name!r} has no parameter {key!r} (its parameters: {allowed})"
            )
        matches = [c for c in spec.choices if c == value and not isinstance(value, bool)]
        if not matches:
            options = ", ".join(repr(choice) for choice in spec.choices)
            raise TemplateParamError(
                f"template {name!r}: parameter {key!r} must be one of {options}, got {value!r}"
            )
        resolved[key] = matches[0]
    for spec in specs:
        if spec.name not in resolved and spec.default is not None:
            resolved[spec.name] = spec.default
    return resolved
