"""Import from the Decks screen: ask for a path, validate, import with a progress bar.

The work runs in a thread worker with its own `Collection` on the same file
(a collection's connections belong to the thread that opened them), so a large
Anki package does not freeze the app. Validation problems are listed in full,
one `file:line: message` per line, because fixing a deck takes all of them.
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
from flashcards.storage.collection import Collection

if TYPE_CHECKING:
    from flashcards.tui.app import FlashcardsApp


def run_import(
    db: Path,
    path: Path,
    deck_name: str | None,
    keep_schedule: bool,
    app: FlashcardsApp,
    progress: ProgressBar,
) -> list[str]:
    """Validate and import `path` into the collection at `db` (runs in a worker thread)."""
    from flashcards.inputs import load_inputs
    from flashcards.storage.importing import import_with_backup

    loaded = load_inputs([path], deck_name, keep_schedule)

    def moved(done: int, total: int) -> None:
        app.call_from_thread(progress.update, total=max(total, 1), progress=done)

    with Collection(db) as collection:
        report, backup = import_with_backup(
            collection,
            loaded.decks,
            app.clock(),
            schedules=loaded.schedules,
            additive=loaded.additive,
            progress=moved,
        )
    lines = report.lines() + loaded.notes
    if backup is not None:
        lines.append(f"A backup of the collection from before the import: {backup}")
    if not report.changed:
        lines.append("Nothing to change: the collection already matches this input.")
    return lines


class ImportScreen(ModalScreen[bool]):
    """Dismisses with True when something was imported (the deck counts changed)."""

    CSS_PATH = "importer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="import.close")]

    def __init__(self) -> None:
        super().__init__()
        self.imported = False

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
            yield ProgressBar(id="import-progress", show_eta=False)
            with VerticalScroll(id="import-report-box"):
                yield Static(id="import-report", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button("Import", variant="primary", id="import-start", compact=True)
                yield Button("Close", id="import-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-start")
    def start(self) -> None:
        """Enter in a field, or the Import button, starts the import."""
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self._report("Type the path of a deck file or folder first.")
            return
        deck_name = self.query_one("#deck-name", Input).value.strip() or None
        keep = self.query_one("#keep-schedule", Checkbox).value
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import-start", Button).disabled = True
        self._report("Validating and importing…")
        path, db, app = Path(text).expanduser(), self.flashcards.collection.path, self.flashcards
        self.run_worker(
            lambda: self._work(db, path, deck_name, keep, app, bar),
            thread=True,
            exclusive=True,
            group="import",
        )

    def _work(
        self,
        db: Path,
        path: Path,
        deck_name: str | None,
        keep: bool,
        app: FlashcardsApp,
        bar: ProgressBar,
    ) -> None:
        try:
            lines = run_import(db, path, deck_name, keep, app, bar)
        except FlashcardsError as exc:
            self.app.call_from_thread(self._done, [str(exc)], False)
            return
        self.app.call_from_thread(self._done, lines, True)

    def _done(self, lines: list[str], imported: bool) -> None:
        self.imported = self.imported or imported
        self.query_one("#import-progress").display = imported
        self.query_one("#import-start", Button).disabled = False
        self._report("\n".join(lines))

    def _report(self, text: str) -> None:
        self.query_one("#import-report", Static).update(text)

    @on(Button.Pressed, "#import-close")
    def close_pressed(self) -> None:
        """The Close button leaves the dialog."""
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.imported)
