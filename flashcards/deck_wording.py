"""The words for a deck's settings and for what a change did, shared by the CLI and the TUI.

`flashcards.deck_config` decides and reports counts; saying them is the front
end's job. Both front ends say it the same way, except for how to ask for a
reschedule (a flag on the command line, a checkbox in the app).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flashcards.deck_config import ConfigChange, ConfigResult
from flashcards.model import DeckSettings

SCHEDULER_NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}


def scheduler_name(scheduler: str) -> str:
    return SCHEDULER_NAMES.get(scheduler, scheduler)


def settings_lines(settings: DeckSettings) -> list[str]:
    """The settings as aligned `label  value` lines."""
    retention = f"{settings.desired_retention:.2f}"
    if settings.scheduler != "fsrs":
        retention += " (used once the deck uses FSRS)"
    rows = [
        ("Deck", f"{settings.name} (id {settings.external_id})"),
        ("Scheduler", scheduler_name(settings.scheduler)),
        ("Desired retention", retention),
        ("New cards per day", f"{settings.new_per_day:,}"),
        ("Reviews per day", f"{settings.reviews_per_day:,}"),
        ("FSRS parameters", fitted_words(settings)),
    ]
    width = max(len(label) for label, _ in rows)
    return [f"{label.ljust(width)}  {value}" for label, value in rows]


def fitted_words(settings: DeckSettings) -> str:
    if settings.fsrs_parameters is None:
        return "FSRS-6 defaults (not fitted to your reviews yet)"
    words = "fitted"
    if settings.fitted_reviews is not None:
        words += f" to {_count(settings.fitted_reviews, 'review')}"
    if settings.fitted_ms is not None:
        day = datetime.fromtimestamp(settings.fitted_ms / 1000, UTC).date()
        words += f" on {day.isoformat()}"
    return words


def change_lines(
    before: DeckSettings, change: ConfigChange, result: ConfigResult, *, reschedule_hint: str
) -> list[str]:
    """What a change did, in sentences: the scheduler first, then each setting asked about.

    `reschedule_hint` says how to ask for a reschedule ("use --reschedule").
    """
    after = result.settings
    lines = [_scheduler_sentence(before, change, result, reschedule_hint)]
    if change.reschedule and after.scheduler != "fsrs":
        lines.append("Nothing was rescheduled: rescheduling moves due dates to FSRS intervals.")
    switched_to_fsrs = result.switched and after.scheduler == "fsrs"
    if change.desired_retention is not None and not switched_to_fsrs:
        lines.append(_retention_sentence(before, after))
    for label, old, new, asked in (
        ("New cards per day", before.new_per_day, after.new_per_day, change.new_per_day),
        ("Reviews per day", before.reviews_per_day, after.reviews_per_day, change.reviews_per_day),
    ):
        if asked is not None:
            lines.append(
                f"{label}: {old:,} → {new:,}." if old != new else f"{label} stays {new:,}."
            )
    return lines


def _scheduler_sentence(
    before: DeckSettings, change: ConfigChange, result: ConfigResult, reschedule_hint: str
) -> str:
    after = result.settings
    deck = f"Deck {after.name!r}"
    if result.switched and after.scheduler == "fsrs":
        return f"{deck} now uses FSRS (desired retention {after.desired_retention:.2f}): " + (
            _memory_words(result, reschedule_hint) + "."
        )
    if result.switched:
        return (
            f"{deck} uses SM-2 again: each card goes on from its SM-2 ease and interval; "
            "due dates unchanged."
        )
    if after.scheduler == "fsrs" and change.reschedule:
        moved = _count(result.rescheduled, "card")
        return (
            f"{deck} already uses FSRS: {moved} rescheduled to FSRS intervals "
            f"(desired retention {after.desired_retention:.2f})."
        )
    if change.scheduler is not None:
        return f"{deck} already uses {scheduler_name(before.scheduler)}."
    if (change.desired_retention, change.new_per_day, change.reviews_per_day) != (None,) * 3:
        return f"{deck} updated."
    return f"{deck} uses {scheduler_name(after.scheduler)}."


def _memory_words(result: ConfigResult, reschedule_hint: str) -> str:
    if not result.replayed and not result.seeded:
        return "no card has been studied yet, so each gets its memory state at its first review"
    parts = []
    if result.replayed:
        parts.append(
            f"{_count(result.replayed, 'card')} got a memory state from their review history"
        )
    if result.seeded:
        seeded = f"{result.seeded:,}" if parts else _count(result.seeded, "card")
        verb = "was" if result.seeded == 1 else "were"
        parts.append(f"{seeded} {verb} seeded from their SM-2 ease and interval")
    if result.rescheduled:
        due = f"{_count(result.rescheduled, 'card')} moved to FSRS intervals"
    else:
        due = f"due dates unchanged ({reschedule_hint} to move them to FSRS intervals)"
    return ", ".join(parts) + "; " + due


def _retention_sentence(before: DeckSettings, after: DeckSettings) -> str:
    old, new = before.desired_retention, after.desired_retention
    said = (
        f"Desired retention: {old:.2f} → {new:.2f}"
        if old != new
        else f"Desired retention stays {new:.2f}"
    )
    if after.scheduler != "fsrs":
        return said + " (it takes effect when the deck uses FSRS)."
    return said + " (each card's next interval aims at it)."


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
