"""Benchmark of exam builds: the mock exam with its answer key, 10 variants, per format.

Run `python tests/benchmarks/bench_exam.py [--quick] [--repeat N]`. It prints one JSON
object with the median / min / max seconds of two measurements (goal: median under 3 s):
- "cold_cli_s": a fresh `flashcards exam build` process writing every file (Markdown,
  HTML and JSON) for 10 variants, from interpreter start to exit, as an instructor runs it;
- "warm_s": the same draw and rendering in a process that has loaded everything once,
  which isolates the exam code from import costs.
"formats" repeats both for each `--format` (md+html, moodle, qti), as
`flashcards exam build mock-exam --seed S --variants 10 --format X -o DIR` and in process,
each with the bytes one build writes.
Each repeat uses another seed, so no run re-renders the previous one's problems.
`--quick` runs fewer repeats (one per format), for CI smoke runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flashcards.bundled import bundled_decks  # noqa: E402
from flashcards.exams.build import build_variants  # noqa: E402
from flashcards.exams.files import build_files, bundled_specs, exam_files  # noqa: E402
from flashcards.exams.spec import load_spec  # noqa: E402

SPEC = "mock-exam"
VARIANTS = 10
GOAL_S = 3.0
FORMATS = {"md+html": ("md", "html"), "moodle": ("moodle",), "qti": ("qti",)}


def spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def warm_runs(repeat: int) -> tuple[list[float], int, int]:
    """Seconds per draw-and-render of every variant; also the item and byte counts."""
    decks = bundled_decks()
    spec = load_spec(bundled_specs()[SPEC], decks)
    build_variants(spec, decks, 10_000, 1)  # load the generator modules once
    seconds: list[float] = []
    size = 0
    for seed in range(repeat):
        started = time.perf_counter()
        exams = build_variants(spec, decks, seed, VARIANTS)
        files = [exam_files(exam, with_json=True) for exam in exams]
        seconds.append(time.perf_counter() - started)
        size = sum(len(text.encode()) for variant in files for text in variant.values())
    return seconds, spec.item_count, size


def warm_format_runs(repeat: int, formats: Sequence[str]) -> tuple[list[float], int]:
    """Seconds per draw-and-write-in-memory of every variant in `formats`; bytes per build."""
    decks = bundled_decks()
    spec = load_spec(bundled_specs()[SPEC], decks)
    build_files(build_variants(spec, decks, 10_000, 1), formats=formats)  # load everything
    seconds: list[float] = []
    size = 0
    for seed in range(repeat):
        started = time.perf_counter()
        files = build_files(build_variants(spec, decks, seed, VARIANTS), formats=formats)
        seconds.append(time.perf_counter() - started)
        size = sum(len(c if isinstance(c, bytes) else c.encode()) for c in files.values())
    return seconds, size


def cold_runs(repeat: int, formats: Sequence[str] = ()) -> list[float]:
    """Wall-clock seconds of `flashcards exam build` in a new process, files written.

    Without `formats`, the default files and JSON; else only those `--format`s."""
    chosen = [arg for name in formats for arg in ("--format", name)] or ["--json"]
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(repeat):
            command = [sys.executable, "-m", "flashcards", "exam", "build", SPEC]
            command += ["--seed", str(seed), "--variants", str(VARIANTS), *chosen]
            command += ["-o", str(Path(folder) / str(seed))]
            started = time.perf_counter()
            subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=300)
            seconds.append(time.perf_counter() - started)
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement")
    args = parser.parse_args(argv)
    repeat = args.repeat or (2 if args.quick else 5)
    warm, items, size = warm_runs(repeat)
    cold = cold_runs(repeat)
    each = 1 if args.quick and args.repeat is None else repeat  # CI: one run per format
    formats = {}
    for name, chosen in FORMATS.items():
        warm_format, format_size = warm_format_runs(each, chosen)
        formats[name] = {
            "bytes_per_build": format_size,
            "cold_cli_s": spread(cold_runs(each, chosen)),
            "warm_s": spread(warm_format),
        }
    report = {
        "spec": SPEC,
        "items": items,
        "variants": VARIANTS,
        "repeat": repeat,
        "bytes_per_build": size,
        "cold_cli_s": spread(cold),
        "warm_s": spread(warm),
        "goal_s": GOAL_S,
        "goal_met": statistics.median(cold) < GOAL_S,
        "formats": formats,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
