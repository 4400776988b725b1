"""`flashcards import PATH...`: validate every file, then import in one transaction."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flashcards import clock
from flashcards.commands.common import open_for
from flashcards.errors import UserError
from flashcards.model import Deck, ScheduleState
from flashcards.storage.importing import Progress

YAML_SUFFIXES = {".yaml", ".yml"}
DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt"}
ANKI_SUFFIXES = {".apkg", ".colpkg"}
PROGRESS_FROM = 2_000  # cards; smaller imports finish before a bar would help


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
        "--prune", action="store_true", help="remove cards missing from the file (default: suspend)"
    )
    parser.add_argument(
        "--keep-schedule",
        action="store_true",
        help="Anki packages: keep their intervals and ease as SM-2 state",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    decks, schedules, notes = load_inputs(args.paths, args.deck, args.keep_schedule)
    from flashcards.storage.importing import import_decks, import_with_backup

    now = clock.now()
    with open_for(args) as collection:
        if args.dry_run:
            report = import_decks(
                collection, decks, now, prune=args.prune, schedules=schedules, dry_run=True
            )
        else:
            total = sum(len(deck.cards) for deck in decks)
            report, made = import_with_backup(
                collection,
                decks,
                now,
                prune=args.prune,
                schedules=schedules,
                progress=_progress_bar(total),
            )
            if made is not None:
                notes.append(f"backup of the collection before this import: {made}")
    for line in [*report.lines(), *notes]:
        print(line)
    if args.dry_run:
        print("dry run: nothing was changed")
    elif not report.changed:
        print("nothing to change: the collection already matches these files")
    return 0


def load_inputs(
    paths: list[Path], deck_name: str | None, keep_schedule: bool
) -> tuple[list[Deck], dict[tuple[str, str], ScheduleState], list[str]]:
    """Parse and validate every path before anything touches the collection."""
    from flashcards.decks.errors import DeckValidationError

    decks: list[Deck] = []
    schedules: dict[tuple[str, str], ScheduleState] = {}
    notes: list[str] = []
    problems = []
    yaml_paths = [p for p in paths if p.is_dir() or p.suffix.lower() in YAML_SUFFIXES]
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
    try:
        decks += _load_yaml(yaml_paths)
    except DeckValidationError as exc:
        problems += list(exc.problems)
    for path in paths:
        if path in yaml_paths:
            continue
        try:
            decks += _load_other(path, deck_name, keep_schedule, schedules, notes)
        except DeckValidationError as exc:
            problems += list(exc.problems)
    if problems:
        raise DeckValidationError(problems)
    _check_unique(decks)
    return decks, schedules, notes


def _load_yaml(paths: list[Path]) -> list[Deck]:
    if not paths:
        return []
    from flashcards.decks.yaml_deck import load_decks
    from quizzes.registry import check_params, names

    return load_decks(paths, known_generators=names(), check_params=check_params)


def _load_other(
    path: Path,
    deck_name: str | None,
    keep_schedule: bool,
    schedules: dict[tuple[str, str], ScheduleState],
    notes: list[str],
) -> list[Deck]:
    suffix = path.suffix.lower()
    if suffix in DELIMITED_SUFFIXES:
        from flashcards.decks.delimited import load_delimited

        return [load_delimited(path, deck_name=deck_name)]
    if suffix in ANKI_SUFFIXES:
        from flashcards.clock import date_to_day
        from flashcards.decks.anki_package import load_anki_package

        package = load_anki_package(path, keep_schedule=keep_schedule)
        for key, sched in package.schedules.items():
            schedules[key] = ScheduleState(
                repetitions=sched.repetitions,
                easiness_centi=sched.easiness_centi,
                interval_days=sched.interval_days,
                lapses=sched.lapses,
                due_day=None if sched.due_date is None else date_to_day(sched.due_date),
            )
        if package.media_skipped:
            notes.append(f"{path.name}: {package.media_skipped} media files skipped")
        if package.notes_skipped:
            notes.append(f"{path.name}: {package.notes_skipped} notes skipped")
        notes += [f"{path.name}: {warning}" for warning in package.warnings]
        return list(package.decks)
    raise UserError(
        f"{path}: unknown file type {suffix or '(none)'}; import takes YAML files or folders, "
        ".csv/.tsv/.txt, or Anki .apkg/.colpkg"
    )


def _check_unique(decks: list[Deck]) -> None:
    seen: dict[str, str] = {}
    for deck in decks:
        if deck.external_id in seen:
            raise UserError(
                f"deck id {deck.external_id!r} comes from two inputs ({seen[deck.external_id]!r} "
                f"and {deck.name!r}); import them separately or give them different ids"
            )
        seen[deck.external_id] = deck.name


def _progress_bar(total: int) -> Progress | None:
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return None

    def show(done: int, of: int) -> None:
        width = 30
        filled = width * done // max(of, 1)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{of} cards")
        if done >= of:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
