"""Edit one card in a modal and hand the new content back to the caller.

The modal never writes: it returns a validated `Card` (or None) through
`dismiss`, and the Browse or Review screen saves it with
`Collection.update_card`, which keeps the schedule and history. Only the
fields that mean something for the card's kind are offered, and the kind
itself is fixed, since a card's schedule belongs to what it asks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from flashcards.cardtext import CLOZE_PATTERN
from flashcards.model import Card, CardKind, Difficulty, StoredCard
from flashcards.tui.safe import safe
from quizzes.problem import TemplateParamError
from quizzes.registry import UnknownTemplateError, check_params, names

DIFFICULTIES: tuple[tuple[str, str], ...] = (
    ("not set", ""),
    ("E · easy", Difficulty.EASY.value),
    ("M · medium", Difficulty.MEDIUM.value),
    ("H · hard", Difficulty.HARD.value),
)
TAG_PATTERN = re.compile(r"^[^\s,\"'{}\[\]]+$")


class CardFieldError(ValueError):
    """A field does not validate; `field` is the id of the input to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def build_card(original: Card, fields: Mapping[str, str]) -> Card:
    """The edited card, or CardFieldError naming the first field that is wrong.

    `fields` holds the text of the inputs the modal showed for this kind;
    anything absent keeps the original value.
    """
    get = fields.get
    front = get("front", original.front).strip()
    if not front:
        raise CardFieldError("front", _empty_front(original.kind))
    difficulty = original.difficulty
    if "difficulty" in fields:
        difficulty = Difficulty(fields["difficulty"]) if fields["difficulty"] else None
    card = replace(
        original,
        front=front,
        back=get("back", original.back).strip(),
        extra=get("extra", original.extra).strip(),
        tags=parse_tags(get("tags", " ".join(original.tags))),
        difficulty=difficulty,
    )
    if card.kind is CardKind.BASIC and not card.back:
        raise CardFieldError("back", "the back is empty; write the answer the card expects")
    if card.kind is CardKind.CHOICE:
        return _choice(card, get("distractors"))
    if card.kind is CardKind.CLOZE:
        _check_cloze(card)
    if card.kind is CardKind.COMPUTE:
        return _compute(card, get("template", card.generator), get("params"))
    return card


def _empty_front(kind: CardKind) -> str:
    what = {
        CardKind.BASIC: "the front",
        CardKind.CHOICE: "the question",
        CardKind.CLOZE: "the cloze text",
        CardKind.COMPUTE: "the title",
    }[kind]
    return f"{what} is empty; a card needs something to ask"


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags separated by spaces or commas, duplicates dropped, order kept."""
    tags = [tag for tag in re.split(r"[\s,]+", text.strip()) if tag]
    for tag in tags:
        if not TAG_PATTERN.match(tag):
            raise CardFieldError(
                "tags", f"the tag {tag!r} has a quote or bracket; use letters, digits, - or _"
            )
    return tuple(dict.fromkeys(tags))


def _choice(card: Card, distractors_text: str | None) -> Card:
    if not card.back:
        raise CardFieldError("back", "the correct answer is empty; write the option that is right")
    lines = card.distractors if distractors_text is None else distractors_text.splitlines()
    distractors = tuple(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if not distractors:
        raise CardFieldError("distractors", "add at least one wrong option, one per line")
    if card.back in distractors:
        raise CardFieldError(
            "distractors", "a wrong option repeats the correct answer; change or remove it"
        )
    return replace(card, distractors=distractors)


def _check_cloze(card: Card) -> None:
    numbers = {int(match.group(1)) for match in CLOZE_PATTERN.finditer(card.front)}
    if card.cloze not in numbers:
        raise CardFieldError(
            "front",
            f"this card asks for deletion {card.cloze}, but the text has no "
            f"{{{{c{card.cloze}::...}}}}; mark the hidden part like {{{{c{card.cloze}::answer}}}}",
        )


def _compute(card: Card, template: str, params_text: str | None) -> Card:
    params = card.params if params_text is None else parse_params(params_text)
    try:
        check_params(template, params)
    except UnknownTemplateError as error:
        raise CardFieldError("template", str(error)) from error
    except TemplateParamError as error:
        raise CardFieldError("params", str(error)) from error
    return replace(card, generator=template, params=params)


def parse_params(text: str) -> dict[str, str | int]:
    """`steps=2, ask=loss` into a dict; whole numbers become ints."""
    params: dict[str, str | int] = {}
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise CardFieldError(
                "params", f"{item!r} is not an option; write name=value, like steps=2"
            )
        params[key] = int(value) if re.fullmatch(r"-?\d+", value) else value
    return params


class EditCardScreen(ModalScreen[Card | None]):
    """Dismisses with the edited Card, or None when cancelled or nothing changed."""

    CSS_PATH = "edit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="edit.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="edit.cancel"),
    ]

    def __init__(self, card: StoredCard) -> None:
        super().__init__()
        self.stored = card
        self._raw: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        card = self.stored.card
        with Vertical(id="dialog") as dialog:
            dialog.border_title = f"Edit {card.kind.value} card · {safe(self.stored.deck_name)}"
            with VerticalScroll(id="fields"):
                yield from self._kind_fields(card)
                yield Label("Tags (spaces or commas between them)")
                yield Input(self._shown("tags", " ".join(card.tags)), id="tags")
                yield Label("Difficulty")
                yield Select(
                    DIFFICULTIES,
                    value=card.difficulty.value if card.difficulty else "",
                    allow_blank=False,
                    id="difficulty",
                )
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("Save (Ctrl+S)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def _kind_fields(self, card: Card) -> ComposeResult:
        if card.kind is CardKind.BASIC:
            yield from _area("Front", self._shown("front", card.front), "front")
            yield from _area("Back", self._shown("back", card.back), "back")
        elif card.kind is CardKind.CHOICE:
            yield from _area("Question", self._shown("front", card.front), "front")
            yield Label("Correct answer")
            yield Input(self._shown("back", card.back), id="back")
            wrong = self._shown("distractors", "\n".join(card.distractors))
            yield from _area("Wrong options, one per line", wrong, "distractors")
            yield from _area("Explanation (optional)", self._shown("extra", card.extra), "extra")
        elif card.kind is CardKind.CLOZE:
            cloze = self._shown("front", card.front)
            yield from _area(f"Cloze text (this card hides c{card.cloze})", cloze, "front")
            yield from _area("Notes (optional)", self._shown("extra", card.extra), "extra")
        else:
            yield Label("Title")
            yield Input(self._shown("front", card.front), id="front")
            yield Label("Template")
            choices = sorted(names() | {card.generator})
            yield Select([(name, name) for name in choices], value=card.generator, id="template")
            yield Label("Options (name=value, like steps=2; empty for the template's own)")
            params = ", ".join(f"{key}={value}" for key, value in card.params.items())
            yield Input(params, id="params")

    def on_mount(self) -> None:
        self.query_one("#fields").query("TextArea, Input").first().focus()

    def field_values(self) -> dict[str, str]:
        """The text of every field the modal shows, by field id."""
        values: dict[str, str] = {}
        for widget in self.query_one("#fields").query("TextArea, Input, Select"):
            if widget.id is not None:
                text = _text_of(widget)
                raw = self._raw.get(widget.id)
                # A field shown with its control characters made visible and left
                # as it was keeps its stored text; an edited one saves what it shows.
                values[widget.id] = raw if raw is not None and text == safe(raw) else text
        return values

    def _shown(self, field_id: str, text: str) -> str:
        """What a field shows of `text` (control characters made visible), noting the text."""
        self._raw[field_id] = text
        return safe(text)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            card = build_card(self.stored.card, self.field_values())
        except CardFieldError as error:
            self.query_one("#error", Static).update(str(error))
            self.query_one(f"#{error.field}").focus()
            return
        self.dismiss(None if card == self.stored.card else card)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _area(label: str, text: str, field_id: str) -> ComposeResult:
    yield Label(label)
    yield TextArea(text, id=field_id, soft_wrap=True, show_line_numbers=False)


def _text_of(widget: Widget) -> str:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, Select):
        value = widget.value
        return value if isinstance(value, str) else ""
    return ""
