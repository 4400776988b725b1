"""Decks: the home screen, a table of what is due and the ways into everything else.

Browse and Statistics are imported when first opened: they bring search and
plotting code that the first screen, which must appear within a second, does
not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from flashcards.model import DeckCounts
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe
from flashcards.tui.screens.importer import ImportScreen
from flashcards.tui.screens.review import ReviewScreen, StartSpec
from flashcards.tui.widgets.prompt import TextPrompt

if TYPE_CHECKING:
    from flashcards.tui.app import FlashcardsApp

TOTAL_ROW = "total"
COLUMNS = ("Deck", "New", "Due", "Re-drill", "Total")
EXAM_KEY = "x"
"""Opens the practice-exam picker; nothing else on this screen may take the key."""
OPTIONS_KEY = "o"
"""Opens the selected deck's options: scheduler, desired retention, daily limits."""


class DecksScreen(Screen[None]):
    """New / due / re-drill counts per deck and a total line; Enter studies a deck."""

    CSS_PATH = "decks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "study", "Study", id="decks.study"),
        Binding("a", "study_all", "All due", id="decks.study-all"),
        Binding("c", "cram", "Cram", id="decks.cram"),
        Binding("t", "cram_tag", "Cram tag", id="decks.cram-tag"),
        Binding("b", "browse", "Browse", id="decks.browse"),
        Binding("s", "stats", "Stats", id="decks.stats"),
        Binding("i", "import", "Import", id="decks.import"),
        Binding(EXAM_KEY, "exam", "Exam", id="decks.exam"),
        Binding(OPTIONS_KEY, "options", "Options", id="decks.options"),
        Binding("U", "update_content", "Update decks", id="decks.update-content", show=False),
        Binding("q", "app.quit", "Quit", id="decks.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: list[DeckCounts] = []
        self.pending_updates = 0

    @property
    def flashcards(self) -> FlashcardsApp:
        return cast("FlashcardsApp", self.app)

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one("#decks-table", DataTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="decks-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="decks-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        table = self.table
        for name in COLUMNS:
            table.add_column(name, key=name)
        self.refresh_counts()
        self.check_bundled_updates()

    @work(thread=True, exclusive=True, group="bundled")
    def check_bundled_updates(self) -> None:
        """Compare the shipped decks with the collection's copies, off the UI thread."""
        from flashcards.bundled import pending_updates

        with Collection(self.flashcards.collection.path) as collection:
            count = len(pending_updates(collection))
        self.app.call_from_thread(self._show_pending, count)

    def _show_pending(self, count: int) -> None:
        self.pending_updates = count
        self.query_one("#decks-status", Static).update(self._status())

    def action_update_content(self) -> None:
        if not self.pending_updates:
            self.notify("The bundled decks are up to date.")
            return
        self.notify("Updating the bundled decks…")
        self.apply_bundled_updates()

    @work(thread=True, exclusive=True, group="bundled")
    def apply_bundled_updates(self) -> None:
        """Re-import changed bundled decks through the normal import (history kept)."""
        from flashcards.bundled import apply_updates, pending_updates
        from flashcards.wording import BUNDLED_PRUNE_HINT, import_lines

        with Collection(self.flashcards.collection.path) as collection:
            report = apply_updates(collection, pending_updates(collection), self.flashcards.clock())
        summary = "\n".join(import_lines(report, prune_hint=BUNDLED_PRUNE_HINT))
        self.app.call_from_thread(self._updated, summary)

    def _updated(self, summary: str) -> None:
        self.pending_updates = 0
        self.refresh_counts()
        self.notify(summary or "The bundled decks are up to date.", title="Decks updated")

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read the counts, keeping the cursor on the same deck."""
        table = self.table
        selected = self.selected_key()
        self.counts = self.flashcards.collection.deck_counts(self.flashcards.clock())
        table.clear()
        for deck in self.counts:
            table.add_row(
                Text(safe(deck.name)),
                *_numbers(deck.new, deck.due, deck.redrill, deck.total),
                key=str(deck.deck_id),
            )
        if self.counts:
            table.add_row(Text("Total", style="bold"), *self._totals(), key=TOTAL_ROW)
        keys = [str(d.deck_id) for d in self.counts]
        if selected in keys:
            table.move_cursor(row=keys.index(selected), animate=False)
        table.display = bool(self.counts)
        self.query_one("#decks-status", Static).update(self._status())

    def _totals(self) -> list[Text]:
        sums = [sum(getattr(d, field) for d in self.counts) for field in ("new", "due", "redrill")]
        return [
            Text(t.plain, style="bold", justify="right")
            for t in _numbers(*sums, sum(d.total for d in self.counts))
        ]

    def _status(self) -> str:
        note = (
            f"{self.pending_updates} bundled deck(s) changed in this version: press U to update "
            "them (your reviews are kept).\n"
            if self.pending_updates
            else ""
        )
        return note + self._study_hint()

    def _study_hint(self) -> str:
        if not self.counts:
            return (
                "No decks yet. Press i to import a deck file or folder "
                "(YAML, CSV/TSV or an Anki .apkg)."
            )
        if not any(d.new + d.due + d.redrill for d in self.counts):
            return (
                "Nothing is due right now. Press c to cram the selected deck or t to cram a "
                "tag (neither changes the schedule), or come back tomorrow."
            )
        return "Enter: study the selected deck (on Total: everything due) · a: all due cards"

    def selected_key(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected_deck(self) -> DeckCounts | None:
        key = self.selected_key()
        return next((d for d in self.counts if str(d.deck_id) == key), None)

    @on(DataTable.RowSelected, "#decks-table")
    def row_selected(self) -> None:
        """Enter on a row studies that deck; on the total line, everything due."""
        self.action_study()

    def action_study(self) -> None:
        deck = self.selected_deck()
        if deck is None:
            self.action_study_all()
        else:
            self._review(StartSpec(safe(deck.name), (deck.deck_id,)))

    def action_study_all(self) -> None:
        self._review(StartSpec("All decks"))

    def action_cram(self) -> None:
        deck = self.selected_deck()
        spec = StartSpec("All decks", cram=True)
        if deck is not None:
            spec = StartSpec(safe(deck.name), (deck.deck_id,), cram=True)
        self._review(spec)

    def action_cram_tag(self) -> None:
        prompt = TextPrompt("Cram the cards with this tag (the schedule is not touched):", "tag")
        self.app.push_screen(prompt, self._cram_tag)

    def _cram_tag(self, tag: str | None) -> None:
        if tag:
            self._review(StartSpec(f"tag {tag}", tag=tag, cram=True))

    def _review(self, spec: StartSpec) -> None:
        if not self.counts:
            self.notify("There are no decks to study yet: press i to import one.")
            return
        self.app.push_screen(ReviewScreen(spec))

    def action_browse(self) -> None:
        from flashcards.tui.screens.browse import BrowseScreen

        deck = self.selected_deck()
        query = f'deck:"{deck.name}"' if deck is not None and '"' not in deck.name else ""
        self.app.push_screen(BrowseScreen(query))

    def action_stats(self) -> None:
        from flashcards.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_exam(self) -> None:
        """Pick a bundled practice exam and sit it (imported here: it is rarely used)."""
        from flashcards.tui.screens.exam_picker import ExamPickerScreen

        self.app.push_screen(ExamPickerScreen(seed=self.flashcards.rng.randrange(1_000_000)))

    def action_options(self) -> None:
        """The selected deck's scheduler and limits (imported here: it is rarely used)."""
        from flashcards.storage.deck_settings import one_deck_settings
        from flashcards.tui.screens.deck_config import DeckConfigScreen

        deck = self.selected_deck()
        if deck is None:
            self.notify("Options are per deck: select a deck's row first.")
            return
        collection = self.flashcards.collection
        settings = one_deck_settings(collection, deck.deck_id)
        self.app.push_screen(
            DeckConfigScreen(settings, collection.path), lambda _changed: self.refresh_counts()
        )

    def action_import(self) -> None:
        self.app.push_screen(ImportScreen(), lambda _changed: self.refresh_counts())


def _numbers(*values: int) -> list[Text]:
    return [Text(str(value), justify="right") for value in values]
