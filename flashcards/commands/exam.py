"""`flashcards exam build | take | history`: practice exams from a YAML spec.

`build` is for instructors: it needs no collection, and the same spec and seed
give the same files on any machine. `take` opens the exam screen on the user's
collection (so wrong cards can go back to review); `history` lists past attempts.
Exams are drawn from the bundled decks plus any `--decks` files, never from the
collection, which is what makes a build reproducible. Heavy imports (Textual, the
compute templates) stay inside the functions that need them.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.commands.common import open_for, print_json, table
from flashcards.errors import UserError

if TYPE_CHECKING:
    from flashcards.exams.build import Exam
    from flashcards.model import Deck

TAKE_SEED_LIMIT = 1_000_000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "exam",
        help="build printable practice exams, take one, list past attempts",
        description="Practice exams drawn from a YAML spec (examples in content/exams/).",
    )
    actions = p.add_subparsers(dest="exam_command", metavar="{build,take,history}", required=True)
    build = actions.add_parser(
        "build",
        help="write exams and answer keys (Markdown and HTML) for some variants",
        description="Draw the exam from SPEC and write, for each variant, the exam and its "
        "answer key with worked solutions as Markdown and as printable HTML. The same SPEC "
        "and --seed always give byte-identical files; without --seed a seed is drawn and "
        "printed, so the build can be repeated.",
    )
    _add_spec(build)
    build.add_argument(
        "--seed", type=int, help="which draw (a whole number; default: a new one, printed)"
    )
    build.add_argument("--variants", type=int, default=1, help="how many variants (default 1)")
    build.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="folder to write into"
    )
    build.add_argument("--json", action="store_true", help="also write each variant as JSON")
    build.add_argument(
        "--format",
        action="append",
        choices=("md", "html", "moodle", "qti"),
        dest="formats",
        metavar="FORMAT",
        help="what to write (repeatable): md, html (the default is both), moodle (one Moodle "
        "XML file for all variants), qti (a Canvas QTI zip per variant)",
    )
    take = actions.add_parser(
        "take", help="sit a timed exam in the app", description="Sit a timed exam drawn from SPEC."
    )
    _add_spec(take)
    take.add_argument("--seed", type=int, help="which draw (default: a new one each time)")
    take.add_argument("--variant", type=int, default=1, help="which variant (default 1)")
    history = actions.add_parser(
        "history",
        help="past attempts with their scores",
        description="List past attempts, or with --open ID go back over one: each item with "
        "your answer, the key, whether it was right, and worked solutions.",
    )
    history.add_argument(
        "--open", type=int, metavar="ID", help="print the review of attempt ID (see the ID column)"
    )
    history.add_argument("--json", action="store_true", help="print JSON instead of a table")
    history.add_argument("--limit", type=int, default=50, help="how many (default 50)")
    p.set_defaults(func=run)


def _add_spec(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", metavar="SPEC", help="a .exam.yaml file, or a bundled spec name")
    parser.add_argument(
        "--decks",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="extra deck file or folder to draw from (repeatable); replaces a bundled "
        "deck with the same id",
    )


def run(args: argparse.Namespace) -> int:
    actions = {"build": _run_build, "take": _run_take, "history": _run_history}
    return actions[args.exam_command](args)


def exam_decks(extra: list[Path]) -> list[Deck]:
    """The bundled decks, with any `--decks` files added (or replacing same-id decks)."""
    from flashcards.bundled import bundled_decks
    from flashcards.decks.yaml_deck import load_decks
    from quizzes.registry import check_params, names

    decks = {deck.external_id: deck for deck in bundled_decks()}
    if extra:
        for deck in load_decks(extra, known_generators=names(), check_params=check_params):
            decks[deck.external_id] = deck
    return list(decks.values())


def _check_seed(seed: int) -> None:
    if seed < 0:
        raise UserError(f"--seed must be a whole number of 0 or more, got {seed}")


def _run_build(args: argparse.Namespace) -> int:
    from flashcards.exams.build import MAX_VARIANTS, build_variants
    from flashcards.exams.files import find_spec, write_exams
    from flashcards.exams.spec import load_spec

    seed = _new_seed() if args.seed is None else args.seed
    _check_seed(seed)
    if not 1 <= args.variants <= MAX_VARIANTS:
        raise UserError(f"--variants must be from 1 to {MAX_VARIANTS}, got {args.variants}")
    decks = exam_decks(args.decks)
    spec = load_spec(find_spec(args.spec), decks)
    exams = build_variants(spec, decks, seed, args.variants)
    try:
        written = write_exams(
            exams, args.output, with_json=args.json, formats=args.formats or ("md", "html")
        )
    except OSError as exc:
        raise UserError(f"cannot write into {args.output}: {exc.strerror or exc}") from exc
    for path in written:
        print(path)
    print(
        f"{len(exams)} variant(s) of {spec.title!r}: {spec.item_count} questions, "
        f"{spec.total_points:g} points, {spec.minutes} minutes (seed {seed})"
    )
    if args.seed is None:
        print(f"seed {seed}: rebuild with --seed {seed}")
    return 0


def _new_seed() -> int:
    """A fresh seed for a build without --seed; the files and the output record it."""
    import secrets

    return secrets.randbelow(TAKE_SEED_LIMIT)


def _run_take(args: argparse.Namespace) -> int:
    exam = _exam_to_take(args)
    from flashcards.tui.screens.exam import ExamApp

    with open_for(args) as collection:
        app = ExamApp(collection, exam)
        app.run()
    return app.return_code or 0


def _exam_to_take(args: argparse.Namespace) -> Exam:
    """Draw the exam before the app opens, so a bad spec is an ordinary CLI error."""
    from flashcards.exams.build import MAX_VARIANTS, build_exam
    from flashcards.exams.files import find_spec
    from flashcards.exams.spec import load_spec

    seed = random.randrange(TAKE_SEED_LIMIT) if args.seed is None else args.seed
    _check_seed(seed)
    if not 1 <= args.variant <= MAX_VARIANTS:
        raise UserError(f"--variant must be from 1 to {MAX_VARIANTS}, got {args.variant}")
    decks = exam_decks(args.decks)
    return build_exam(load_spec(find_spec(args.spec), decks), decks, seed, args.variant)


def _run_history(args: argparse.Namespace) -> int:
    from flashcards.exams.history import list_attempts

    if args.open is not None:
        return _open_attempt(args)
    if args.limit < 1:
        raise UserError(f"--limit must be 1 or more, got {args.limit}")
    with open_for(args, bootstrap=False) as collection:
        attempts = list_attempts(collection, limit=args.limit)
    if args.json:
        print_json([attempt.to_dict() for attempt in attempts])
        return 0
    if not attempts:
        print("No exam attempts yet. Sit one with `flashcards exam take critical-points-quiz`.")
        return 0
    rows = [["ID", "Finished", "Exam", "Seed", "Variant", "Score", "Time"]]
    for attempt in attempts:
        finished = attempt.finished.astimezone()
        minutes, seconds = divmod(round(attempt.seconds), 60)
        rows.append(
            [
                str(attempt.id),
                finished.strftime("%Y-%m-%d %H:%M"),
                attempt.title,
                str(attempt.seed),
                str(attempt.variant),
                f"{attempt.earned:g}/{attempt.possible:g} ({attempt.percent:.0f}%)",
                f"{minutes}m {seconds:02d}s",
            ]
        )
    print(table(rows, right_align_from=3))
    print("Go back over one with `flashcards exam history --open ID`.")
    return 0


def _open_attempt(args: argparse.Namespace) -> int:
    """`history --open ID`: the stored attempt item by item, as the app's review shows it."""
    from flashcards.exams.history import load_review
    from flashcards.exams.review import review_text

    with open_for(args, bootstrap=False) as collection:
        review = load_review(collection, args.open)
    if review is None:
        raise UserError(
            f"no exam attempt with ID {args.open}; `flashcards exam history` lists the IDs"
        )
    print(review_text(review), end="")
    return 0
