"""Benchmark of the collection on the heavy-user workload of shared/WORKLOAD.md.

Run `python tests/benchmarks/bench_collection.py [--quick] [--repeat N]`. It
builds the workload in a temporary directory and prints one JSON object:
medians of repeated runs under the keys outside tools read, plus min / max and
per-step figures under "details". `--quick` runs a 10x smaller workload.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flashcards import cardtext  # noqa: E402
from flashcards.clock import study_day, to_epoch_ms  # noqa: E402
from flashcards.model import Card, CardKind, Deck, ScheduleState  # noqa: E402
from flashcards.session import StudySession  # noqa: E402
from flashcards.storage.collection import Collection  # noqa: E402
from flashcards.storage.convert import state_to_json  # noqa: E402
from flashcards.storage.importing import import_decks  # noqa: E402
from flashcards.storage.tables import BUNDLED_MARK, decks_t  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WORDS = [
    "gradient",
    "descent",
    "loss",
    "risk",
    "hessian",
    "saddle",
    "minimum",
    "convex",
    "momentum",
    "adam",
    "softmax",
    "entropy",
    "batch",
    "epoch",
    "learning",
    "rate",
    "newton",
    "curvature",
    "eigenvalue",
    "jacobian",
    "backprop",
    "regularization",
    "sparsity",
    "prior",
    "posterior",
    "bias",
    "variance",
    "capacity",
    "overfit",
    "layer",
    "weight",
]
GRADE_MIX = ((1, 0.08), (3, 0.05), (4, 0.77), (5, 0.10))
ANSWER_MIX = ((1, 0.10), (3, 0.05), (4, 0.75), (5, 0.10))


def text_of(rng: random.Random, prefix: str) -> str:
    target = rng.randint(75, 80)
    out = prefix
    while len(out) < target:
        out += " " + rng.choice(WORDS)
    return out[:target]


def pick(rng: random.Random, mix: tuple[tuple[int, float], ...]) -> int:
    roll = rng.random()
    for grade, share in mix:
        if roll < share:
            return grade
        roll -= share
    return mix[-1][0]


def build(path: Path, scale: int) -> dict[str, float]:
    """Build the workload collection; returns seconds per step."""
    rng = random.Random(20261123)
    n_cards = 100_000 // scale
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    decks = [
        Deck(
            f"deck-{d + 1:02d}",
            f"Deck {d + 1:02d}",
            cards=tuple(
                Card(
                    f"q{i:06d}",
                    CardKind.BASIC,
                    text_of(rng, f"Q{i:06d}:"),
                    text_of(rng, "A:"),
                )
                for i in range(d, n_cards, 10)
            ),
        )
        for d in range(10)
    ]
    steps["generate_s"] = time.perf_counter() - t0
    collection = Collection(path)
    t0 = time.perf_counter()
    import_decks(collection, decks, NOW)
    steps["import_cards_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _schedule_and_log(collection, rng, n_cards, 1_000_000 // scale)
    steps["schedule_and_log_s"] = time.perf_counter() - t0
    collection.set_meta(BUNDLED_MARK, "1")
    collection.close()
    return steps


def _schedule_and_log(
    collection: Collection, rng: random.Random, n_cards: int, n_logs: int
) -> None:
    today = study_day(NOW)
    order = list(range(1, n_cards + 1))
    rng.shuffle(order)
    n_new = n_due = n_cards // 10
    reviewed = order[n_new:]
    updates = []
    for index, card_id in enumerate(reviewed):
        until = 0 if index < n_due else rng.randint(1, 365)
        interval = until + rng.randint(1, 60)
        easiness = min(310, max(130, round(rng.gauss(2.5, 0.2) * 100)))
        updates.append((rng.randint(2, 8), easiness, interval, today + until, today - 1, card_id))
    before = state_to_json(ScheduleState())
    start = to_epoch_ms(NOW - timedelta(days=730))
    span = to_epoch_ms(NOW) - start
    logs = []
    for index in range(n_logs):
        card_id = reviewed[index] if index < len(reviewed) else rng.choice(reviewed)
        stamp = start + rng.randrange(span)
        day = study_day(datetime.fromtimestamp(stamp / 1000, tz=UTC))
        logs.append((card_id, stamp, day, pick(rng, GRADE_MIX), rng.randint(2000, 20000), before))
    with collection.transaction() as conn:
        conn.execute(decks_t.update().values(new_per_day=1_000_000, reviews_per_day=1_000_000))
        conn.exec_driver_sql(
            "UPDATE schedule SET repetitions=?, easiness_centi=?, interval_days=?, due_day=?, "
            "last_review_day=? WHERE card_id=?",
            updates,
        )
        conn.exec_driver_sql(
            "INSERT INTO review_log (card_id, reviewed_ms, day, quality, duration_ms, kind, "
            "repetitions_before, easiness_before, interval_before, repetitions_after, "
            "easiness_after, interval_after, before_state) "
            "VALUES (?, ?, ?, ?, ?, 'review', 1, 250, 1, 2, 250, 6, ?)",
            logs,
        )


def timed(func: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    func()
    return (time.perf_counter() - t0) * 1000


def spread(values: list[float], digits: int = 2) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
    }


def whole_process_ms(db: Path, repeat: int) -> list[float]:
    cmd = [sys.executable, "-m", "flashcards", "--db", str(db), "decks"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def queue_times(db: Path, repeat: int, one_deck: bool) -> tuple[list[float], list[float]]:
    firsts: list[float] = []
    seconds: list[float] = []
    for _ in range(repeat):
        with Collection(db) as collection:
            decks = [collection.deck_id("Deck 03")] if one_deck else None
            for bucket in (firsts, seconds):
                t0 = time.perf_counter()
                collection.queue(NOW, decks, 50)
                bucket.append((time.perf_counter() - t0) * 1000)
    return firsts, seconds


def first_deck_lists(db: Path, repeat: int) -> list[float]:
    """The deck list's first call after opening, once per fresh open."""
    times = []
    for _ in range(repeat):
        with Collection(db) as collection:
            times.append(timed(lambda: collection.deck_counts(NOW)))
    return times


def switch_all_to_fsrs(db: Path) -> float:
    """Seconds to switch every deck to FSRS: log replay and memory states written."""
    from flashcards.deck_config import ConfigChange, configure
    from flashcards.storage.deck_settings import deck_settings

    with Collection(db) as collection:
        t0 = time.perf_counter()
        for deck in deck_settings(collection):
            configure(collection, deck.deck_id, ConfigChange(scheduler="fsrs"))
        return time.perf_counter() - t0


def answer_loop(db: Path, count: int, start: datetime = NOW) -> list[float]:
    rng = random.Random(20261125)
    clock_ms = [to_epoch_ms(start)]

    def clock() -> datetime:
        clock_ms[0] += 7000
        return datetime.fromtimestamp(clock_ms[0] / 1000, tz=UTC)

    times = []
    with Collection(db) as collection:
        session = StudySession(collection, clock)
        for _ in range(count):
            t0 = time.perf_counter()
            card = session.current
            assert card is not None
            cardtext.question(card.card)
            cardtext.answer(card.card)
            session.answer(pick(rng, ANSWER_MIX))
            times.append((time.perf_counter() - t0) * 1000)
    return times


def import_tsv(db: Path, rows: int, repeat: int) -> list[float] | None:
    try:
        from flashcards.decks.delimited import load_delimited
    except ImportError:
        return None
    rng = random.Random(20261124)
    times = []
    for attempt in range(repeat):
        work = db.with_name(f"import-{attempt}.sqlite3")
        shutil.copy(db, work)
        tsv = db.with_name("import.tsv")
        lines = ["front\tback"]
        lines += [f"{text_of(rng, f'I{i:06d}:')}\t{text_of(rng, 'A:')}" for i in range(rows)]
        tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with Collection(work) as collection:
            t0 = time.perf_counter()
            deck = load_delimited(tsv, deck_name="Deck 01")
            deck = Deck("deck-01", "Deck 01", cards=deck.cards)
            import_decks(collection, [deck], NOW, additive={deck.external_id})
            times.append(time.perf_counter() - t0)
        work.unlink()
    return times


PEAK_SCRIPT = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from flashcards.storage.collection import Collection
now = datetime(2026, 11, 23, 12, tzinfo=UTC)
with Collection(Path(sys.argv[1])) as c:
    c.deck_counts(now)
    c.queue(now, None, 50)
    c.queue(now, [c.deck_id("Deck 03")], 50)
"""


def peak_rss_mb(args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if Path("/usr/bin/time").exists():
        done = subprocess.run(
            ["/usr/bin/time", "-v", sys.executable, *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        for line in done.stderr.splitlines():
            if "Maximum resident set size" in line:
                return int(line.split(":")[1]) / 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, *args], env=env, check=True)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a 10x smaller workload")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (>= 5)")
    parser.add_argument(
        "--peer",
        type=Path,
        metavar="RESULTS_JSON",
        help="Anki's figures from ../shared/anki-peer/run.sh (/tmp/ankibench/results.json): "
        "print each line as a ratio to Anki's (below 1: faster or smaller)",
    )
    options = parser.parse_args()
    scale = 10 if options.quick else 1
    repeat = max(5, options.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        t0 = time.perf_counter()
        build_steps = build(db, scale)
        build_s = time.perf_counter() - t0
        process = whole_process_ms(db, repeat)
        decklist_first = first_deck_lists(db, repeat)
        with Collection(db) as collection:
            decklist = [timed(lambda: collection.deck_counts(NOW)) for _ in range(repeat * 3)]
        all_first, all_second = queue_times(db, repeat, one_deck=False)
        one_first, one_second = queue_times(db, repeat, one_deck=True)
        peak = [peak_rss_mb(["-c", PEAK_SCRIPT, str(db)]) for _ in range(3)]
        import_only = [peak_rss_mb(["-c", "import flashcards.cli, flashcards.storage.collection"])]
        imports = import_tsv(db, 10_000 // scale, repeat)
        answers = answer_loop(db, 1000 // scale)
        fsrs_switch_s = switch_all_to_fsrs(db)
        # The next study day: the SM-2 loop's cards are not due again the same day.
        fsrs_answers = answer_loop(db, 1000 // scale, NOW + timedelta(days=1))
    answers_sorted = sorted(answers)
    result = {
        "workload": "quick (1/10)" if options.quick else "full",
        "build_s": round(build_s, 2),
        "open_decklist_process_ms": spread(process)["median"],
        "decklist_ms": spread(decklist)["median"],
        "queue_first_ms_all": spread(all_first)["median"],
        "queue_first_ms_one": spread(one_first)["median"],
        "answer_median_ms": round(statistics.median(answers), 3),
        "answer_p99_ms": round(answers_sorted[int(0.99 * (len(answers) - 1))], 3),
        "import_10k_s": None if imports is None else spread(imports, 3)["median"],
        "peak_rss_mb": spread(peak, 1)["median"],
        "fsrs_answer_median_ms": round(statistics.median(fsrs_answers), 3),
        "fsrs_switch_all_s": round(fsrs_switch_s, 2),
        "details": {
            "build_steps_s": {key: round(value, 2) for key, value in build_steps.items()},
            "open_decklist_process_ms": spread(process),
            "decklist_ms": spread(decklist),
            "decklist_first_call_ms": spread(decklist_first),
            "queue_first_ms_all": spread(all_first),
            "queue_second_ms_all": spread(all_second),
            "queue_first_ms_one": spread(one_first),
            "queue_second_ms_one": spread(one_second),
            "answer_ms": {
                **spread(answers, 3),
                "p95": round(answers_sorted[int(0.95 * (len(answers) - 1))], 3),
                "count": len(answers),
            },
            "import_10k_s": None if imports is None else spread(imports, 3),
            "peak_rss_mb": spread(peak, 1),
            "import_only_rss_mb": round(import_only[0], 1),
            "repeat": repeat,
        },
    }
    if options.peer is not None:
        result["vs_anki"] = peer_ratios(result, json.loads(options.peer.read_text()))
    print(json.dumps(result, indent=2))


def peer_ratios(ours: dict[str, Any], peer: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each figure beside Anki's from the same machine and run, and their ratio.

    Anki's results hold per-run seconds; the medians are taken here and made
    milliseconds or megabytes to match. The deck list is compared first call with
    first call (Anki's `deck_due_tree` right after opening) and warm with warm.
    """

    def median(runs: list[dict[str, Any]], key: str, scale: float = 1000.0) -> float:
        return float(statistics.median(run[key] for run in runs)) * scale

    queues = peer["open_queue"]
    all_decks = next(runs for label, runs in queues.items() if label.startswith("all 10 decks ("))
    one_deck = next(runs for label, runs in queues.items() if label.startswith("one deck"))
    details = ours["details"]
    pairs = {
        "deck list in process, first call (ms)": (
            details["decklist_first_call_ms"]["median"],
            median(peer["open_tree"], "deck_due_tree_s"),
        ),
        "deck list in process, warm (ms)": (
            ours["decklist_ms"],
            median(all_decks, "deck_due_tree_again_s"),
        ),
        "deck list, whole process (ms)": (
            ours["open_decklist_process_ms"],
            median(peer["open_tree"], "process_wall_s"),
        ),
        "first 50 cards, one deck (ms)": (
            ours["queue_first_ms_one"],
            median(one_deck, "queue_first_s"),
        ),
        "first 50 cards, all decks (ms)": (
            ours["queue_first_ms_all"],
            median(all_decks, "queue_first_s"),
        ),
        "answer with a durable commit, median (ms)": (
            ours["answer_median_ms"],
            median(peer["answer"], "total_median"),
        ),
        "answer on an FSRS deck, median (ms)": (
            ours["fsrs_answer_median_ms"],
            median(peer["answer"], "total_median"),
        ),
        "import of 10,000 rows (s)": (
            ours["import_10k_s"],
            median(peer["import"], "metadata_plus_import_s", 1.0),
        ),
        "peak memory, deck list and queues (MB)": (
            ours["peak_rss_mb"],
            median(all_decks, "max_rss_mb", 1.0),
        ),
    }
    return {
        name: {
            "flashcards": round(mine, 3),
            "anki": round(theirs, 3),
            "ratio": round(mine / theirs, 2),
        }
        for name, (mine, theirs) in pairs.items()
        if mine is not None and theirs
    }


if __name__ == "__main__":
    main()
