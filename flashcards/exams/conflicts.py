"""Items that answer each other, so one exam never holds both.

Three sources, all deterministic and cheap:

- a spec's `apart` groups (card ids and template names; at most one of a group);
- `TEMPLATE_GIVEAWAYS` and `SAME_FACT`, a small declared map of the bundled content:
  a template whose prompt prints the formula a card asks for, and cards that ask the
  same fact in words no automatic test would match;
- an automatic test over the cards a spec can draw: one card's key written out in
  another card's question or options, or two questions that read nearly the same.

Items are named by `ItemKey`: (deck id, note id) for cards, as `draws.note_key`
gives, and ("", template name) for compute templates. Validation (`spec`) and the
draw (`build`) both take the graph from `spec_conflicts`, so they agree on it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flashcards.cardtext import CLOZE_PATTERN
from flashcards.exams.draws import (
    CardDraw,
    ExamSpec,
    ItemKey,
    Note,
    TemplateDraw,
    card_pool,
    note_id,
    note_key,
)
from flashcards.model import Deck

TEMPLATE_GIVEAWAYS: Mapping[str, tuple[str, ...]] = {
    "gd-step": ("gradient-descent.update",),  # prints θ ← θ - η ∇f(θ)
    "momentum-step": ("gradient-descent.momentum",),  # prints the damped momentum rule
    "nesterov-step": (  # prints the same rule and the look-ahead point
        "gradient-descent.momentum",
        "gradient-descent.nesterov",
    ),
    "adam-step": ("gradient-descent.adam", "gradient-descent.adam-update"),  # both moments, step
    "newton-step": ("second-order.newton-update",),  # prints θ ← θ - H⁻¹∇f(θ)
    "finite-difference": ("gradient-descent.central-difference",),  # prints the quotient
    "condition-number": (  # prints κ = λmax / λmin, or the bound 2 / λmax
        "challenges.condition-number",
        "challenges.ill-conditioning-example",
    ),
    "saddle-escape": ("critical-points.escape-saddle",),  # "an eigenvector ... negative"
    "l1-l2-step": ("regularization.step-rules",),  # prints the soft-thresholding step
    "softmax-xent": ("models.cross-entropy",),  # prints loss = log Σ exp(h_j) - h_y
}
"""Template name -> note ids of the cards whose key its prompt prints."""

SAME_FACT: tuple[tuple[str, ...], ...] = (
    # the eigenvalue test and the definition it is proved from, and its proof
    ("critical-points.pd-test", "critical-points.positive-definite", "critical-points.pd-proof"),
)
"""Groups of note ids that ask one fact: at most one of each group per exam."""

MIN_KEY_CHARS = 12
MIN_KEY_WORDS = 4
"""A key counts when it is a formula of at least MIN_KEY_CHARS characters or a phrase
of at least MIN_KEY_WORDS words: a shorter one (`g`, `500`, `a saddle point`,
`unsupervised learning`) is a term a question may name without giving it away."""
MIN_PROMPT_CHARS = 60
"""Shorter questions (`What is X learning? Give an example.`) differ in too few
characters for a similarity ratio to tell two facts apart."""
SIMILAR_PROMPTS = 0.9
"""difflib ratio from which two questions count as the same question."""
_SPACE = re.compile(r"\s+")
_FORMULA = re.compile(r"[^\w\s.,;:!?'\"-]|_")
_DASHES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2019": "'"})


def template_key(name: str) -> ItemKey:
    return ("", name)


@dataclass
class Conflicts:
    """Which items may not share an exam with which; symmetric."""

    neighbours: dict[ItemKey, set[ItemKey]] = field(default_factory=dict)

    def add(self, first: ItemKey, second: ItemKey) -> None:
        if first != second:
            self.neighbours.setdefault(first, set()).add(second)
            self.neighbours.setdefault(second, set()).add(first)

    def add_group(self, group: Iterable[ItemKey]) -> None:
        members = sorted(set(group))
        for index, first in enumerate(members):
            for second in members[index + 1 :]:
                self.add(first, second)

    def of(self, key: ItemKey) -> set[ItemKey]:
        return self.neighbours.get(key, set())

    def clash(self, first: ItemKey, second: ItemKey) -> bool:
        return second in self.of(first)


def spec_conflicts(spec: ExamSpec, decks: Mapping[str, Deck]) -> Conflicts:
    """The conflicts among everything `spec` may draw from `decks`."""
    notes: dict[ItemKey, Note] = {}
    templates: set[str] = set()
    for section in spec.sections:
        if isinstance(section.draw, CardDraw):
            notes.update((note_key(note), note) for note in card_pool(section.draw, decks))
        elif isinstance(section.draw, TemplateDraw):
            templates.update(section.draw.templates)
    return find_conflicts(list(notes.values()), templates, spec.apart)


def find_conflicts(
    notes: Sequence[Note],
    templates: Collection[str],
    apart: Iterable[Collection[ItemKey]] = (),
) -> Conflicts:
    """Every conflict among `notes` and `templates`: declared, spec-level and automatic."""
    conflicts = Conflicts()
    for group in apart:
        conflicts.add_group(group)
    by_id: dict[str, list[ItemKey]] = {}
    for note in notes:
        by_id.setdefault(note_id(note[1][0]), []).append(note_key(note))
    for template in sorted(templates):
        for given in TEMPLATE_GIVEAWAYS.get(template, ()):
            for key in by_id.get(given, []):
                conflicts.add(template_key(template), key)
    for same in SAME_FACT:
        conflicts.add_group(key for given in same for key in by_id.get(given, []))
    for first, second in same_fact_pairs(notes):
        conflicts.add(first, second)
    return conflicts


@dataclass(frozen=True)
class _Text:
    key: ItemKey
    question: str  # the front, normalized, with every deletion filled in
    answers: tuple[str, ...]  # each card's key, normalized, if distinctive enough to count
    letters: Counter[str]  # of the question, for a cheap upper bound on the ratio


def same_fact_pairs(notes: Sequence[Note]) -> list[tuple[ItemKey, ItemKey]]:
    """Pairs of distinct notes where one gives the other's key away, in pool order."""
    texts = list({text.key: text for text in map(_note_text, notes)}.values())
    pairs = []
    for index, first in enumerate(texts):
        for second in texts[index + 1 :]:
            if _gives_away(first, second) or _gives_away(second, first) or _alike(first, second):
                pairs.append((first.key, second.key))
    return pairs


def _gives_away(shown: _Text, asked: _Text) -> bool:
    return any(key in shown.question for key in asked.answers)


def _distinctive(key: str) -> bool:
    formula = _FORMULA.search(key) is not None
    return len(key) >= MIN_KEY_CHARS and (formula or len(key.split()) >= MIN_KEY_WORDS)


def _alike(first: _Text, second: _Text) -> bool:
    shorter, longer = sorted((len(first.question), len(second.question)))
    if shorter < MIN_PROMPT_CHARS or 2 * shorter < SIMILAR_PROMPTS * (shorter + longer):
        return False  # the lengths alone rule it out: difflib's real_quick_ratio
    common = sum((first.letters & second.letters).values())  # difflib's quick_ratio
    if 2 * common < SIMILAR_PROMPTS * (shorter + longer):
        return False
    matcher = difflib.SequenceMatcher(None, first.question, second.question, autojunk=False)
    return matcher.ratio() >= SIMILAR_PROMPTS


def _note_text(note: Note) -> _Text:
    cards = note[1]
    question = normalize(CLOZE_PATTERN.sub(lambda match: match.group(2), cards[0].front))
    answers = tuple(key for key in (normalize(card.back) for card in cards) if _distinctive(key))
    return _Text(note_key(note), question, answers, Counter(question))


def normalize(text: str) -> str:
    """Case, dashes and runs of white space do not make two texts differ."""
    return _SPACE.sub(" ", text.translate(_DASHES)).strip().casefold()
