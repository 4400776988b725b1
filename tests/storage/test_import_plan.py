"""Imports plan from a read snapshot and hold the write lock only to apply the plan."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing

from flashcards.answering import answer_card
from flashcards.model import Card, CardKind, Grade
from flashcards.storage.collection import Collection
from flashcards.storage.importing import apply_import, import_decks, plan_import

from support import FakeClock, make_deck, table_dump


def test_planning_needs_no_write_lock_and_writes_nothing(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck(n=3)], clock())
    before = table_dump(collection.path)
    with closing(sqlite3.connect(collection.path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another process is writing (a long import, say)
        plan = plan_import(collection, [make_deck(n=5)])
        other.execute("ROLLBACK")
    assert plan.report.decks[0].added == 2 and plan.report.dry_run
    assert table_dump(collection.path) == before


def test_the_applied_import_is_the_previewed_one(collection: Collection, clock: FakeClock) -> None:
    deck = make_deck(n=4)
    import_decks(collection, [deck], clock())
    edited = dataclasses.replace(
        deck, cards=(dataclasses.replace(deck.cards[0], back="new back"), *deck.cards[1:3])
    )
    plan = plan_import(collection, [edited])
    report = apply_import(collection, plan, clock())
    assert report.decks == plan.report.decks and not report.dry_run
    assert (report.decks[0].updated, report.decks[0].missing) == (1, ["c3"])


def test_an_answer_given_between_plan_and_apply_is_kept(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=2)
    import_decks(collection, [deck], clock())
    plan = plan_import(
        collection,
        [dataclasses.replace(deck, cards=(deck.cards[0], deck.cards[1]), name=deck.name)],
    )
    card = collection.queue(clock(), None, 1)[0]
    changed = dataclasses.replace(deck.cards[0], back="changed")
    plan = plan_import(collection, [dataclasses.replace(deck, cards=(changed, deck.cards[1]))])
    answered = answer_card(collection, card.id, Grade.EASY, clock())  # the reviewer, meanwhile
    apply_import(collection, plan, clock())
    stored = collection.card(card.id)
    assert stored.state == answered.after
    assert stored.card.back == "changed"


def test_a_plan_made_stale_by_another_import_is_made_again(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=2)
    import_decks(collection, [deck], clock())
    extra = Card("c9", CardKind.BASIC, "late question", "late answer")
    plan = plan_import(collection, [dataclasses.replace(deck, cards=(*deck.cards, extra))])
    # Another process adds the same card before this plan is applied.
    import_decks(collection, [dataclasses.replace(deck, cards=(*deck.cards, extra))], clock())
    report = apply_import(collection, plan, clock())
    assert collection.card_count() == 3  # not inserted twice
    assert (report.decks[0].added, report.decks[0].unchanged) == (0, 3)


def test_a_card_suspended_before_it_went_missing_stays_suspended_when_back(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=3)
    import_decks(collection, [deck], clock())
    chosen, other = (collection.card(i) for i in (1, 2))
    collection.set_suspended([chosen.id], True)  # the student's own suspension
    import_decks(collection, [dataclasses.replace(deck, cards=deck.cards[2:])], clock())
    assert collection.card(other.id).state.suspended  # suspended by the import
    report = import_decks(collection, [deck], clock())
    assert report.decks[0].restored == 2
    assert collection.card(chosen.id).state.suspended
    assert not collection.card(other.id).state.suspended


def test_a_card_that_became_a_leech_while_missing_stays_suspended(
    collection: Collection, clock: FakeClock
) -> None:
    deck = make_deck(n=2)
    import_decks(collection, [deck], clock())
    card = collection.card(1)
    import_decks(collection, [dataclasses.replace(deck, cards=deck.cards[1:])], clock())
    leech = dataclasses.replace(collection.card(1).state, leech=True, suspended=True)
    collection.restore_state(card.id, collection.card(1).state, leech)
    import_decks(collection, [deck], clock())
    assert collection.card(card.id).state.suspended
