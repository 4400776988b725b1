"""The machine-readable exam: one JSON document with the questions and the key.

It is for other tools (a learning platform, a grader), so it names every item's
source: a card as (deck id, card id), a compute problem as (template, version,
seed), from which the very same problem can be generated again. Keys keep their
insertion order and whole numbers print without a decimal point, so the file is
stable byte for byte.
"""

from __future__ import annotations

import json
from typing import Any

from flashcards.exams.build import CardRef, Exam, ExamItem

FORMAT = "flashcards-exam"
FORMAT_VERSION = 1


def exam_to_dict(exam: Exam) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "spec": exam.spec_id,
        "title": exam.title,
        "minutes": exam.minutes,
        "instructions": exam.instructions,
        "seed": exam.seed,
        "variant": exam.variant,
        "total_points": number(exam.total_points),
        "sections": [
            {
                "title": section.title,
                "points_each": number(section.points),
                "items": [item_to_dict(item) for item in section.items],
            }
            for section in exam.sections
        ],
    }


def item_to_dict(item: ExamItem) -> dict[str, Any]:
    source: dict[str, Any]
    if isinstance(item.source, CardRef):
        source = {"deck": item.source.deck, "card": item.source.card}
    else:
        ref = item.source
        source = {"template": ref.template, "version": ref.version, "seed": ref.seed}
    return {
        "number": item.number,
        "kind": item.kind.value,
        "points": number(item.points),
        "topic": item.topic,
        "topic_name": item.topic_name,
        "question": item.question,
        "math": item.math,
        "options": list(item.options),
        "answer_format": item.answer_hint,
        "source": source,
        "key": {
            "answer": item.answer,
            "correct_option": item.correct_letter or None,
            "solution": list(item.solution),
        },
    }


def exam_json(exam: Exam) -> str:
    return json.dumps(exam_to_dict(exam), indent=2, ensure_ascii=False) + "\n"


def number(value: float) -> int | float:
    """2.0 prints as 2, 0.5 as 0.5."""
    return int(value) if float(value).is_integer() else value
