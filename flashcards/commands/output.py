"""Printing for commands: JSON and plain tables, with no storage import.

Kept apart from `commands.common` so that `flashcards decks`, which reads the
collection without SQLAlchemy, does not import it just to print.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def table(rows: list[list[str]], right_align_from: int = 1) -> str:
    """A plain text table; columns after the first are right-aligned numbers."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(widths[i]) if i < right_align_from else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
