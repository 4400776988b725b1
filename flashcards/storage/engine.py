"""Opening the SQLite file: pragmas, transaction modes, schema checks.

pysqlite's own implicit transactions are switched off so SQLAlchemy's `begin`
emits the BEGIN itself: reads use a deferred BEGIN, writes `BEGIN IMMEDIATE`,
which takes the write lock up front. That matters with two processes: a
deferred transaction that later tries to write can fail at once with
"database is locked" whatever the busy timeout, while an immediate one waits.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool

from flashcards.errors import CollectionError
from flashcards.paths import create_private_file

BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "flashcards_write"


def make_engine(path: Path) -> Engine:
    """An engine over `path` with WAL, foreign keys, a busy timeout and full sync."""
    # SQLite would create a new file 0644, and its -wal and -shm copy that mode.
    create_private_file(path)
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL in WAL mode syncs the log on every commit: an answer the user
        # saw accepted survives a power cut, not only a killed process.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA cache_size = -16000")
    except sqlite3.DatabaseError as exc:
        raise CollectionError(
            f"the collection file is damaged or not a database ({exc}); run `flashcards doctor`, "
            "or `flashcards backup restore` to go back to a backup"
        ) from exc
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    """Writers take the lock up front; straight to the driver, as it runs per answer."""
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    try:
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    except sqlite3.OperationalError as exc:
        raise OperationalError("BEGIN", None, exc) from exc


_FAILURES = (
    ("disk is full", "the disk is full"),
    ("readonly", "the collection file or its folder is read-only"),
    ("read-only", "the collection file or its folder is read-only"),
    ("locked", "another program kept the collection locked for more than 10 s"),
    ("busy", "another program kept the collection locked for more than 10 s"),
    ("disk i/o error", "the disk reported an I/O error"),
    ("unable to open", "the collection file could not be opened"),
)


def explain_failure(exc: Exception) -> str:
    """A sentence for a failed write: what went wrong, that nothing changed, what to do."""
    text = str(getattr(exc, "orig", exc)).lower()
    for needle, cause in _FAILURES:
        if needle in text:
            return (
                f"could not save: {cause}. Nothing was changed; fix that and try again "
                "(your earlier answers are safe)."
            )
    return f"could not save ({text}). Nothing was changed; run `flashcards doctor`."
