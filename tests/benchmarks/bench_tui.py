"""Benchmark of the TUI: time to the first screen, and from a grade to the next card.

Run `python tests/benchmarks/bench_tui.py [--quick] [--repeat N] [--answers N]`.
It prints one JSON object: medians under the top-level keys, min / max (and
p95 for the answer loop) under "details".

1. First screen: `python -m flashcards --db X` is started in a pseudo-terminal
   with $FLASHCARDS_FIRST_SCREEN_FILE set; the app writes `time.time()` there as
   soon as the Decks screen has been drawn, and exits. The figure is that time
   minus the moment just before the process was spawned, so it includes the
   interpreter start. Measured on a collection holding the bundled decks, and
   on the heavy-user workload of bench_collection.py.
2. Next card: the Review screen over the workload collection (100,000 cards,
   or 10,000 with --quick), driven headless by Textual's Pilot. For each
   answer Space reveals (not timed), then the clock runs from sending the grade
   key until the next card has been drawn (the screen posts CardShown after
   the refresh that shows it). Every answer is committed to SQLite on the way.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_collection import ANSWER_MIX, NOW, build, pick  # noqa: E402
from textual.message import Message  # noqa: E402

from flashcards.clock import to_epoch_ms  # noqa: E402
from flashcards.storage.collection import Collection  # noqa: E402
from flashcards.tui.app import FIRST_SCREEN_ENV, FlashcardsApp, StartSpec  # noqa: E402
from flashcards.tui.messages import CardShown  # noqa: E402

SIZE = (80, 24)
SPAWN_TIMEOUT_S = 60


def spread(values: list[float], digits: int = 2) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), digits),
        "p95": round(ordered[int(0.95 * (len(ordered) - 1))], digits),
        "min": round(ordered[0], digits),
        "max": round(ordered[-1], digits),
    }


def first_screen_ms(db: Path, report: Path) -> float:
    """One launch of the app in a pseudo-terminal; ms from spawn to the drawn screen."""
    report.unlink(missing_ok=True)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**os.environ, "PYTHONPATH": str(ROOT), FIRST_SCREEN_ENV: str(report)}
    env["TERM"] = "xterm-256color"
    started = time.time()
    process = subprocess.Popen(
        [sys.executable, "-m", "flashcards", "--db", str(db)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    _drain(leader, process)
    os.close(leader)
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"the app did not report its first screen (exit {process.returncode})")
    return (float(report.read_text(encoding="utf-8")) - started) * 1000


def _drain(leader: int, process: subprocess.Popen[bytes]) -> None:
    """Read the terminal output until the app exits, so its writes never block."""
    deadline = time.monotonic() + SPAWN_TIMEOUT_S
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                os.read(leader, 65536)
            except OSError:
                break
    if process.poll() is None:
        process.kill()
    process.wait()


def bundled_collection(folder: Path) -> Path:
    """A collection holding the bundled decks, created the way a first run does."""
    db = folder / "bundled.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "flashcards", "--db", str(db), "decks"]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return db


async def next_card_ms(db: Path, answers: int) -> list[float]:
    """Grade `answers` cards through the Review screen; ms from grade key to next card."""
    rng = random.Random(20261125)
    clock_ms = [to_epoch_ms(NOW)]

    def clock() -> datetime:
        clock_ms[0] += 1000
        return datetime.fromtimestamp(clock_ms[0] / 1000, tz=UTC)

    shown: list[float] = []

    def hook(message: Message) -> None:
        if isinstance(message, CardShown):
            shown.append(time.perf_counter())

    times: list[float] = []
    with Collection(db) as collection:
        app = FlashcardsApp(collection, clock=clock, seed=1, start=StartSpec())
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            await pilot.pause()
            for _ in range(answers):
                await pilot.press("space")
                before = len(shown)
                started = time.perf_counter()
                await pilot.press(str(pick(rng, ANSWER_MIX)))
                while len(shown) == before:
                    await asyncio.sleep(0)
                times.append((shown[before] - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 10x smaller workload")
    parser.add_argument("--repeat", type=int, default=7, help="app launches per figure (>= 5)")
    parser.add_argument("--answers", type=int, default=200, help="grades in the answer loop")
    options = parser.parse_args()
    scale = 10 if options.quick else 1
    repeat = max(5, options.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report = folder / "first-screen.txt"
        bundled = bundled_collection(folder)
        first = [first_screen_ms(bundled, report) for _ in range(repeat)]
        workload = folder / "workload.sqlite3"
        build(workload, scale)
        first_workload = [first_screen_ms(workload, report) for _ in range(repeat)]
        answers = asyncio.run(next_card_ms(workload, options.answers))
    result = {
        "workload": "quick (1/10)" if options.quick else "full",
        "first_screen_ms": spread(first)["median"],
        "first_screen_workload_ms": spread(first_workload)["median"],
        "next_card_median_ms": spread(answers, 3)["median"],
        "next_card_p95_ms": spread(answers, 3)["p95"],
        "details": {
            "first_screen_ms": spread(first),
            "first_screen_workload_ms": spread(first_workload),
            "next_card_ms": {**spread(answers, 3), "count": len(answers)},
            "terminal": f"{SIZE[0]}x{SIZE[1]}",
            "repeat": repeat,
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
