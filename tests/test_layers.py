"""The layers: quizzes below everything, storage the one door to the database, the TUI on top.

The import rules are read from the source with `ast`, so they hold for code
paths no test happens to import; the subprocess checks confirm what actually
gets loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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


# -- the import layers, read from the source with `ast` ------------------------------

ROOT = Path(__file__).resolve().parent.parent
STORAGE_MAY_IMPORT = (
    "flashcards.storage",
    "flashcards.model",
    "flashcards.clock",
    "flashcards.errors",
    "flashcards.gcpause",  # a leaf: imports nothing from the project
    "flashcards.paths",
    "flashcards.scheduling",
    "flashcards.search",
)
STORAGE_ONLY_CALLS = {"transaction", "orm_session", "read"}


@dataclass(frozen=True)
class Imported:
    path: str
    line: int
    module: str
    name: str | None


def _module_of(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> Iterator[Imported]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = str(path.relative_to(ROOT))
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(where, node.lineno, alias.name, None)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield Imported(where, node.lineno, base, alias.name)


def _sources() -> list[Path]:
    return sorted([*ROOT.glob("flashcards/**/*.py"), *ROOT.glob("quizzes/**/*.py")])


def _all_imports() -> list[Imported]:
    return [found for path in _sources() for found in _imports(path)]


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer_violations(imports: list[Imported]) -> list[str]:
    """Every import that crosses a layer the wrong way, as `path:line: what`."""
    found: list[str] = []
    for imp in imports:
        top = imp.module.split(".")[0]
        say = f"{imp.path}:{imp.line}: "
        if imp.path.startswith("quizzes/") and top == "flashcards":
            found.append(say + f"quizzes imports {imp.module}")
        if top == "sqlalchemy" and not imp.path.startswith("flashcards/storage/"):
            found.append(say + f"sqlalchemy outside storage ({imp.module})")
        if top in ("textual", "rich") and not imp.path.startswith("flashcards/tui/"):
            found.append(say + f"{top} outside the TUI")
        if (
            imp.path.startswith("flashcards/storage/")
            and top == "flashcards"
            and not _within(imp.module, STORAGE_MAY_IMPORT)
        ):
            found.append(say + f"storage imports {imp.module}, a layer above it")
        name = imp.name or ""
        if top in ("flashcards", "quizzes") and name.startswith("_") and not name.startswith("__"):
            found.append(say + f"private name {name} imported from {imp.module}")
    return found


def storage_door_violations(paths: list[Path]) -> list[str]:
    """Calls of the storage-internal connection methods from outside storage."""
    found: list[str] = []
    for path in paths:
        where = str(path.relative_to(ROOT))
        if where.startswith("flashcards/storage/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in STORAGE_ONLY_CALLS
                and isinstance(node.func.value, ast.Name | ast.Attribute)
                and "collection" in ast.unparse(node.func.value)
            ):
                found.append(f"{where}:{node.lineno}: {ast.unparse(node.func)}()")
    return found


def test_every_import_respects_the_layers() -> None:
    assert layer_violations(_all_imports()) == []


def test_only_storage_opens_connections_on_the_collection() -> None:
    assert storage_door_violations(_sources()) == []


@pytest.mark.parametrize(
    ("imported", "complaint"),
    [
        (Imported("quizzes/x.py", 1, "flashcards.model", "Card"), "quizzes imports"),
        (Imported("flashcards/session.py", 1, "sqlalchemy", None), "sqlalchemy outside"),
        (Imported("flashcards/cli.py", 1, "rich.text", "Text"), "rich outside the TUI"),
        (Imported("flashcards/storage/a.py", 1, "flashcards.exams.build", "Exam"), "layer above"),
        (Imported("flashcards/a.py", 1, "flashcards.decks.yaml_cards", "_shape"), "private name"),
    ],
)
def test_the_layer_check_catches_each_kind_of_leak(imported: Imported, complaint: str) -> None:
    [violation] = layer_violations([imported])
    assert complaint in violation
