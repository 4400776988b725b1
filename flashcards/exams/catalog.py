"""The bundled exam specs as a student chooses among them: by title, with the id aside.

Reading a title needs only the spec's top-level `title`, not the full check against
the decks (`flashcards.exams.spec.load_spec`), so listing the specs stays quick. A
spec whose title cannot be read is still listed, under its id: the full load says
what is wrong once it is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flashcards.decks.discovery import compose_yaml
from flashcards.decks.errors import Problem
from flashcards.exams.files import bundled_specs


@dataclass(frozen=True)
class SpecEntry:
    id: str
    title: str
    path: Path


def spec_title(path: Path) -> str:
    """The spec's `title`, or "" when the file has none that can be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    problems: list[Problem] = []
    root = compose_yaml(text, path.name, problems)
    if root is None or not isinstance(root.value, list):
        return ""
    for key, value in root.value:
        if getattr(key, "value", None) == "title" and isinstance(value.value, str):
            return " ".join(value.value.split())
    return ""


def bundled_catalog() -> list[SpecEntry]:
    """The bundled specs, in file-name order, each with its title (its id if none)."""
    return [
        SpecEntry(spec_id, spec_title(path) or spec_id, path)
        for spec_id, path in bundled_specs().items()
    ]
