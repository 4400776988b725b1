"""The core never imports Textual: the TUI is a layer on top, not a dependency."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "flashcards.model",
    "flashcards.clock",
    "flashcards.cardtext",
    "flashcards.scheduling.sm2",
    "flashcards.scheduling.policy",
    "flashcards.storage.collection",
    "flashcards.storage.importing",
    "flashcards.storage.reports",
    "flashcards.session",
    "flashcards.bundled",
    "flashcards.cli",
    "flashcards.decks.yaml_deck",
    "flashcards.decks.delimited",
    "flashcards.decks.anki_package",
    "quizzes.registry",
    "quizzes.checking",
    "quizzes.solver",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_deck_list_command_does_not_load_heavy_modules() -> None:
    """`flashcards decks` is a whole process each time: no sympy, numpy, Textual or ORM."""
    heavy = ("sympy", "numpy", "textual", "sqlalchemy.orm", "yaml")
    code = (
        "import sys\n"
        "from flashcards.cli import build_parser\n"
        "build_parser(['decks'])\n"
        "import flashcards.commands.decks\n"
        "import flashcards.storage.collection\n"
        f"print(','.join(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
