"""Running Browse searches against a real collection: every key, negation and paging."""

from __future__ import annotations

import pytest

from flashcards.answering import answer_card
from flashcards.clock import day_to_date, study_day
from flashcards.model import Card, CardKind, Deck
from flashcards.search import SearchError
from flashcards.storage.browse import BrowsePage, search_cards
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, bury, make_deck

OPTIMIZATION = Deck(
    "deck-01",
    "Deck 01",
    cards=(
        Card(
            "saddle",
            CardKind.BASIC,
            "What is a saddle point?",
            "A critical point that is neither a minimum nor a maximum.",
            tags=("hessian", "critical-points"),
        ),
        Card("percent", CardKind.BASIC, "Which share is 100%?", "all of it", tags=("misc",)),
        Card(
            "newton",
            CardKind.CHOICE,
            "Which method uses the Hessian?",
            "Newton",
            distractors=("Momentum", "Adam"),
            extra="It rescales the step by second derivatives.",
            tags=("second-order",),
        ),
        Card("descent", CardKind.CLOZE, "One step: θ ← θ - {{c1::lr ∇L(θ)}}", cloze=1),
        Card("gd", CardKind.COMPUTE, "One gradient step", generator="gd-step", tags=("gd",)),
    ),
)


@pytest.fixture
def filled(collection: Collection, clock: FakeClock) -> Collection:
    import_decks(collection, [OPTIMIZATION, make_deck("Physics 2", n=3, prefix="p")], clock())
    return collection


def search(collection: Collection, clock: FakeClock, text: str) -> list[str]:
    page = search_cards(collection, text, clock())
    assert page.total == len(page.rows)
    return [row.stored.external_id for row in page.rows]


def card_id(collection: Collection, clock: FakeClock, external_id: str) -> int:
    rows = search_cards(collection, "", clock()).rows
    return next(row.stored.id for row in rows if row.stored.external_id == external_id)


def test_an_empty_query_lists_every_card_in_the_order_added(
    filled: Collection, clock: FakeClock
) -> None:
    assert search(filled, clock, "") == [
        "saddle", "percent", "newton", "descent", "gd", "p0", "p1", "p2"
    ]  # fmt: skip


def test_pages_split_the_matches_and_report_the_total(filled: Collection, clock: FakeClock) -> None:
    first = search_cards(filled, "", clock(), limit=3)
    last = search_cards(filled, "", clock(), limit=3, offset=6)
    assert (first.total, len(first.rows), first.has_more) == (8, 3, True)
    assert [row.stored.external_id for row in last.rows] == ["p1", "p2"]
    assert not last.has_more


def test_deck_names_match_whole_ignoring_case_with_quotes_and_wildcards(
    filled: Collection, clock: FakeClock
) -> None:
    assert search(filled, clock, 'deck:"physics 2"') == ["p0", "p1", "p2"]
    assert search(filled, clock, "deck:phys*") == ["p0", "p1", "p2"]
    assert search(filled, clock, "deck:*") == search(filled, clock, "")


def test_an_unknown_deck_lists_the_decks_there_are(filled: Collection, clock: FakeClock) -> None:
    with pytest.raises(SearchError, match=r"deck:Phys; decks: Deck 01, Physics 2"):
        search_cards(filled, "deck:Phys", clock())


def test_tags_match_whole_tags_not_parts_of_them(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "tag:hessian") == ["saddle"]
    assert search(filled, clock, "tag:hess") == []
    assert search(filled, clock, "tag:hess*") == ["saddle"]
    assert search(filled, clock, "tag:HESSIAN") == ["saddle"]


def test_a_tag_wildcard_does_not_match_untagged_cards(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "tag:*") == ["saddle", "percent", "newton", "gd"]


def test_kind_selects_cards_of_one_kind(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "kind:choice") == ["newton"]
    assert search(filled, clock, "kind:compute") == ["gd"]


def test_words_match_any_text_field_ignoring_case(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "SADDLE") == ["saddle"]
    assert search(filled, clock, "momentum") == ["newton"]  # a wrong option
    assert search(filled, clock, "derivatives") == ["newton"]  # the explanation
    assert search(filled, clock, "∇L") == ["descent"]
    assert search(filled, clock, '"neither a minimum"') == ["saddle"]


def test_every_word_must_match(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "hessian newton") == ["newton"]
    assert search(filled, clock, "hessian deck:physics*") == []


def test_field_names_of_the_stored_content_are_not_card_text(
    filled: Collection, clock: FakeClock
) -> None:
    assert search(filled, clock, "front") == []
    assert search(filled, clock, "distractors") == []


def test_like_wildcards_in_a_word_are_literal(filled: Collection, clock: FakeClock) -> None:
    assert search(filled, clock, "100%") == ["percent"]
    assert search(filled, clock, "%") == ["percent"]
    assert search(filled, clock, "_") == []


def test_states_due_new_suspended_buried_and_leech(filled: Collection, clock: FakeClock) -> None:
    ids = {name: card_id(filled, clock, name) for name in ("saddle", "percent", "newton", "p0")}
    answer_card(filled, ids["saddle"], 5, clock())  # due tomorrow
    answer_card(filled, ids["newton"], 5, clock())
    filled.set_suspended([ids["percent"]], True)
    bury(filled, ids["p0"], clock())
    clock.advance(days=1)
    bury(filled, ids["newton"], clock())  # due, but buried for today
    assert search(filled, clock, "is:due") == ["saddle"]
    assert search(filled, clock, "is:suspended") == ["percent"]
    assert search(filled, clock, "is:buried") == ["newton"]  # p0's burial has run out
    assert search(filled, clock, "is:new -is:suspended") == ["descent", "gd", "p0", "p1", "p2"]


def test_leeches_match_is_leech_and_tag_leech(filled: Collection, clock: FakeClock) -> None:
    saddle = card_id(filled, clock, "saddle")
    answer_card(filled, saddle, 5, clock())
    while not filled.card(saddle).state.leech:
        clock.advance(days=1)
        answer_card(filled, saddle, 1, clock())
    assert search(filled, clock, "is:leech") == ["saddle"]
    assert search(filled, clock, "tag:leech") == ["saddle"]


@pytest.mark.parametrize(
    "term", ["is:due", "is:new", "is:buried", "is:suspended", "tag:misc", "deck:deck*", "newton"]
)
def test_a_negated_term_matches_exactly_the_other_cards(
    filled: Collection, clock: FakeClock, term: str
) -> None:
    answer_card(filled, card_id(filled, clock, "saddle"), 4, clock())
    bury(filled, card_id(filled, clock, "p1"), clock())
    everything = set(search(filled, clock, ""))
    matched = set(search(filled, clock, term))
    others = set(search(filled, clock, "-" + term))
    assert matched.isdisjoint(others)
    assert matched | others == everything


def test_rows_carry_due_date_interval_and_ease(filled: Collection, clock: FakeClock) -> None:
    saddle = card_id(filled, clock, "saddle")
    answer_card(filled, saddle, 5, clock())
    clock.advance(days=1)
    answer_card(filled, saddle, 5, clock())  # second right answer: SM-2 gives 6 days
    page: BrowsePage = search_cards(filled, "tag:hessian", clock())
    (row,) = page.rows
    assert row.interval_days == 6
    assert row.due == day_to_date(study_day(clock()) + 6)
    assert row.ease == pytest.approx(2.7)
    assert row.stored.deck_name == "Deck 01"
    assert row.stored.card.tags == ("hessian", "critical-points")


def test_new_cards_have_no_due_date(filled: Collection, clock: FakeClock) -> None:
    row = search_cards(filled, "kind:cloze", clock()).rows[0]
    assert row.due is None
    assert row.stored.state.is_new


def test_a_syntax_error_is_raised_before_any_query(filled: Collection, clock: FakeClock) -> None:
    with pytest.raises(SearchError, match="unknown key"):
        search_cards(filled, "colour:red", clock())
