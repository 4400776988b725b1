"""Import the notes of an Anki package (.apkg deck export or .colpkg collection export).

A package is a zip holding a SQLite collection under one of three names, newest
format first: `collection.anki21b` (zstd-compressed; note types in their own
tables with protobuf config blobs), `collection.anki21` and `collection.anki2`
(note types as JSON in `col.models`). Current Anki adds a stub `collection.anki2`
beside the real one for old clients, so only the newest name present is read.

Packages come from strangers, so nothing is extracted by member name: the one
collection member is streamed into a temp file we name, under caps on declared
and actually decompressed bytes, and opened read-only.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO

from flashcards.decks._protobuf import proto_fields
from flashcards.decks.anki_collection import (
    DB_ERRORS,
    AnkiImport,
    AnkiSchedule,
    read_collection,
)
from flashcards.decks.anki_revlog import AnkiReview
from flashcards.decks.errors import DeckValidationError, Problem

__all__ = [
    "COLLECTION_NAMES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_FLOOR",
    "AnkiImport",
    "AnkiReview",
    "AnkiSchedule",
    "load_anki_package",
]

MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR = 4 * 1024 * 1024
COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
_PACKAGE_FILES = frozenset({*COLLECTION_NAMES, "media", "meta"})
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 20
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error)


def load_anki_package(path: Path, keep_schedule: bool = False) -> AnkiImport:
    """Read every note of the package; nothing is written anywhere but a temp dir."""
    with tempfile.TemporaryDirectory(prefix="flashcards-anki-") as tmp:
        db_path = Path(tmp) / "collection.sqlite"
        shipped_media = _extract_collection(path, db_path)
        try:
            builder = read_collection(db_path, keep_schedule)
        except DB_ERRORS as exc:
            raise _refuse(
                path,
                f"the collection inside is damaged or not an Anki collection ({exc})",
                "export the deck again from Anki (File > Export, 'Anki Deck Package')",
            ) from exc
    result = builder.result(shipped_media)
    if builder.problems:
        raise DeckValidationError(
            Problem(str(path), None, None, message, hint) for message, hint in builder.problems
        )
    return result


# --- the zip -------------------------------------------------------------------------


def _refuse(path: Path, message: str, hint: str) -> DeckValidationError:
    return DeckValidationError([Problem(str(path), None, None, message, hint)])


def _extract_collection(path: Path, target: Path) -> frozenset[str]:
    """Copy the newest collection member to `target`; return the shipped media names."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise _refuse(path, "file not found", "check the path and try again") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(
            path,
            "is not an Anki package: it is not a zip archive",
            "pick the .apkg or .colpkg file that Anki's File > Export wrote",
        ) from exc
    with archive:
        infos = archive.infolist()
        _check_names(path, infos)
        member = _newest_collection(path, infos)
        if _over_cap(member.file_size, member.compress_size):
            raise _bomb(path, member.filename)
        try:
            with archive.open(member) as source, target.open("wb") as sink:
                if member.filename == "collection.anki21b":
                    _unzstd(path, source, sink, member.compress_size)
                else:
                    _copy_capped(path, source, sink, member.compress_size)
            return _shipped_media(archive, infos)
        except _ZIP_ERRORS as exc:
            raise _refuse(
                path, f"{member.filename} is corrupt ({exc})", "export the deck again from Anki"
            ) from exc


def _check_names(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"[A-Za-z]:", name):
            raise _refuse(
                path,
                f"refusing a package with the unsafe member name {name!r}"
                " (it points outside the package)",
                "only import packages that Anki exported; this one was altered",
            )


def _newest_collection(path: Path, infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    by_name = {info.filename: info for info in infos}
    for name in COLLECTION_NAMES:
        if name in by_name:
            return by_name[name]
    raise _refuse(
        path,
        "holds no Anki collection (no collection.anki21b, collection.anki21 or collection.anki2)",
        "export again from Anki with File > Export as an .apkg or .colpkg",
    )


def _over_cap(size: int, packed: int) -> bool:
    """Past the total cap, or a ratio no real collection reaches (small files are exempt)."""
    return size > MAX_TOTAL_BYTES or (size > RATIO_FLOOR and size > packed * MAX_RATIO)


def _bomb(path: Path, name: str) -> DeckValidationError:
    return _refuse(
        path,
        f"refusing {name}: it would expand past the safety limit"
        f" ({MAX_TOTAL_BYTES // 2**20} MB, or more than {MAX_RATIO}x its packed size)",
        "this looks like a zip bomb; if it is a genuine huge collection, split it into decks",
    )


def _copy_capped(path: Path, source: IO[bytes], sink: IO[bytes], packed: int) -> None:
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if _over_cap(written, packed):
            raise _bomb(path, "the collection")
        sink.write(chunk)


def _unzstd(path: Path, source: IO[bytes], sink: IO[bytes], packed: int) -> None:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
        _copy_capped(path, reader, sink, packed)
    except zstandard.ZstdError as exc:
        raise _refuse(
            path,
            f"collection.anki21b is not valid zstd data ({exc})",
            "export the deck again from Anki",
        ) from exc


def _shipped_media(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> frozenset[str]:
    """Media file names from the package's media map, or the member names without one."""
    members = frozenset(i.filename for i in infos if i.filename not in _PACKAGE_FILES)
    if not members or "media" not in archive.namelist():
        return members
    with archive.open("media") as handle:
        raw = handle.read(RATIO_FLOOR)
    try:
        if raw.startswith(_ZSTD_MAGIC):
            return _media_entries(raw) or members
        names = json.loads(raw)
        return frozenset(str(v) for v in names.values()) if isinstance(names, dict) else members
    except (ValueError, UnicodeDecodeError):
        return members


def _media_entries(raw: bytes) -> frozenset[str]:
    import zstandard

    try:
        blob = zstandard.ZstdDecompressor().decompress(raw, max_output_size=RATIO_FLOOR)
    except zstandard.ZstdError:
        return frozenset()
    entries = proto_fields(blob).get(1, [])
    return frozenset(
        name.decode("utf-8", "replace")
        for entry in entries
        if isinstance(entry, bytes)
        for name in proto_fields(entry).get(1, [])
        if isinstance(name, bytes)
    )
