"""`flashcards exam build` without `--seed`: a seed is drawn, printed and recorded."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.cli import main

WriteSpec = Callable[[str], Path]


def build(out: Path, spec: Path, deck_files: list[Path], *seed: str) -> int:
    extra = [arg for path in deck_files for arg in ("--decks", str(path))]
    return main(
        ["exam", "build", str(spec), *seed, "--variants", "2", "--json", "-o", str(out), *extra]
    )


def test_a_build_without_seed_prints_the_seed_that_rebuilds_it_byte_for_byte(
    tmp_path: Path,
    write_spec: WriteSpec,
    short_spec: str,
    deck_files: list[Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = write_spec(short_spec)
    assert build(tmp_path / "drawn", spec, deck_files) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    found = re.fullmatch(r"seed (\d+): rebuild with --seed (\d+)", last)
    assert found is not None and found[1] == found[2], last
    seed = found[1]
    drawn = {path.name: path.read_bytes() for path in (tmp_path / "drawn").iterdir()}
    assert json.loads(drawn["short-v1.json"])["seed"] == int(seed)
    assert f"seed {seed} ·".encode() in drawn["short-v2-exam.md"]
    assert build(tmp_path / "again", spec, deck_files, "--seed", seed) == 0
    assert "rebuild with" not in capsys.readouterr().out
    again = {path.name: path.read_bytes() for path in (tmp_path / "again").iterdir()}
    assert again == drawn
