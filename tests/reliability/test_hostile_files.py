"""Hostile deck files through `flashcards import`: refused fast, in bounded memory.

Each file goes to a separate process, as a user's import would, which reports
its peak memory; the collection must be unchanged afterwards (exit 2, message).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.cli import main

from support import table_dump

MAX_RSS_MB = 150.0
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child of a big
# pytest process would report the parent's peak; VmHWM belongs to the new image.
RUNNER = (
    "import sys\n"
    "from flashcards.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
    "print(f'PEAK_RSS_MB {int(status) / 1024:.1f}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def python_tag(path: Path) -> None:
    path.write_text(
        "id: x\nname: X\ncards:\n"
        "  - id: a\n    front: !!python/object/apply:os.system ['touch /tmp/pwned']\n"
        "    back: b\n",
        encoding="utf-8",
    )


def alias_bomb(path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    path.write_text("\n".join(lines) + "\nid: x\nname: X\ncards: *a9\n", encoding="utf-8")


def deep_nesting(path: Path) -> None:
    path.write_text("id: x\nname: X\ncards: " + "[" * 50_000 + "]" * 50_000 + "\n")


def oversized(path: Path) -> None:
    with path.open("wb") as handle:
        handle.write(b"id: x\nname: X\ncards:\n")
        handle.truncate(21 * 1024 * 1024)


def binary_junk(path: Path) -> None:
    path.write_bytes(os.urandom(200_000))


def zip_bomb(path: Path) -> None:
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("collection.anki21", "w", force_zip64=True) as member,
    ):
        for _ in range(300):  # 300 MB of zeros in about 300 KB
            member.write(block)


def zstd_bomb(path: Path) -> None:
    """A small `.anki21b` whose zstd frame expands to 300 MB: only the streaming cap sees it."""
    import zstandard

    chunks = zstandard.ZstdCompressor(level=19).compressobj()
    packed = b"".join(chunks.compress(b"\0" * (1 << 20)) for _ in range(300)) + chunks.flush()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("collection.anki21b", packed)


def traversal(path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../../../tmp/evil.anki2", b"SQLite format 3\0")
    path.write_bytes(buffer.getvalue())


def bad_csv_rows(path: Path) -> None:
    path.write_text("front,back\nok,fine\n,missing front\nno back,\n", encoding="utf-8")


CASES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "python-tag": ("deck.yaml", python_tag, "Python tags are not allowed"),
    "alias-bomb": ("deck.yaml", alias_bomb, "alias"),
    "deep-nesting": ("deck.yaml", deep_nesting, "nest"),
    "over-20-mb": ("deck.yaml", oversized, "20 MB"),
    "binary-junk": ("deck.yaml", binary_junk, "not valid UTF-8"),
    "zip-bomb": ("deck.apkg", zip_bomb, "would expand past the safety limit"),
    "zstd-bomb": ("deck.apkg", zstd_bomb, "would expand past the safety limit"),
    "path-traversal": ("deck.apkg", traversal, "unsafe member name"),
    "bad-csv-rows": ("deck.csv", bad_csv_rows, "deck.csv:3: the front is empty"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_quickly_in_bounded_memory(tmp_path: Path, case: str) -> None:
    name, make, expected = CASES[case]
    db = tmp_path / "c.sqlite3"
    assert main(["--db", str(db), "decks"]) == 0
    before = table_dump(db)
    hostile = tmp_path / name
    make(hostile)
    escaped = Path("/tmp/evil.anki2")
    escaped_before = escaped.exists()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, "--db", str(db), "import", str(hostile), "--deck", "X"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    peak = float(done.stderr.rsplit("PEAK_RSS_MB", 1)[1])
    assert done.returncode == 2, done.stderr
    assert str(hostile) in done.stderr and "nothing was imported" in done.stderr
    assert expected.lower() in done.stderr.lower()
    assert "Traceback" not in done.stderr
    assert peak < MAX_RSS_MB  # elapsed is only recorded: no wall-clock assertions
    assert table_dump(db) == before
    assert not Path("/tmp/pwned").exists()
    assert escaped.exists() == escaped_before, "a member name escaped the temp directory"
    _record(case, elapsed, peak)


def _record(case: str, seconds: float, peak_mb: float) -> None:
    line = json.dumps(
        {
            "suite": "hostile",
            "case": case,
            "seconds": round(seconds, 2),
            "peak_rss_mb": round(peak_mb, 1),
        }
    )
    print(line)
    target = os.environ.get("FLASHCARDS_RELIABILITY_LOG")
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
