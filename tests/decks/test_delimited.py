"""Tables from spreadsheets and other apps load as basic cards, or say what is wrong."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from flashcards.decks.delimited import derived_id, load_delimited, parse_delimited
from flashcards.decks.errors import DeckValidationError, Problem
from flashcards.model import CardKind


def table(tmp_path: Path, text: str, name: str = "table.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(DeckValidationError) as caught:
        parse_delimited(text, "t.csv", "T")
    return list(caught.value.problems)


def test_header_names_columns_in_any_order_and_case(tmp_path: Path) -> None:
    path = table(tmp_path, 'Tags,BACK,Id,Front\n"calc, optim",down,g1,Which way?\n')
    [card] = load_delimited(path).cards
    assert (card.external_id, card.front, card.back) == ("g1", "Which way?", "down")
    assert card.tags == ("calc", "optim") and card.kind is CardKind.BASIC


def test_question_and_answer_are_accepted_as_column_names() -> None:
    [card] = parse_delimited("question,answer\nQ,A\n", "t.csv", "T").cards
    assert (card.front, card.back) == ("Q", "A")


def test_deck_name_comes_from_the_argument_or_the_file_stem(tmp_path: Path) -> None:
    path = table(tmp_path, "front,back\nq,a\n", name="Week 3 — Optimizers.csv")
    from_stem = load_delimited(path)
    assert (from_stem.name, from_stem.external_id) == ("Week 3 — Optimizers", "week-3-optimizers")
    named = load_delimited(path, deck_name="Adam & friends")
    assert (named.name, named.external_id) == ("Adam & friends", "adam-friends")


def test_a_byte_order_mark_does_not_become_part_of_the_header(tmp_path: Path) -> None:
    path = table(tmp_path, "front,back\nq,a\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_delimited(path).cards[0].front == "q"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([["front", "back", "tags"], ["f(x) = x, squared; or cubed", "convex", "a"]])
    [card] = parse_delimited(buffer.getvalue(), "t", "T").cards
    assert (card.front, card.back, card.tags) == ("f(x) = x, squared; or cubed", "convex", ("a",))


def test_a_tsv_file_with_commas_and_semicolons_in_its_text(tmp_path: Path) -> None:
    path = table(tmp_path, "front\tback\nWhat is a, b; c?\tthree, items; really\n", "t.tsv")
    [card] = load_delimited(path).cards
    assert (card.front, card.back) == ("What is a, b; c?", "three, items; really")


def test_quoted_fields_may_span_lines_and_later_lines_are_counted_right() -> None:
    text = 'front,back\n"Line one\nline two","say ""hi"""\nq2,\n'
    problems = problems_in(text)
    assert [(p.line, p.message) for p in problems] == [(4, "the back is empty")]
    [card] = parse_delimited(text.replace("q2,\n", ""), "t.csv", "T").cards
    assert (card.front, card.back) == ("Line one\nline two", 'say "hi"')


def test_rows_without_an_id_get_a_stable_id_from_their_front() -> None:
    first = parse_delimited("front,back\nWhat is  risk?,expected loss\n", "a.csv", "A")
    again = parse_delimited("back,front\nedited answer, What is risk? \n", "b.csv", "B")
    assert first.cards[0].external_id == again.cards[0].external_id
    assert first.cards[0].external_id == derived_id("What is risk?")
    assert derived_id("What is risk?").startswith("csv-") and len(derived_id("x")) == 16
    assert derived_id("What is risk?") != derived_id("What is a risk?")


def test_an_empty_id_cell_falls_back_to_the_derived_id() -> None:
    cards = parse_delimited("id,front,back\nmine,Q1,A1\n,Q2,A2\n", "t.csv", "T").cards
    assert [c.external_id for c in cards] == ["mine", derived_id("Q2")]


def test_tags_may_be_separated_by_spaces_or_commas() -> None:
    [card] = parse_delimited('front,back,tags\nq,a,"x y, z,,x"\n', "t.csv", "T").cards
    assert card.tags == ("x", "y", "z")


def test_a_header_is_required() -> None:
    [problem] = problems_in("What is risk?,expected loss\n")
    assert problem.line == 1
    assert "first row must name the columns" in problem.message
    assert "'What is risk?'" in problem.message and "id,front,back,tags" in problem.hint


def test_an_empty_table_says_it_has_no_rows() -> None:
    [problem] = problems_in("\n\n")
    assert problem.message == "the file holds no rows"


def test_unknown_and_repeated_columns_are_reported() -> None:
    problems = problems_in("front,back,tagz,back\nq,a,t,b\n")
    assert [(p.line, p.message) for p in problems] == [
        (1, "unknown column 'tagz'"),
        (1, "the 'back' column appears twice"),
    ]
    assert problems[0].hint == "did you mean 'tags'?"


def test_every_bad_row_is_reported_by_line_and_nothing_is_returned() -> None:
    text = (
        "id,front,back\n"
        "a,Q1,A1\n"
        "b,Q2\n"
        "c,,A3\n"
        "\n"
        "a,Q5,A5\n"
        "bad id,Q6,A6\n"
        'd,"Q7 ""quoted"" wrong"x,A7\n'
    )
    problems = problems_in(text)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, "this row has 2 fields but the header has 3"),
        (4, "the front is empty"),
        (6, "duplicate id 'a'"),
        (7, "the id 'bad id' has characters ids cannot use"),
        (8, "bad quoting in the row that starts here: ',' expected after '\"'"),
    ]
    assert "line 2 has it too" in problems[2].message


def test_rows_with_the_same_front_and_no_id_clash() -> None:
    [problem] = problems_in("front,back\nSame?,one\nSame?,two\n")
    assert problem.line == 3 and problem.hint == "two rows have the same front"


def test_one_apostrophe_before_a_formula_character_is_removed() -> None:
    text = "front,back\n'=1+1,'@SUM(A1)\n'-x,'plain\n\"''+quoted\",'\n"
    cards = parse_delimited(text, "t.csv", "T").cards
    assert [(c.front, c.back) for c in cards] == [
        ("=1+1", "@SUM(A1)"),
        ("-x", "'plain"),
        ("'+quoted", "'"),
    ]


def test_invalid_utf8_in_a_table_is_located(tmp_path: Path) -> None:
    path = table(tmp_path, "front,back\nq,café\n", encoding="latin-1")
    with pytest.raises(DeckValidationError) as caught:
        load_delimited(path)
    [problem] = caught.value.problems
    assert problem.line == 2 and "not valid UTF-8" in problem.message
