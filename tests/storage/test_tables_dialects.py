"""`tables.py` serves SQLite and PostgreSQL: SQLite's DDL stays byte for byte as it was.

`tests/fixtures/schema-v5-sqlite.sql` is the SQLite DDL of schema 5 as compiled before
the tables learnt PostgreSQL (BIGINT epoch milliseconds, `postgresql_where`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.schema import CreateIndex, CreateTable

from flashcards.storage.tables import metadata

SQLITE: Dialect = make_url("sqlite://").get_dialect()()
POSTGRESQL: Dialect = make_url("postgresql://").get_dialect()()
GOLDEN = Path(__file__).parents[1] / "fixtures" / "schema-v5-sqlite.sql"
EPOCH_MS = {
    ("decks", "created_ms"),
    ("decks", "fsrs_fitted_ms"),
    ("cards", "modified_ms"),
    ("review_log", "reviewed_ms"),
    ("review_log", "origin_id"),
    ("removed_cards", "removed_ms"),
    ("exam_attempts", "started_ms"),
    ("exam_attempts", "finished_ms"),
}


def ddl(dialect: Dialect) -> list[str]:
    """Every table's and index's CREATE statement, in a stable order."""
    statements: list[str] = []
    for table in metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements.extend(
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda index: str(index.name))
        )
    return statements


def test_the_sqlite_ddl_is_byte_identical_to_schema_5() -> None:
    assert "\n".join(ddl(SQLITE)) == GOLDEN.read_text(encoding="utf-8")


def test_every_table_and_index_compiles_for_postgresql() -> None:
    statements = ddl(POSTGRESQL)
    tables = {table.name: table for table in metadata.sorted_tables}
    assert len(statements) == len(tables) + sum(len(t.indexes) for t in tables.values())
    created = {s.split("(")[0].split()[-1]: s for s in statements if "CREATE TABLE" in s}
    for table, column in EPOCH_MS:
        assert f"\t{column} BIGINT" in created[table], (table, column)


def test_partial_indexes_stay_partial_on_postgresql() -> None:
    partial = {
        str(index.name): index
        for table in metadata.sorted_tables
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is not None
    }
    assert len(partial) == 7
    for name, index in partial.items():
        where = str(index.dialect_options["sqlite"]["where"])
        statement = str(CreateIndex(index).compile(dialect=POSTGRESQL))
        assert statement.endswith(f"WHERE {where}"), name
