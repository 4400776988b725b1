"""The study session: one answer path, undo of every action, failures that lose nothing."""

from __future__ import annotations

import random

import pytest

from flashcards.answering import answer_card
from flashcards.clock import study_day
from flashcards.errors import CardGoneError, CollectionError
from flashcards.model import Card, CardKind, Deck, Grade, ReviewKind
from flashcards.session import StudySession
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck, review_count


def study(collection: Collection, clock: FakeClock, n: int = 3) -> StudySession:
    import_decks(collection, [make_deck(n=n)], clock())
    return StudySession(collection, clock, rng=random.Random(3))


def test_the_stored_state_is_the_one_the_buttons_showed(
    collection: Collection, clock: FakeClock
) -> None:
    session = study(collection, clock)
    card = session.current
    assert card is not None
    intervals = session.intervals()  # what the grade buttons show
    assert intervals is not None
    result = session.answer(Grade.GOOD)
    assert result.after == collection.card(card.id).state
    assert result.after.due_day == study_day(clock()) + intervals[Grade.GOOD]


def test_undo_after_suspend_takes_back_the_suspend_not_the_answer(
    collection: Collection, clock: FakeClock
) -> None:
    session = study(collection, clock)
    answered = session.current
    assert answered is not None
    session.answer(Grade.EASY)
    suspended = session.current
    assert suspended is not None
    session.suspend()
    assert collection.card(suspended.id).state.suspended
    undone = session.undo()
    assert undone is not None and undone.verb == "suspend"
    assert undone.message == "Undid: suspend of “Deck A question 1”"
    assert not collection.card(suspended.id).state.suspended
    assert session.current is not None and session.current.id == suspended.id
    assert collection.card(answered.id).state.repetitions == 1  # the answer stands


def test_every_action_undoes_back_to_the_session_start(
    collection: Collection, clock: FakeClock
) -> None:
    session = study(collection, clock, n=4)
    before = {c.id: collection.card(c.id) for c in collection.queue(clock(), None, 10)}
    session.answer(Grade.WRONG_EASY)
    session.bury()
    current = session.current
    assert current is not None
    session.edit(Card(current.card.external_id, CardKind.BASIC, "edited front", "edited back"))
    session.answer(Grade.EASY)
    session.reset()
    verbs = []
    while (undone := session.undo()) is not None:
        verbs.append(undone.verb)
    assert verbs == ["reset", "answer", "edit", "bury", "answer"]
    assert {i: collection.card(i) for i in before} == before
    assert review_count(collection) == 0
    assert session.done == 0 and not session.can_undo


def test_undoing_a_compute_answer_shows_the_same_problem(
    collection: Collection, clock: FakeClock
) -> None:
    card = Card("drill", CardKind.COMPUTE, "A drill", generator="gd-step")
    import_decks(collection, [Deck("drills", "Drills", cards=(card,))], clock())
    session = StudySession(collection, clock, cram=True, rng=random.Random(1))
    attempt = session.compute
    assert attempt is not None
    attempt.give_up(now=0.0)
    session.answer(Grade.BLACKOUT)
    undone = session.undo()
    assert undone is not None and session.compute is not None
    assert session.compute.seed == attempt.seed


def test_an_answer_computed_on_a_stale_state_is_reapplied_to_the_current_one(
    collection: Collection, clock: FakeClock
) -> None:
    session = study(collection, clock)
    card = session.current
    assert card is not None
    session.intervals()  # the buttons were drawn ...
    other = answer_card(collection, card.id, Grade.EASY, clock())  # ... then another device
    result = session.answer(Grade.GOOD)
    assert result.before == other.after  # applied on top, never over it
    assert collection.card(card.id).state == result.after
    assert review_count(collection) == 2


def test_a_card_removed_meanwhile_is_skipped_with_an_error(
    collection: Collection, clock: FakeClock
) -> None:
    session = study(collection, clock)
    gone = session.current
    assert gone is not None
    import_decks(collection, [Deck("deck-a", "Deck A", cards=())], clock(), prune=True)
    with pytest.raises(CardGoneError):
        session.answer(Grade.GOOD)
    assert session.current is None or session.current.id != gone.id


def test_a_failed_save_leaves_the_session_as_it_was(
    collection: Collection, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = study(collection, clock)
    card = session.current

    def disk_full(*args: object, **kwargs: object) -> None:
        raise CollectionError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(collection, "record_answer", disk_full)
        with pytest.raises(CollectionError):
            session.answer(Grade.GOOD)
    assert session.current == card and session.done == 0 and not session.can_undo
    result = session.answer(Grade.GOOD)  # the same key again, once the disk has room
    assert result.kind is ReviewKind.REVIEW and review_count(collection) == 1
