"""`flashcards import / export / backup` as a user runs them, end to end."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from flashcards import clock
from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.storage.collection import Collection

from support import review_count, table_dump

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "anki"

DECK = """\
id: mine
name: My deck
cards:
  - id: mine.one
    front: What is a saddle point?
    back: A critical point that is neither a minimum nor a maximum.
  - id: mine.two
    kind: choice
    question: Which matrix decides the kind of a critical point?
    answer: The Hessian
    distractors: [The Jacobian, The gradient, The covariance]
  - id: mine.three
    kind: cloze
    text: "Newton step: x ← x − {{c1::H⁻¹}} ∇f(x)"
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite3"
    assert main(["--db", str(path), "decks"]) == 0  # first run: bundled decks
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_edit_and_reimport_keeps_reviews(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write(tmp_path, "mine.yaml", DECK)
    assert main(["--db", str(db), "import", str(deck)]) == 0
    assert "My deck (new deck): 3 added" in capsys.readouterr().out
    with Collection(db) as collection:
        card = collection.queue(clock.now(), [collection.deck_id("My deck")])[0]
        answer_card(collection, card.id, 5, clock.now())
    write(tmp_path, "mine.yaml", DECK.replace("neither a minimum", "not a minimum and not"))
    assert main(["--db", str(db), "import", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "1 updated" in out and "backup of the collection before this import" in out
    with Collection(db) as collection:
        stored = collection.card(card.id)
        assert "not a minimum and not" in stored.card.back
        assert not stored.state.is_new and review_count(collection) == 1


def test_a_bad_file_exits_2_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, "good.yaml", DECK)
    bad = write(tmp_path, "bad.yaml", "id: bad\nname: Bad\ncards:\n  - {id: x, front: F}\n")
    before = table_dump(db)
    assert main(["--db", str(db), "import", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4:5" in err and "back" in err and "nothing was imported" in err
    assert table_dump(db) == before


def test_dry_run_reports_and_touches_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = write(tmp_path, "t.tsv", "front\tback\nq1\ta1\nq2\ta2\n")
    before = table_dump(db)
    assert main(["--db", str(db), "import", str(table), "--deck", "Tabbed", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Tabbed (new deck): 2 added" in out and "dry run" in out
    assert table_dump(db) == before


def test_yaml_export_imports_back_to_the_same_cards(db: Path, tmp_path: Path) -> None:
    deck = write(tmp_path, "mine.yaml", DECK)
    main(["--db", str(db), "import", str(deck)])
    exported = tmp_path / "out.yaml"
    assert (
        main(["--db", str(db), "export", "My deck", "--format", "yaml", "-o", str(exported)]) == 0
    )
    other = tmp_path / "other.sqlite3"
    main(["--db", str(other), "import", str(exported)])
    with Collection(db) as first, Collection(other) as second:
        assert _cards(first, "My deck") == _cards(second, "My deck")


def test_csv_export_imports_back_including_formula_like_text(db: Path, tmp_path: Path) -> None:
    table = write(tmp_path, "t.csv", 'front,back\n"=1+1, really?","-2, or ""@x"""\n')
    main(["--db", str(db), "import", str(table), "--deck", "Tricky"])
    exported = tmp_path / "out.csv"
    main(["--db", str(db), "export", "Tricky", "--format", "csv", "-o", str(exported)])
    assert "'=1+1" in exported.read_text(encoding="utf-8-sig")
    other = tmp_path / "other.sqlite3"
    main(["--db", str(other), "import", str(exported), "--deck", "Tricky"])
    with Collection(db) as first, Collection(other) as second:
        assert _cards(first, "Tricky") == _cards(second, "Tricky")
        assert _cards(first, "Tricky")[0][1] == "=1+1, really?"


def test_review_log_export_has_every_review(db: Path, tmp_path: Path) -> None:
    with Collection(db) as collection:
        for card in collection.queue(clock.now(), limit=3):
            answer_card(collection, card.id, 4, clock.now(), duration_ms=1500)
    out = tmp_path / "reviews.csv"
    assert main(["--db", str(db), "export", "--reviews", "-o", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3
    assert {row["grade"] for row in rows} == {"4"}
    assert {row["duration_ms"] for row in rows} == {"1500"}
    assert all(row["card"] and row["reviewed_at"] and row["due_after"] for row in rows)


def test_anki_package_import_with_schedule(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = FIXTURES / "current.apkg"
    assert main(["--db", str(db), "import", str(package), "--keep-schedule"]) == 0
    out = capsys.readouterr().out
    assert "added" in out and "media files skipped" in out
    with Collection(db) as collection:
        names = [deck.name for deck in collection.deck_counts(clock.now())]
        assert any(name.startswith("ML Optimization") for name in names)
        reviewed = [c for c in collection.cram_queue() if c.external_id.startswith("anki-")]
        assert any(not card.state.is_new for card in reviewed)


def test_backup_list_and_restore(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "backup", "create"]) == 0
    deck = write(tmp_path, "mine.yaml", DECK)
    main(["--db", str(db), "import", str(deck)])
    capsys.readouterr()
    assert main(["--db", str(db), "backup", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and "before-import" in listed[0]
    oldest = listed[-1].split()[0]
    assert main(["--db", str(db), "backup", "restore", oldest]) == 0
    with Collection(db) as collection:
        assert "My deck" not in [d.name for d in collection.deck_counts(clock.now())]


def test_unknown_file_type_is_a_user_error(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weird = write(tmp_path, "deck.docx", "x")
    assert main(["--db", str(db), "import", str(weird)]) == 1
    assert "unknown file type .docx" in capsys.readouterr().err


def _cards(collection: Collection, deck: str) -> list[tuple[str, str, str, str]]:
    cards = collection.cram_queue([collection.deck_id(deck)])
    return sorted((c.external_id, c.card.front, c.card.back, c.card.kind.value) for c in cards)


def test_a_table_adds_to_a_deck_without_suspending_its_other_cards(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.csv", "front,back\nq1,a1\nq2,a2\n")
    second = write(tmp_path, "b.csv", "front,back\nq3,a3\n")
    main(["--db", str(db), "import", str(first), "--deck", "Batch"])
    assert main(["--db", str(db), "import", str(second), "--deck", "Batch"]) == 0
    assert "suspended" not in capsys.readouterr().out
    with Collection(db) as collection:
        counts = next(d for d in collection.deck_counts(clock.now()) if d.name == "Batch")
        assert (counts.total, counts.suspended) == (3, 0)
    assert main(["--db", str(db), "import", str(second), "--deck", "Batch", "--prune"]) == 0
    assert "2 cards were removed" in capsys.readouterr().out
    with Collection(db) as collection:
        assert _cards(collection, "Batch") == [(_id("q3"), "q3", "a3", "basic")]


def _id(front: str) -> str:
    from flashcards.decks.delimited import derived_id

    return derived_id(front)
