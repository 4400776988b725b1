"""Drawing an exam from (spec, seed, variant): the same three always give the same exam.

Every random choice of a section comes from one `random.Random` seeded with the
string of (seed, variant, section index), never from global state or the clock, so
an instructor's build can be repeated anywhere. Cards come from the decks passed in
(the bundled content, plus any extra deck files), not from a user's collection,
for the same reason. Sections are drawn in order and a note drawn by one section is
not offered to a later one, so no question appears twice. Nor is an item offered that
conflicts with one already drawn (see `flashcards.exams.conflicts`): each section walks
its pool in a seeded order and skips those. `spec` checks that this never runs dry.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from flashcards.cardtext import CLOZE_PATTERN, LETTERS, choice_options, cloze_question
from flashcards.exams.conflicts import Conflicts, spec_conflicts, template_key
from flashcards.exams.draws import (
    CardDraw,
    ExamSpec,
    ItemKey,
    Note,
    SectionSpec,
    card_pool,
    note_key,
)
from flashcards.model import Card, CardKind, Deck

if TYPE_CHECKING:
    from quizzes.problem import Problem

SEED_LIMIT = 2**31
MAX_VARIANTS = 100
CLOZE_LEAD = "Fill in the blank marked with brackets:"


class ItemKind(StrEnum):
    """How an item is answered and graded."""

    CHOICE = "choice"  # pick a letter; graded automatically
    OPEN = "open"  # free text; the student grades it against the key
    COMPUTE = "compute"  # a drawn problem; its checker grades the typed answer


@dataclass(frozen=True)
class CardRef:
    """Where a card item came from: deck id and card id, as the deck file names them."""

    deck: str
    card: str


@dataclass(frozen=True)
class ProblemRef:
    """What regenerates a compute item exactly: template, its version and the seed."""

    template: str
    version: int
    seed: int


@dataclass(frozen=True)
class ExamItem:
    """One numbered question with everything its answer key shows.

    `answer` is the key's short answer, `solution` the explanation or worked steps.
    `problem` keeps the generated problem so grading need not draw it again.
    """

    number: int
    section: int
    kind: ItemKind
    points: float
    topic: str
    topic_name: str
    question: str
    answer: str
    source: CardRef | ProblemRef
    options: tuple[str, ...] = ()
    correct: int | None = None
    math: str = ""
    answer_hint: str = ""
    solution: tuple[str, ...] = ()
    problem: Problem | None = field(default=None, compare=False, repr=False)

    @property
    def correct_letter(self) -> str:
        return "" if self.correct is None else LETTERS[self.correct]


@dataclass(frozen=True)
class ExamSection:
    title: str
    points: float
    items: tuple[ExamItem, ...]


@dataclass(frozen=True)
class Exam:
    spec_id: str
    title: str
    minutes: int
    instructions: str
    seed: int
    variant: int
    sections: tuple[ExamSection, ...]

    @property
    def items(self) -> tuple[ExamItem, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def total_points(self) -> float:
        return sum(item.points for item in self.items)


def build_variants(spec: ExamSpec, decks: Sequence[Deck], seed: int, count: int) -> list[Exam]:
    """Variants 1..count of the exam; each draws its own items and numbers."""
    conflicts = spec_conflicts(spec, {deck.external_id: deck for deck in decks})
    return [build_exam(spec, decks, seed, variant, conflicts) for variant in range(1, count + 1)]


def build_exam(
    spec: ExamSpec,
    decks: Sequence[Deck],
    seed: int,
    variant: int = 1,
    conflicts: Conflicts | None = None,
) -> Exam:
    """Draw every section of `spec`; `decks` must be those the spec was checked against.

    `conflicts` is `spec_conflicts(spec, decks)`, worked out here when not given.
    """
    by_id = {deck.external_id: deck for deck in decks}
    if conflicts is None:
        conflicts = spec_conflicts(spec, by_id)
    drawer = _Drawer(by_id, seed, variant, conflicts)
    sections = tuple(
        ExamSection(section.title, section.points, drawer.section(index, section))
        for index, section in enumerate(spec.sections)
    )
    return Exam(spec.id, spec.title, spec.minutes, spec.instructions, seed, variant, sections)


@dataclass
class _Drawer:
    decks: Mapping[str, Deck]
    seed: int
    variant: int
    conflicts: Conflicts
    barred: set[ItemKey] = field(default_factory=set)
    """Items drawn so far, and every item that conflicts with one of them."""
    numbered: int = 0

    def take(self, key: ItemKey) -> None:
        self.barred.add(key)
        self.barred.update(self.conflicts.of(key))

    def salt(self, index: int) -> str:
        return f"{self.seed}|{self.variant}|{index}"

    def section(self, index: int, section: SectionSpec) -> tuple[ExamItem, ...]:
        rng = random.Random(self.salt(index))
        if isinstance(section.draw, CardDraw):
            items = self.card_items(rng, index, section, section.draw)
        else:
            items = self.problem_items(rng, index, section, section.draw.templates)
        self.numbered += len(items)
        return tuple(items)

    def card_items(
        self, rng: random.Random, index: int, section: SectionSpec, draw: CardDraw
    ) -> list[ExamItem]:
        notes = [note for note in card_pool(draw, self.decks) if note_key(note) not in self.barred]
        chosen: list[Note] = []
        for note in rng.sample(notes, len(notes)):
            if len(chosen) < section.count and note_key(note) not in self.barred:
                chosen.append(note)
                self.take(note_key(note))
        if len(chosen) < section.count:
            raise ValueError(
                f"section {index + 1} needs {section.count} cards and only {len(chosen)} are "
                "left; check the spec with parse_spec against these decks first"
            )
        return [
            card_item(
                deck,
                rng.choice(cards),
                number=self.numbered + position,
                section=index,
                points=section.points,
                salt=self.salt(index),
            )
            for position, (deck, cards) in enumerate(chosen, start=1)
        ]

    def problem_items(
        self, rng: random.Random, index: int, section: SectionSpec, templates: Sequence[str]
    ) -> list[ExamItem]:
        from quizzes.registry import get

        order = list(templates)
        rng.shuffle(order)
        chosen: list[str] = []
        for name in order:
            if len(chosen) < section.count and template_key(name) not in self.barred:
                chosen.append(name)
                self.take(template_key(name))
        if not chosen:
            raise ValueError(
                f"section {index + 1}: every template conflicts with an item drawn before; "
                "check the spec with parse_spec against these decks first"
            )
        items = []
        for position in range(section.count):
            template = get(chosen[position % len(chosen)])
            problem = template.generate(rng.randrange(SEED_LIMIT))
            topic = self.decks[template.topic].name if template.topic in self.decks else ""
            number = self.numbered + position + 1
            items.append(problem_item(problem, template.topic, topic, number, index, section))
        return items


def card_item(
    deck: Deck, card: Card, *, number: int, section: int, points: float, salt: str
) -> ExamItem:
    """A choice card becomes a lettered question, basic and cloze cards open ones."""
    notes = (card.extra,) if card.extra else ()
    kind, question, answer, solution = ItemKind.OPEN, card.front, card.back, notes
    options: tuple[str, ...] = ()
    correct: int | None = None
    if card.kind is CardKind.CHOICE:
        lettered = choice_options(card, salt)
        kind, options, correct = ItemKind.CHOICE, lettered.texts, lettered.correct
        answer = f"{lettered.correct_letter}) {card.back}"
    elif card.kind is CardKind.CLOZE:
        question = f"{CLOZE_LEAD}\n\n{cloze_question(card.front, card.cloze)}"
        whole = CLOZE_PATTERN.sub(lambda match: match.group(2), card.front)
        solution = (f"Whole text: {whole}", *notes)
    return ExamItem(
        number=number,
        section=section,
        kind=kind,
        points=points,
        topic=deck.external_id,
        topic_name=deck.name,
        question=question,
        answer=answer,
        source=CardRef(deck.external_id, card.external_id),
        options=options,
        correct=correct,
        solution=solution,
    )


def problem_item(
    problem: Problem, topic: str, topic_name: str, number: int, index: int, section: SectionSpec
) -> ExamItem:
    """A compute item: the drawn problem, its expected answer as typed and its worked steps."""
    from quizzes.render import DISPLAY_DIGITS, format_value

    return ExamItem(
        number=number,
        section=index,
        kind=ItemKind.COMPUTE,
        points=section.points,
        topic=topic,
        topic_name=topic_name or topic,
        question=problem.prompt,
        answer=format_value(problem.answer_kind, problem.expected, DISPLAY_DIGITS),
        source=ProblemRef(problem.template, problem.version, problem.seed),
        options=problem.choices,
        math=problem.math,
        answer_hint=problem.answer_hint,
        solution=problem.solution,
        problem=problem,
    )


def points_label(points: float) -> str:
    return f"{points:g} point" if points == 1 else f"{points:g} points"


def exam_facts(exam: Exam) -> str:
    """The line under an exam's title: which draw it is and what it asks of the student."""
    return (
        f"Variant {exam.variant} · seed {exam.seed} · {exam.minutes} minutes · "
        f"{len(exam.items)} questions · {points_label(exam.total_points)}"
    )


def section_facts(section: ExamSection) -> str:
    count = len(section.items)
    questions = "1 question" if count == 1 else f"{count} questions"
    return f"{questions}, {points_label(section.points)} each"
