"""`exam build --format qti`: Canvas QTI 1.2 zips, unzipped, parsed and checked item by item.

Canvas's QTI import (the format text2qti 0.8.0 writes) needs `imsmanifest.xml` naming
the assessment, the assessment's `questestinterop/assessment/section/item`s, each with
`itemmetadata` (question_type, points_possible), `presentation` and `resprocessing`
whose `setvar SCORE 100` condition names the right response.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from lms_exams import (
    HOSTILE_KEY,
    HOSTILE_PROMPT,
    WriteSpec,
    covering_exams,
    hostile_exam,
)

from flashcards.cli import main
from flashcards.exams.build import Exam, ExamItem, ItemKind
from flashcards.exams.moodle import absolute_tolerance
from flashcards.exams.qti import RESOLUTION, qti_zip
from quizzes.problem import AnswerKind, Problem

Q = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
MANIFEST = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
TAGS = re.compile(r"<[^>]+>")


class Package:
    """The parts of one unzipped QTI package."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.names = archive.namelist()
            self.manifest = ET.fromstring(archive.read("imsmanifest.xml"))
            [main_xml] = [
                n for n in self.names if n.endswith(".xml") and "/" in n and "meta" not in n
            ]
            self.assessment = ET.fromstring(archive.read(main_xml))
            self.main_xml = main_xml
            self.raw = b"".join(archive.read(n) for n in self.names if n.endswith(".xml"))

    @property
    def items(self) -> list[ET.Element]:
        return self.assessment.findall(f"{Q}assessment/{Q}section/{Q}item")


def meta(item: ET.Element) -> dict[str, str]:
    fields = item.iter(f"{Q}qtimetadatafield")
    return {f.findtext(f"{Q}fieldlabel") or "": f.findtext(f"{Q}fieldentry") or "" for f in fields}


SMART = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def shown(markup: str) -> str:
    """What a browser shows of an HTML fragment: tags dropped, entities decoded, and the
    typographic quotes of text2qti's Markdown (its "smarty" extension) straightened."""
    return html.unescape(TAGS.sub("", markup)).translate(SMART).strip()


def scoring(item: ET.Element) -> ET.Element:
    [condition] = [c for c in item.iter(f"{Q}respcondition") if c.findtext(f"{Q}setvar") == "100"]
    return condition


@pytest.fixture(scope="module")
def exams() -> list[Exam]:
    return covering_exams()


@pytest.fixture(scope="module")
def packages(exams: list[Exam]) -> list[Package]:
    return [Package(qti_zip(exam)) for exam in exams]


def test_each_package_has_the_manifest_and_assessment_canvas_imports(
    exams: list[Exam], packages: list[Package]
) -> None:
    for exam, package in zip(exams, packages, strict=True):
        assert package.manifest.tag == f"{MANIFEST}manifest"
        resources = package.manifest.iter(f"{MANIFEST}resource")
        kinds = {r.get("type"): r for r in resources}
        assert "imsqti_xmlv1p2" in kinds
        hrefs = [f.get("href") for f in kinds["imsqti_xmlv1p2"].iter(f"{MANIFEST}file")]
        assert package.main_xml in hrefs
        assessment = package.assessment.find(f"{Q}assessment")
        assert assessment is not None
        assert assessment.get("title") == f"{exam.title} (variant {exam.variant})"
        for item in package.items:
            for part in ("itemmetadata", "presentation", "resprocessing"):
                assert item.find(f"{Q}{part}") is not None


def test_every_item_has_its_type_answer_points_and_range(
    exams: list[Exam], packages: list[Package]
) -> None:
    types = set()
    for exam, package in zip(exams, packages, strict=True):
        items = iter(package.items)
        for item in exam.items:
            parts = [next(items) for _ in range(entry_count(item))]
            assert sum(float(meta(p)["points_possible"]) for p in parts) == item.points
            types |= {meta(p)["question_type"] for p in parts}
            check_item(item, parts)
        assert next(items, None) is None
    assert types == {"multiple_choice_question", "numerical_question", "essay_question"}


def entry_count(item: ExamItem) -> int:
    problem = item.problem
    if problem is None or problem.answer_kind not in (AnswerKind.VECTOR, AnswerKind.MATRIX):
        return 1
    expected = problem.expected
    assert isinstance(expected, tuple)
    if problem.answer_kind is AnswerKind.MATRIX:
        return sum(len(row) for row in expected)
    return len(expected)


def check_item(item: ExamItem, parts: list[ET.Element]) -> None:
    kinds = [meta(p)["question_type"] for p in parts]
    if item.kind is ItemKind.CHOICE:
        assert kinds == ["multiple_choice_question"]
        check_choices(parts[0], list(item.options), item.correct)
        return
    if item.kind is ItemKind.OPEN:
        assert kinds == ["essay_question"]
        assert item.answer.splitlines()[0][:20] in shown(feedback(parts[0]))
        return
    problem = item.problem
    assert problem is not None
    if problem.answer_kind is AnswerKind.NUMBER:
        assert kinds == ["numerical_question"]
        check_range(parts[0], problem, float(problem.expected))  # type: ignore[arg-type]
    elif problem.answer_kind in (AnswerKind.VECTOR, AnswerKind.MATRIX):
        assert set(kinds) == {"numerical_question"}
        values = [float(x) for x in problem.expected]  # type: ignore[attr-defined]
        for part, value in zip(parts, values, strict=True):
            check_range(part, problem, value)
    elif problem.answer_kind is AnswerKind.LABEL:
        assert kinds == ["multiple_choice_question"]
        correct = problem.choices.index(str(problem.expected))
        check_choices(parts[0], list(problem.choices), correct)
    else:
        assert kinds == ["essay_question"]
        assert "nonzero multiple of" in shown(feedback(parts[0]))


def feedback(item: ET.Element) -> str:
    general = [f for f in item.iter(f"{Q}itemfeedback") if f.get("ident") == "general_fb"]
    return general[0].findtext(f".//{Q}mattext") or ""


def check_choices(item: ET.Element, options: list[str], correct: int | None) -> None:
    labels = list(item.iter(f"{Q}response_label"))
    texts = [shown(label.findtext(f".//{Q}mattext") or "") for label in labels]
    assert texts == [o.replace("*", "") for o in options]
    right = scoring(item).findtext(f"{Q}conditionvar/{Q}varequal")
    assert [label.get("ident") for label in labels].index(right) == correct


def check_range(item: ET.Element, problem: Problem, value: float) -> None:
    """The accepted range holds the checker's and is at most one step of 0.0001 wider."""
    condition = scoring(item)
    low = float(condition.findtext(f"{Q}conditionvar/{Q}vargte") or "nan")
    high = float(condition.findtext(f"{Q}conditionvar/{Q}varlte") or "nan")
    tolerance = absolute_tolerance(problem, value)
    assert low <= value - tolerance and high >= value + tolerance
    assert high - low <= 2 * tolerance + 4 * RESOLUTION + 1e-12


def test_hostile_text_arrives_as_text_without_math_or_files(write_spec: WriteSpec) -> None:
    package = Package(qti_zip(hostile_exam(write_spec)))
    raw = package.raw.decode()
    assert not any(tag in raw for tag in ("<script", "<b>", "<i>", "<iframe", "<u>"))
    assert "equation_image" not in raw and "passwd" not in "".join(package.names)
    choice, essay = package.items
    question = choice.findtext(f".//{Q}presentation//{Q}mattext") or ""
    assert "&lt;script&gt;" in question and "$x$" in question and "]]&gt;" in question
    assert shown(essay.findtext(f".//{Q}presentation//{Q}mattext") or "") == HOSTILE_PROMPT
    assert HOSTILE_KEY in shown(feedback(essay))


def test_the_cli_writes_only_the_formats_asked_and_the_same_bytes_twice(
    tmp_path: Path, write_spec: WriteSpec, short_spec: str, deck_files: list[Path]
) -> None:
    spec = write_spec(short_spec)
    extra = [arg for path in deck_files for arg in ("--decks", str(path))]
    builds = []
    for name in ("one", "two"):
        out = tmp_path / name
        args = ["exam", "build", str(spec), "--seed", "5", "--variants", "2", "-o", str(out)]
        assert main([*args, "--format", "qti", "--format", "moodle", *extra]) == 0
        builds.append({path.name: path.read_bytes() for path in out.iterdir()})
    assert sorted(builds[0]) == ["short-moodle.xml", "short-v1-qti.zip", "short-v2-qti.zip"]
    assert builds[0] == builds[1]
    with zipfile.ZipFile(io.BytesIO(builds[0]["short-v1-qti.zip"])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
