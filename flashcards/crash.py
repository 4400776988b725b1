"""Crash reports: one line on screen for the user, the whole story in a file.

An exception that is not a `FlashcardsError` is a bug. A traceback on screen
(Textual's shows local variables: card text, typed answers, paths) scares the
user, scrolls away, and is not what a bug report needs anyway; a file with the
traceback, the version, Python, platform and arguments is. The CLI and the
app share this module; the app writes its report while it still owns the
terminal and hands `CrashReported` to the CLI, which prints the line.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from flashcards import __version__
from flashcards.paths import PRIVATE_FILE_MODE, crash_dir, make_private_dirs

EX_SOFTWARE = 70
"""sysexits.h: an internal software error was detected."""


class CrashReported(Exception):
    """An unexpected error whose report is already written (`report` None: it could not be)."""

    def __init__(self, error: BaseException, report: Path | None) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error
        self.report = report


def write_report(error: BaseException, argv: Sequence[str] | None = None) -> Path:
    """The traceback and the context a maintainer needs, in a new private file."""
    folder = crash_dir()
    make_private_dirs(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = "".join(
        [
            f"flashcards {__version__}\n",
            f"Python {sys.version}\n",
            f"platform {platform.platform()}\n",
            f"argv {list(sys.argv if argv is None else argv)!r}\n\n",
            *traceback.format_exception(error),
        ]
    )
    for attempt in range(1, 100):
        path = folder / (f"crash-{stamp}.txt" if attempt == 1 else f"crash-{stamp}-{attempt}.txt")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    raise FileExistsError(f"too many crash reports named crash-{stamp}* in {folder}")


def try_write_report(error: BaseException, argv: Sequence[str] | None = None) -> Path | None:
    """`write_report`, or None when even that fails (a full disk): the line still appears."""
    try:
        return write_report(error, argv)
    except OSError:
        return None


def report_crash(error: BaseException, argv: Sequence[str] | None = None) -> int:
    """Write the report unless the app did, print the one line, return the exit code."""
    if isinstance(error, CrashReported):
        original, path = error.error, error.report
    else:
        original, path = error, try_write_report(error, argv)
    name = type(original).__name__
    if path is None:
        message = " ".join(str(original).split())[:200]
        line = f"unexpected error ({name}: {message}); no crash report could be written"
    else:
        line = (
            f"unexpected error ({name}); the full report is in {path} "
            "— please attach it to a bug report"
        )
    print(f"flashcards: {line}", file=sys.stderr)
    return EX_SOFTWARE
