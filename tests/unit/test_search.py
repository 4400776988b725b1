"""The Browse search language: what a typed query means, and what a mistake says."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.errors import UserError
from flashcards.search import Field, Query, SearchError, Term, parse_query


def test_an_empty_query_has_no_terms() -> None:
    assert parse_query("   ") == Query(())


def test_every_key_and_free_words_become_terms_in_order() -> None:
    query = parse_query("deck:Physics tag:hessian is:due kind:compute saddle point")
    assert query.terms == (
        Term(Field.DECK, "Physics"),
        Term(Field.TAG, "hessian"),
        Term(Field.IS, "due"),
        Term(Field.KIND, "compute"),
        Term(Field.TEXT, "saddle"),
        Term(Field.TEXT, "point"),
    )


def test_quotes_keep_spaces_in_a_deck_name() -> None:
    assert parse_query('deck:"Deck 01" newton').terms == (
        Term(Field.DECK, "Deck 01"),
        Term(Field.TEXT, "newton"),
    )


def test_a_quoted_phrase_is_one_text_term_even_with_a_colon() -> None:
    assert parse_query('"saddle point" "f:R"').terms == (
        Term(Field.TEXT, "saddle point"),
        Term(Field.TEXT, "f:R"),
    )


def test_a_leading_minus_negates_any_term() -> None:
    query = parse_query('-is:suspended -deck:"Deck 02" -momentum')
    assert query.terms == (
        Term(Field.IS, "suspended", negated=True),
        Term(Field.DECK, "Deck 02", negated=True),
        Term(Field.TEXT, "momentum", negated=True),
    )


def test_keys_and_their_fixed_values_ignore_case() -> None:
    assert parse_query("IS:Due KIND:Cloze Deck:x").terms == (
        Term(Field.IS, "due"),
        Term(Field.KIND, "cloze"),
        Term(Field.DECK, "x"),
    )


def test_a_lone_minus_is_just_text() -> None:
    assert parse_query("a - b").terms[1] == Term(Field.TEXT, "-")


def test_unknown_key_names_the_valid_keys_and_the_column() -> None:
    with pytest.raises(SearchError) as caught:
        parse_query("newton color:red")
    message = str(caught.value)
    assert '"color:"' in message
    assert "column 8" in message
    for key in ("deck:", "tag:", "is:", "kind:"):
        assert key in message


def test_unknown_state_lists_the_states() -> None:
    with pytest.raises(SearchError, match=r"is:later .*is:due, is:new, is:suspended"):
        parse_query("is:later")


def test_unknown_kind_lists_the_kinds() -> None:
    with pytest.raises(SearchError, match=r"kind:flash .*kind:basic, kind:choice"):
        parse_query("kind:flash")


def test_a_key_without_a_value_shows_an_example() -> None:
    with pytest.raises(SearchError, match=r'deck: at column 1 needs a value, like deck:"Deck 01"'):
        parse_query("deck:")


def test_an_unclosed_quote_says_where_it_opened() -> None:
    with pytest.raises(SearchError, match="quote at column 6 is never closed"):
        parse_query('deck:"Deck 01')


def test_search_errors_are_user_errors() -> None:
    # The CLI and the TUI show UserError messages as they are, without a traceback.
    assert issubclass(SearchError, UserError)


words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc"), blacklist_characters='":-'),
    min_size=1,
    max_size=12,
)


@given(st.lists(words, min_size=1, max_size=6))
def test_plain_words_round_trip_as_text_terms(parts: list[str]) -> None:
    query = parse_query(" ".join(parts))
    assert query.terms == tuple(Term(Field.TEXT, part) for part in parts)


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_a_search_error(text: str) -> None:
    try:
        query = parse_query(text)
    except SearchError as error:
        assert str(error).startswith("search: ")
    else:
        assert all(term.value for term in query.terms)
