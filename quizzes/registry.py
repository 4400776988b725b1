"""Finding templates by name.

The catalog below is plain data on purpose: deck validation checks every compute card's
template name and params through it, and must not import sympy or numpy to do so. The
generator modules are imported only when a problem is actually wanted; a test keeps this
catalog and the modules in agreement.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Mapping
from dataclasses import dataclass

from quizzes.problem import ParamSpec, Template, resolve_params


class UnknownTemplateError(KeyError):
    """No template has this name; the message suggests the closest ones."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class _Entry:
    module: str
    params: tuple[ParamSpec, ...] = ()


_ASK_SOFTMAX = ParamSpec(
    "ask", ("loss", "gradient"), help="ask for the loss or for its gradient wrt the logits"
)
_ASK_CONDITION = ParamSpec(
    "ask", ("kappa", "max-lr"), help="ask for the condition number or for 2 / lambda_max"
)
_ASK_CONTRACTION = ParamSpec(
    "ask",
    ("optimal", "given-rate"),
    help="the factor at the best step 2 / (lambda_min + lambda_max) or at a given step",
)
_SCHEME = ParamSpec("scheme", ("xavier", "he"), help="Xavier/Glorot or He (fan-in) initialization")
_ASK_INIT = ParamSpec(
    "ask", ("variance", "std"), help="ask for the weight variance or its standard deviation"
)
_ASK_NOISE = ParamSpec(
    "ask",
    ("error", "factor"),
    help="ask for the standard error sigma / sqrt(n) or how much it falls as n grows",
)
_ASK_EFFECTIVE = ParamSpec(
    "ask", ("rate", "step"), help="ask for the effective learning rate or the steady step size"
)
_PENALTY = ParamSpec("penalty", ("l1", "l2"), help="which regularizer the step uses")
_STEPS = ParamSpec("steps", (1, 2, 3, 4, 5), default=1, help="how many steps to take")

_CATALOG: dict[str, _Entry] = {
    "hessian-classify-2d": _Entry("critical_points"),
    "hessian-classify-3d": _Entry("critical_points"),
    "definiteness": _Entry("definiteness"),
    "saddle-escape": _Entry("saddle"),
    "condition-number": _Entry("conditioning", (_ASK_CONDITION,)),
    "gd-contraction": _Entry("contraction", (_ASK_CONTRACTION,)),
    "init-variance": _Entry("initialization", (_SCHEME, _ASK_INIT)),
    "gd-step": _Entry("descent", (_STEPS,)),
    "minibatch-noise": _Entry("minibatch", (_ASK_NOISE,)),
    "newton-step": _Entry("newton"),
    "momentum-step": _Entry("momentum"),
    "nesterov-step": _Entry("momentum"),
    "momentum-effective-step": _Entry("effective_step", (_ASK_EFFECTIVE,)),
    "adam-step": _Entry("adam"),
    "softmax-xent": _Entry("softmax", (_ASK_SOFTMAX,)),
    "finite-difference": _Entry("finite_difference"),
    "l1-l2-step": _Entry("regularization", (_PENALTY,)),
    "jensen-gap": _Entry("jensen"),
    "backprop-graph": _Entry("backprop"),
}


def names() -> frozenset[str]:
    """Every template name, without importing any generator."""
    return frozenset(_CATALOG)


def params_of(name: str) -> tuple[ParamSpec, ...]:
    """The options a card may pass to template `name` (cheap: no generator import)."""
    return _entry(name).params


def check_params(name: str, params: Mapping[str, object] | None) -> dict[str, str | int]:
    """Validate a card's `params` for template `name` without importing its generator."""
    return resolve_params(name, _entry(name).params, params)


def get(name: str) -> Template:
    entry = _entry(name)
    module = importlib.import_module(f"quizzes.generators.{entry.module}")
    templates: tuple[Template, ...] = module.TEMPLATES
    for template in templates:
        if template.name == name:
            return template
    raise LookupError(f"quizzes.generators.{entry.module} does not define template {name!r}")


def all_templates() -> tuple[Template, ...]:
    """Every template, in catalog order (the order `flashcards quizzes list` shows)."""
    return tuple(get(name) for name in _CATALOG)


def _entry(name: str) -> _Entry:
    entry = _CATALOG.get(name)
    if entry is None:
        close = difflib.get_close_matches(name, list(_CATALOG), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownTemplateError(
            f"unknown compute template {name!r}{hint} "
            "(`flashcards quizzes list` shows every template)"
        )
    return entry
