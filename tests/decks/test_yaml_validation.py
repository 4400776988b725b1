"""Every mistake a deck author can make is reported with its exact place and a fix.

Locations are 1-based line:column of the offending key or value, so an editor can
jump straight to it; all problems of a file come out together.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping

import pytest

from flashcards.decks.errors import DeckValidationError, Problem
from flashcards.decks.yaml_deck import parse_deck_text
from flashcards.errors import BadInputError

GENERATORS = ("hessian-classify-2d", "gd-step")


def deck_text(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def problems_in(
    text: str,
    known_generators: tuple[str, ...] | None = None,
    check_params: Callable[[str, Mapping[str, object]], object] | None = None,
) -> list[Problem]:
    with pytest.raises(DeckValidationError) as caught:
        parse_deck_text(deck_text(text), "deck.yaml", known_generators, check_params)
    return list(caught.value.problems)


def place(text: str, fragment: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (1-based) where `fragment` occurs in the deck text."""
    text = deck_text(text)
    index = -1
    for _ in range(occurrence):
        index = text.index(fragment, index + 1)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def only(problems: list[Problem], fragment: str) -> Problem:
    found = [problem for problem in problems if fragment in problem.message]
    assert len(found) == 1, problems
    return found[0]


def at(problem: Problem) -> tuple[int | None, int | None]:
    return problem.line, problem.column


def test_unknown_deck_key_suggests_the_closest_one() -> None:
    problems = problems_in(
        """
        id: demo
        name: Demo
        tgas: [x]
        cards:
          - {id: a, front: F, back: B}
        """
    )
    problem = only(problems, "unknown key `tgas`")
    assert at(problem) == (3, 1)
    assert "did you mean `tags`?" in problem.hint
    assert str(problem).startswith("deck.yaml:3:1: unknown key `tgas` in the deck (")


def test_unknown_card_key_is_located_and_the_missing_field_too() -> None:
    problems = problems_in(
        """
        id: demo
        name: Demo
        cards:
          - id: a
            front: F
            bakc: B
        """
    )
    unknown = only(problems, "unknown key `bakc`")
    assert at(unknown) == (6, 5) and "`back`" in unknown.hint
    missing = only(problems, "has no `back`")
    assert at(missing) == (4, 5)
    assert "card 'a'" in missing.message


def test_a_key_of_another_kind_names_that_kind() -> None:
    problems = problems_in(
        """
        id: demo
        name: Demo
        cards:
          - id: a
            front: F
            back: B
            distractors: [C]
        """
    )
    problem = only(problems, "unknown key `distractors`")
    assert "choice" in problem.hint


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        ("name: Demo\ncards: [{id: a, front: F, back: B}]\n", "the deck has no `id`", (1, 1)),
        ("id: demo\ncards: [{id: a, front: F, back: B}]\n", "the deck has no `name`", (1, 1)),
        ("id: demo\nname: D\ncards:\n  - front: F\n    back: B\n", "card 1 has no `id`", (4, 5)),
    ],
)
def test_missing_required_fields(text: str, message: str, location: tuple[int, int]) -> None:
    problem = only(problems_in(text), message)
    assert at(problem) == location


def test_missing_distractors_and_cloze_text() -> None:
    problems = problems_in(
        """
        id: demo
        name: Demo
        cards:
          - id: q
            kind: choice
            question: Q?
            answer: A
          - id: z
            kind: cloze
        """
    )
    assert at(only(problems, "card 'q' has no `distractors`")) == (4, 5)
    assert at(only(problems, "card 'z' has no `text`")) == (8, 5)


def test_duplicate_card_id_names_where_it_was_first_used() -> None:
    text = """
        id: demo
        name: Demo
        cards:
          - {id: same, front: F1, back: B1}
          - {id: other, front: F2, back: B2}
          - {id: same, front: F3, back: B3}
        """
    problem = only(problems_in(text), "duplicate card id 'same'")
    assert at(problem) == place(text, "same", 2)
    assert "first used at deck.yaml:{}:{}".format(*place(text, "same")) in problem.hint


def test_a_key_written_twice_in_one_card_is_reported() -> None:
    problems = problems_in(
        """
        id: demo
        name: Demo
        cards:
          - id: a
            front: F
            back: B
            front: G
        """
    )
    problem = only(problems, "`front` appears twice")
    assert at(problem) == (7, 5) and "line 5" in problem.hint


@pytest.mark.parametrize(
    ("card", "message", "value"),
    [
        ("{id: a, front: [x, y], back: B}", "`front` must be text, not a list", "[x"),
        ("{id: a, front: F, back: {k: v}}", "`back` must be text, not a mapping", "{k"),
        ("{id: a, front: F, back: B, tags: solo}", "`tags` must be a list, not text", "solo"),
        ("{id: [a], front: F, back: B}", "`id` must be text, not a list", "[a]"),
    ],
)
def test_wrong_types_are_located_at_the_value(card: str, message: str, value: str) -> None:
    text = f"id: demo\nname: Demo\ncards:\n  - {card}\n"
    assert at(only(problems_in(text), message)) == place(text, value)


def test_cards_must_be_a_list_of_mappings() -> None:
    assert at(only(problems_in("id: d\nname: D\ncards: {a: 1}\n"), "`cards` must be a list")) == (
        3,
        8,
    )
    problem = only(problems_in("id: d\nname: D\ncards:\n  - just text\n"), "must be a mapping")
    assert at(problem) == (4, 5) and "card 1" in problem.message


@pytest.mark.parametrize("value", ['""', "", "'   '", "null"])
def test_empty_text_is_refused(value: str) -> None:
    problems = problems_in(f"id: d\nname: D\ncards:\n  - id: a\n    front: F\n    back: {value}\n")
    problem = only(problems, "`back` is empty")
    assert problem.line == 6


def test_unknown_generator_suggests_close_names_and_the_list_command() -> None:
    text = """
        id: d
        name: D
        cards:
          - id: h
            kind: compute
            generator: hessian-clasify-2d
        """
    problem = only(problems_in(text, known_generators=GENERATORS), "unknown generator")
    assert at(problem) == (6, 16)
    assert "'hessian-classify-2d'" in problem.hint
    assert "`flashcards quizzes list`" in problem.hint
    deck = parse_deck_text(textwrap.dedent(text), "deck.yaml")
    assert deck.cards[0].generator == "hessian-clasify-2d"


def test_params_must_be_plain_values_and_pass_the_template_check() -> None:
    def check(name: str, params: Mapping[str, object]) -> None:
        if params.get("steps") not in (None, 1, 2):
            raise ValueError(f"template {name!r}: steps must be 1 or 2")

    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - id: g
            kind: compute
            generator: gd-step
            params: {steps: 7, shape: [1, 2]}
        """,
        known_generators=GENERATORS,
        check_params=check,
    )
    assert at(only(problems, "param `shape` must be text")) == (7, 31)
    assert at(only(problems, "steps must be 1 or 2")) == (7, 13)


@pytest.mark.parametrize("value", ["X", "easy", "e"])
def test_difficulty_must_be_e_m_or_h(value: str) -> None:
    text = f"id: d\nname: D\ncards:\n  - {{id: a, front: F, back: B, difficulty: {value}}}\n"
    problem = only(problems_in(text), f"difficulty {value!r} is not E, M or H")
    assert at(problem) == place(text, value + "}")


@pytest.mark.parametrize("card_id", ["a#c1", "has space", "semi;colon"])
def test_card_ids_are_limited_to_safe_characters(card_id: str) -> None:
    problems = problems_in(
        f'id: d\nname: D\ncards:\n  - id: "{card_id}"\n    front: F\n    back: B\n'
    )
    problem = only(problems, "has characters ids cannot use")
    assert at(problem) == (4, 9)
    assert "'#' is reserved" in problem.hint


def test_deck_id_is_checked_like_a_card_id() -> None:
    problems = problems_in('id: "my deck"\nname: D\ncards: [{id: a, front: F, back: B}]\n')
    assert at(only(problems, "'my deck' has characters")) == (1, 5)


def test_cloze_text_needs_a_numbered_deletion() -> None:
    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - id: z
            kind: cloze
            text: "The step size is {{alpha}}."
          - id: y
            kind: cloze
            text: "Numbering starts at {{c0::one}}."
        """
    )
    assert at(only(problems, "cloze text has no deletion")) == (6, 11)
    assert "{{c1::hidden}}" in only(problems, "no deletion").hint
    assert at(only(problems, "numbered from 1")) == (9, 11)


def test_choice_needs_wrong_distractors() -> None:
    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - id: q
            kind: choice
            question: Which is convex?
            answer: x squared
            distractors:
              - sin x
              - X  squared
              - sin x
          - id: r
            kind: choice
            question: Q?
            answer: A
            distractors: []
        """
    )
    assert at(only(problems, "this distractor is the answer")) == (10, 9)
    assert at(only(problems, "repeats another")) == (11, 9)
    assert at(only(problems, "one or more wrong answers, not an empty list")) == (16, 18)


def test_unknown_kind_suggests_a_real_one() -> None:
    text = "id: d\nname: D\ncards:\n  - {id: a, kind: clozee, text: T}\n"
    problem = only(problems_in(text), "unknown card kind 'clozee'")
    assert at(problem) == place(text, "clozee") and "`cloze`" in problem.hint


def test_tags_may_not_contain_spaces_or_commas() -> None:
    problems = problems_in(
        "id: d\nname: D\ntags: [ok, 'two words']\ncards: [{id: a, front: F, back: B}]\n"
    )
    assert at(only(problems, "'two words' contains a space")) == (3, 12)


def test_every_problem_of_a_file_is_reported_at_once_in_file_order() -> None:
    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - {id: a, front: F, back: ""}
          - {id: b, front: F, back: B, difficulty: Z}
          - {id: a, front: F, back: B}
        """
    )
    assert [problem.line for problem in problems] == [4, 5, 6]


@pytest.mark.parametrize(
    ("text", "message", "location"),
    [
        ("id: d\nname: [unclosed\n", "not valid YAML", (3, 1)),
        ("id: d\n  name: D\n", "not valid YAML: mapping values are not allowed here", (2, 7)),
        ("id: d\n---\nid: e\n", "not valid YAML", (2, 1)),
        ("id: d\nname: a\x07b\n", "control character U+0007", (2, 8)),
    ],
)
def test_text_that_is_not_yaml_reports_the_parsers_position(
    text: str, message: str, location: tuple[int, int]
) -> None:
    problem = only(problems_in(text), message)
    assert at(problem) == location


def test_an_empty_file_says_so() -> None:
    assert only(problems_in("# only a comment\n"), "the file is empty").line is None


def test_a_deck_without_cards_is_refused() -> None:
    assert only(problems_in("id: d\nname: D\ncards: []\n"), "the deck has no cards")


def test_python_tags_are_refused_without_being_run() -> None:
    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - id: a
            front: !!python/object/apply:os.system ["echo hacked"]
            back: B
        """
    )
    problem = only(problems, "Python tags are not allowed")
    assert at(problem) == (5, 12)


def test_other_explicit_tags_are_refused() -> None:
    problems = problems_in("id: d\nname: !!binary aGVsbG8=\ncards: []\n")
    assert at(only(problems, "YAML tag")) == (2, 7)


def test_anchors_and_aliases_are_refused() -> None:
    problems = problems_in(
        """
        id: d
        name: D
        cards:
          - {id: a, front: &shared Shared text, back: B}
          - {id: b, front: *shared, back: B}
        """
    )
    problem = only(problems, "anchors and aliases")
    assert at(problem) == (4, 20)


def test_absurd_nesting_is_refused() -> None:
    problems = problems_in("id: d\nname: D\ncards: " + "[" * 200 + "]" * 200 + "\n")
    assert only(problems, "nests deeper than")


def test_the_error_lists_every_problem_and_says_nothing_was_imported() -> None:
    with pytest.raises(BadInputError) as caught:
        parse_deck_text("id: d\nname: D\ncards:\n  - {id: a, front: F}\n  - {id: b}\n", "x.yaml")
    lines = str(caught.value).splitlines()
    assert lines == [
        "x.yaml:4:5: card 'a' has no `back` (add `back: ...`)",
        "x.yaml:5:5: card 'b' has no `front` (add `front: ...`)",
        "x.yaml:5:5: card 'b' has no `back` (add `back: ...`)",
        "nothing was imported",
    ]
    assert caught.value.exit_code == 2
