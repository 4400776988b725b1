"""`flashcards import PATH...`: validate every file, then import in one transaction."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flashcards import clock
from flashcards.commands.common import open_for
from flashcards.storage.importing import Progress
from flashcards.terminal import unwrapped

PROGRESS_FROM = 2_000  # cards; smaller imports finish before a bar would help
PRUNE_HINT = "use --prune to remove them"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="import decks (YAML file or folder, .csv/.tsv, .apkg/.colpkg)",
        description="Validate the files completely, then import them in one transaction: "
        "cards match on (deck id, card id), so an edited file updates its cards and keeps "
        "their reviews.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--deck", metavar="NAME", help="deck name for CSV/TSV files")
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change, touch nothing"
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="remove cards missing from the file (default: suspend them; CSV/TSV rows only "
        "add and update unless --prune is given)",
    )
    parser.add_argument(
        "--keep-schedule",
        action="store_true",
        help="Anki packages: keep their intervals and ease as SM-2 state, and import "
        "their review history",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from flashcards.imports import ImportRequest, prepare_import
    from flashcards.wording import import_lines

    request = ImportRequest(tuple(args.paths), args.deck, args.prune, args.keep_schedule)
    with open_for(args) as collection:
        prepared = prepare_import(collection, request)
        if args.dry_run:
            report = prepared.preview
            made = None
        else:
            applied = prepared.apply(
                collection, clock.now(), progress=_progress_bar(prepared.cards)
            )
            report, made = applied.report, applied.backup
    lines = import_lines(report, prune_hint=PRUNE_HINT) + prepared.notes
    if made is not None:
        lines.append(f"backup of the collection before this import: {made}")
    for line in lines:
        print(line)
    if args.dry_run:
        print("dry run: nothing was changed")
    elif not report.changed:
        print("nothing to change: the collection already matches these files")
    return 0


def _progress_bar(total: int) -> Progress | None:
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return None

    def show(done: int, of: int) -> None:
        width = 30
        filled = width * done // max(of, 1)
        err = unwrapped(sys.stderr)  # the redraw's CR is ours, not a deck's
        err.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{of} cards")
        if done >= of:
            err.write("\n")
        err.flush()

    return show
