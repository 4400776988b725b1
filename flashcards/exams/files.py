"""Exam files: finding a spec by name, and the files a build writes for each variant.

Students get `*-exam.*`, instructors keep `*-key.*`; the names sort by variant so
a folder of ten variants reads in order. A bundled spec can be named without its
path, so a student types `flashcards exam take critical-points-quiz`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from flashcards.errors import UserError
from flashcards.exams.build import Exam
from flashcards.exams.render_html import exam_html, key_html
from flashcards.exams.render_md import exam_markdown, key_markdown
from flashcards.exams.serialize import exam_json
from flashcards.exams.spec import SPEC_SUFFIXES, default_id
from flashcards.paths import bundled_content_dir

FORMATS = ("md", "html", "moodle", "qti")
"""What `exam build --format` accepts: md and html per variant (the default), moodle one
XML file for every variant, qti one Canvas zip per variant."""
DEFAULT_FORMATS = ("md", "html")


def exam_files(
    exam: Exam, *, with_json: bool = False, formats: Collection[str] = DEFAULT_FORMATS
) -> dict[str, str]:
    """File name -> text for one variant: exam and key, as Markdown and as HTML."""
    stem = f"{exam.spec_id}-v{exam.variant}"
    files = {}
    if "md" in formats:
        files[f"{stem}-exam.md"] = exam_markdown(exam)
        files[f"{stem}-key.md"] = key_markdown(exam)
    if "html" in formats:
        files[f"{stem}-exam.html"] = exam_html(exam)
        files[f"{stem}-key.html"] = key_html(exam)
    if with_json:
        files[f"{stem}.json"] = exam_json(exam)
    return files


def build_files(
    exams: Sequence[Exam], *, with_json: bool = False, formats: Collection[str] = DEFAULT_FORMATS
) -> dict[str, str | bytes]:
    """Every file of a build, in order: each variant's, then the one Moodle file."""
    files: dict[str, str | bytes] = {}
    for exam in exams:
        files.update(exam_files(exam, with_json=with_json, formats=formats))
        if "qti" in formats:
            from flashcards.exams.qti import qti_file_name, qti_zip

            files[qti_file_name(exam)] = qti_zip(exam)
    if "moodle" in formats and exams:
        from flashcards.exams.moodle import moodle_file_name, moodle_xml

        files[moodle_file_name(exams)] = moodle_xml(exams)
    return files


def write_exams(
    exams: Iterable[Exam],
    folder: Path,
    *,
    with_json: bool = False,
    formats: Collection[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """Write every file of the build into `folder` (created if needed); returns the paths."""
    files = build_files(list(exams), with_json=with_json, formats=formats)
    folder.mkdir(parents=True, exist_ok=True)
    return write_files(files, folder)


def write_files(files: Mapping[str, str | bytes], folder: Path) -> list[Path]:
    """UTF-8 with "\\n" line ends on every platform, so builds compare byte for byte."""
    paths = []
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        paths.append(path)
    return paths


def bundled_specs() -> dict[str, Path]:
    """The example specs shipped in content/exams, by file name without the suffix."""
    folder = bundled_content_dir() / "exams"
    if not folder.is_dir():
        return {}
    return {default_id(path.name): path for path in sorted(folder.iterdir()) if is_spec(path)}


def is_spec(path: Path) -> bool:
    return path.is_file() and path.name.endswith(SPEC_SUFFIXES)


def find_spec(name: str) -> Path:
    """A spec file path as given, else the bundled spec of that name."""
    path = Path(name).expanduser()
    if path.is_file():
        return path
    shipped = bundled_specs()
    if name in shipped:
        return shipped[name]
    known = ", ".join(shipped) or "none"
    raise UserError(
        f"no exam spec file {name!r} and no bundled spec of that name (bundled: {known}); "
        "give the path of a .exam.yaml file"
    )
