"""The Browse search language, parsed into terms the storage layer can run.

A query is whitespace-separated terms, all of which must hold:
`deck:NAME` (quotes allow spaces: deck:"Deck 01"), `tag:T`, `is:STATE`,
`kind:KIND` and free words matched in the card text. `*` is a wildcard in deck
and tag names, and a leading `-` negates any term. Parsing is separate from
running so the TUI can show a syntax error before touching the database, and so
the rules are testable without a collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flashcards.errors import UserError
from flashcards.model import CardKind


class Field(StrEnum):
    DECK = "deck"
    TAG = "tag"
    IS = "is"
    KIND = "kind"
    TEXT = "text"


class State(StrEnum):
    DUE = "due"
    NEW = "new"
    SUSPENDED = "suspended"
    BURIED = "buried"
    LEECH = "leech"


KEYS = (Field.DECK, Field.TAG, Field.IS, Field.KIND)
EXAMPLE = 'deck:"Deck 01" tag:hessian is:due kind:compute -is:suspended saddle'


class SearchError(UserError):
    """The query does not parse; the message says where and what would work."""


@dataclass(frozen=True)
class Term:
    """One condition. `value` is a State or CardKind value for `is:`/`kind:`."""

    field: Field
    value: str
    negated: bool = False


@dataclass(frozen=True)
class Query:
    """Terms that must all hold; no terms matches every card."""

    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class _Token:
    text: str
    column: int  # 1-based, for error messages
    quoted_key: bool  # the whole token was quoted, so a colon in it is just text


def parse_query(text: str) -> Query:
    """Parse Browse search text; raises SearchError naming the column at fault."""
    terms = (_term(token) for token in _tokens(text))
    return Query(tuple(term for term in terms if term.value))


def _tokens(text: str) -> list[_Token]:
    """Split on whitespace outside double quotes, removing the quotes."""
    tokens: list[_Token] = []
    current: list[str] = []
    start = 0
    quote_at: int | None = None
    starts_quoted = False
    for index, char in enumerate(text):
        if char == '"':
            if not current and quote_at is None:
                start, starts_quoted = index, True
            quote_at = index if quote_at is None else None
            current.append(char)
        elif char.isspace() and quote_at is None:
            if current:
                tokens.append(_finish(current, start, starts_quoted))
            current, starts_quoted = [], False
        else:
            if not current:
                start = index
            current.append(char)
    if quote_at is not None:
        raise SearchError(
            f"search: the quote at column {quote_at + 1} is never closed; "
            'add the closing " (for example deck:"Deck 01")'
        )
    if current:
        tokens.append(_finish(current, start, starts_quoted))
    return tokens


def _finish(chars: list[str], start: int, starts_quoted: bool) -> _Token:
    raw = "".join(chars)
    quoted_key = starts_quoted or raw.startswith('-"')
    return _Token(raw, start + 1, quoted_key)


def _term(token: _Token) -> Term:
    text = token.text
    negated = text.startswith("-") and len(text) > 1
    body = text[1:] if negated else text
    if token.quoted_key or ":" not in body:
        return Term(Field.TEXT, body.replace('"', ""), negated)
    key, _, value = body.partition(":")
    value = value.replace('"', "")
    field = _field(key, token.column)
    if not value:
        raise SearchError(
            f"search: {key}: at column {token.column} needs a value, like {_example(field)}"
        )
    if field is Field.IS:
        value = _choice(value, [state.value for state in State], "is", token.column)
    elif field is Field.KIND:
        value = _choice(value, [kind.value for kind in CardKind], "kind", token.column)
    return Term(field, value, negated)


def _field(key: str, column: int) -> Field:
    lowered = key.lower()
    for field in KEYS:
        if field.value == lowered:
            return field
    valid = ", ".join(f"{field.value}:" for field in KEYS)
    raise SearchError(
        f'search: unknown key "{key}:" at column {column}; valid keys are {valid} '
        f'(to search for the text itself, put it in quotes: "{key}:...")'
    )


def _choice(value: str, allowed: list[str], key: str, column: int) -> str:
    lowered = value.lower()
    if lowered in allowed:
        return lowered
    options = ", ".join(f"{key}:{option}" for option in allowed)
    raise SearchError(
        f"search: {key}:{value} at column {column} is not known; use one of {options}"
    )


def _example(field: Field) -> str:
    return {
        Field.DECK: 'deck:"Deck 01"',
        Field.TAG: "tag:hessian",
        Field.IS: "is:due",
        Field.KIND: "kind:compute",
    }.get(field, "word")
