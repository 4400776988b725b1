"""Power loss: an answer is acknowledged only after its write-ahead log reached the disk.

A power cut cannot be staged here, but what survives one can be: data is safe
once `fsync`/`fdatasync` on it returned. A tiny shim loaded with LD_PRELOAD logs
every such call from a process that answers cards, with markers the process
writes after each acknowledged answer. With the collection's `synchronous=FULL`
every answer's WAL is synced before its acknowledgement; the same run with
`synchronous=OFF` (or NORMAL, which syncs only at checkpoints) has answers with
no sync at all, and the check reports each of them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static void note(const char *what, int fd) {
    const char *log = getenv("FSYNC_LOG");
    if (!log) return;
    FILE *f = fopen(log, "a");
    if (!f) return;
    char link[64], target[1024];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    target[n < 0 ? 0 : n] = 0;
    fprintf(f, "%s %s\n", what, target);
    fclose(f);
}
int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    note("fsync", fd);
    return real(fd);
}
int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    note("fdatasync", fd);
    return real(fd);
}
"""

ANSWERS = 5
WORKER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from flashcards.answering import answer_card
    from flashcards.model import Card, CardKind, Deck
    from flashcards.storage.collection import Collection
    from flashcards.storage.importing import import_decks

    db, log, synchronous = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    cards = tuple(Card(f"c{i}", CardKind.BASIC, f"q{i}", f"a{i}") for i in range(ANSWERS))
    with Collection(db) as collection:
        import_decks(collection, [Deck("d", "D", cards=cards)], now)
        if synchronous != "FULL":
            raw = collection._write.connection.driver_connection
            raw.execute(f"PRAGMA synchronous = {synchronous}")
        for card in collection.queue(now):
            with log.open("a") as marks:
                marks.write("answer\\n")
            answer_card(collection, card.id, 4, now)
            with log.open("a") as marks:
                marks.write("acknowledged\\n")
    """
).replace("ANSWERS", str(ANSWERS))


def unsynced_answers(log: str, db: Path) -> int:
    """Answers acknowledged with no sync of the collection's WAL since they began."""
    wal = f"{db}-wal"
    unsynced, synced, inside = 0, False, False
    for line in log.splitlines():
        if line == "answer":
            synced, inside = False, True
        elif line == "acknowledged" and inside:
            unsynced += 0 if synced else 1
            inside = False
        elif inside and line.split(" ", 1)[-1] == wal:
            synced = True
    return unsynced


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to build the fsync-logging shim")
    folder = tmp_path_factory.mktemp("shim")
    source = folder / "shim.c"
    source.write_text(SHIM, encoding="utf-8")
    built = folder / "shim.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-o", built, source, "-ldl"], check=True)
    return built


def run_answers(shim: Path, folder: Path, synchronous: str) -> int:
    db, log = folder / f"{synchronous}.sqlite3", folder / f"{synchronous}.log"
    env = {"FSYNC_LOG": str(log), "LD_PRELOAD": str(shim), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(db), str(log), synchronous],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.splitlines().count("acknowledged") == ANSWERS
    return unsynced_answers(text, db)


def test_every_acknowledged_answer_is_on_disk(shim: Path, tmp_path: Path) -> None:
    assert run_answers(shim, tmp_path, "FULL") == 0


@pytest.mark.parametrize("synchronous", ["OFF", "NORMAL"])
def test_the_check_catches_answers_a_power_cut_would_lose(
    shim: Path, tmp_path: Path, synchronous: str
) -> None:
    assert run_answers(shim, tmp_path, synchronous) == ANSWERS
