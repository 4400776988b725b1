"""Fitting FSRS to a history and judging SM-2 and FSRS on it (`flashcards.scheduling.fsrs_fit`).

The long history is drawn from a hidden forgetting-curve model: every card has
its own difficulty and stability, it is reviewed when the app's SM-2 says so,
and each answer is a recall drawn from the true curve at that moment.
"""

from __future__ import annotations

import json
import math
import random

import fsrs_rs_python as fsrs_rs
import pytest

from flashcards.errors import UserError
from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI
from flashcards.scheduling.fsrs_fit import (
    MIN_REVIEWS,
    N_SPLITS,
    Evaluation,
    NotEnoughReviewsError,
    ReviewEvent,
    Step,
    TrainingItem,
    evaluate,
    fsrs_predictions,
    optimize,
    recency_weights,
    score,
    sm2_predictions,
    training_histories,
)
from flashcards.scheduling.sm2 import review_centi

DAY_MS = 86_400_000


def _event(
    card: int,
    day: int,
    grade: int,
    kind: str = "review",
    *,
    minute: int = 0,
    origin: int | None = None,
) -> ReviewEvent:
    return ReviewEvent(card, day, day * DAY_MS + minute * 60_000, grade, kind, origin)


def simulated_history(seed: int, cards: int, days: int) -> list[ReviewEvent]:
    """Answers drawn from a hidden memory model, at the intervals SM-2 scheduled."""
    rng = random.Random(seed)
    events: list[ReviewEvent] = []
    for card in range(cards):
        difficulty = rng.uniform(1.0, 10.0)
        stability = rng.lognormvariate(0.0, 0.6) * (11.0 - difficulty) / 4.0
        day, last = rng.randrange(days // 2), None
        repetitions, easiness, interval = 0, INITIAL_EASINESS_CENTI, 0
        while day < days:
            recall = 0.5 if last is None else 1.0 / (1.0 + (day - last) / (9.0 * stability))
            if rng.random() < recall:
                grade = 5 if recall > 0.93 else 4 if recall > 0.75 else 3
                if last is not None:
                    growth = math.exp((1.0 - recall) * 1.4) - 1.0
                    stability *= (
                        1.0 + math.e * (11.0 - difficulty) / 10.0 * stability**-0.2 * growth
                    )
            else:
                grade = rng.choice((0, 1, 2))
                if last is not None:
                    stability = max(0.5, stability * 0.5)
            events.append(_event(card, day, grade, minute=card % 600))
            if grade < 4:
                events.append(_event(card, day, 4, "drill", minute=card % 600 + 5))
            last = day
            repetitions, easiness, interval = review_centi(repetitions, easiness, interval, grade)
            day += interval
    return events


@pytest.fixture(scope="module")
def history() -> list[ReviewEvent]:
    return simulated_history(seed=15, cards=150, days=200)


@pytest.fixture(scope="module")
def judged(history: list[ReviewEvent]) -> Evaluation:
    return evaluate(history)


# -- what is trained on -----------------------------------------------------------------


def test_training_items_keep_one_review_per_card_per_day_and_nothing_else() -> None:
    events = [
        _event(1, 12, 4, origin=1),
        _event(1, 0, 4),
        _event(1, 0, 2, "drill", minute=3),
        _event(1, 0, 1, minute=9),  # a second "review" the same day: not the day's first
        _event(1, 3, 1, "cram"),
        _event(1, 3, 5, "exam"),
        _event(1, 5, 1),
        _event(1, 5, 4, "drill", minute=2),
        _event(1, 9, 5, origin=3),  # Anki filtered deck
        _event(1, 10, 3, origin=2),  # Anki relearning step
        _event(1, 11, 3, origin=4),  # Anki manual entry
        _event(2, 4, 5),
        _event(2, 6, 0),
    ]
    histories = training_histories(events)
    assert [(h.card_id, h.steps) for h in histories] == [
        (1, (Step(3, 0, 4), Step(1, 5, 1))),
        (2, (Step(4, 0, 5), Step(1, 2, 0))),
        (1, (Step(3, 0, 4), Step(1, 5, 1), Step(3, 7, 4))),
    ]
    expected = [
        [(3, 0), (1, 5)],
        [(4, 0), (1, 2)],
        [(3, 0), (1, 5), (3, 7)],
    ]
    assert [repr(item) for item in (h.to_fsrs() for h in training_histories(events))] == [
        repr(fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, t) for r, t in steps])) for steps in expected
    ]


def test_a_card_seen_once_gives_nothing_to_train_on() -> None:
    assert training_histories([_event(1, 0, 4), _event(1, 0, 5, "drill", minute=1)]) == []


# -- too little history -----------------------------------------------------------------


def test_fitting_too_few_reviews_says_how_many_are_needed() -> None:
    events = simulated_history(seed=1, cards=10, days=60)
    usable = len(training_histories(events))
    assert 0 < usable < MIN_REVIEWS
    with pytest.raises(NotEnoughReviewsError) as raised:
        optimize(events)
    assert isinstance(raised.value, UserError)
    message = str(raised.value)
    assert f"{usable} usable reviews" in message
    assert f"at least {MIN_REVIEWS}" in message


def test_judging_too_few_reviews_says_it_cannot_judge_yet() -> None:
    events = simulated_history(seed=2, cards=10, days=60)
    with pytest.raises(NotEnoughReviewsError, match=f"cannot judge .* at least {MIN_REVIEWS}"):
        evaluate(events)


# -- fitting and judging ----------------------------------------------------------------


def test_fitting_returns_parameters_and_what_they_rest_on(history: list[ReviewEvent]) -> None:
    fitted = optimize(history)
    assert len(fitted.parameters) == len(fsrs_rs.DEFAULT_PARAMETERS)
    assert fitted.parameters != pytest.approx(fsrs_rs.DEFAULT_PARAMETERS)
    assert fitted.reviews_used == len(training_histories(history))
    assert fitted.cards == 150


def test_fitted_fsrs_beats_sm2_on_a_forgetting_curve_history(judged: Evaluation) -> None:
    assert judged.fsrs_optimized.log_loss < judged.sm2.log_loss
    assert judged.fsrs_optimized.rmse_bins < judged.sm2.rmse_bins
    assert judged.fsrs_optimized.log_loss < judged.fsrs_default.log_loss


def test_evaluation_json_has_exactly_the_documented_shape(
    judged: Evaluation, history: list[ReviewEvent]
) -> None:
    data = json.loads(json.dumps(judged.to_json()))
    assert set(data) == {"reviews", "cards", "schedulers"}
    assert data["reviews"] == len(training_histories(history))
    assert data["cards"] == 150
    assert set(data["schedulers"]) == {"sm2", "fsrs_default", "fsrs_optimized"}
    for figures in data["schedulers"].values():
        assert set(figures) == {"log_loss", "rmse_bins"}
        assert all(isinstance(value, float) and value > 0 for value in figures.values())


# -- the metrics are fsrs-rs's own, so the SM-2 row is comparable -----------------------


@pytest.mark.parametrize("fitted", [False, True], ids=["default", "fitted"])
def test_our_metrics_match_fsrs_rs_on_fsrs_predictions(
    history: list[ReviewEvent], fitted: bool
) -> None:
    items = training_histories(history)
    parameters = optimize(history).parameters if fitted else fsrs_rs.DEFAULT_PARAMETERS
    theirs = fsrs_rs.FSRS(parameters).evaluate([item.to_fsrs() for item in items])
    ours = score(fsrs_predictions(parameters, items), items, recency_weights(len(items)))
    assert ours.log_loss == pytest.approx(theirs.log_loss, rel=1e-5)
    assert ours.rmse_bins == pytest.approx(theirs.rmse_bins, rel=1e-4)


def test_the_sm2_row_is_scored_on_the_reviews_the_fitted_row_is(
    history: list[ReviewEvent], judged: Evaluation
) -> None:
    """Refitting fold by fold reproduces fsrs-rs's split; the other rows score those reviews."""
    items = training_histories(history)
    segment = len(items) // (N_SPLITS + 1)
    predictions: list[float] = []
    for fold in range(N_SPLITS):
        start = (fold + 1) * segment
        end = len(items) if fold == N_SPLITS - 1 else start + segment
        trained = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(
            [item.to_fsrs() for item in items[:start]]
        )
        predictions += fsrs_predictions(trained, items[start:end])
    scored = items[segment:]
    ours = score(predictions, scored)
    assert ours.log_loss == pytest.approx(judged.fsrs_optimized.log_loss, rel=1e-5)
    assert ours.rmse_bins == pytest.approx(judged.fsrs_optimized.rmse_bins, rel=1e-4)
    assert judged.sm2 == score(sm2_predictions(scored), scored)
    defaults = fsrs_predictions(fsrs_rs.DEFAULT_PARAMETERS, scored)
    assert judged.fsrs_default == score(defaults, scored)


def test_sm2_recall_is_ninety_percent_at_the_interval_it_scheduled() -> None:
    """srs-benchmark's conversion: 0.9 ** (elapsed / SM-2 interval) on the app's SM-2."""
    grades_and_days = [(4, 0), (4, 1), (4, 7), (4, 22), (4, 52)]
    items = training_histories([_event(7, day, grade) for grade, day in grades_and_days])
    # Intervals 1, 6, ceil(6 x 2.5) = 15, then ceil(15 x 2.5) = 38, reviewed 30 days later.
    assert sm2_predictions(items) == pytest.approx([0.9, 0.9, 0.9, 0.9 ** (30 / 38)])


def test_sm2_after_a_lapse_starts_again_at_one_day() -> None:
    steps = (Step(3, 0, 4), Step(3, 1, 4), Step(1, 6, 1), Step(3, 3, 4))
    item = TrainingItem(card_id=1, reviewed_ms=0, steps=steps)
    assert sm2_predictions([item]) == pytest.approx([0.9**3])
