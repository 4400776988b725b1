"""Reduce the HTML that Anki stores in note fields to text a terminal can show.

Cards are studied in a terminal, so markup has to become layout (line breaks,
"- " bullets) and media has to go; the file names of removed media are kept so an
importer can tell the user what was left behind instead of silently dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_BLOCKS = frozenset(
    {"div", "p", "ul", "ol", "tr", "table", "blockquote", "pre", "hr", "section"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "li"}
)
_MEDIA_TAGS = frozenset({"img", "audio", "video", "source", "embed"})
_HIDDEN = frozenset({"script", "style", "head", "title"})
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


@dataclass(frozen=True)
class PlainText:
    """Readable text plus the media it referred to (file names, in order of appearance)."""

    text: str
    media: tuple[str, ...] = ()


class _Flattener(HTMLParser):
    """Collects text in lines; block tags end a line only if it has content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.media: list[str] = []
        self._hidden = 0
        self._pre = 0

    def _break(self, hard: bool = False) -> None:
        if hard or self.lines[-1].strip():
            self.lines.append("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MEDIA_TAGS:
            self.media.extend(value for key, value in attrs if key == "src" and value)
        elif tag in _HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._break(hard=True)
        elif tag in _BLOCKS:
            self._break()
            if tag == "pre":
                self._pre += 1
            if tag == "li":
                self.lines[-1] = "- "
        elif tag in _CELLS and self.lines[-1].strip():
            self.lines[-1] += " | "

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            self._break()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self.lines[-1] += first
            self.lines.extend(rest)
        else:
            self.lines[-1] += _SPACES.sub(" ", data)


def html_to_text(html: str) -> PlainText:
    """Flatten one field; `[sound:...]` tags and `<img>`-like tags are removed and listed."""
    sounds = _SOUND.findall(html)
    parser = _Flattener()
    parser.feed(_SOUND.sub("", html))
    parser.close()
    lines = [line.replace("\u00a0", " ").strip() for line in parser.lines]
    text = "\n".join(lines).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return PlainText(text=text, media=(*parser.media, *sounds))
