"""Re-import semantics: updates keep history, missing cards are suspended or pruned."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from flashcards.answering import answer_card
from flashcards.errors import UserError
from flashcards.model import Card, CardKind, Deck, ScheduleState
from flashcards.storage import backup
from flashcards.storage.collection import Collection
from flashcards.storage.exporting import deck_model, review_records
from flashcards.storage.importing import import_decks
from flashcards.wording import import_lines

from support import FakeClock, make_deck, review_count, table_dump


def study_all(collection: Collection, clock: FakeClock) -> None:
    for card in collection.queue(clock(), limit=100):
        answer_card(collection, card.id, 4, clock())


def test_edited_card_keeps_its_schedule_and_history(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=3)
    import_decks(collection, [deck], clock())
    study_all(collection, clock)
    target = collection.queue(clock().replace(year=2027), limit=10)[0]
    state_before = target.state
    edited = dataclasses.replace(deck.cards[0], back="a better answer")
    report = import_decks(
        collection, [dataclasses.replace(deck, cards=(edited, *deck.cards[1:]))], clock()
    )
    assert (report.decks[0].updated, report.decks[0].unchanged) == (1, 2)
    stored = collection.card(target.id)
    assert stored.card.back == "a better answer"
    assert stored.state == state_before
    assert review_count(collection) == 3


def test_missing_cards_are_suspended_and_return_when_back(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=4)
    import_decks(collection, [deck], clock())
    report = import_decks(collection, [dataclasses.replace(deck, cards=deck.cards[:2])], clock())
    assert report.decks[0].missing == ["c2", "c3"]
    assert "suspended (hint): c2, c3" in "\n".join(import_lines(report, prune_hint="hint"))
    assert collection.deck_counts(clock())[0].suspended == 2
    import_decks(collection, [deck], clock())
    assert collection.deck_counts(clock())[0].suspended == 0


def test_prune_removes_cards_but_keeps_their_reviews(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=2)
    import_decks(collection, [deck], clock())
    study_all(collection, clock)
    report = import_decks(
        collection, [dataclasses.replace(deck, cards=deck.cards[:1])], clock(), prune=True
    )
    assert report.decks[0].pruned == ["c1"]
    assert collection.deck_counts(clock())[0].total == 1
    records = list(review_records(collection))
    assert sorted(record.card for record in records) == ["c0", "c1"]


def test_dry_run_reports_the_same_and_changes_nothing(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=3)
    import_decks(collection, [deck], clock())
    before = table_dump(collection.path)
    bigger = make_deck(n=5)
    dry = import_decks(collection, [bigger], clock(), dry_run=True)
    assert dry.decks[0].added == 2 and dry.dry_run
    assert table_dump(collection.path) == before
    real = import_decks(collection, [bigger], clock())
    assert real.decks[0].added == dry.decks[0].added


def test_a_failing_import_leaves_the_collection_unchanged(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Deck A", 3)], clock())
    before = table_dump(collection.path)
    clash = make_deck("Deck A", 2, deck_id="another-id")
    with pytest.raises(UserError, match="already exists"):
        import_decks(collection, [make_deck("Deck B", 4, "b"), clash], clock())
    assert table_dump(collection.path) == before


def test_imported_schedules_apply_to_new_cards_only(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=2)
    state = ScheduleState(repetitions=4, easiness_centi=230, interval_days=30, due_day=20_800)
    import_decks(collection, [deck], clock(), schedules={(deck.external_id, "c1"): state})
    cards = {c.external_id: c for c in collection.cram_queue()}
    assert cards["c1"].state == state
    assert cards["c0"].state.is_new


def test_deck_model_reads_back_what_was_imported(collection: Collection, clock: FakeClock) -> None:
    deck = Deck(
        "mixed",
        "Mixed",
        "all kinds",
        ("ml",),
        (
            Card("b", CardKind.BASIC, "front", "back", tags=("ml", "x")),
            Card("q", CardKind.CHOICE, "question?", "right", distractors=("w1", "w2", "w3")),
            Card("z#c1", CardKind.CLOZE, "a {{c1::b}} c", "b", cloze=1),
            Card("k", CardKind.COMPUTE, "Compute", generator="gd-step", params={"steps": 2}),
        ),
    )
    import_decks(collection, [deck], clock())
    back = deck_model(collection, collection.deck_id("Mixed"))
    assert back.cards[0].tags == ("x",)  # deck tags are not repeated on each card
    assert back.cards[1:] == deck.cards[1:]
    assert (back.external_id, back.name, back.description, back.tags) == (
        "mixed",
        "Mixed",
        "all kinds",
        ("ml",),
    )


def test_backups_rotate_and_restore_brings_back_the_old_state(
    collection: Collection, clock: FakeClock, tmp_path: Path
) -> None:
    import_decks(collection, [make_deck(n=2)], clock())
    first = backup.create(collection.path, clock(), "before-import")
    for _ in range(11):
        backup.create(collection.path, clock.advance(seconds=1), "manual")
    backups = backup.list_backups(collection.path)
    assert len(backups) == backup.KEEP
    assert first.path not in [item.path for item in backups]
    kept = backups[-1]
    study_all(collection, clock)
    collection.close()
    restored, safety = backup.restore(collection.path, kept.name, clock.advance(seconds=1))
    assert restored == kept and safety is not None
    with Collection(collection.path) as reopened:
        assert review_count(reopened) == 0
    backup.restore(collection.path, safety.name, clock.advance(seconds=1))
    with Collection(collection.path) as reopened:
        assert review_count(reopened) == 2
