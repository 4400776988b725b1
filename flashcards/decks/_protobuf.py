"""A minimal protobuf reader for the few blobs Anki stores that way.

Both the zip's media map (`anki_package`) and the newer collection schema's note-type
config (`anki_collection`) are protobuf; neither needs more than top-level fields, so a
few lines here spare a generated-code dependency and keep the two modules independent.
"""

from __future__ import annotations


def proto_fields(blob: bytes) -> dict[int, list[int | bytes]]:
    """Top-level fields of a protobuf message; enough to read Anki's config blobs."""
    fields: dict[int, list[int | bytes]] = {}
    pos = 0
    while pos < len(blob):
        key, pos = _varint(blob, pos)
        wire = key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(blob, pos)
        elif wire in (1, 2, 5):
            size, pos = (8, pos) if wire == 1 else (4, pos) if wire == 5 else _varint(blob, pos)
            value, pos = blob[pos : pos + size], pos + size
            if pos > len(blob):
                raise ValueError("truncated protobuf field")
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        fields.setdefault(key >> 3, []).append(value)
    return fields


def _varint(blob: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while pos < len(blob) and shift < 64:
        byte = blob[pos]
        result |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if byte < 0x80:
            return result, pos
    raise ValueError("truncated protobuf varint")
