"""`flashcards solve`: worked answers to critical-point and optimizer-step problems.

Students use it to check homework and deck authors to check compute cards. sympy and
numpy are imported inside `run`, so the other subcommands never pay for them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flashcards.errors import UserError

if TYPE_CHECKING:
    from quizzes.solver import CriticalPoint, StepResult

PROBLEMS: dict[str, str] = {
    "critical-point": "classify a critical point from the gradient, Hessian and eigenvalues",
    "gd-step": "gradient-descent steps",
    "newton-step": "Newton's-method steps",
    "momentum-step": "heavy-ball momentum steps",
    "nesterov-step": "Nesterov momentum steps",
    "adam-step": "Adam steps",
}
_FUNCTION_HELP = (
    'f as text, like "x^3 - 3*x*y + y^3" (quote it; one that starts with a minus sign '
    'needs spaces, like "-x^2 - y^2")'
)
_VECTOR_HELP = "one number per variable in alphabetical order, like 0.5,-1 (write --{}=-1,2 "
_VECTOR_HELP += "when the first number is negative)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "solve",
        help="solve a critical-point or optimizer-step problem and show the working",
        description="Solve a problem from the optimization syllabus and show every step.",
    )
    problems = p.add_subparsers(dest="problem", metavar="PROBLEM", required=True)
    for name, summary in PROBLEMS.items():
        q = problems.add_parser(name, help=summary, description=summary[0].upper() + summary[1:])
        q.add_argument("function", help=_FUNCTION_HELP)
        q.add_argument("--at", required=True, metavar="x=1,y=2", help="the point, every variable")
        q.add_argument(
            "--vars",
            metavar="x,y",
            help="the variables f is a function of, when it has more than it mentions "
            "(like x^2 posed in x and y); vectors follow their alphabetical order",
        )
        q.add_argument("--json", action="store_true", help="print the numbers as JSON")
        _OPTIONS[name](q)
    p.set_defaults(func=run)


def _critical_options(q: argparse.ArgumentParser) -> None:
    q.add_argument(
        "--tol",
        type=float,
        default=1e-12,
        help="what counts as zero, relative to each quantity's own scale: a number is zero "
        "when at most tol × max(1, scale) (default 1e-12)",
    )


def _newton_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--steps", type=int, default=1, help="how many steps to take (default 1)")


def _gd_options(q: argparse.ArgumentParser) -> None:
    q.add_argument("--lr", type=float, required=True, help="learning rate η")
    _newton_options(q)


def _momentum_options(q: argparse.ArgumentParser) -> None:
    _gd_options(q)
    q.add_argument("--beta", type=float, default=0.9, help="momentum β (default 0.9)")
    q.add_argument(
        "--velocity", help="starting velocity u₀ (default zeros): " + _vector_help("velocity")
    )


def _adam_options(q: argparse.ArgumentParser) -> None:
    _gd_options(q)
    q.add_argument("--beta1", type=float, default=0.9, help="first-moment decay (default 0.9)")
    q.add_argument("--beta2", type=float, default=0.999, help="second-moment decay (0.999)")
    q.add_argument("--eps", type=float, default=1e-8, help="ε in the denominator (1e-8)")
    q.add_argument("--m", help="first moment carried in (default zeros): " + _vector_help("m"))
    q.add_argument("--v", help="second moment carried in (default zeros): " + _vector_help("v"))
    q.add_argument("--t", type=int, default=1, help="number of the first step (default 1)")


def _vector_help(option: str) -> str:
    return _VECTOR_HELP.format(option)


_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "critical-point": _critical_options,
    "gd-step": _gd_options,
    "newton-step": _newton_options,
    "momentum-step": _momentum_options,
    "nesterov-step": _momentum_options,
    "adam-step": _adam_options,
}


def run(args: argparse.Namespace) -> int:
    from quizzes.answers import AnswerError
    from quizzes.expressions import ExpressionError
    from quizzes.solver import CriticalPoint, SolverError

    try:
        result = _solve(args)
    except (ExpressionError, SolverError, AnswerError) as exc:
        raise UserError(f"solve {args.problem}: {exc}") from None
    if args.json:
        try:
            text = json.dumps(_as_json(result), indent=2, allow_nan=False)
        except ValueError:
            raise UserError(
                f"solve {args.problem}: a number in the answer exceeds 1e308 (not finite); "
                "try a smaller learning rate or a starting point nearer a minimum"
            ) from None
        sys.stdout.write(text + "\n")
        return 0
    lines = list(result.steps)
    if isinstance(result, CriticalPoint):
        lines.append(f"classification: {result.classification}")
    else:
        lines += [f"note: {note}" for note in result.notes]
    print("\n".join(lines))
    return 0


def _solve(args: argparse.Namespace) -> CriticalPoint | StepResult:
    """Read the function and point strictly (every variable, nothing else), then solve."""
    from quizzes import solver
    from quizzes.expressions import parse_expression

    expr = parse_expression(args.function)
    at = solver.parse_point(args.at)
    names = _variables(expr, args.vars)
    missing = [name for name in names if name not in at]
    extra = [name for name in at if name not in names]
    if missing or extra:
        problem = f"it lacks {', '.join(missing)}" if missing else f"f has no {', '.join(extra)}"
        example = ",".join(f"{name}=1" for name in names) or "x=1"
        hint = ""
        if extra and not missing and args.vars is None:
            wanted = ",".join(sorted({*names, *extra}))
            hint = f"; to pose f in {', '.join(extra)} as well, add --vars {wanted}"
        raise UserError(
            f"--at must name every variable of f and no other ({problem}); like {example}{hint}"
        )
    if args.problem == "critical-point":
        return solver.critical_point(expr, at, tol=args.tol)
    if args.problem == "gd-step":
        return solver.gradient_step(expr, at, lr=args.lr, steps=args.steps)
    if args.problem == "newton-step":
        return solver.newton_step(expr, at, steps=args.steps)
    if args.problem in ("momentum-step", "nesterov-step"):
        velocity = _vector(args.velocity, len(names), "--velocity")
        nesterov = args.problem == "nesterov-step"
        return solver.momentum_step(
            expr, at, args.lr, args.beta, velocity, nesterov=nesterov, steps=args.steps
        )
    m, v = _vector(args.m, len(names), "--m"), _vector(args.v, len(names), "--v")
    return solver.adam_step(
        expr, at, args.lr, args.beta1, args.beta2, args.eps, m, v, t=args.t, steps=args.steps
    )


def _variables(expr: Any, text: str | None) -> tuple[str, ...]:
    """f's own variables, or those of --vars, which must include them all."""
    from quizzes.expressions import CONSTANTS, FUNCTIONS, VARIADIC, variables_of

    own = variables_of(expr)
    if text is None:
        return own
    listed = [name.strip() for name in text.replace(";", ",").split(",")]
    for name in listed:
        if not name.isidentifier() or name in CONSTANTS or name in FUNCTIONS or name in VARIADIC:
            raise UserError(f"--vars: '{name}' is not a variable name; list names like x,y")
    if len(set(listed)) != len(listed):
        raise UserError(f"--vars names a variable twice in '{text}'")
    lacking = [name for name in own if name not in listed]
    if lacking:
        raise UserError(
            f"--vars must list every variable of f (it lacks {', '.join(lacking)}); "
            f"like {','.join(sorted({*own, *listed}))}"
        )
    return tuple(sorted(listed))


def _vector(text: str | None, size: int, option: str) -> tuple[float, ...] | None:
    from quizzes.answers import AnswerError, parse_vector

    if text is None:
        return None
    try:
        return parse_vector(text, size)
    except AnswerError as exc:
        raise UserError(f"{option}: {exc}") from None


def _as_json(result: CriticalPoint | StepResult) -> Mapping[str, Any]:
    from quizzes.solver import CriticalPoint

    if isinstance(result, CriticalPoint):
        return {
            "variables": list(result.variables),
            "point": list(result.point),
            "gradient": list(result.gradient),
            "hessian": [list(row) for row in result.hessian],
            "eigenvalues": list(result.eigenvalues),
            "classification": result.classification,
        }
    data: dict[str, Any] = {
        "variables": list(result.variables),
        "start": list(result.start),
        "gradient": list(result.gradient),
        "next": list(result.next),
        "path": [list(point) for point in result.path],
        "notes": list(result.notes),
    }
    if result.hessian is not None:
        data["hessian"] = [list(row) for row in result.hessian]
    data.update((name, list(values)) for name, values in result.state)
    return data
