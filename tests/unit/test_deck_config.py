"""Switching a deck between SM-2 and FSRS keeps its history, its plan and its SM-2 state."""

from __future__ import annotations

import random

import pytest

from flashcards.deck_config import ConfigChange, configure, replay_memory, review_histories
from flashcards.errors import UserError
from flashcards.model import Grade, ScheduleState
from flashcards.scheduling.fsrs_policy import DEFAULT_PARAMETERS, FsrsScheduler
from flashcards.session import FSRS_CHOICES, SM2_CHOICES, StudySession
from flashcards.storage.collection import Collection
from flashcards.storage.convert import SCHEDULE_COLUMNS
from flashcards.storage.deck_settings import one_deck_settings, review_days
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck, stored_rows

FSRS_FIELDS = ("stability", "fsrs_difficulty")
SM2_FIELDS = tuple(name for name in SCHEDULE_COLUMNS if name not in FSRS_FIELDS)


def studied_deck(collection: Collection, clock: FakeClock, days: int = 12) -> int:
    """A deck of 8 cards studied with SM-2 over `days` days (seeded grades)."""
    import_decks(collection, [make_deck(n=8)], clock())
    rng = random.Random(5)
    for _ in range(days):
        session = StudySession(collection, clock, rng=random.Random(1))
        while session.current is not None:
            session.answer(
                rng.choice([Grade.WRONG_FAMILIAR, Grade.HARD, Grade.GOOD, Grade.GOOD, Grade.EASY])
            )
        clock.advance(days=1)
    return collection.deck_id("Deck A")


def sm2_rows(collection: Collection) -> list[tuple[object, ...]]:
    return [
        tuple(row)
        for row in stored_rows(
            collection, f"SELECT card_id, {', '.join(SM2_FIELDS)} FROM schedule ORDER BY card_id"
        )
    ]


def test_a_round_trip_sm2_fsrs_sm2_changes_no_sm2_state_and_no_due_date(
    collection: Collection, clock: FakeClock
) -> None:
    deck = studied_deck(collection, clock)
    before = sm2_rows(collection)
    to_fsrs = configure(collection, deck, ConfigChange(scheduler="fsrs"))
    assert to_fsrs.switched and to_fsrs.settings.scheduler == "fsrs"
    assert to_fsrs.replayed == 8 and to_fsrs.seeded == 0
    assert sm2_rows(collection) == before
    memories = stored_rows(collection, "SELECT stability, fsrs_difficulty FROM schedule")
    assert all(s is not None and d is not None for s, d in memories)
    back = configure(collection, deck, ConfigChange(scheduler="sm2"))
    assert back.switched and back.settings.scheduler == "sm2"
    assert sm2_rows(collection) == before


def test_the_switch_replays_each_cards_log(collection: Collection, clock: FakeClock) -> None:
    deck = studied_deck(collection, clock)
    configure(collection, deck, ConfigChange(scheduler="fsrs"))
    histories = review_histories(review_days(collection, deck))
    expected = replay_memory(DEFAULT_PARAMETERS, histories)
    for card_id, stability, difficulty in stored_rows(
        collection, "SELECT card_id, stability, fsrs_difficulty FROM schedule"
    ):
        assert (stability, difficulty) == pytest.approx(expected[card_id])
    # only the first answer of each day counts: drills never reach FSRS
    drills = stored_rows(collection, "SELECT count(*) FROM review_log WHERE kind = 'drill'")
    assert drills[0][0] > 0
    assert (
        sum(len(days) for days in histories.values())
        == stored_rows(collection, "SELECT count(*) FROM review_log WHERE kind = 'review'")[0][0]
    )


def test_reschedule_moves_due_dates_to_fsrs_intervals(
    collection: Collection, clock: FakeClock
) -> None:
    deck = studied_deck(collection, clock)
    result = configure(collection, deck, ConfigChange(scheduler="fsrs", reschedule=True))
    assert result.rescheduled == 8
    fsrs = FsrsScheduler()
    for last, due, interval, stability in stored_rows(
        collection, "SELECT last_review_day, due_day, interval_days, stability FROM schedule"
    ):
        assert interval == fsrs.next_interval(stability) and due == last + interval


def test_cards_with_only_an_sm2_state_are_seeded(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=2)], clock())
    deck = collection.deck_id("Deck A")
    card_id = stored_rows(collection, "SELECT min(card_id) FROM schedule")[0][0]
    kept = ScheduleState(
        repetitions=5, easiness_centi=230, interval_days=40, due_day=20500, last_review_day=20460
    )
    collection.restore_state(card_id, collection.card(card_id).state, kept)
    result = configure(collection, deck, ConfigChange(scheduler="fsrs"))
    assert result.seeded == 1 and result.replayed == 0
    state = collection.card(card_id).state
    assert state.due_day == 20500 and state.stability is not None


def test_an_fsrs_deck_studies_with_four_grades_and_logs_both_states(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=2), make_deck("Deck B", n=2)], clock())
    configure(collection, collection.deck_id("Deck A"), ConfigChange(scheduler="fsrs"))
    session = StudySession(collection, clock, rng=random.Random(1))
    seen = set()
    while session.current is not None:
        card = session.current
        choices = session.grade_choices()
        seen.add((card.deck_name, choices))
        intervals = session.intervals()
        assert intervals is not None and set(intervals) == {c.grade for c in choices}
        result = session.answer(Grade.EASY)
        row = stored_rows(
            collection,
            "SELECT scheduler, rating, stability_after, quality "
            f"FROM review_log WHERE id = {result.review_id}",
        )[0]
        if card.deck_name == "Deck A":
            assert row[0] == "fsrs" and row[1] == 4 and row[2] is not None and row[3] == 5
            last = result.after.last_review_day
            assert last is not None
            assert result.after.due_day == last + intervals[Grade.EASY]
        else:
            assert row[:3] == ("sm2", None, None)
    assert seen == {("Deck A", FSRS_CHOICES), ("Deck B", SM2_CHOICES)}


def test_undo_of_an_fsrs_answer_restores_the_memory_state(
    collection: Collection, clock: FakeClock
) -> None:
    deck = studied_deck(collection, clock, days=3)
    configure(collection, deck, ConfigChange(scheduler="fsrs"))
    clock.advance(days=30)
    session = StudySession(collection, clock, rng=random.Random(1))
    card = session.current
    assert card is not None and card.state.stability is not None
    session.answer(Grade.GOOD)
    assert collection.card(card.id).state.stability != card.state.stability
    session.undo()
    assert collection.card(card.id).state == card.state


def test_bad_settings_are_refused_with_the_range(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    deck = collection.deck_id("Deck A")
    with pytest.raises(UserError, match=r"0\.70 to 0\.99"):
        configure(collection, deck, ConfigChange(desired_retention=1.5))
    with pytest.raises(UserError, match="choose sm2 or fsrs"):
        configure(collection, deck, ConfigChange(scheduler="anki"))
    with pytest.raises(UserError, match="--new-per-day"):
        configure(collection, deck, ConfigChange(new_per_day=-1))
    assert one_deck_settings(collection, deck).scheduler == "sm2"


def test_limits_and_retention_are_stored(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    deck = collection.deck_id("Deck A")
    result = configure(
        collection, deck, ConfigChange(desired_retention=0.85, new_per_day=5, reviews_per_day=50)
    )
    assert not result.switched
    settings = one_deck_settings(collection, deck)
    assert (settings.desired_retention, settings.new_per_day, settings.reviews_per_day) == (
        0.85,
        5,
        50,
    )


def test_answers_outside_a_session_use_the_decks_scheduler(
    collection: Collection, clock: FakeClock
) -> None:
    """An exam lapse on an FSRS deck is scheduled by FSRS, not SM-2."""
    from flashcards.answering import answer_card
    from flashcards.model import ReviewKind

    import_decks(collection, [make_deck(n=1), make_deck("Deck B", n=1)], clock())
    configure(collection, collection.deck_id("Deck A"), ConfigChange(scheduler="fsrs"))
    for card_id, expected in stored_rows(
        collection,
        "SELECT c.id, d.scheduler FROM cards c JOIN decks d ON d.id = c.deck_id ORDER BY c.id",
    ):
        result = answer_card(collection, card_id, 1, clock(), kind=ReviewKind.EXAM)
        logged = stored_rows(
            collection, f"SELECT scheduler FROM review_log WHERE id = {result.review_id}"
        )
        assert logged == [(expected,)]
