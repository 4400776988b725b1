"""The installed `flashcards` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def console_script() -> str:
    beside = Path(sys.executable).with_name("flashcards")
    found = str(beside) if beside.exists() else shutil.which("flashcards")
    if found is None:
        pytest.fail("the flashcards console script is not installed: run `pip install -e .[test]`")
    return found


def run(
    *args: str, db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [console_script(), *(["--db", str(db)] if db else []), *args]
    return subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


def test_first_run_loads_the_bundled_decks_and_lists_them_as_json(tmp_path: Path) -> None:
    done = run("decks", "--json", db=tmp_path / "c.sqlite3")
    assert done.returncode == 0, done.stderr
    decks = json.loads(done.stdout)
    assert len(decks) >= 5
    for deck in decks:
        assert {"name", "total", "new", "due", "redrill"} <= deck.keys()
        assert deck["total"] > 0 and deck["due"] == 0 and deck["new"] <= 20


def test_decks_table_has_a_total_line(tmp_path: Path) -> None:
    done = run("decks", db=tmp_path / "c.sqlite3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[:3] == ["Deck", "New", "Due"]
    assert done.stdout.splitlines()[-1].startswith("Total")


def test_stats_json_on_a_fresh_collection(tmp_path: Path) -> None:
    done = run("stats", "--json", db=tmp_path / "c.sqlite3")
    stats = json.loads(done.stdout)
    assert stats["reviews_total"] == 0 and stats["reviews_today"] == 0
    assert stats["cards_new"] == stats["cards_total"] > 0


def test_the_environment_variable_chooses_the_collection(tmp_path: Path) -> None:
    target = tmp_path / "from-env.sqlite3"
    done = run("decks", env={"FLASHCARDS_DB": str(target)})
    assert done.returncode == 0, done.stderr
    assert target.exists()


def test_doctor_passes_on_a_healthy_collection_and_fails_on_junk(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    run("decks", db=db)
    healthy = run("doctor", db=db)
    assert healthy.returncode == 0 and "ok" in healthy.stdout
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 64)
    broken = run("doctor", db=junk)
    assert broken.returncode == 1
    assert "damaged or not a database" in broken.stdout


def test_usage_errors_exit_1_with_a_message(tmp_path: Path) -> None:
    done = run("decks", "--no-such-flag", db=tmp_path / "c.sqlite3")
    assert done.returncode == 1
    assert "unrecognized arguments" in done.stderr


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flashcards",
            "--db",
            str(tmp_path / "c.sqlite3"),
            "decks",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
