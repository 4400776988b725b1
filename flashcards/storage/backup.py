"""Timestamped copies of the collection, taken before risky changes.

Copies use SQLite's online backup API, which yields a consistent snapshot even
while another process writes. Restoring first backs up the current file (so a
restore can itself be undone), then swaps the file in with an atomic rename
and removes the old write-ahead log, which belongs to the replaced file.
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
from flashcards.paths import backup_dir

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
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}-{_slug(reason)}{SUFFIX}"
    partial = target.with_suffix(".partial")
    try:
        _copy(collection, partial)
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
    """
    backups = list_backups(collection)
    if not backups:
        raise UserError(f"there are no backups of {collection} yet")
    chosen = backups[0] if name is None else _find(backups, name)
    _check_readable(chosen.path)
    safety = _keep_current(collection, now) if collection.exists() else None
    staged = collection.with_name(collection.name + ".restoring")
    _copy(chosen.path, staged)
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
        return Backup(target, "damaged")


def _copy(source_path: Path, target_path: Path) -> None:
    """A consistent snapshot through SQLite's backup API (sqlite3's `with` does not close)."""
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
