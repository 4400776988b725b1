"""The import use case, shared by `flashcards import` and the app's import dialog.

Both front ends do the same three things: read and validate every input file
(nothing touches the collection if any is bad), plan the changes from a read
snapshot (that plan is the preview, or the whole of a dry run), and apply that
same plan with a backup first. Only the words and the progress display differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flashcards.gcpause import gc_paused
from flashcards.inputs import LoadedInputs, load_inputs
from flashcards.storage.collection import Collection
from flashcards.storage.importing import (
    ImportPlan,
    ImportReport,
    Progress,
    apply_with_backup,
    plan_import,
)


@dataclass(frozen=True)
class ImportRequest:
    """What the student asked to import, and how."""

    paths: tuple[Path, ...]
    deck_name: str | None = None
    prune: bool = False
    keep_schedule: bool = False


@dataclass(frozen=True)
class AppliedImport:
    """What an applied import changed, and the backup taken before it (None: no backup)."""

    report: ImportReport
    backup: Path | None


@dataclass(frozen=True)
class PreparedImport:
    """Validated inputs and their planned changes: the preview, ready to apply."""

    request: ImportRequest
    loaded: LoadedInputs
    plan: ImportPlan

    @property
    def preview(self) -> ImportReport:
        return self.plan.report

    @property
    def changed(self) -> bool:
        return self.plan.changed

    @property
    def cards(self) -> int:
        return sum(len(deck.cards) for deck in self.loaded.decks)

    @property
    def notes(self) -> list[str]:
        """What reading the files skipped or warned about (media, unsupported notes)."""
        return list(self.loaded.notes)

    def apply(
        self, collection: Collection, now: datetime, *, progress: Progress | None = None
    ) -> AppliedImport:
        """Write the planned changes (a backup first if any); re-planned if the decks moved."""
        report, made = apply_with_backup(collection, self.plan, now, progress=progress)
        return AppliedImport(report, made)


def prepare_import(collection: Collection, request: ImportRequest) -> PreparedImport:
    """Validate every input and plan the import; nothing is written."""
    with gc_paused():  # reading and planning as one bulk load (see flashcards.gcpause)
        loaded = load_inputs(list(request.paths), request.deck_name, request.keep_schedule)
        plan = plan_import(
            collection,
            loaded.decks,
            prune=request.prune,
            schedules=loaded.schedules,
            reviews=loaded.reviews,
            additive=loaded.additive,
        )
    return PreparedImport(request, loaded, plan)
