"""Keeping text that came from a deck from acting on the terminal that shows it.

Deck files, tables and Anki packages come from strangers, and a card holding
`ESC ] 52 ; c ; ...` can write to the clipboard, `ESC ] 0 ; ...` retitle the window;
Rich drops BEL but passes ESC through. So every control character that could start
or end such a sequence is shown as a visible stand-in instead: C0 controls as their
Unicode "control picture" (U+2400 + code, so ESC shows as ␛ and a reader can tell
what was there), DEL as ␡, and C1 controls (which have no pictures, and one of which,
U+009B, is a one-character CSI) as U+FFFD. Newline and tab are layout and stay.

A carriage return is replaced too, unless it ends a Windows line: a bare CR moves
the cursor to the start of the line, so the text after it would overwrite what was
printed before (one card's answer could hide another's question). CR LF is only a
line end and becomes LF.

Nothing here imports Rich or Textual: the CLI uses it too, and the TUI calls it
through `flashcards.tui.safe`.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import TextIO, cast

CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The characters `neutralise` replaces; `\\n` and `\\t` are not among them."""

_ALL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CRLF = re.compile("\r\n")


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def neutralise(text: str) -> str:
    """`text` with every control character but newline and tab shown as a stand-in."""
    if CONTROL_CHARS.search(text) is None:
        return text
    return CONTROL_CHARS.sub(_stand_in, _CRLF.sub("\n", text))


def find_control(text: str) -> int | None:
    """The offset of the first control character, newline and tab included, or None.

    This is the check for names, ids and tags, where a newline or tab is as wrong
    as an escape: they are shown on one line, in tables, and typed on the command line.
    """
    match = _ALL_CONTROLS.search(text)
    return None if match is None else match.start()


def describe_control(text: str, offset: int) -> str:
    """How a problem report names the control character at `offset`."""
    return f"a control character (U+{ord(text[offset]):04X}) at position {offset + 1}"


class NeutralisingStream:
    """A text stream that passes everything written through `neutralise`.

    Every other attribute (`isatty`, `encoding`, `buffer`, `fileno`...) is the
    wrapped stream's, so code that inspects the stream sees the real one.
    """

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(neutralise(text))
        return len(text)

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        return self.wrapped.isatty()

    def flush(self) -> None:
        self.wrapped.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)


def unwrapped(stream: TextIO) -> TextIO:
    """The stream under a `NeutralisingStream`, for the program's own control output.

    The import progress bar redraws its line with a carriage return; that text is
    ours, not a deck's, so it may reach the terminal as it is.
    """
    return stream.wrapped if isinstance(stream, NeutralisingStream) else stream


@contextlib.contextmanager
def neutralised_output() -> Iterator[None]:
    """Neutralise `sys.stdout` and `sys.stderr` for the duration of the block.

    Always, not only on a terminal: output piped to a file is often shown on one
    later. JSON output is unchanged (JSON escapes every control character) and
    export files are written to their own files, not these streams. Textual draws
    on `sys.__stderr__`, which is left alone, so the app's own escapes still work.
    """
    saved = sys.stdout, sys.stderr
    if saved[0] is not None:
        sys.stdout = cast(TextIO, NeutralisingStream(saved[0]))
    if saved[1] is not None:
        sys.stderr = cast(TextIO, NeutralisingStream(saved[1]))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
