"""The statistics' FSRS figures on a hand-built collection: retrievability, true retention."""

from __future__ import annotations

import json
from datetime import date

import fsrs as py_fsrs
import pytest

from flashcards.answering import answer_card
from flashcards.clock import study_day, to_epoch_ms
from flashcards.deck_config import ConfigChange, configure
from flashcards.model import ScheduleState
from flashcards.scheduling.fsrs_policy import FsrsScheduler, day_start
from flashcards.stats import (
    SchedulerReport,
    build_statistics,
    parse_evaluation,
    scheduler_report,
)
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import store_fsrs_parameters
from flashcards.storage.history import EVALUATION_KEY, load_history, load_scheduler_history
from flashcards.storage.importing import import_decks

from support import FakeClock, make_deck

EVALUATION = {
    "reviews": 1234,
    "cards": 200,
    "schedulers": {
        "sm2": {"log_loss": 0.547, "rmse_bins": 0.148},
        "fsrs_default": {"log_loss": 0.339, "rmse_bins": 0.072},
        "fsrs_optimized": {"log_loss": 0.321, "rmse_bins": 0.046},
    },
    "evaluated_ms": to_epoch_ms(FakeClock()()),
    "deck": None,
}


def ids(collection: Collection, deck: str) -> list[int]:
    deck_id = collection.deck_id(deck)
    return sorted(card.id for card in collection.cram_queue() if card.deck_id == deck_id)


def studied(collection: Collection, clock: FakeClock) -> FsrsScheduler:
    """An FSRS deck (target 85%) and an SM-2 deck, studied over 42 days."""
    import_decks(collection, [make_deck("Fs", n=5, prefix="f"), make_deck("Sm", n=2)], clock())
    change = ConfigChange(scheduler="fsrs", desired_retention=0.85)
    configure(collection, collection.deck_id("Fs"), change)
    fsrs = FsrsScheduler(desired_retention=0.85)
    c0, c1, c2, c3, _never = ids(collection, "Fs")
    sm = ids(collection, "Sm")[0]
    for card, grade in ((c0, 4), (c1, 5), (c2, 2)):  # day 0: first answers (new: not judged)
        answer_card(collection, card, grade, clock(), scheduler=fsrs)
    answer_card(collection, sm, 4, clock())
    clock.advance(days=5)
    answer_card(collection, c0, 1, clock(), scheduler=fsrs)  # judged, but 37 days before today
    clock.advance(days=35)
    answer_card(collection, c0, 3, clock(), scheduler=fsrs)  # judged: Hard is a pass
    answer_card(collection, c1, 1, clock(), scheduler=fsrs)  # judged: Again
    answer_card(collection, c1, 4, clock(), scheduler=fsrs)  # a drill: not judged
    answer_card(collection, c2, 5, clock(), scheduler=fsrs, cram=True)  # cram: not judged
    answer_card(collection, c3, 2, clock(), scheduler=fsrs)  # a new card's first: not judged
    answer_card(collection, sm, 2, clock())  # another deck
    clock.advance(days=2)
    return fsrs


def package_retrievability(
    parameters: tuple[float, ...], state: ScheduleState, today: int
) -> float | None:
    """py-fsrs's own recall probability for a card in `state` on `today`."""
    if state.stability is None or state.last_review_day is None:
        return None
    card = py_fsrs.Card(
        state=py_fsrs.State.Review,
        step=None,
        stability=state.stability,
        difficulty=state.fsrs_difficulty,
        last_review=day_start(state.last_review_day),
    )
    scheduler = py_fsrs.Scheduler(parameters=parameters)
    return float(scheduler.get_card_retrievability(card, current_datetime=day_start(today)))


def test_retrievability_is_the_mean_of_fsrs_forgetting_curve(
    collection: Collection, clock: FakeClock
) -> None:
    fsrs = studied(collection, clock)
    today = study_day(clock())
    report = scheduler_report(load_scheduler_history(collection, clock()))
    (deck,) = report.decks
    states = [collection.card(card).state for card in ids(collection, "Fs")]
    expected = [package_retrievability(fsrs.parameters, state, today) for state in states]
    known = [value for value in expected if value is not None]
    assert len(known) == 4  # the card never answered has no memory state
    assert deck.deck == "Fs"
    assert deck.cards == 4
    assert deck.retrievability == pytest.approx(sum(known) / 4, rel=1e-12)
    assert 0 < min(known) < max(known) < 1


def test_true_retention_counts_reviews_of_cards_already_in_review(
    collection: Collection, clock: FakeClock
) -> None:
    studied(collection, clock)
    (deck,) = scheduler_report(load_scheduler_history(collection, clock())).decks
    assert (deck.judged, deck.passed) == (2, 1)
    assert deck.true_retention == 0.5
    assert deck.desired_retention == 0.85


def test_fitted_parameters_give_their_own_curve(collection: Collection, clock: FakeClock) -> None:
    studied(collection, clock)
    default = scheduler_report(load_scheduler_history(collection, clock())).decks[0]
    fitted = [*FsrsScheduler().parameters[:20], 0.5]  # another decay: another curve
    store_fsrs_parameters(collection, [collection.deck_id("Fs")], fitted, 600, 0)
    (deck,) = scheduler_report(load_scheduler_history(collection, clock())).decks
    scheduler = FsrsScheduler(fitted, 0.85)
    states = [collection.card(card).state for card in ids(collection, "Fs")]
    today = study_day(clock())
    expected = [package_retrievability(scheduler.parameters, s, today) for s in states]
    known = [value for value in expected if value is not None]
    assert deck.retrievability == pytest.approx(sum(known) / len(known), rel=1e-12)
    assert deck.retrievability != pytest.approx(default.retrievability)


def test_the_stored_evaluation_is_read(collection: Collection, clock: FakeClock) -> None:
    collection.set_meta(EVALUATION_KEY, json.dumps(EVALUATION))
    statistics = build_statistics(load_history(collection, clock()))
    evaluation = statistics.schedulers.evaluation
    assert evaluation is not None
    assert (evaluation.reviews, evaluation.cards, evaluation.deck) == (1234, 200, None)
    assert evaluation.evaluated == date(2026, 11, 23)
    assert [(s.label, s.log_loss, s.rmse_bins) for s in evaluation.scores] == [
        ("SM-2", 0.547, 0.148),
        ("FSRS, default parameters", 0.339, 0.072),
        ("FSRS, fitted to you", 0.321, 0.046),
    ]
    assert statistics.schedulers.decks == ()


@pytest.mark.parametrize("stored", ["", "not json", "[]", '{"reviews": 3}', '{"schedulers": 1}'])
def test_an_unreadable_evaluation_is_skipped(stored: str) -> None:
    assert parse_evaluation(stored) is None


def test_nothing_extra_without_fsrs_decks_or_an_evaluation(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Sm", n=2)], clock())
    answer_card(collection, ids(collection, "Sm")[0], 4, clock())
    statistics = build_statistics(load_history(collection, clock()))
    assert statistics.schedulers == SchedulerReport()
    assert statistics.schedulers.is_empty
