"""Template problems for the template tests, generated once per test session.

Generating every template at 200 seeds takes seconds, and both `test_templates` and
`test_template_answers` walk all of them; one cache here spares paying twice (a
conftest cannot share it: conftest is not importable in importlib mode).
"""

from __future__ import annotations

import functools

from quizzes import registry
from quizzes.problem import Problem

SEEDS = range(200)


@functools.cache
def problems(name: str) -> tuple[Problem, ...]:
    template = registry.get(name)
    return tuple(template.generate(seed) for seed in SEEDS)
