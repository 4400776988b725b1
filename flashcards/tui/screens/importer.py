"""Import from the Decks screen: a preview of every change first, then apply on request.

The dialog runs the same use case as `flashcards import` (`flashcards.imports`):
the first press validates the files and plans the changes without writing
anything, and shows that plan; "Apply" writes that same plan, with a backup
first. Both steps run in a thread worker with its own `Collection` on the same
file, so a large Anki package does not freeze the app. Validation problems are
listed in full, one `file:line: message` per line, because fixing a deck takes
all of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Static

from flashcards.errors import FlashcardsError
from flashcards.imports import ImportRequest, PreparedImport, prepare_import
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe
from flashcards.wording import import_lines

if TYPE_CHECKING:
    from flashcards.tui.app import FlashcardsApp

PRUNE_HINT = "tick “Remove cards missing from the file” to remove them"
PREVIEW_BUTTON = "Preview"
APPLY_BUTTON = "Apply import"


def preview_lines(prepared: PreparedImport) -> list[str]:
    """The plan in words, and what pressing Apply would do next."""
    lines = import_lines(prepared.preview, prune_hint=PRUNE_HINT) + prepared.notes
    if prepared.changed:
        lines.append(f"Nothing is written yet: press “{APPLY_BUTTON}” to make these changes.")
    else:
        lines.append("Nothing to change: the collection already matches this input.")
    return lines


def applied_lines(
    prepared: PreparedImport, collection: Collection, app: FlashcardsApp, progress: ProgressBar
) -> list[str]:
    """Apply the previewed plan (runs in a worker thread) and say what it did."""

    def moved(done: int, total: int) -> None:
        app.call_from_thread(progress.update, total=max(total, 1), progress=done)

    applied = prepared.apply(collection, app.clock(), progress=moved)
    lines = import_lines(applied.report, prune_hint=PRUNE_HINT) + prepared.notes
    if applied.backup is not None:
        lines.append(f"A backup of the collection from before the import: {applied.backup}")
    return lines


class ImportScreen(ModalScreen[bool]):
    """Dismisses with True when something was imported (the deck counts changed)."""

    CSS_PATH = "importer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="import.close")]

    def __init__(self) -> None:
        super().__init__()
        self.imported = False
        self.prepared: PreparedImport | None = None

    @property
    def flashcards(self) -> FlashcardsApp:
        return cast("FlashcardsApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Label("Import a deck file or folder", id="import-title")
            yield Input(
                placeholder="path: a YAML file or folder, .csv/.tsv, .apkg", id="path", compact=True
            )
            yield Input(
                placeholder="deck name (CSV/TSV only; optional)", id="deck-name", compact=True
            )
            yield Checkbox(
                "Anki packages: keep their intervals and ease", id="keep-schedule", compact=True
            )
            yield Checkbox("Remove cards missing from the file", id="prune", compact=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-report-box"):
                yield Static(id="import-report", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button(PREVIEW_BUTTON, variant="primary", id="import-start", compact=True)
                yield Button("Close", id="import-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _edited(self, event: Input.Submitted | Input.Changed | Checkbox.Changed) -> None:
        """Any change to the form drops a preview made from the old values."""
        if isinstance(event, Input.Submitted):
            self.start()
        elif self.prepared is not None:
            self._forget_preview()

    @on(Button.Pressed, "#import-start")
    def start(self) -> None:
        """The first press (or Enter) previews; once previewed, the button applies."""
        if self.prepared is not None and self.prepared.changed:
            self._apply(self.prepared)
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._report("Type the path of a deck file or folder first.")
            return
        request = ImportRequest(
            (Path(text).expanduser(),),
            self.query_one("#deck-name", Input).value.strip() or None,
            prune=self.query_one("#prune", Checkbox).value,
            keep_schedule=self.query_one("#keep-schedule", Checkbox).value,
        )
        self._busy("Validating and planning the import…")
        db = self.flashcards.collection.path
        self.run_worker(
            lambda: self._plan(db, request), thread=True, exclusive=True, group="import"
        )

    def _plan(self, db: Path, request: ImportRequest) -> None:
        try:
            with Collection(db) as collection:
                prepared = prepare_import(collection, request)
        except FlashcardsError as exc:
            self.app.call_from_thread(self._done, [str(exc)], None)
            return
        self.app.call_from_thread(self._done, preview_lines(prepared), prepared)

    def _apply(self, prepared: PreparedImport) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._busy("Importing…")
        db, app = self.flashcards.collection.path, self.flashcards

        def work() -> None:
            try:
                with Collection(db) as collection:
                    lines = applied_lines(prepared, collection, app, bar)
            except FlashcardsError as exc:
                self.app.call_from_thread(self._done, [str(exc)], prepared)
                return
            self.app.call_from_thread(self._done, lines, None, True)

        self.run_worker(work, thread=True, exclusive=True, group="import")

    def _busy(self, message: str) -> None:
        self.query_one("#import-start", Button).disabled = True
        self._report(message)

    def _done(
        self, lines: list[str], prepared: PreparedImport | None, imported: bool = False
    ) -> None:
        self.imported = self.imported or imported
        self.prepared = prepared
        button = self.query_one("#import-start", Button)
        button.disabled = False
        button.label = APPLY_BUTTON if prepared is not None and prepared.changed else PREVIEW_BUTTON
        if prepared is None:
            self.query_one("#import-progress").display = self.imported
        self._report("\n".join(lines))

    def _forget_preview(self) -> None:
        self.prepared = None
        self.query_one("#import-start", Button).label = PREVIEW_BUTTON
        self._report("The form changed: press Preview again.")

    def _report(self, text: str) -> None:
        self.query_one("#import-report", Static).update(safe(text))

    @on(Button.Pressed, "#import-close")
    def close_pressed(self) -> None:
        """The Close button leaves the dialog."""
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.imported)
