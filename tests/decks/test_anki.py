"""Importing Anki packages: real exports from the `anki` library, and hostile zips.

The fixtures in tests/fixtures/anki were written by Anki itself (see
make_fixtures.py); `expected.json` records the note guids and Anki's own view
of each card's schedule, which the keep_schedule tests compare against.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import sqlite3
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
import zstandard
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from flashcards.decks import anki_package
from flashcards.decks.anki_package import AnkiImport, load_anki_package
from flashcards.decks.errors import DeckValidationError
from flashcards.decks.html_text import html_to_text
from flashcards.model import Card, CardKind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anki"
PACKAGES = ("current.apkg", "legacy.apkg", "anki2-only.apkg", "collection.colpkg")
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
PARENT, CHILD = "ML Optimization", "ML Optimization::Adaptive Methods"


def card_id(note: str, suffix: str = "") -> str:
    """Ids are "anki-" + the first 16 hex digits of the SHA-1 of the note's guid."""
    digest = hashlib.sha1(EXPECTED["guids"][note].encode("utf-8")).hexdigest()[:16]
    return f"anki-{digest}{suffix}"


def test_card_ids_use_only_characters_a_deck_file_accepts() -> None:
    result = load_anki_package(FIXTURES / "current.apkg")
    ids = [card.external_id.split("#")[0] for deck in result.decks for card in deck.cards]
    assert ids and all(re.fullmatch(r"[A-Za-z0-9._-]+", card_id) for card_id in ids)


def cards_of(result: AnkiImport) -> dict[str, Card]:
    return {card.external_id: card for deck in result.decks for card in deck.cards}


def deck_of(result: AnkiImport, external_id: str) -> str:
    return next(d.name for d in result.decks for c in d.cards if c.external_id == external_id)


@pytest.fixture(scope="module", params=PACKAGES)
def imported(request: pytest.FixtureRequest) -> AnkiImport:
    return load_anki_package(FIXTURES / request.param)


# --- what a user gets from each format ------------------------------------------------


def test_decks_keep_anki_names_and_get_slugged_ids(imported: AnkiImport) -> None:
    assert [(d.name, d.external_id) for d in imported.decks] == [
        (PARENT, "anki.ml-optimization"),
        (CHILD, "anki.ml-optimization.adaptive-methods"),
    ]


def test_every_note_with_something_to_ask_becomes_cards(imported: AnkiImport) -> None:
    cards = cards_of(imported)
    per_deck = {d.name: len(d.cards) for d in imported.decks}
    assert per_deck == {PARENT: 5, CHILD: 8}
    assert len(cards) == 13
    assert card_id("basic_image_only") not in cards
    assert imported.notes_skipped == 1


def test_basic_note_html_becomes_readable_text(imported: AnkiImport) -> None:
    card = cards_of(imported)[card_id("basic_lr")]
    assert card.kind is CardKind.BASIC
    assert card.front == "What does the learning rate control in gradient descent?"
    assert card.back == "The step size:\nhow far each update moves the weights downhill."
    assert deck_of(imported, card.external_id) == PARENT


def test_html_lists_become_dash_lines(imported: AnkiImport) -> None:
    card = cards_of(imported)[card_id("basic_momentum")]
    assert card.front == "Why does momentum help in a narrow ravine?"
    assert card.back.splitlines() == [
        "It averages recent gradients, so",
        "- zig-zag components cancel out",
        "- the steady direction builds up speed",
    ]


@pytest.mark.parametrize("note", ["reversed_adam", "reversed_rmsprop", "optional_reverse_adagrad"])
def test_reversed_notes_add_a_swapped_card(imported: AnkiImport, note: str) -> None:
    cards = cards_of(imported)
    forward, reverse = cards[card_id(note)], cards[card_id(note, "#rev")]
    assert (reverse.front, reverse.back) == (forward.back, forward.front)
    assert reverse.kind is CardKind.BASIC
    assert deck_of(imported, reverse.external_id) == CHILD


def test_entities_are_unescaped_and_images_removed(imported: AnkiImport) -> None:
    cards = cards_of(imported)
    adam = cards[card_id("reversed_adam")]
    assert adam.back == "Per-weight steps from running means of the gradient & its square"
    rmsprop = cards[card_id("reversed_rmsprop")]
    assert rmsprop.back == "Scales each step by a running RMS of recent gradients"


def test_cloze_note_gives_one_card_per_deletion(imported: AnkiImport) -> None:
    cards = cards_of(imported)
    first, second = cards[card_id("cloze_sgd", "#c1")], cards[card_id("cloze_sgd", "#c2")]
    assert first.front == second.front
    assert first.front == (
        "SGD estimates the gradient from {{c1::a mini-batch}} instead of "
        "{{c2::the whole training set}}, so each step is {{c1::noisy}} but cheap."
    )
    assert (first.kind, first.cloze, first.back) == (CardKind.CLOZE, 1, "a mini-batch ... noisy")
    assert (second.cloze, second.back) == (2, "the whole training set")
    assert first.extra == "The noise can help leave sharp minima."
    assert card_id("cloze_sgd", "#c3") not in cards


def test_cloze_hint_stays_in_front_but_not_in_answer(imported: AnkiImport) -> None:
    card = cards_of(imported)[card_id("cloze_adam_betas", "#c2")]
    assert "{{c2::0.999::close to one}}" in card.front
    assert "\u03b21" in card.front
    assert card.back == "0.999"
    assert deck_of(imported, card.external_id) == CHILD


def test_tags_come_from_the_note(imported: AnkiImport) -> None:
    cards = cards_of(imported)
    assert set(cards[card_id("basic_lr")].tags) == {"gradient-descent", "basics"}
    assert set(cards[card_id("reversed_adam", "#rev")].tags) == {"adam", "ml::optimizers"}
    assert cards[card_id("optional_reverse_adagrad")].tags == ()


def test_other_note_types_use_their_first_two_fields(imported: AnkiImport) -> None:
    card = cards_of(imported)[card_id("glossary_nesterov")]
    assert (card.front, card.back) == (
        "Nesterov momentum",
        "Takes the gradient at the look-ahead point",
    )
    assert card.extra == "Where seen: lecture 4"
    assert any("Optimizer glossary" in w and "first two fields" in w for w in imported.warnings)


def test_media_is_counted_and_reported(imported: AnkiImport) -> None:
    assert imported.media_skipped == len(EXPECTED["media_files"]) == 3


def test_skipped_notes_are_explained(imported: AnkiImport) -> None:
    assert "1 note(s) skipped: nothing was left to ask" in "\n".join(imported.warnings)


def test_schedules_are_empty_unless_asked(imported: AnkiImport) -> None:
    assert dict(imported.schedules) == {}


def test_card_ids_are_the_same_in_every_format() -> None:
    ids = [set(cards_of(load_anki_package(FIXTURES / name))) for name in PACKAGES]
    assert all(each == ids[0] for each in ids)


def test_newest_collection_wins_over_the_update_stub() -> None:
    with zipfile.ZipFile(FIXTURES / "current.apkg") as archive:
        assert {"collection.anki2", "collection.anki21b"} <= set(archive.namelist())
    cards = cards_of(load_anki_package(FIXTURES / "current.apkg"))
    assert not any("update" in card.front.lower() for card in cards.values())


# --- keep_schedule ---------------------------------------------------------------------

# (note, Anki template ord) -> our id suffix, for the cards make_fixtures.py reviewed:
# a review card in a filtered deck, a lapsed-and-relearned one, one answered Hard,
# and one still relearning (its due is an intraday timestamp).
REVIEWED = {
    ("basic_lr", 0): "",
    ("reversed_adam", 0): "",
    ("cloze_sgd", 1): "#c2",
    ("reversed_rmsprop", 1): "#rev",
}


@pytest.mark.parametrize("package", PACKAGES)
def test_keep_schedule_mirrors_anki_review_state(package: str) -> None:
    result = load_anki_package(FIXTURES / package, keep_schedule=True)
    expected = {}
    for (note, ord_), suffix in REVIEWED.items():
        facts = EXPECTED["cards"][EXPECTED["guids"][note]][str(ord_)]
        assert facts["type"] in (2, 3), "the fixture should hold a reviewed card here"
        key = (ids_by_name(result)[deck_of(result, card_id(note, suffix))], card_id(note, suffix))
        expected[key] = anki_package.AnkiSchedule(
            repetitions=facts["reps"],
            easiness_centi=facts["factor"] // 10,
            interval_days=facts["ivl"],
            lapses=facts["lapses"],
            due_date=dt.date.fromisoformat(facts["due_date"]),
        )
    assert dict(result.schedules) == expected


def test_learning_and_new_cards_stay_new() -> None:
    learning = EXPECTED["cards"][EXPECTED["guids"]["basic_momentum"]]["0"]
    assert learning["type"] == 1 and learning["reps"] == 1
    result = load_anki_package(FIXTURES / "current.apkg", keep_schedule=True)
    scheduled = {card for _, card in result.schedules}
    assert card_id("basic_momentum") not in scheduled
    assert card_id("cloze_sgd", "#c1") not in scheduled


def test_filtered_deck_cards_return_to_their_home_deck() -> None:
    assert EXPECTED["cards"][EXPECTED["guids"]["basic_lr"]]["0"]["in_filtered_deck"]
    result = load_anki_package(FIXTURES / "collection.colpkg", keep_schedule=True)
    assert deck_of(result, card_id("basic_lr")) == PARENT
    assert "Cram" not in ids_by_name(result)
    assert ("anki.ml-optimization", card_id("basic_lr")) in result.schedules


def test_low_ease_is_clamped_to_sm2_minimum(tmp_path: Path) -> None:
    package = rewrite_collection(tmp_path, "UPDATE cards SET factor = 1100 WHERE factor > 0")
    result = load_anki_package(package, keep_schedule=True)
    assert {s.easiness_centi for s in result.schedules.values()} == {130}


def test_clashing_deck_slugs_get_distinct_ids(tmp_path: Path) -> None:
    package = rewrite_collection(
        tmp_path, f"UPDATE decks SET name = 'ML optimization!' WHERE name LIKE '{PARENT}_%'"
    )
    result = load_anki_package(package)
    assert [(d.name, d.external_id) for d in result.decks] == [
        (PARENT, "anki.ml-optimization"),
        ("ML optimization!", "anki.ml-optimization-2"),
    ]


def ids_by_name(result: AnkiImport) -> dict[str, str]:
    return {deck.name: deck.external_id for deck in result.decks}


def rewrite_collection(tmp_path: Path, sql: str, *params: object) -> Path:
    """A copy of current.apkg whose collection had `sql` applied, re-packed like Anki does."""
    db = tmp_path / "collection.db"
    with zipfile.ZipFile(FIXTURES / "current.apkg") as src:
        db.write_bytes(
            zstandard.ZstdDecompressor().stream_reader(src.read("collection.anki21b")).read()
        )
        members = {name: src.read(name) for name in src.namelist()}
    conn = sqlite3.connect(db)
    conn.create_collation("unicase", lambda a, b: (a.lower() > b.lower()) - (a.lower() < b.lower()))
    with conn:
        conn.execute(sql, params)
    conn.close()
    members["collection.anki21b"] = zstandard.ZstdCompressor().compress(db.read_bytes())
    target = tmp_path / "rewritten.apkg"
    with zipfile.ZipFile(target, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return target


# --- hostile packages -----------------------------------------------------------------


def refusal(path: Path) -> str:
    with pytest.raises(DeckValidationError) as caught:
        load_anki_package(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def zip_with(tmp_path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    path = tmp_path / "hostile.apkg"
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def legacy_collection() -> bytes:
    with zipfile.ZipFile(FIXTURES / "legacy.apkg") as archive:
        return archive.read("collection.anki21")


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.apkg"
    path.write_text("front,back\n", encoding="utf-8")
    assert "not a zip archive" in refusal(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "file not found" in refusal(tmp_path / "absent.apkg")


def test_a_package_without_collection_is_refused(tmp_path: Path) -> None:
    message = refusal(zip_with(tmp_path, {"media": b"{}", "0": b"png"}))
    assert "holds no Anki collection" in message
    assert "File > Export" in message


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/cron.d/evil", "media/../../evil", "C:evil"])
def test_path_traversal_names_are_refused(tmp_path: Path, name: str) -> None:
    package = zip_with(tmp_path, {"collection.anki21": legacy_collection(), name: b"x"})
    assert "unsafe member name" in refusal(package)
    assert not (tmp_path.parent / "evil.txt").exists()


def test_declared_size_over_the_cap_is_refused(tmp_path: Path) -> None:
    package = zip_with(tmp_path, {"collection.anki21": b"\0" * 1024}, zipfile.ZIP_STORED)
    lie = struct.pack("<I", anki_package.MAX_TOTAL_BYTES + 1)
    raw = bytearray(package.read_bytes())
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    raw[local + 22 : local + 26] = lie
    raw[central + 24 : central + 28] = lie
    package.write_bytes(bytes(raw))
    assert "zip bomb" in refusal(package)


def test_a_deflate_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    package = zip_with(tmp_path, {"collection.anki21": b"\0" * (32 * 2**20)})
    assert "zip bomb" in refusal(package)


def test_a_zstd_bomb_is_stopped_while_decompressing(tmp_path: Path) -> None:
    bomb = zstandard.ZstdCompressor(level=19).compress(b"\0" * (64 * 2**20))
    package = zip_with(tmp_path, {"collection.anki21b": bomb}, zipfile.ZIP_STORED)
    assert "zip bomb" in refusal(package)


def test_decompressed_bytes_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_TOTAL_BYTES", 64 * 1024)
    assert "safety limit" in refusal(FIXTURES / "current.apkg")


@pytest.mark.parametrize(
    ("member", "data"),
    [
        ("collection.anki21", b"not sqlite at all" * 100),
        ("collection.anki21b", b"\x28\xb5\x2f\xfd garbage"),
        ("collection.anki2", b""),
    ],
)
def test_a_damaged_collection_is_refused(tmp_path: Path, member: str, data: bytes) -> None:
    message = refusal(zip_with(tmp_path, {member: data}))
    assert "export" in message.lower()


def test_an_empty_sqlite_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    package = zip_with(tmp_path, {"collection.anki21": db.read_bytes()})
    assert "not an Anki collection" in refusal(package)


def test_corrupt_compressed_data_is_refused(tmp_path: Path) -> None:
    package = zip_with(tmp_path, {"collection.anki21": legacy_collection()})
    raw = bytearray(package.read_bytes())
    start = raw.find(b"collection.anki21") + len("collection.anki21")
    raw[start + 100 : start + 400] = bytes(300)
    package.write_bytes(bytes(raw))
    assert "is corrupt" in refusal(package)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=64))
def test_garbage_note_type_config_never_crashes(tmp_path: Path, blob: bytes) -> None:
    package = rewrite_collection(tmp_path, "UPDATE notetypes SET config = ?", blob)
    try:
        result = load_anki_package(package)
    except DeckValidationError as exc:
        assert "damaged or not an Anki collection" in str(exc)
    else:
        assert sum(len(deck.cards) for deck in result.decks) > 0


# --- HTML to text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "media"),
    [
        ("a<br>b<br/>c", "a\nb\nc", ()),
        ("<div>one</div><div>two</div><p>three</p>", "one\ntwo\nthree", ()),
        ("<ol><li>x</li><li>y</li></ol>", "- x\n- y", ()),
        ("a &lt; b &amp;&nbsp;c", "a < b & c", ()),
        ('see <img src="plot.png"> [sound:hum.mp3]', "see", ("plot.png", "hum.mp3")),
        ("<style>.c{}</style><b>bold</b>  and\n spaced", "bold and spaced", ()),
        ("<table><tr><td>lr</td><td>0.1</td></tr></table>", "lr | 0.1", ()),
    ],
)
def test_html_to_text(html: str, text: str, media: tuple[str, ...]) -> None:
    plain = html_to_text(html)
    assert (plain.text, plain.media) == (text, media)


_PLAIN = st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))


@given(st.text(alphabet=_PLAIN | st.sampled_from(" \t\n")))
def test_escaped_plain_text_comes_back_unchanged(text: str) -> None:
    assume("[sound:" not in text)
    plain = html_to_text(html.escape(text))
    assert plain.text == " ".join(text.split())
    assert plain.media == ()
