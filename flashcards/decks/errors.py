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
from flashcards.terminal import describe_control, find_control, neutralise

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FIELD_BYTES = 64 * 1024
"""The most UTF-8 bytes one text field of a card may hold.

The longest real card in the bundled decks is a few KB; a field of megabytes is a
mistake or an attack, and it leaves the app blank for minutes while it lays the
text out. Every reader refuses it, naming the card and field, before importing.
"""
_SPLIT_HINT = "split the card"


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


def field_too_big(what: str, field: str, text: str) -> str | None:
    """The problem message when `text` is over `MAX_FIELD_BYTES`, else None.

    `what` names the card ("card 'x'"). Most fields are far under the limit, so the
    length check spares encoding them; only fields near it are measured in bytes.
    """
    if len(text) * 4 <= MAX_FIELD_BYTES:
        return None
    size = len(text) if len(text) > MAX_FIELD_BYTES else len(text.encode("utf-8", "replace"))
    if size <= MAX_FIELD_BYTES:
        return None
    return too_big_message(what, field, size)


def too_big_message(what: str, field: str, size: int) -> str:
    """`what` names the card; `size` is the field's size in bytes."""
    shown = f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 1024:.1f} KB"
    limit = f"{MAX_FIELD_BYTES // 1024} KB"
    return f"{what} field {field!r} is {shown}; the limit is {limit} per field: {_SPLIT_HINT}"


def control_in(label: str, text: str) -> str | None:
    """The problem message when a name, id or tag holds a control character, else None.

    Names, ids and tags are shown on one line and typed on the command line, so
    newline and tab are refused along with the escapes that could drive a terminal.
    """
    offset = find_control(text)
    if offset is None:
        return None
    shown = neutralise(text if len(text) <= 60 else text[:57] + "...")
    return f"{label} {shown!r} holds {describe_control(text, offset)}"


CONTROL_HINT = "remove it: names, ids and tags may not hold control characters, tabs or newlines"
