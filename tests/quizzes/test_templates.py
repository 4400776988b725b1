"""Every compute-card template: it generates, it checks itself, it is fair.

Whether its answers are right is judged independently in `test_template_answers`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from template_problems import SEEDS, problems

from quizzes import registry
from quizzes.checking import check_answer
from quizzes.problem import AnswerKind, TemplateParamError
from quizzes.render import to_dict

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted(registry.names())


def typed(kind: AnswerKind, value: object, style: int = 0) -> str:
    """The value as a student might type it; `style` varies the layout."""
    if isinstance(value, str):
        return value.upper() if style % 2 else value
    if isinstance(value, float):
        return f"{value:.12g}"
    assert isinstance(value, tuple)
    if value and isinstance(value[0], tuple):
        return "; ".join(" ".join(f"{x:.12g}" for x in row) for row in value)
    items = [f"{x:.12g}" for x in value]
    return ("({})", "[{}]", "{}")[style % 3].format((", " if style % 3 != 1 else " ").join(items))


# --- every template, every seed ------------------------------------------------------------


def test_catalog_matches_the_generator_modules() -> None:
    templates = registry.all_templates()
    assert {t.name for t in templates} == registry.names()
    for template in templates:
        assert template.params == registry.params_of(template.name)
        assert template.difficulty in {"E", "M", "H"}
        assert template.version >= 1


def test_template_names_are_known_without_importing_sympy_or_numpy() -> None:
    code = (
        "import sys\nfrom quizzes import registry\nassert 'gd-step' in registry.names()\n"
        "registry.check_params('gd-step', {'steps': 2})\n"
        "print(','.join(m for m in ('sympy', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("name", NAMES)
def test_expected_answer_passes_its_own_checker(name: str) -> None:
    for problem in problems(name):
        result = check_answer(problem, typed(problem.answer_kind, problem.expected, problem.seed))
        assert result.correct, (problem.seed, problem.expected, result.message)
        assert (problem.template, problem.seed) == (name, problem.seed)


@pytest.mark.parametrize("name", NAMES)
def test_every_listed_mistake_is_recognised_and_wrong(name: str) -> None:
    seen: Counter[str] = Counter()
    for problem in problems(name):
        for mistake in problem.mistakes:
            result = check_answer(problem, typed(problem.answer_kind, mistake.value))
            assert not result.correct, (problem.seed, mistake.name)
            assert mistake in result.mistakes, (problem.seed, mistake.name, result.message)
            assert mistake.message in result.message  # with any slip giving the same value
            seen[mistake.name] += 1
    assert len(seen) >= 2, f"{name} names fewer than two kinds of mistake: {seen}"


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_problem_and_seeds_differ(name: str) -> None:
    template = registry.get(name)
    for problem in problems(name)[:20]:
        assert template.generate(problem.seed) == problem
    variants = {(p.prompt, p.math, repr(p.expected)) for p in problems(name)[:50]}
    assert len(variants) >= 40


def test_problems_do_not_depend_on_the_process() -> None:
    """Hash randomisation or import order must not leak into a problem."""
    code = (
        "import json\nfrom quizzes import registry\nfrom quizzes.render import to_dict\n"
        "print(json.dumps({t.name: [to_dict(t.generate(s)) for s in range(3)] "
        "for t in reversed(registry.all_templates())}))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    here = {name: [to_dict(p) for p in problems(name)[:3]] for name in NAMES}
    assert json.loads(done.stdout) == json.loads(json.dumps(here))


@pytest.mark.parametrize(
    ("name", "labels", "low", "high"),
    [
        ("hessian-classify-2d", ("minimum", "maximum", "saddle", "inconclusive"), 0.15, 0.35),
        ("hessian-classify-3d", ("minimum", "maximum", "saddle", "inconclusive"), 0.15, 0.35),
        ("definiteness", tuple(registry.get("definiteness").generate(0).choices), 0.10, 0.30),
    ],
)
def test_classifier_answers_are_fairly_shared(
    name: str, labels: Sequence[str], low: float, high: float
) -> None:
    counts = Counter(str(p.expected) for p in problems(name))
    assert set(counts) == set(labels)
    for label in labels:
        assert low <= counts[label] / len(SEEDS) <= high, counts


# --- params and errors ---------------------------------------------------------------------


def test_gd_step_takes_the_number_of_steps_asked() -> None:
    problem = registry.get("gd-step").generate(7, {"steps": 3})
    assert len(problem.path) == 4
    assert problem.expected == pytest.approx(problem.path[-1])
    assert any(m.name == "stale-gradient" for m in problem.mistakes)


@pytest.mark.parametrize(
    ("name", "params", "kind"),
    [
        ("softmax-xent", {"ask": "loss"}, AnswerKind.NUMBER),
        ("softmax-xent", {"ask": "gradient"}, AnswerKind.VECTOR),
        ("condition-number", {"ask": "kappa"}, AnswerKind.NUMBER),
        ("l1-l2-step", {"penalty": "l1"}, AnswerKind.VECTOR),
    ],
)
def test_params_choose_the_question(name: str, params: dict[str, str], kind: AnswerKind) -> None:
    for seed in range(10):
        problem = registry.get(name).generate(seed, params)
        assert problem.answer_kind is kind
        assert all(problem.given[key] == value for key, value in params.items())


def test_bad_params_and_seeds_are_refused_with_the_reason() -> None:
    template = registry.get("gd-step")
    with pytest.raises(TemplateParamError, match=r"'gd-step' has no parameter 'rate'"):
        template.generate(1, {"rate": 0.1})
    with pytest.raises(TemplateParamError, match=r"must be one of 1, 2, 3, 4, 5, got 9"):
        template.generate(1, {"steps": 9})
    with pytest.raises(TemplateParamError, match="seed must be a whole number"):
        template.generate(-1)
    with pytest.raises(registry.UnknownTemplateError, match="did you mean 'gd-step'"):
        registry.get("gd-stpe")


def test_worked_solutions_write_maths_as_the_pretty_printed_formulas_do() -> None:
    # One notation on a card: the solution under f's 2-D layout writes 3⋅x², not 3*x^2.
    ascii_math = re.compile(r"[\w)]\*[\w(]|\^-?\d")
    for template in registry.all_templates():
        for seed in range(20):
            for line in template.generate(seed).solution:
                assert not ascii_math.search(line), f"{template.name} seed {seed}: {line}"
