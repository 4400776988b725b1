"""Exam specs: the shipped examples load, and bad specs say where and what to change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.bundled import bundled_decks
from flashcards.decks.errors import Problem
from flashcards.errors import EXIT_BAD_INPUT, UserError
from flashcards.exams.draws import CardDraw, TemplateDraw
from flashcards.exams.files import bundled_specs, find_spec
from flashcards.exams.spec import ExamSpecError, load_spec
from flashcards.model import CardKind, Deck, Difficulty

WriteSpec = Callable[[str], Path]


def problems_of(path: Path, decks: list[Deck]) -> tuple[Problem, ...]:
    with pytest.raises(ExamSpecError) as caught:
        load_spec(path, decks)
    assert caught.value.exit_code == EXIT_BAD_INPUT
    assert str(caught.value).endswith("no exam was built")
    return caught.value.problems


def only_problem(path: Path, decks: list[Deck]) -> Problem:
    problems = problems_of(path, decks)
    assert len(problems) == 1, problems
    return problems[0]


def test_every_shipped_spec_loads_against_the_bundled_decks() -> None:
    shipped = bundled_specs()
    assert {"critical-points-quiz", "mock-exam"} <= set(shipped)
    decks = bundled_decks()
    for name, path in shipped.items():
        spec = load_spec(path, decks)
        assert spec.id == name
        assert spec.item_count > 0 and spec.minutes > 0


def test_the_mock_exam_has_41_items_from_every_studied_deck_and_the_templates() -> None:
    decks = bundled_decks()
    spec = load_spec(bundled_specs()["mock-exam"], decks)
    assert spec.item_count == 41
    drawn = {d for s in spec.sections if isinstance(s.draw, CardDraw) for d in s.draw.decks}
    with_text_cards = {
        deck.external_id
        for deck in decks
        if any(card.kind is not CardKind.COMPUTE for card in deck.cards)
    }
    assert drawn == with_text_cards
    assert any(isinstance(section.draw, TemplateDraw) for section in spec.sections)


def test_a_spec_reads_into_sections_with_filters_and_defaults(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec.replace("    kinds: [basic]\n", "    kinds: [basic]\n    difficulty: M\n")
    spec = load_spec(write_spec(text), decks)
    facts = (spec.id, spec.title, spec.minutes, spec.item_count, spec.total_points)
    assert facts == ("short", "Short test exam", 10, 4, 2 * 2 + 3 + 4)
    open_section = spec.sections[1].draw
    assert isinstance(open_section, CardDraw)
    assert open_section.kinds == (CardKind.BASIC,)
    assert open_section.difficulty == (Difficulty.MEDIUM,)
    assert spec.sections[2].draw == TemplateDraw(("jensen-gap",))


def test_an_unknown_deck_is_located_with_a_suggestion(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    path = write_spec(
        short_spec.replace("[alpha]\n    kinds: [choice]", "[alhpa]\n    kinds: [choice]")
    )
    problem = only_problem(path, decks)
    assert (problem.file, problem.line, problem.column) == (str(path), 6, 13)
    assert "unknown deck 'alhpa'" in problem.message
    assert "'alpha'" in problem.hint


def test_an_unknown_template_is_located_with_a_suggestion(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    problem = only_problem(write_spec(short_spec.replace("[jensen-gap]", "[jensen-gapp]")), decks)
    assert (problem.line, problem.column) == (16, 17)
    assert "unknown template 'jensen-gapp'" in problem.message
    assert "'jensen-gap'" in problem.hint


def test_asking_for_more_cards_than_match_names_the_count_and_what_to_lower_it_to(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    problem = only_problem(write_spec(short_spec.replace("count: 2\n", "count: 9\n")), decks)
    assert (problem.line, problem.column) == (8, 12)
    assert "asks for 9 cards but its decks and filters match only 3" in problem.message
    assert "lower `count` to 3" in problem.hint


def test_sections_sharing_decks_must_leave_enough_for_the_later_one(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    # The open section now also takes choice cards; the first section may use 2 of them.
    text = short_spec.replace(
        "kinds: [basic]\n    count: 1", "kinds: [basic, choice]\n    count: 4"
    )
    problem = only_problem(write_spec(text), decks)
    assert problem.line == 13
    assert "earlier sections may draw 2 of the 5 it matches" in problem.message
    assert "lower `count` to 3" in problem.hint


def test_cloze_deletions_of_one_text_count_as_one_note(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec.replace("kinds: [basic]\n    count: 1", "kinds: [cloze]\n    count: 2")
    problem = only_problem(write_spec(text), decks)
    assert "match only 1" in problem.message


def test_negative_points_and_a_bad_count_are_reported_together(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec.replace("points: 3", "points: -3").replace(
        "count: 1\n    points: 4", "count: lots\n    points: 4"
    )
    problems = problems_of(write_spec(text), decks)
    assert [(p.line, p.message) for p in problems] == [
        (14, "`points` must be more than 0, got '-3'"),
        (17, "`count` (how many items to draw) must be a whole number, got 'lots'"),
    ]
    assert "positive number of points" in problems[0].hint


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("minutes: 10", "minutes: 0", 3, "`minutes` (the time limit in minutes) must be"),
        ("title: Short test exam\n", "", 1, "the exam spec has no `title`"),
        ("id: short", "id: ../short", 1, "the id '../short' has characters ids cannot use"),
        ("    count: 2\n", "    count: 2\n    shuffle: yes\n", 9, "unknown key in section 1"),
        ("[jensen-gap]", "[jensen-gap]\n    tags: [x]", 17, "`tags` does not apply"),
        ("kinds: [choice]", "kinds: [choice, compute]", 7, "`kinds` cannot include compute"),
        ("kinds: [choice]", "kinds: [choice, essay]", 7, "'essay' is not a kinds value"),
        ("sections:", "sections: []\nold:", 4, "`sections` must be a list of one or more"),
    ],
)
def test_each_mistake_is_reported_at_its_line(
    write_spec: WriteSpec,
    decks: list[Deck],
    short_spec: str,
    old: str,
    new: str,
    line: int,
    message: str,
) -> None:
    problems = problems_of(write_spec(short_spec.replace(old, new, 1)), decks)
    assert any(p.line == line and message in p.message for p in problems), problems


def test_a_section_must_name_decks_or_templates_but_not_both(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec.replace(
        "templates: [jensen-gap]", "templates: [jensen-gap]\n    decks: [beta]"
    )
    problem = only_problem(write_spec(text), decks)
    assert problem.line == 15
    assert "section 3 names both of `decks` and `templates`" in problem.message


def test_an_empty_file_says_what_a_spec_needs(write_spec: WriteSpec, decks: list[Deck]) -> None:
    problem = only_problem(write_spec("\n  \n"), decks)
    assert (problem.line, problem.message) == (None, "the spec file is empty")
    assert "title, minutes and sections" in problem.hint


def test_yaml_tags_are_refused_as_in_deck_files(
    write_spec: WriteSpec, decks: list[Deck], short_spec: str
) -> None:
    text = short_spec.replace("title: Short test exam", "title: !!python/object:os.system x")
    problem = only_problem(write_spec(text), decks)
    assert problem.line == 2
    assert "Python tags are not allowed" in problem.message


def test_a_spec_is_found_by_path_or_by_bundled_name(write_spec: WriteSpec, short_spec: str) -> None:
    path = write_spec(short_spec)
    assert find_spec(str(path)) == path
    assert find_spec("mock-exam") == bundled_specs()["mock-exam"]
    with pytest.raises(UserError, match=r"bundled: .*critical-points-quiz"):
        find_spec("no-such-exam")
