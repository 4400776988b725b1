"""Benchmark of compute cards: generating and checking one problem, warm and from cold.

Run `python tests/benchmarks/bench_quizzes.py [--quick]`. It prints one JSON object:
per template the median / min / max milliseconds to generate a problem and check a typed
answer in a warm process (goal: median under 20 ms), and the seconds a fresh interpreter
needs to import everything and show its first checked problem (goal: median under 1 s).
`--quick` runs fewer problems and fresh processes, for CI smoke runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quizzes import registry  # noqa: E402
from quizzes.checking import check_answer  # noqa: E402
from quizzes.render import format_value  # noqa: E402

WARM_GOAL_MS = 20.0
COLD_GOAL_S = 1.0
COLD_TEMPLATE = "hessian-classify-3d"
COLD_CODE = (
    "from quizzes import registry\n"
    "from quizzes.checking import check_answer\n"
    f"problem = registry.get({COLD_TEMPLATE!r}).generate(1)\n"
    "assert check_answer(problem, 'saddle').parsed == 'saddle'\n"
)


def spread(values: Sequence[float], digits: int = 3) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def warm_timings(problems_per_template: int) -> dict[str, dict[str, float]]:
    """Milliseconds per generate + check, after one untimed warm-up problem per template."""
    results = {}
    for template in registry.all_templates():
        template.generate(10_000)
        millis = []
        for seed in range(problems_per_template):
            started = time.perf_counter()
            problem = template.generate(seed)
            check_answer(problem, format_value(problem.answer_kind, problem.expected))
            millis.append((time.perf_counter() - started) * 1000)
        results[template.name] = spread(millis)
    return results


def cold_timings(runs: int) -> dict[str, float]:
    """Wall-clock seconds of a fresh `python -c` from start-up to its first checked problem."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", COLD_CODE], check=True, cwd=ROOT)
        seconds.append(time.perf_counter() - started)
    return spread(seconds)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer problems and processes")
    args = parser.parse_args(argv)
    problems, runs = (20, 3) if args.quick else (100, 5)
    warm = warm_timings(problems)
    cold = cold_timings(runs)
    slowest = max(warm.items(), key=lambda item: item[1]["median"])
    report: dict[str, Any] = {
        "problems_per_template": problems,
        "warm_ms": warm,
        "cold_first_problem_s": {**cold, "runs": runs, "template": COLD_TEMPLATE},
        "goals": {
            "warm_median_ms": WARM_GOAL_MS,
            "cold_median_s": COLD_GOAL_S,
            "slowest_template": slowest[0],
            "warm_met": slowest[1]["median"] < WARM_GOAL_MS,
            "cold_met": cold["median"] < COLD_GOAL_S,
        },
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
