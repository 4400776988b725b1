"""The collection's queue, limits, re-drill, undo, suspend and bury over real SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.clock import study_day
from flashcards.errors import CollectionError, UserError
from flashcards.model import ReviewKind
from flashcards.scheduling.constants import LEECH_LAPSES
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, bury, make_deck, review_count


def ids(cards: list) -> list[str]:  # type: ignore[type-arg]
    return [card.external_id for card in cards]


def counts(collection: Collection, clock: FakeClock) -> dict[str, tuple[int, int, int]]:
    return {d.name: (d.new, d.due, d.redrill) for d in collection.deck_counts(clock())}


def test_new_cards_come_in_file_order_up_to_the_daily_limit(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=30)], clock())
    queue = collection.queue(clock(), limit=100)
    assert ids(queue) == [f"c{i}" for i in range(20)]  # default: 20 new cards a day
    assert counts(collection, clock) == {"Deck A": (20, 0, 0)}


def test_answering_new_cards_uses_up_the_new_limit(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=30)], clock())
    for card in collection.queue(clock(), limit=5):
        answer_card(collection, card.id, 5, clock())
    assert counts(collection, clock)["Deck A"][0] == 15
    assert ids(collection.queue(clock(), limit=100))[:1] == ["c5"]


def test_due_cards_come_first_oldest_due_first_then_new_then_redrill(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=6)], clock())
    c = {card.external_id: card.id for card in collection.queue(clock(), limit=10)}
    answer_card(collection, c["c0"], 5, clock())  # due in 1 day
    clock.advance(days=1)
    answer_card(collection, c["c1"], 5, clock())  # due the day after
    clock.advance(days=5)  # both due now; c0 has been due longer
    answer_card(collection, c["c2"], 3, clock())  # new today, passed with 3: re-drill today
    queue = collection.queue(clock(), limit=10)
    assert ids(queue) == ["c0", "c1", "c3", "c4", "c5", "c2"]
    assert counts(collection, clock)["Deck A"] == (3, 2, 1)


def test_redrill_repeats_until_graded_four_without_changing_sm2(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    card = collection.queue(clock())[0]
    first = answer_card(collection, card.id, 2, clock())
    assert first.kind is ReviewKind.REVIEW and first.after.redrill_day == study_day(clock())
    drill = answer_card(collection, card.id, 3, clock())
    assert drill.kind is ReviewKind.DRILL
    assert ids(collection.queue(clock())) == ["c0"]
    done = answer_card(collection, card.id, 5, clock())
    assert done.kind is ReviewKind.DRILL
    assert collection.queue(clock()) == []
    state = collection.card(card.id).state
    assert (state.repetitions, state.easiness_centi, state.interval_days) == (
        first.after.repetitions,
        first.after.easiness_centi,
        first.after.interval_days,
    )
    assert review_count(collection) == 3


def test_review_limit_caps_due_cards(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=5)], clock())
    for card in collection.queue(clock()):
        answer_card(collection, card.id, 5, clock())
    with collection.transaction() as conn:
        conn.exec_driver_sql("UPDATE decks SET reviews_per_day = 3")
    clock.advance(days=1)
    assert len(collection.queue(clock())) == 3
    assert counts(collection, clock)["Deck A"][1] == 3


def test_undo_restores_the_exact_previous_state_repeatedly(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=3)], clock())
    cards = collection.queue(clock())
    before = [collection.card(card.id).state for card in cards]
    answers = [
        answer_card(collection, card.id, quality, clock())
        for card, quality in zip(cards, (5, 1, 3), strict=True)
    ]
    for answer in reversed(answers):
        assert collection.undo(answer.review_id) is not None
    assert [collection.card(card.id).state for card in cards] == before
    assert review_count(collection) == 0
    assert collection.undo(answers[0].review_id) is None


def test_undo_of_an_older_answer_of_the_same_card_is_refused(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    card = collection.queue(clock())[0]
    first = answer_card(collection, card.id, 1, clock())
    answer_card(collection, card.id, 5, clock())
    with pytest.raises(UserError, match="latest"):
        collection.undo(first.review_id)


def test_suspended_cards_leave_the_queue_until_unsuspended(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=3)], clock())
    first = collection.queue(clock())[0]
    collection.set_suspended([first.id], True)
    assert "c0" not in ids(collection.queue(clock()))
    assert collection.deck_counts(clock())[0].suspended == 1
    collection.set_suspended([first.id], False)
    assert ids(collection.queue(clock()))[0] == "c0"


def test_buried_card_returns_at_the_next_study_day_not_at_midnight(
    collection: Collection, clock: FakeClock
) -> None:
    clock.current = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    import_decks(collection, [make_deck(n=2)], clock())
    first = collection.queue(clock())[0]
    bury(collection, first.id, clock())
    assert ids(collection.queue(clock())) == ["c1"]
    clock.current = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # after midnight, before 04:00
    assert ids(collection.queue(clock())) == ["c1"]
    clock.current = datetime(2026, 11, 24, 4, 30, tzinfo=UTC)
    assert ids(collection.queue(clock())) == ["c0", "c1"]


def test_late_night_answers_belong_to_the_same_study_day(
    collection: Collection, clock: FakeClock
) -> None:
    clock.current = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    import_decks(collection, [make_deck(n=1)], clock())
    card = collection.queue(clock())[0]
    answer_card(collection, card.id, 1, clock())
    clock.current = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert answer_card(collection, card.id, 4, clock()).kind is ReviewKind.DRILL


def test_eighth_lapse_tags_and_suspends_a_leech(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    card = collection.queue(clock())[0]
    answer_card(collection, card.id, 5, clock())
    result = None
    for _ in range(LEECH_LAPSES):
        clock.advance(days=2)
        result = answer_card(collection, card.id, 1, clock())
    assert result is not None and result.became_leech
    stored = collection.card(card.id)
    assert stored.state.suspended and "leech" in stored.tags
    clock.advance(days=2)
    assert collection.queue(clock()) == []


def test_reset_makes_a_card_new_and_keeps_its_history(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=1)], clock())
    card = collection.queue(clock())[0]
    answer_card(collection, card.id, 5, clock())
    collection.reset([card.id])
    assert collection.card(card.id).state.is_new
    assert review_count(collection) == 1


def test_answers_are_committed_for_other_processes_to_see(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    import_decks(collection, [make_deck(n=2)], clock())
    card = collection.queue(clock())[0]
    answer_card(collection, card.id, 4, clock())
    with Collection(collection.path) as other:
        assert review_count(other) == 1
        assert not other.card(card.id).state.is_new


def test_decks_counted_separately_and_queue_filtered_by_deck(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Deck A", 3), make_deck("Deck B", 2, "b")], clock())
    assert counts(collection, clock) == {"Deck A": (3, 0, 0), "Deck B": (2, 0, 0)}
    deck_b = collection.deck_id("deck b")  # case-insensitive lookup
    assert ids(collection.queue(clock(), [deck_b])) == ["b0", "b1"]
    with pytest.raises(UserError, match="no deck named"):
        collection.deck_id("Deck C")


def test_a_newer_schema_is_refused_not_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Collection(path) as opened, opened.transaction() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(CollectionError, match="newer flashcards"):
        Collection(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CollectionError, match="damaged or not a database"):
        Collection(path)
    assert path.read_bytes() == b"this is not sqlite" * 100
