"""Fitting FSRS to a student's own history, and judging the schedulers on it.

Pure functions over plain rows (one `ReviewEvent` per logged answer); storage
turns `review_log` into those rows, and the commands print what comes back.
The heavy lifting is `fsrs-rs-python`, the Rust core of Anki's own optimizer.

What counts as a review. FSRS models the first answer of a study day after an
earlier day's review. So only `kind == 'review'` rows are used (drills, cram and
exam answers never moved a schedule), Anki's filtered, manual, rescheduled and
relearning-step entries are left out, and a card keeps at most one review per
study day, the first. Each kept review after a card's first becomes one
training item: the card's history up to and including it, each step a rating
(`rating_of_grade`) and the days since the previous kept review (0 for the
first), which is the shape fsrs-rs's optimizer reads (its `FSRSItem`).

How the schedulers are judged (`evaluate`), on exactly the reviews and with
exactly the metrics that fsrs-rs and srs-benchmark use:
- the items are ordered by time and cut as fsrs-rs's `TimeSeriesSplit` cuts
  them: six equal segments, the earliest is only ever trained on, and each later
  segment is scored by parameters fitted on everything before it;
- every row scores those later five segments, each review with weight 1;
- log loss is the mean binary cross-entropy of the predicted recall against
  "passed" (rating above Again); RMSE(bins) groups the reviews by fsrs-rs's
  `r_matrix_index` (interval, review count and lapse count, each binned on a
  log scale) and takes the root of the count-weighted mean squared difference
  between mean prediction and mean outcome per bin;
- `fsrs_optimized` is fsrs-rs's own `evaluate_with_time_series_splits`;
  `fsrs_default` predicts with the FSRS-6 default parameters;
- SM-2 has no recall probability, so it is converted the way srs-benchmark
  converts it (`other.py`, `process_untrainable`, model "SM2":
  https://github.com/open-spaced-repetition/srs-benchmark/blob/main/other.py):
  replay SM-2 over the card's earlier reviews to get the interval it would have
  scheduled, read that interval as the time at which recall falls to 90%, and
  predict `0.9 ** (elapsed_days / interval)`. The benchmark replays its own SM-2
  from Anki's four buttons; here the replay is this app's SM-2 (`sm2.py`) on the
  grades actually given, so the row judges the scheduler the student used.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

import fsrs_rs_python as fsrs_rs

from flashcards.errors import UserError
from flashcards.model import Grade
from flashcards.scheduling.constants import INITIAL_EASINESS_CENTI
from flashcards.scheduling.ratings import Rating, rating_of_grade
from flashcards.scheduling.sm2 import review_centi

MIN_REVIEWS: Final = 512
"""Training items needed before fitting or judging.

py-fsrs's optimizer returns the default parameters below 512 reviews (one
mini-batch). fsrs-rs itself returns the defaults below 8 items and fits only
the four initial stabilities below 64; the time-series split trains its first
fold on a sixth of the items, so 512 gives that fold 85 items, enough for a
full fit of every parameter.
"""

N_SPLITS: Final = 5
"""fsrs-rs's `evaluate_with_time_series_splits` folds (srs-benchmark uses 5 too)."""

SM2_RECALL_AT_INTERVAL: Final = 0.9
"""srs-benchmark's reading of an SM-2 interval: recall has fallen to 90% by then."""

_KEPT_KIND: Final = "review"
_ANKI_REVIEW_TYPES: Final = frozenset({0, 1})
"""Anki revlog types kept: 0 learn (a card's first review), 1 review. Left out:
2 relearning steps, 3 filtered (cram), 4 manual, 5 rescheduled."""
_PROBABILITY_FLOOR: Final = 1e-7


@dataclass(frozen=True)
class ReviewEvent:
    """One logged answer, as storage reads it from `review_log`."""

    card_id: int
    day: int
    reviewed_ms: int
    grade: int
    kind: str
    origin_type: int | None = None


class Step(NamedTuple):
    """One kept review of a card: its FSRS rating, the days since the previous one, the grade."""

    rating: int
    delta_t: int
    grade: int


@dataclass(frozen=True)
class TrainingItem:
    """A card's kept reviews up to and including one review (the one to predict)."""

    card_id: int
    reviewed_ms: int
    steps: tuple[Step, ...]

    @property
    def recalled(self) -> bool:
        """The label fsrs-rs scores: the predicted review was not rated Again."""
        return self.steps[-1].rating > Rating.AGAIN

    def to_fsrs(self) -> fsrs_rs.FSRSItem:
        return fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(s.rating, s.delta_t) for s in self.steps])


@dataclass(frozen=True)
class FittedParameters:
    """FSRS parameters fitted to a history, and how much history they rest on."""

    parameters: tuple[float, ...]
    reviews_used: int
    cards: int


@dataclass(frozen=True)
class Score:
    """How well one scheduler predicted recall: lower is better in both."""

    log_loss: float
    rmse_bins: float

    def to_json(self) -> dict[str, float]:
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


@dataclass(frozen=True)
class Evaluation:
    """The three schedulers scored on the same later reviews of one history."""

    reviews: int
    cards: int
    sm2: Score
    fsrs_default: Score
    fsrs_optimized: Score

    def to_json(self) -> dict[str, object]:
        return {
            "reviews": self.reviews,
            "cards": self.cards,
            "schedulers": {
                "sm2": self.sm2.to_json(),
                "fsrs_default": self.fsrs_default.to_json(),
                "fsrs_optimized": self.fsrs_optimized.to_json(),
            },
        }


class NotEnoughReviewsError(UserError):
    """Too little usable history to fit or to judge FSRS."""

    def __init__(self, action: str, reviews: int, minimum: int) -> None:
        plural = "" if reviews == 1 else "s"
        super().__init__(
            f"cannot {action} yet: {reviews} usable review{plural}, at least {minimum} are "
            "needed. A usable review is a card's first answer of a study day after an answer "
            "on an earlier day (drills, cram and exam answers do not count). FSRS is fitted "
            "to these reviews, and judging fits it on the earliest of them to score the "
            "rest; with fewer, the fit follows noise rather than your memory. Keep studying "
            "(or import your Anki history with --keep-schedule) and try again."
        )
        self.reviews = reviews
        self.minimum = minimum


def kept_reviews(events: Iterable[ReviewEvent]) -> dict[int, list[ReviewEvent]]:
    """Per card, in time order, the answers FSRS models: the first review of each study day."""
    per_card: dict[int, list[ReviewEvent]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.card_id, e.reviewed_ms)):
        if event.kind != _KEPT_KIND:
            continue
        if event.origin_type is not None and event.origin_type not in _ANKI_REVIEW_TYPES:
            continue
        kept = per_card[event.card_id]
        if kept and kept[-1].day >= event.day:
            continue
        kept.append(event)
    return dict(per_card)


def training_histories(events: Iterable[ReviewEvent]) -> list[TrainingItem]:
    """One item per kept review after a card's first, ordered by the time of that review."""
    items: list[TrainingItem] = []
    for card_id, reviews in kept_reviews(events).items():
        steps: list[Step] = []
        previous_day = reviews[0].day
        for review in reviews:
            steps.append(
                Step(int(rating_of_grade(review.grade)), review.day - previous_day, review.grade)
            )
            previous_day = review.day
            if steps[-1].delta_t > 0:
                items.append(TrainingItem(card_id, review.reviewed_ms, tuple(steps)))
    items.sort(key=lambda item: (item.reviewed_ms, item.card_id))
    return items


def optimize(events: Iterable[ReviewEvent], *, min_reviews: int = MIN_REVIEWS) -> FittedParameters:
    """FSRS parameters fitted to the whole history."""
    items = training_histories(events)
    _require(items, min_reviews, "fit FSRS to your reviews")
    fitted = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(
        [item.to_fsrs() for item in items]
    )
    return FittedParameters(tuple(fitted), len(items), _card_count(items))


def evaluate(events: Iterable[ReviewEvent], *, min_reviews: int = MIN_REVIEWS) -> Evaluation:
    """SM-2, default FSRS and fitted FSRS scored on the later five sixths of the history."""
    items = training_histories(events)
    _require(items, max(min_reviews, N_SPLITS + 1), "judge the schedulers on your reviews")
    scored = scored_items(items)
    optimized = fsrs_rs.evaluate_with_time_series_splits([item.to_fsrs() for item in items])
    return Evaluation(
        reviews=len(items),
        cards=_card_count(items),
        sm2=score(sm2_predictions(scored), scored),
        fsrs_default=score(fsrs_predictions(fsrs_rs.DEFAULT_PARAMETERS, scored), scored),
        fsrs_optimized=Score(optimized.log_loss, optimized.rmse_bins),
    )


def scored_items(items: Sequence[TrainingItem]) -> Sequence[TrainingItem]:
    """The items a time-series split scores: all but the earliest of N_SPLITS + 1 segments."""
    return items[len(items) // (N_SPLITS + 1) :]


def sm2_predictions(items: Iterable[TrainingItem]) -> list[float]:
    """srs-benchmark's SM-2 recall: 0.9 ** (elapsed / interval SM-2 scheduled last time)."""
    predictions = []
    for item in items:
        repetitions, easiness, interval = 0, INITIAL_EASINESS_CENTI, 0
        for step in item.steps[:-1]:
            repetitions, easiness, interval = review_centi(
                repetitions, easiness, interval, Grade(step.grade)
            )
        predictions.append(SM2_RECALL_AT_INTERVAL ** (item.steps[-1].delta_t / interval))
    return predictions


def fsrs_predictions(parameters: Sequence[float], items: Sequence[TrainingItem]) -> list[float]:
    """FSRS recall for each item's last review, from the memory state its history left."""
    model = fsrs_rs.FSRS(parameters)
    histories = [
        fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(s.rating, s.delta_t) for s in item.steps[:-1]])
        for item in items
    ]
    states = model.memory_state_batch(histories)
    decay = -parameters[20]
    factor = math.exp(math.log(0.9) / decay) - 1.0
    return [
        (item.steps[-1].delta_t / state.stability * factor + 1.0) ** decay
        for item, state in zip(items, states, strict=True)
    ]


def score(
    predictions: Sequence[float],
    items: Sequence[TrainingItem],
    weights: Sequence[float] | None = None,
) -> Score:
    """Log loss and RMSE(bins) exactly as fsrs-rs computes them (`inference.rs`)."""
    weights = [1.0] * len(items) if weights is None else weights
    loss = 0.0
    bins: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for prediction, item, weight in zip(predictions, items, weights, strict=True):
        p = min(max(prediction, _PROBABILITY_FLOOR), 1.0 - _PROBABILITY_FLOOR)
        y = 1.0 if item.recalled else 0.0
        loss -= (y * math.log(p) + (1.0 - y) * math.log(1.0 - p)) * weight
        cell = bins[r_matrix_index(item.steps)]
        cell[0] += prediction
        cell[1] += y
        cell[2] += 1.0
        cell[3] += weight
    squared = sum((pred / n - real / n) ** 2 * w for pred, real, n, w in bins.values())
    total_weight = sum(weights)
    return Score(loss / total_weight, math.sqrt(squared / total_weight))


def r_matrix_index(steps: Sequence[Step]) -> tuple[int, int, int]:
    """fsrs-rs's RMSE(bins) cell: (interval bin, review-count bin, lapse-count bin)."""
    delta_t = steps[-1].delta_t
    delta_t_bin = _log_bin(delta_t, 2.48 * 100.0, 3.62)
    length_bin = _log_bin(sum(1 for s in steps if s.delta_t > 0) + 1, 1.99, 1.89)
    lapses = sum(1 for s in steps[:-1] if s.rating == Rating.AGAIN and s.delta_t > 0)
    return delta_t_bin, length_bin, _log_bin(lapses, 1.65, 1.73) if lapses else 0


def _log_bin(value: int, scale: float, base: float) -> int:
    """`scale * base ** floor(log_base(value))`, rounded half away from zero as Rust does."""
    return math.floor(scale * base ** math.floor(math.log(value, base)) + 0.5)


def recency_weights(count: int) -> list[float]:
    """fsrs-rs's weights for `FSRS.evaluate`: 0.25 for the oldest item up to 1 for the newest."""
    span = max(count - 1.0, 1.0)
    return [0.25 + 0.75 * (i / span) ** 3 for i in range(count)]


def _require(items: Sequence[TrainingItem], minimum: int, action: str) -> None:
    if len(items) < minimum:
        raise NotEnoughReviewsError(action, len(items), minimum)


def _card_count(items: Iterable[TrainingItem]) -> int:
    return len({item.card_id for item in items})
