"""Schema 3 logs which version of a compute template drew each problem, so that
(template, version, seed) replays exactly what the student saw."""

from __future__ import annotations

from alembic import op

from flashcards.storage.migrations import set_schema_version

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.get_bind().exec_driver_sql("ALTER TABLE review_log ADD COLUMN template_version INTEGER")
    set_schema_version(3)


def downgrade() -> None:
    raise NotImplementedError("flashcards does not downgrade; restore a backup instead")
