"""Schema 2 adds practice-exam attempts; nothing existing changes.

As before Alembic, the tables are created from today's definitions (so a file
upgraded from schema 1 gets `exam_items.review` here, and 0004 skips it).
"""

from __future__ import annotations

from alembic import op

from flashcards.storage.migrations import set_schema_version
from flashcards.storage.tables import exam_attempts_t, exam_items_t, metadata

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    metadata.create_all(op.get_bind(), tables=[exam_attempts_t, exam_items_t])
    set_schema_version(2)


def downgrade() -> None:
    raise NotImplementedError("flashcards does not downgrade; restore a backup instead")
