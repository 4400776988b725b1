"""The identities our Anki packages carry, shared by the writer and the reader.

Anki matches an imported note to one it has by the note's GUID, a deck by its id
and a note type by its id. So every one of them is derived from our own ids, never
drawn at random: exporting a deck twice gives the same GUIDs and ids, and Anki
updates the notes it imported the first time instead of adding copies.

The GUID spells out our deck id and card id (`flashcards:DECK:CARD`) rather than
hashing them, so that `flashcards import FILE.apkg` (ours, or Anki's re-export of
the notes it imported from ours) maps each note back to the card it came from.
Anki's own GUIDs are ten base-91 characters, so the 11-character prefix cannot
occur in one by chance.
"""

from __future__ import annotations

import hashlib
import re

GUID_PREFIX = "flashcards:"
_ID = r"[\w.-]+"
_GUID = re.compile(rf"{re.escape(GUID_PREFIX)}(?P<deck>{_ID}):(?P<card>{_ID}(?:#rev)?)")

# Anki's ids are positive signed 64-bit integers; genanki's advice is a random
# number in [2**30, 2**31), which keeps them clear of Anki's own small ids (1 is
# the Default deck) and of its millisecond-timestamp ids.
_LOW, _SPAN = 1 << 30, 1 << 30


def stable_id(name: str) -> int:
    """A deterministic Anki id in [2**30, 2**31) for the given name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return _LOW + int.from_bytes(digest[:8], "big") % _SPAN


BASIC_MODEL_ID = stable_id("flashcards model: basic v1")
CLOZE_MODEL_ID = stable_id("flashcards model: cloze v1")


def anki_deck_id(deck_external_id: str) -> int:
    return stable_id(f"flashcards deck: {deck_external_id}")


def note_guid(deck_external_id: str, note_id: str) -> str:
    """The GUID of the note for our card `note_id` (a cloze note: the id before `#c`)."""
    return f"{GUID_PREFIX}{deck_external_id}:{note_id}"


def guid_origin(guid: str) -> tuple[str, str] | None:
    """(deck id, card id) for a GUID that `note_guid` wrote, else None."""
    match = _GUID.fullmatch(guid)
    return (match["deck"], match["card"]) if match else None
