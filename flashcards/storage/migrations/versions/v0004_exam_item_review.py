"""Schema 4 keeps each exam item as the student saw it (question, key, solution), so a
past attempt can be reviewed; older attempts keep NULL there. A file upgraded from
schema 1 got the column when 0002 created the table from today's definitions."""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from flashcards.storage.migrations import set_schema_version

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    conn = op.get_bind()
    if "review" not in {column["name"] for column in inspect(conn).get_columns("exam_items")}:
        conn.exec_driver_sql("ALTER TABLE exam_items ADD COLUMN review TEXT")
    set_schema_version(4)


def downgrade() -> None:
    raise NotImplementedError("flashcards does not downgrade; restore a backup instead")
