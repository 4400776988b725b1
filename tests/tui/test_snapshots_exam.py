"""Pictures of the exam at 80x24: a question with its clock, and the review after it.

The exam is drawn from the small test decks (tests/exams/data) with a fixed seed
and a clock that does not move, so a changed picture means changed output. Update
with `pytest tests/tui/test_snapshots_exam.py --snapshot-update` after checking the
new SVGs by eye.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from flashcards.decks.yaml_deck import load_decks
from flashcards.exams.build import Exam, build_exam
from flashcards.exams.spec import load_spec
from flashcards.storage.collection import Collection
from flashcards.tui.screens.exam import ExamApp
from quizzes.registry import check_params, names
from quizzes.render import DISPLAY_DIGITS, format_value

from support import FakeClock

SnapCompare = Callable[..., bool]
DATA = Path(__file__).parents[1] / "exams" / "data"
SPEC = """\
id: snapshot
title: Gradient descent check-up
minutes: 25
instructions: Answer every question. Type the letter of a choice.
sections:
  - title: Multiple-choice questions on gradient descent and the learning rate
    decks: [alpha]
    kinds: [choice]
    count: 2
    points: 2
  - title: Explain
    decks: [alpha]
    kinds: [basic]
    count: 1
    points: 3
  - title: Compute
    templates: [jensen-gap]
    count: 1
    points: 4
"""


@pytest.fixture
def exam(tmp_path: Path) -> Exam:
    decks = load_decks(
        [DATA / "alpha.yaml", DATA / "beta.yaml"],
        known_generators=names(),
        check_params=check_params,
    )
    spec = tmp_path / "snapshot.exam.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    return build_exam(load_spec(spec, decks), decks, 4)


def test_exam_question_with_its_clock(
    snap_compare: SnapCompare, collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    """The clock keeps its place at 80 columns beside a long section title."""
    app = ExamApp(collection, exam, clock=clock)
    assert snap_compare(app, press=["b"], terminal_size=(80, 24))


def test_exam_choice_slip_is_named_in_the_status_line(
    snap_compare: SnapCompare, collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    app = ExamApp(collection, exam, clock=clock)
    assert snap_compare(app, press=["c", "e"], terminal_size=(80, 24))


def test_exam_review_of_a_named_mistake(
    snap_compare: SnapCompare, collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    """After the score, `v` and three PgDn: the compute item, its slip and worked solution."""
    first, second, _, compute = exam.items
    assert compute.problem is not None and second.correct is not None
    wrong = "abcd"[(second.correct + 1) % len(second.options)]
    slip = compute.problem.mistakes[0]
    typed = format_value(compute.problem.answer_kind, slip.value, DISPLAY_DIGITS)
    keys = [first.correct_letter, "enter", wrong, "enter"]
    keys += [*"the step size", "enter", *typed, "ctrl+s", "y", "v", "pagedown", "pagedown"]
    app = ExamApp(collection, exam, clock=clock)
    assert snap_compare(app, press=[*keys, "pagedown"], terminal_size=(80, 24))


def test_exam_review_of_an_open_item(
    snap_compare: SnapCompare, collection: Collection, clock: FakeClock, exam: Exam
) -> None:
    """Every item answered (no warning toast), the open one marked wrong, then reviewed."""
    first, second = exam.items[:2]
    keys = [first.correct_letter, "enter", second.correct_letter, "enter"]
    keys += [*"the step size", "enter", "1", "ctrl+s", "n"]
    app = ExamApp(collection, exam, clock=clock)
    assert snap_compare(app, press=[*keys, "v", "n", "n"], terminal_size=(80, 24))
