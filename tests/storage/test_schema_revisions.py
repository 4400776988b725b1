"""Alembic revisions: legacy files are stamped and upgraded, new ones start at the head.

`meta.schema_version` stays the number every open reads; the `alembic_version` table
says which revision produced the schema. The v2..v4 files here are the version-1
fixture taken up revision by revision and then stripped of `alembic_version`, which
is exactly what a file written before Alembic looks like.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from flashcards.cli import main
from flashcards.errors import CollectionError
from flashcards.storage import migrations
from flashcards.storage.collection import Collection
from flashcards.storage.engine import WRITE_OPTION, make_engine
from flashcards.storage.schema import revision_for
from flashcards.storage.tables import SCHEMA_VERSION, metadata

from support import table_dump

FIXTURE = Path(__file__).parents[1] / "fixtures" / "collection-v1.sqlite3"
V1_TABLES = ("cards", "decks", "removed_cards", "review_log", "schedule")


@contextmanager
def writing(path: Path) -> Iterator[Connection]:
    """One write transaction on the file, as the collection opens it."""
    engine = make_engine(path)
    try:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            yield conn
    finally:
        engine.dispose()


def meta_version(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(
            conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        )


def recorded(path: Path) -> list[str] | None:
    """The file's Alembic revisions, None when it has no `alembic_version` table."""
    with closing(sqlite3.connect(path)) as conn:
        try:
            return [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        except sqlite3.OperationalError:
            return None


def sql(path: Path, statement: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(statement)


def legacy_file(tmp_path: Path, version: int) -> Path:
    """A file as flashcards wrote it at schema `version`, before Alembic."""
    path = tmp_path / f"v{version}.sqlite3"
    shutil.copyfile(FIXTURE, path)
    if version > 1:
        with writing(path) as conn:
            migrations.stamp(conn, revision_for(1))
            migrations.upgrade(conn, revision_for(version))
        sql(path, "DROP TABLE alembic_version")
    return path


def differences(path: Path) -> list[object]:
    """What Alembic's autogenerate would change to make the file match `tables.py`."""
    with writing(path) as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def test_the_revisions_run_from_0001_to_the_current_schema_version() -> None:
    assert migrations.known_revisions() == {revision_for(n) for n in range(1, 6)}
    assert revision_for(SCHEMA_VERSION) == "0005"


def test_a_new_file_is_created_from_the_tables_and_stamped_at_the_head(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    with Collection(path) as collection:
        assert collection.check() == []  # alembic_version is ours, not an unknown table
    assert recorded(path) == ["0005"] and meta_version(path) == "5"
    assert differences(path) == []


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_a_file_from_before_alembic_is_stamped_at_its_version_and_upgraded(
    tmp_path: Path, version: int
) -> None:
    path = legacy_file(tmp_path, version)
    assert meta_version(path) == str(version) and recorded(path) is None
    before = table_dump(path)
    assert len(before["review_log"]) == 11
    with Collection(path) as collection:
        assert collection.check() == []
    assert recorded(path) == ["0005"] and meta_version(path) == "5"
    after = table_dump(path)
    for table in V1_TABLES:  # every row kept; later versions only append columns
        width = len(before[table][0]) if before[table] else 0
        assert len(after[table]) == len(before[table]), table
        assert [row[:width] for row in after[table]] == before[table], table
    assert differences(path) == []


def test_a_schema_5_file_from_before_alembic_is_only_stamped(tmp_path: Path) -> None:
    path = legacy_file(tmp_path, 5)
    before = table_dump(path)
    with Collection(path) as collection:
        assert collection.check() == []
    assert recorded(path) == ["0005"]
    after = table_dump(path)
    assert after.pop("alembic_version") == [("0005",)]
    assert after == before


def test_an_upgraded_version_1_file_matches_the_tables_exactly(tmp_path: Path) -> None:
    path = legacy_file(tmp_path, 1)
    with Collection(path):
        pass
    assert differences(path) == []


def test_an_empty_database_built_revision_by_revision_matches_the_tables(tmp_path: Path) -> None:
    path = tmp_path / "built.sqlite3"
    with writing(path) as conn:
        migrations.upgrade(conn)
    assert recorded(path) == ["0005"] and meta_version(path) == "5"
    assert differences(path) == []


def test_an_upgrade_that_fails_midway_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = legacy_file(tmp_path, 1)
    before = table_dump(path)
    record_version = migrations.set_schema_version

    def fail_at_4(version: int) -> None:
        record_version(version)
        if version == 4:  # after 0002 to 0004 changed the schema
            raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "set_schema_version", fail_at_4)
    with pytest.raises(RuntimeError, match="power cut"):
        Collection(path)
    assert table_dump(path) == before
    assert meta_version(path) == "1" and recorded(path) is None
    monkeypatch.undo()
    with Collection(path):  # and the next open upgrades it
        pass
    assert recorded(path) == ["0005"]


def test_a_file_recording_an_unknown_revision_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.sqlite3"
    Collection(path).close()
    sql(path, "UPDATE alembic_version SET version_num = '0099'")
    before = table_dump(path)
    with pytest.raises(CollectionError, match="schema revision 0099"):
        Collection(path)
    assert main(["--db", str(path), "doctor"]) == 1
    assert "schema revision 0099, which this version of flashcards does not know" in (
        capsys.readouterr().out
    )
    assert table_dump(path) == before


def test_a_revision_that_disagrees_with_the_schema_version_follows_the_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.sqlite3"
    Collection(path).close()
    sql(path, "UPDATE alembic_version SET version_num = '0002'")
    with Collection(path) as collection:
        assert collection.check() == []
    assert recorded(path) == ["0005"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("DROP TABLE alembic_version", "table alembic_version is missing"),
        ("UPDATE alembic_version SET version_num = 'abc'", "schema revision abc is unknown"),
        ("UPDATE alembic_version SET version_num = '0003'", "schema revision is 0003"),
        ("DELETE FROM alembic_version", "schema revision is none, expected 0005"),
    ],
)
def test_the_check_reports_a_missing_or_wrong_revision(
    tmp_path: Path, damage: str, problem: str
) -> None:
    path = tmp_path / "c.sqlite3"
    with Collection(path) as collection:
        sql(path, damage)  # by another program, while the collection is open
        problems = collection.check()
    assert len(problems) == 1 and problem in problems[0]


def test_opening_an_up_to_date_collection_never_imports_alembic(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    Collection(path).close()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from flashcards.storage.collection import Collection\n"
        f"Collection(Path({str(path)!r})).close()\n"
        "print('LOADED', any(m.startswith('alembic') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "LOADED False"
