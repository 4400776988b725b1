"""Reading every kind of input file into validated decks, before any write.

Shared by `flashcards import` and the TUI's import dialog: YAML files and
folders, CSV/TSV tables and Anki packages all end as `Deck`s, with every
problem of every file collected before anything touches the collection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.decks.discovery import YAML_SUFFIXES
from flashcards.errors import UserError
from flashcards.model import Deck, ReviewKind, ScheduleState
from flashcards.storage.imported_reviews import ImportedReview

DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt"}
ANKI_SUFFIXES = {".apkg", ".colpkg"}


@dataclass
class LoadedInputs:
    """Decks ready to import, plus what the import needs to know about them."""

    decks: list[Deck] = field(default_factory=list)
    schedules: dict[tuple[str, str], ScheduleState] = field(default_factory=dict)
    reviews: dict[tuple[str, str], tuple[ImportedReview, ...]] = field(default_factory=dict)
    """Per (deck id, card id), its answers from an Anki package's log (--keep-schedule)."""
    notes: list[str] = field(default_factory=list)
    additive: set[str] = field(default_factory=set)
    """Deck ids from tables: a batch of cards, not a whole deck (missing cards stay)."""


def load_inputs(paths: list[Path], deck_name: str | None, keep_schedule: bool) -> LoadedInputs:
    """Parse and validate every path before anything touches the collection."""
    from flashcards.decks.errors import DeckValidationError

    loaded = LoadedInputs()
    problems = []
    yaml_paths = [p for p in paths if p.is_dir() or p.suffix.lower() in YAML_SUFFIXES]
    for path in paths:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder")
    try:
        loaded.decks += _load_yaml(yaml_paths)
    except DeckValidationError as exc:
        problems += list(exc.problems)
    for path in paths:
        if path in yaml_paths:
            continue
        try:
            loaded.decks += _load_other(path, deck_name, keep_schedule, loaded)
        except DeckValidationError as exc:
            problems += list(exc.problems)
    if problems:
        raise DeckValidationError(problems)
    _check_unique(loaded.decks)
    return loaded


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
    loaded: LoadedInputs,
) -> list[Deck]:
    suffix = path.suffix.lower()
    if suffix in DELIMITED_SUFFIXES:
        from flashcards.decks.delimited import load_delimited

        table = load_delimited(path, deck_name=deck_name)
        loaded.additive.add(table.external_id)
        return [table]
    if suffix in ANKI_SUFFIXES:
        from flashcards.anki_history import history
        from flashcards.clock import date_to_day
        from flashcards.decks.anki_package import load_anki_package

        package = load_anki_package(path, keep_schedule=keep_schedule)
        for key, reviews in package.reviews.items():
            loaded.reviews[key] = history(reviews)
        for key, sched in package.schedules.items():
            due = None if sched.due_date is None else date_to_day(sched.due_date)
            loaded.schedules[key] = ScheduleState(
                repetitions=sched.repetitions,
                easiness_centi=sched.easiness_centi,
                interval_days=sched.interval_days,
                lapses=sched.lapses,
                due_day=due,
                last_review_day=_last_review(loaded.reviews.get(key, ()), due, sched.interval_days),
            )
        if package.media_skipped:
            loaded.notes.append(f"{path.name}: {package.media_skipped} media files skipped")
        if package.notes_skipped:
            loaded.notes.append(f"{path.name}: {package.notes_skipped} notes skipped")
        loaded.notes += [f"{path.name}: {warning}" for warning in package.warnings]
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


def _last_review(reviews: Sequence[ImportedReview], due: int | None, interval: int) -> int | None:
    """The day the card was last reviewed: from its history, else the day its interval
    started (due less interval, as Anki itself assumes), so FSRS can tell elapsed days."""
    days = [review.day for review in reviews if review.kind is ReviewKind.REVIEW]
    if days:
        return max(days)
    return None if due is None else due - interval
