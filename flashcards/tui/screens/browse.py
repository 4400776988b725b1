"""Browse: search the collection, preview a card, and edit, suspend or reset it.

Searches run in a thread worker on their own `Collection` (connections are not
thread-safe), so typing never waits on a scan of a large collection; a
generation counter drops the results of a search the user has already typed
past. Writes go through the app's collection on the UI thread: each is one
short transaction, and the table is re-read afterwards so it shows what was
stored rather than what we think we stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from flashcards import cardtext
from flashcards.clock import study_day
from flashcards.errors import FlashcardsError
from flashcards.model import Card, CardKind, StoredCard
from flashcards.search import EXAMPLE
from flashcards.storage.browse import PAGE_SIZE, BrowsePage, BrowseRow, search_cards
from flashcards.storage.collection import Collection
from flashcards.tui.safe import safe
from flashcards.tui.screens.edit import EditCardScreen
from flashcards.tui.widgets.card_preview import CardPreview

if TYPE_CHECKING:
    from flashcards.tui.app import FlashcardsApp

DEBOUNCE_SECONDS = 0.25
WIDE_LAYOUT = 120  # the app's breakpoint: from here the screen has the class -wide
DECK_WIDTH = {True: 18, False: 12}  # by whether the screen is wide
FIXED_COLUMNS = {"Kind": 7, "Due": 10, "Ivl": 5, "Ease": 4}


class ResultsTable(DataTable[str]):
    """The matching cards; says when its width changes so the columns can be re-fitted.

    The width changes not only with the terminal but when the screen switches
    between its side-by-side and stacked layouts, which no screen event reports.
    """

    class Resized(Message):
        """The table's size changed."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class BrowseScreen(Screen[None]):
    """A search box, the matching cards, and a preview of the highlighted one."""

    CSS_PATH = "browse.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="browse.back"),
        Binding("slash", "focus_search", "Search", id="browse.search"),
        Binding("e", "edit", "Edit", id="browse.edit"),
        Binding("s", "toggle_suspend", "Suspend", id="browse.suspend"),
        Binding("r", "reset", "Reset", id="browse.reset"),
        Binding("right_square_bracket", "page(1)", "Next page", id="browse.next_page"),
        Binding("left_square_bracket", "page(-1)", "Prev page", id="browse.previous_page"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.page: BrowsePage | None = None
        self._generation = 0
        self._offset = 0
        self._debounce: Timer | None = None
        self._searched: str | None = None
        self._keep_card: int | None = None
        self._fitted_width = 0

    @property
    def flashcards(self) -> FlashcardsApp:
        return cast("FlashcardsApp", self.app)

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#results", ResultsTable)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial_query, placeholder=EXAMPLE, id="search")
        yield Static("", id="status")
        with Horizontal(id="body"):
            yield ResultsTable(id="results", cursor_type="row", zebra_stripes=True)
            yield CardPreview(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Browse"
        self.search_box.focus()
        self.run_search()

    # -- searching -----------------------------------------------------------------

    def run_search(self, offset: int = 0, keep_card: int | None = None) -> None:
        """Start a search for the box's text; results arrive in `show_page`."""
        self._generation += 1
        self._offset = offset
        self._keep_card = keep_card
        self._searched = self.search_box.value
        self._search(self.search_box.value, offset, self._generation)

    @work(thread=True, exclusive=True, group="browse-search")
    def _search(self, text: str, offset: int, generation: int) -> None:
        try:
            with Collection(self.flashcards.collection.path) as own:
                page = search_cards(own, text, self.flashcards.clock(), offset=offset)
        except FlashcardsError as error:
            outcome: BrowsePage | str = str(error)
        else:
            outcome = page
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._arrived, outcome, generation)

    def _arrived(self, outcome: BrowsePage | str, generation: int) -> None:
        """Show a search's page or error, unless the user moved on meanwhile."""
        if generation != self._generation or not self.is_attached:
            return
        if isinstance(outcome, str):
            self._set_status(outcome, error=True)
        else:
            self.show_page(outcome)

    def show_page(self, page: BrowsePage) -> None:
        self.page = page
        self._fill_table(page.rows)
        self._set_status(self._describe(page))

    def _set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _describe(self, page: BrowsePage) -> str:
        if page.total == 0:
            if not self.search_box.value.strip():
                return "The collection has no cards yet: import a deck from the Decks screen."
            return "No card matches; remove a term, or try is:due, tag:NAME, deck:NAME."
        noun = "card matches" if page.total == 1 else "cards match"
        text = f"{page.total:,} {noun}"
        if page.total > len(page.rows):
            last = page.offset + len(page.rows)
            text += f" · showing {page.offset + 1:,}-{last:,} ([ and ] change page)"
        return text

    @property
    def search_pending(self) -> bool:
        """A search is scheduled for when the user pauses typing."""
        return self._debounce is not None

    @on(Input.Changed, "#search")
    def _query_changed(self) -> None:
        """Search as the user types, once they pause; text already searched is not redone.

        The box's initial text also arrives as a change, after `on_mount` has searched
        it: without the check a second, identical search would land a moment later.
        """
        self._cancel_pending()
        if self.search_box.value != self._searched:
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self._debounced)

    def _debounced(self) -> None:
        self._debounce = None
        self.run_search()

    def _cancel_pending(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        """Enter searches at once and moves to the results."""
        self._cancel_pending()
        self.run_search()
        self.table.focus()

    # -- the table and the preview -------------------------------------------------

    def _fill_table(self, rows: tuple[BrowseRow, ...]) -> None:
        table = self.table
        previous = self._keep_card if self._keep_card is not None else self._highlighted_id()
        index = table.cursor_row
        table.clear(columns=True)
        deck_width, card_width = self._text_widths()
        table.add_column("Deck", width=deck_width, key="deck")
        table.add_column("Card", width=card_width, key="card")
        for name, width in FIXED_COLUMNS.items():
            table.add_column(name, width=width, key=name.lower())
        for row in rows:
            table.add_row(*_cells(row, deck_width, card_width), key=str(row.stored.id))
        ids = [row.stored.id for row in rows]
        if previous in ids:
            table.move_cursor(row=ids.index(previous))
        elif rows:
            table.move_cursor(row=min(index, len(rows) - 1))
        self._keep_card = None
        self.call_after_refresh(self._show_preview)
        self._fitted_width = table.size.width

    def _text_widths(self) -> tuple[int, int]:
        """Deck and card column widths: the card text gets whatever is left."""
        deck = DECK_WIDTH[self.size.width >= WIDE_LAYOUT]
        padding = 2 * (len(FIXED_COLUMNS) + 2) + 2  # cell padding and the scrollbar
        used = deck + sum(FIXED_COLUMNS.values()) + padding
        return deck, max(16, self.table.size.width - used)

    def _highlighted_id(self) -> int | None:
        stored = self.highlighted
        return stored.id if stored is not None else None

    @property
    def highlighted(self) -> StoredCard | None:
        if self.page is None or not self.page.rows:
            return None
        row = self.table.cursor_row
        return self.page.rows[row].stored if 0 <= row < len(self.page.rows) else None

    @on(DataTable.RowHighlighted, "#results")
    def _show_preview(self) -> None:
        today = study_day(self.flashcards.clock())
        self.query_one("#preview", CardPreview).show(self.highlighted, today)

    @on(ResultsTable.Resized)
    def _table_resized(self) -> None:
        """Re-fit the columns: the card text gets the width the others leave."""
        if self.page is not None and self.table.size.width != self._fitted_width:
            self._fill_table(self.page.rows)

    # -- actions ---------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.search_box.focus()

    def action_page(self, step: int) -> None:
        if self.page is None:
            return
        offset = self._offset + step * PAGE_SIZE
        if 0 <= offset < self.page.total:
            self.run_search(offset)

    def action_edit(self) -> None:
        stored = self.highlighted
        if stored is None:
            return

        def save(card: Card | None) -> None:
            if card is not None:
                collection, now = self.flashcards.collection, self.flashcards.clock()
                self._write(
                    stored.id, lambda: collection.update_card(stored.id, card, now), "Saved"
                )

        self.app.push_screen(EditCardScreen(stored), save)

    def action_toggle_suspend(self) -> None:
        stored = self.highlighted
        if stored is None:
            return
        suspend = not stored.state.suspended
        self._write(
            stored.id,
            lambda: self.flashcards.collection.set_suspended([stored.id], suspend),
            "Suspended the card" if suspend else "Unsuspended the card",
        )

    def action_reset(self) -> None:
        stored = self.highlighted
        if stored is None:
            return

        def confirmed(answer: bool | None) -> None:
            if answer:
                self._write(
                    stored.id,
                    lambda: self.flashcards.collection.reset([stored.id]),
                    "The card is new again; its history is kept",
                )

        self.app.push_screen(ConfirmResetScreen(stored), confirmed)

    def _write(self, card_id: int, change: Callable[[], object], done: str) -> None:
        try:
            change()
        except FlashcardsError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(done)
        self.run_search(self._offset, keep_card=card_id)


class ConfirmResetScreen(ModalScreen[bool]):
    """Resetting throws the schedule away, so it asks first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm_reset.cancel"),
        Binding("y", "confirm", "Reset", id="confirm_reset.confirm"),
    ]

    def __init__(self, stored: StoredCard) -> None:
        super().__init__()
        self.stored = stored

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Reset “{_one_line(self.stored.card.front, 50)}” to new?")
            yield Label("Its schedule starts over; its review history is kept.")
            with Horizontal(id="buttons"):
                yield Button("Reset (y)", variant="error", id="confirm")
                yield Button("Cancel (Esc)", id="cancel")

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def _cells(row: BrowseRow, deck_width: int, card_width: int) -> tuple[str, ...]:
    state = row.stored.state
    if state.suspended:
        due = "suspended"
    elif row.due is None:
        due = "new"
    else:
        due = row.due.isoformat()
    interval = f"{row.interval_days}d" if row.due is not None else ""
    ease = f"{row.ease:.2f}" if row.due is not None else ""
    return (
        _one_line(row.stored.deck_name, deck_width),
        _one_line(_summary_text(row.stored.card), card_width),
        row.stored.card.kind.value,
        due,
        interval,
        ease,
    )


def _summary_text(card: Card) -> str:
    """What the table shows of a card: cloze cards with their own deletion blanked."""
    return cardtext.question(card) if card.kind is CardKind.CLOZE else card.front


def _one_line(text: str, width: int) -> str:
    flat = " ".join(safe(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
