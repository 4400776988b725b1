"""The deck list read with sqlite3 alone matches the collection's, or steps aside."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flashcards.answering import answer_card
from flashcards.cli import main
from flashcards.storage import deck_list, tables
from flashcards.storage.collection import Collection
from flashcards.storage.importing import import_decks

from support import FakeClock, bury, make_deck


def stocked(collection: Collection, clock: FakeClock) -> None:
    import_decks(collection, [make_deck("Deck A", 6), make_deck("Deck B", 3, prefix="b")], clock())
    collection.set_meta(tables.BUNDLED_MARK, "1")
    cards = collection.queue(clock(), None, 9)  # new cards, decks interleaved: a0 b0 a1 b1 ...
    answer_card(collection, cards[0].id, 1, clock())  # re-drill today
    answer_card(collection, cards[1].id, 5, clock())
    collection.set_suspended([cards[2].id], True)
    bury(collection, cards[3].id, clock())


def test_the_quick_read_gives_the_collections_counts(
    collection: Collection, clock: FakeClock
) -> None:
    stocked(collection, clock)
    quick = deck_list.read_deck_counts(collection.path, clock())
    assert quick is not None
    assert quick == collection.deck_counts(clock())
    assert [(d.name, d.new, d.redrill, d.suspended) for d in quick] == [
        ("Deck A", 4, 1, 1),  # 6 less the re-drilled and the suspended card
        ("Deck B", 1, 0, 0),  # 3 less the answered and the buried card
    ]


def test_it_steps_aside_for_a_new_or_unfinished_collection(
    tmp_path: Path, collection: Collection, clock: FakeClock
) -> None:
    assert deck_list.read_deck_counts(tmp_path / "none.sqlite3", clock()) is None
    import_decks(collection, [make_deck()], clock())  # no bundled decks yet: full open
    assert deck_list.read_deck_counts(collection.path, clock()) is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    assert deck_list.read_deck_counts(junk, clock()) is None


def test_its_names_are_the_schemas() -> None:
    for name in deck_list.TABLES:
        assert name in tables.metadata.tables
    assert tables.SCHEMA_VERSION == deck_list.SCHEMA_VERSION


def test_flashcards_decks_on_a_ready_collection_never_imports_sqlalchemy(
    collection: Collection, clock: FakeClock
) -> None:
    stocked(collection, clock)
    code = (
        "import sys\n"
        "from flashcards.cli import main\n"
        f"code = main(['--db', {str(collection.path)!r}, 'decks'])\n"
        "print('LOADED', any(m.startswith('sqlalchemy') for m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Deck A" in done.stdout
    assert done.stdout.strip().endswith("LOADED False")


def test_the_full_open_still_serves_a_new_collection(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite3"
    assert main(["--db", str(fresh), "decks"]) == 0  # creates it and loads the bundled decks
    assert deck_list.read_deck_counts(fresh, FakeClock()()) is not None


def test_deck_totals_follow_every_import_add_and_prune(
    collection: Collection, clock: FakeClock
) -> None:
    """Totals come from a stored count: adding and pruning cards must keep it exact."""

    def totals() -> dict[str, int]:
        return {d.name: d.total for d in collection.deck_counts(clock())}

    import_decks(collection, [make_deck("Deck A", 6), make_deck("Deck B", 3, prefix="b")], clock())
    assert totals() == {"Deck A": 6, "Deck B": 3}
    import_decks(collection, [make_deck("Deck A", 9)], clock())  # three added
    assert totals() == {"Deck A": 9, "Deck B": 3}
    import_decks(collection, [make_deck("Deck A", 4)], clock(), prune=True)  # five pruned
    assert totals() == {"Deck A": 4, "Deck B": 3}
    assert collection.check() == []


def test_a_wrong_stored_count_is_reported_by_the_check(
    collection: Collection, clock: FakeClock
) -> None:
    import_decks(collection, [make_deck("Deck A", 2)], clock())
    with collection.transaction() as conn:
        conn.exec_driver_sql("UPDATE decks SET card_count = 7")
    assert collection.check() == ["deck 'Deck A' records 7 cards but holds 2"]
