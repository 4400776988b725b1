"""The stored form of a card is compared byte for byte on every import, so the fast
writer must give exactly what the general JSON encoder gives, for any card."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from flashcards.model import Card, CardKind
from flashcards.storage.convert import content_json

ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
TEXT = st.text(max_size=30)  # any code point: quotes, backslashes, controls, surrogates
PARAMS = st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), TEXT), max_size=3)


@given(
    kind=st.sampled_from(CardKind),
    front=TEXT,
    back=TEXT,
    distractors=st.lists(TEXT, max_size=3),
    cloze=st.integers(min_value=0, max_value=30),
    generator=TEXT,
    params=PARAMS,
    extra=TEXT,
    source=TEXT,
)
def test_content_json_is_the_sorted_json_of_the_content(
    kind: CardKind,
    front: str,
    back: str,
    distractors: list[str],
    cloze: int,
    generator: str,
    params: dict[str, object],
    extra: str,
    source: str,
) -> None:
    card = Card(
        "x",
        kind,
        front,
        back,
        tuple(distractors),
        cloze,
        generator,
        params,
        extra,
        source=source,
    )
    assert content_json(card) == ENCODER.encode(card.content())


@given(external_id=TEXT, front=TEXT, back=TEXT, tags=st.lists(TEXT, max_size=3).map(tuple))
def test_the_fast_basic_card_is_the_dataclasss_card(
    external_id: str, front: str, back: str, tags: tuple[str, ...]
) -> None:
    """`Card.basic` skips the dataclass __init__ for speed; it must build the same card."""
    fast = Card.basic(external_id, front, back, tags)
    assert fast == Card(external_id, CardKind.BASIC, front, back, tags=tags)
    assert vars(fast) == vars(Card(external_id, CardKind.BASIC, front, back, tags=tags))
    assert fast.params is not Card.basic(external_id, front, back, tags).params
