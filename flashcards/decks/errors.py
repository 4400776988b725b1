"""Problems found in deck files, and the limits every input file must respect.

Every parser collects `Problem`s instead of stopping at the first one; when any
exist, one `DeckValidationError` carries all of them and nothing is imported.
`read_text` is here because the size and encoding limits are the first problems
any deck file can have, whatever its format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flashcards.errors import BadInputError

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file; `line`/`column` are 1-based when known."""

    file: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class DeckValidationError(BadInputError):
    """One or more deck files are invalid; the import must not touch the collection."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(problem) for problem in self.problems]
        lines.append("nothing was imported")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()


def read_text(path: Path) -> str:
    """The file's text, refusing files over the size limit and text that is not UTF-8.

    The size is checked before reading, and the read is capped, so a huge file (or a
    device that never ends) cannot fill memory. A UTF-8 byte order mark is dropped,
    since spreadsheet programs often write one.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big(path, size)
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problem = Problem(str(path), None, None, f"cannot read the file: {reason}")
        raise DeckValidationError([problem]) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(path, len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = (
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start} "
            f"(line {line})"
        )
        problem = Problem(str(path), line, None, message, "save the file with UTF-8 encoding")
        raise DeckValidationError([problem]) from exc


def _too_big(path: Path, size: int) -> DeckValidationError:
    limit_mb = MAX_FILE_BYTES // (1024 * 1024)
    message = f"the file is {size / (1024 * 1024):.1f} MB; the limit is {limit_mb} MB"
    hint = "split it into several files (a deck folder can hold many)"
    return DeckValidationError([Problem(str(path), None, None, message, hint)])
