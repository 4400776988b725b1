"""`flashcards quizzes`: list, sample and stress-test the compute-card templates.

`stress` is the tool for template authors: it draws many variants and reports any whose
answer fails its own checker or whose named mistakes collide, plus how the answers are
spread (a classifier that is almost always "minimum" teaches guessing).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flashcards.errors import UserError

if TYPE_CHECKING:
    from quizzes.problem import Problem, Template

MAX_STRESS_SEEDS = 100_000
_SHOWN_FAILURES = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "quizzes",
        help="list, sample and stress-test compute-card templates",
        description="Inspect the templates behind compute cards.",
    )
    actions = p.add_subparsers(
        dest="quizzes_command", metavar="{list,sample,stress}", required=True
    )
    listing = actions.add_parser("list", help="every template with its topic and difficulty")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    sample = actions.add_parser("sample", help="print one problem with its worked answer")
    sample.add_argument("name", help="template name (see `flashcards quizzes list`)")
    sample.add_argument("--seed", type=int, default=0, help="which variant (default 0)")
    _add_params(sample)
    sample.add_argument("--json", action="store_true", help="print JSON instead of text")
    stress = actions.add_parser("stress", help="draw many variants and report failures")
    stress.add_argument("name", help="template name, or `all`")
    stress.add_argument("--seeds", type=int, default=200, help="how many seeds (default 200)")
    stress.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    _add_params(stress)
    stress.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=run)


def _add_params(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a template parameter, e.g. steps=3 (repeatable)",
    )


def run(args: argparse.Namespace) -> int:
    from quizzes.problem import TemplateParamError
    from quizzes.registry import UnknownTemplateError

    actions = {"list": _run_list, "sample": _run_sample, "stress": _run_stress}
    try:
        return actions[args.quizzes_command](args)
    except (UnknownTemplateError, TemplateParamError) as exc:
        raise UserError(str(exc)) from None


def _run_list(args: argparse.Namespace) -> int:
    from quizzes import registry

    templates = registry.all_templates()
    if args.json:
        print(json.dumps([_template_dict(t) for t in templates], indent=2, ensure_ascii=False))
        return 0
    width = max(len(t.name) for t in templates)
    topic_width = max(len(t.topic) for t in templates)
    for t in templates:
        print(f"{t.name:<{width}}  {t.topic:<{topic_width}}  {t.difficulty}  {t.title}")
    return 0


def _template_dict(template: Template) -> dict[str, Any]:
    return {
        "name": template.name,
        "title": template.title,
        "topic": template.topic,
        "tags": list(template.tags),
        "difficulty": template.difficulty,
        "version": template.version,
        "params": [
            {"name": p.name, "choices": list(p.choices), "default": p.default, "help": p.help}
            for p in template.params
        ],
    }


def _run_sample(args: argparse.Namespace) -> int:
    from quizzes import registry
    from quizzes.render import describe, to_dict

    problem = registry.get(args.name).generate(args.seed, parse_params(args.param))
    if args.json:
        print(json.dumps(to_dict(problem), indent=2, ensure_ascii=False))
    else:
        print(describe(problem))
    return 0


def parse_params(items: Iterable[str]) -> dict[str, str | int]:
    """`--param steps=3` pairs; whole numbers become ints so they match numeric choices."""
    params: dict[str, str | int] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UserError(f"--param expects KEY=VALUE, like steps=3; got {item!r}")
        text = value.strip()
        params[key.strip()] = int(text) if text.lstrip("-").isdigit() else text
    return params


@dataclass
class StressReport:
    """What `stress` found for one template over a range of seeds."""

    name: str
    seeds: int
    failures: list[tuple[int, str]] = field(default_factory=list)
    labels: Counter[str] = field(default_factory=Counter)
    magnitudes: list[float] = field(default_factory=list)
    mistakes: Counter[str] = field(default_factory=Counter)
    millis: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "seeds": self.seeds,
            "failures": [{"seed": seed, "message": message} for seed, message in self.failures],
            "labels": _shares(self.labels, self.seeds) if self.labels else {},
            "magnitudes": _summary(self.magnitudes),
            "mistakes": dict(self.mistakes),
            "median_ms": round(_median(self.millis), 3) if self.millis else None,
        }


def stress_template(
    template: Template, seeds: Sequence[int], params: Mapping[str, str | int]
) -> StressReport:
    """Generate and audit every seed; never raises for a bad variant, it records it."""
    from quizzes.checking import audit_problem

    report = StressReport(template.name, len(seeds))
    for seed in seeds:
        started = time.perf_counter()
        try:
            problem = template.generate(seed, params)
            problems = audit_problem(problem)
        except Exception as exc:  # a stress test reports every crash instead of stopping
            report.failures.append((seed, f"generation failed: {type(exc).__name__}: {exc}"))
            continue
        report.millis.append((time.perf_counter() - started) * 1000)
        report.failures += [(seed, message) for message in problems]
        report.mistakes.update(m.name for m in problem.mistakes)
        _record_answer(report, problem)
    return report


def _record_answer(report: StressReport, problem: Problem) -> None:
    """Labels are counted; numbers by size; step problems by the length of the step."""
    expected = problem.expected
    if isinstance(expected, str):
        report.labels[expected] += 1
    elif isinstance(expected, int | float):
        report.magnitudes.append(abs(float(expected)))
    elif len(problem.path) >= 2:
        start, end = problem.path[0], problem.path[-1]
        report.magnitudes.append(_norm([b - a for a, b in zip(start, end, strict=True)]))
    elif isinstance(expected, tuple) and all(isinstance(x, int | float) for x in expected):
        report.magnitudes.append(_norm(expected))


def _norm(values: Iterable[float]) -> float:
    return float(sum(v * v for v in values) ** 0.5)


def _median(values: Sequence[float]) -> float:
    """The middle value (mean of the middle two), without importing `statistics` at start-up."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _shares(counts: Counter[str], total: int) -> dict[str, float]:
    return {label: round(count / total, 3) for label, count in counts.most_common()}


def _summary(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "min": round(min(values), 6),
        "median": round(_median(values), 6),
        "max": round(max(values), 6),
    }


def _run_stress(args: argparse.Namespace) -> int:
    from quizzes import registry

    if not 1 <= args.seeds <= MAX_STRESS_SEEDS:
        raise UserError(f"--seeds must be between 1 and {MAX_STRESS_SEEDS:,}, got {args.seeds}")
    if args.start < 0:
        raise UserError(f"--start must be 0 or more, got {args.start}")
    params = parse_params(args.param)
    if args.name == "all" and params:
        raise UserError("--param applies to one template; name it instead of `all`")
    templates = registry.all_templates() if args.name == "all" else (registry.get(args.name),)
    if params:
        templates[0].resolve_params(params)
    seeds = range(args.start, args.start + args.seeds)
    reports = [stress_template(t, seeds, params) for t in templates]
    total = sum(len(r.failures) for r in reports)
    if args.json:
        payload = {"failures": total, "templates": [r.to_dict() for r in reports]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            print("\n".join(_report_lines(report)))
        print(f"{total} failure(s) in {len(reports)} template(s).")
    return 1 if total else 0


def _report_lines(report: StressReport) -> list[str]:
    data = report.to_dict()
    lines = [
        f"{report.name}: {report.seeds} seeds, {len(report.failures)} failure(s), "
        f"median {data['median_ms']} ms per problem"
    ]
    if data["labels"]:
        shares = ", ".join(f"{label} {share:.0%}" for label, share in data["labels"].items())
        lines.append(f"  answers: {shares}")
    if data["magnitudes"]:
        size = data["magnitudes"]
        lines.append(
            f"  answer/step size: min {size['min']:g}, median {size['median']:g}, "
            f"max {size['max']:g}"
        )
    if report.mistakes:
        present = ", ".join(f"{name} {n}/{report.seeds}" for name, n in report.mistakes.items())
        lines.append(f"  known mistakes present: {present}")
    for seed, message in report.failures[:_SHOWN_FAILURES]:
        lines.append(f"  FAIL seed {seed}: {message}")
    if len(report.failures) > _SHOWN_FAILURES:
        lines.append(f"  ... and {len(report.failures) - _SHOWN_FAILURES} more failures")
    return lines
