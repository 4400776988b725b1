"""`scheduler optimize` and `scheduler evaluate` on a collection: read, fit or judge, store.

The maths is `flashcards.scheduling.fsrs_fit` on plain rows; this module picks
the history (one deck, or every deck), keeps fitted parameters on the decks they
were fitted for, and keeps the latest judgement for the statistics screen.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flashcards.clock import to_epoch_ms
from flashcards.model import DeckSettings
from flashcards.scheduling.fsrs_fit import (
    Evaluation,
    FittedParameters,
    ReviewEvent,
    evaluate,
    optimize,
)
from flashcards.storage.collection import Collection
from flashcards.storage.deck_settings import deck_settings, logged_answers, store_fsrs_parameters

EVALUATION_KEY = "scheduler_evaluation"


@dataclass(frozen=True)
class Fitted:
    """Parameters fitted and the decks that now hold them."""

    fitted: FittedParameters
    decks: tuple[DeckSettings, ...]


def _events(collection: Collection, deck_ids: Sequence[int] | None) -> list[ReviewEvent]:
    return [
        ReviewEvent(a.card_id, a.day, a.reviewed_ms, a.grade, a.kind, a.origin_type)
        for a in logged_answers(collection, deck_ids)
    ]


def fit_decks(collection: Collection, deck_id: int | None, now: datetime) -> Fitted:
    """Fit FSRS to one deck's history (or the whole collection's) and store it on the deck(s).

    Fitting on the whole collection gives every deck the same parameters: most
    students have too few reviews per deck for a deck of its own to be worth it.
    """
    deck_ids = None if deck_id is None else [deck_id]
    fitted = optimize(_events(collection, deck_ids))
    decks = deck_settings(collection, deck_ids)
    store_fsrs_parameters(
        collection,
        [d.deck_id for d in decks],
        fitted.parameters,
        fitted.reviews_used,
        to_epoch_ms(now),
    )
    return Fitted(fitted, tuple(deck_settings(collection, deck_ids)))


def judge(collection: Collection, deck: DeckSettings | None, now: datetime) -> Evaluation:
    """Score SM-2, default FSRS and fitted FSRS on the history, and keep the result."""
    evaluation = evaluate(_events(collection, None if deck is None else [deck.deck_id]))
    stored = {
        **evaluation.to_json(),
        "evaluated_ms": to_epoch_ms(now),
        "deck": None if deck is None else deck.name,
    }
    collection.set_meta(EVALUATION_KEY, json.dumps(stored))
    return evaluation
