"""Who may pull the collection file from under whom: an advisory lock and the file's identity.

SQLite's own locks protect pages inside one file; they cannot stop another
program from renaming a different file over it, after which a process that
still has the old one open keeps "saving" into an unlinked inode. So every
process that opens a `Collection` holds a *shared* `flock` on the sidecar
`<collection>.lock` for as long as it is open, and anything that replaces the
file (a restore) must first get the *exclusive* lock, without waiting: it
refuses while any other flashcards process has the collection open. A
sidecar rather than the database itself, because SQLite's POSIX locks on the
database and `flock` must not interfere, and because the database file is
the thing being swapped.

`flock` is advisory and per open file description: a second open of the
sidecar in the same process conflicts with the first, which is what a
restore inside a process that still holds a `Collection` needs to see.
The identity (device, inode) recorded at open is the second line of
defence, for a replacement made by a program that ignores the lock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError as exc:  # pragma: no cover - Windows is not a target
    raise ImportError(
        "flashcards needs fcntl.flock (Linux, macOS or another POSIX system) to keep two "
        "processes from replacing the collection under each other; this platform lacks it"
    ) from exc

from flashcards.errors import CollectionError, UserError
from flashcards.paths import PRIVATE_FILE_MODE

IN_USE = (
    "the collection is open in another flashcards process (the app or a command); "
    "close it, then run the restore again"
)

FileIdentity = tuple[int, int]


def lock_path(collection: Path) -> Path:
    return collection.with_name(collection.name + ".lock")


def _open_sidecar(collection: Path) -> int:
    return os.open(lock_path(collection), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)


class SharedLock:
    """Held while a `Collection` is open; waits (briefly, in practice) for a running restore."""

    def __init__(self, collection: Path) -> None:
        self._fd: int | None = _open_sidecar(collection)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Closing the descriptor drops the lock; safe to call twice."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


@contextmanager
def exclusive(collection: Path, refusal: str = IN_USE) -> Iterator[None]:
    """The collection to oneself for a replacement, or `UserError(refusal)` at once."""
    fd = _open_sidecar(collection)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(refusal) from None
        yield
    finally:
        os.close(fd)


def file_identity(path: Path) -> FileIdentity | None:
    """(device, inode) of `path`, None if it is gone: what a rename over it changes."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_dev, info.st_ino


def ensure_not_replaced(path: Path, opened: FileIdentity | None) -> None:
    """Refuse to commit into a file that is no longer the one at `path`.

    Called before each write commits (one `stat`), so the transaction rolls back
    rather than "saving" answers into an unlinked file nobody will read again.
    """
    if file_identity(path) != opened:
        raise CollectionError(
            "the collection file was replaced by another program (a restore?) while this one "
            "had it open; nothing was saved. Restart flashcards."
        )
