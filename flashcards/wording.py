"""The words for what the core reports as data, shared by the CLI and the TUI.

Storage and the use cases return counts and ids; saying them is the front
end's job. Both front ends say an import the same way, except for how to ask
for pruning (a flag on the command line, a checkbox in the app).
"""

from __future__ import annotations

from flashcards.storage.importing import ImportReport

PREVIEW_IDS = 5
BUNDLED_PRUNE_HINT = "their reviews are kept"


def import_lines(report: ImportReport, *, prune_hint: str) -> list[str]:
    """One line per deck, then a line for cards suspended or removed, if any."""
    verb = "would be" if report.dry_run else "were"
    out: list[str] = []
    for deck in report.decks:
        head = f"{deck.name}{' (new deck)' if deck.created else ''}: "
        extra = f", {deck.restored} back in the file again" if deck.restored else ""
        extra += f", {deck.moved} moved" if deck.moved else ""
        if deck.reviews:
            plural = "s" if deck.reviews != 1 else ""
            extra += f", {deck.reviews:,} review{plural} from the package's history"
        out.append(
            head + f"{deck.added} added, {deck.updated} updated, {deck.unchanged} unchanged" + extra
        )
        if deck.missing:
            out.append(
                f"  {len(deck.missing)} cards no longer in the file {verb} suspended "
                f"({prune_hint}): {preview(deck.missing)}"
            )
        if deck.pruned:
            out.append(f"  {len(deck.pruned)} cards {verb} removed: {preview(deck.pruned)}")
    return out


def preview(ids: list[str], shown: int = PREVIEW_IDS) -> str:
    """The first few ids of a long list, and how many more there are."""
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more
