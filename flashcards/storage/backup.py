"""Timestamped copies of the collection, taken before risky changes.

Copies use SQLite's online backup API, which yields a consistent snapshot even
while another process writes. Restoring first backs up the current file (so a
restore can itself be undone), then swaps the file in with an atomic rename
and removes the old write-ahead log, which belongs to the replaced file.

A restore never pulls the file from under a running process. Every open
`Collection` holds a shared lock on `<collection>.lock`; restore takes the
exclusive lock without waiting and, when another flashcards process (the app
or a command) has the collection open, refuses with a `UserError` before
touching anything. The lock is held from the safety copy to the rename, so an
app starting meanwhile waits and then opens the restored file. This module
never opens a `Collection` itself, so a restore does not lock itself out. A
program that ignores the lock is caught by `Collection.transaction()`, which
refuses to commit into a file whose identity changed since it was opened.

Backups are private: the folder is created 0700 and each copy gets the
collection's permission bits; a restored file keeps the mode of the file it
replaces.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flashcards.errors import CollectionError, UserError
from flashcards.paths import PRIVATE_FILE_MODE, backup_dir, create_private_file, make_private_dirs
from flashcards.storage.filelock import exclusive

KEEP = 10
SUFFIX = ".sqlite3"


@dataclass(frozen=True)
class Backup:
    path: Path
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def create(collection: Path, now: datetime, reason: str, keep: int = KEEP) -> Backup:
    """Copy `collection` into its backup folder; keep the newest `keep` copies."""
    folder = backup_dir(collection)
    make_private_dirs(folder)
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{_slug(reason)}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        _copy(collection, partial, _mode_of(collection))
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise CollectionError(f"could not back up the collection to {folder}: {exc}") from exc
    for old in list_backups(collection)[keep:]:
        old.path.unlink(missing_ok=True)
    return Backup(target, reason)


def list_backups(collection: Path) -> list[Backup]:
    """Backups of `collection`, newest first."""
    folder = backup_dir(collection)
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob(f"*{SUFFIX}"), reverse=True)
    return [Backup(path, path.stem.split("-", 3)[-1]) for path in paths]


def restore(collection: Path, name: str | None, now: datetime) -> tuple[Backup, Backup | None]:
    """Put backup `name` (default: the newest) in place of the collection.

    Returns the backup restored and the safety copy of the file it replaced.
    Refuses (`UserError`) while another process has the collection open.
    """
    backups = list_backups(collection)
    if not backups:
        raise UserError(f"there are no backups of {collection} yet")
    chosen = backups[0] if name is None else _find(backups, name)
    _check_readable(chosen.path)
    with exclusive(collection):
        safety = _keep_current(collection, now) if collection.exists() else None
        staged = collection.with_name(collection.name + ".restoring")
        _copy(chosen.path, staged, _mode_of(collection))
        for leftover in (Path(f"{collection}-wal"), Path(f"{collection}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(staged, collection)
    return chosen, safety


def _keep_current(collection: Path, now: datetime) -> Backup:
    """Keep the file a restore replaces; a damaged one is copied byte for byte."""
    try:
        return create(collection, now, "before-restore")
    except CollectionError:
        target = backup_dir(collection) / f"{now.strftime('%Y%m%d-%H%M%S-%f')}-damaged.bin"
        shutil.copyfile(collection, target)
        os.chmod(target, _mode_of(collection))
        return Backup(target, "damaged")


def _mode_of(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return PRIVATE_FILE_MODE


def _copy(source_path: Path, target_path: Path, mode: int) -> None:
    """A consistent snapshot through SQLite's backup API (sqlite3's `with` does not close).

    The target gets `mode` before a byte is written, so a copy of a private
    collection is never readable by others, not even for a moment.
    """
    create_private_file(target_path, mode)
    os.chmod(target_path, mode)
    with (
        closing(sqlite3.connect(source_path)) as source,
        closing(sqlite3.connect(target_path)) as target,
    ):
        source.backup(target)


def _find(backups: list[Backup], name: str) -> Backup:
    for backup in backups:
        if backup.name == name or backup.path.stem == name:
            return backup
    names = ", ".join(backup.name for backup in backups[:5])
    raise UserError(f"no backup named {name!r}; the newest are: {names}")


def _check_readable(path: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        raise CollectionError(f"backup {path.name} is not readable: {exc}") from exc
    if result is None or result[0] != "ok":
        raise CollectionError(f"backup {path.name} is damaged; choose another one")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "backup"
