"""Small terminal plots for the Statistics screen: bars, horizontal bars, a calendar.

They draw with block and shade characters whose *shape* carries the value, so
the plots stay readable with `NO_COLOR` or a monochrome theme; colour (from the
theme, through component classes) only adds emphasis. Each widget splits into
a pure function that lays out lines of text and a thin widget that styles them,
which keeps the geometry testable and the widgets trivially small.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"  # vertical eighths, empty to full
HBLOCKS = " ▏▎▍▌▋▊▉█"  # horizontal eighths
SHADES = "·░▒▓█"  # calendar intensity: none, then four quarters of the busiest day
NO_DATA = "·"
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
MAX_BAR_WIDTH = 5


def whole(value: float) -> str:
    return f"{value:.0f}"


def percent(value: float) -> str:
    return f"{value:.0%}"


@dataclass(frozen=True)
class Cell:
    """A run of characters and the component class that styles it."""

    text: str
    role: str  # "bar", "axis", "empty" or "label"


Line = list[Cell]


def bar_lines(
    values: Sequence[float | None],
    labels: Sequence[str],
    width: int,
    rows: int,
    *,
    top: float | None = None,
    fmt: Callable[[float], str] = whole,
) -> list[Line]:
    """Vertical bars with a y axis (top value and 0) and x labels under the bars.

    `None` is "no data", drawn as a dot on the baseline so it is not mistaken
    for zero. Bars that do not fit in `width` are cut from the right with "…".
    """
    peak = top if top is not None else max((v for v in values if v is not None), default=0.0)
    peak = peak or 1.0
    axis_width = max(len(fmt(peak)), len(fmt(0)))
    slots = _Slots.fit(len(values), max(1, width - axis_width - 2))
    heights = [_eighths(value, peak, rows) for value in values[: slots.shown]]
    lines: list[Line] = []
    for row in range(rows):
        axis = fmt(peak).rjust(axis_width) + " ┤" if row == 0 else " " * axis_width + " │"
        lines.append([Cell(axis, "axis"), *slots.row(heights, rows - 1 - row)])
    baseline = "─" * (slots.step * slots.shown) + ("…" if slots.cut else "")
    lines.append([Cell(fmt(0).rjust(axis_width) + " └" + baseline, "axis")])
    ticks = _label_row(labels[: slots.shown], slots.step)
    lines.append([Cell(" " * (axis_width + 2) + ticks, "label")])
    return lines


@dataclass(frozen=True)
class _Slots:
    """How many bars fit, how wide each is and the gap after it."""

    shown: int
    cut: bool
    bar_width: int
    gap: int

    @classmethod
    def fit(cls, count: int, room: int) -> _Slots:
        shown, cut = (count, False) if count <= room else (max(0, room - 1), True)
        slot = room // shown if shown else 1
        if slot >= 2:
            return cls(shown, cut, min(MAX_BAR_WIDTH, slot - 1), 1)
        return cls(shown, cut, 1, 0)

    @property
    def step(self) -> int:
        return self.bar_width + self.gap

    def row(self, heights: Sequence[int | None], level: int) -> list[Cell]:
        """The cells of one text row; `level` 0 is the row on the baseline."""
        cells: list[Cell] = []
        for height in heights:
            if height is None:
                glyph = NO_DATA if level == 0 else " "
                cells.append(Cell(glyph.center(self.bar_width) + " " * self.gap, "empty"))
            else:
                fill = max(0, min(8, height - level * 8))
                cells.append(Cell(BLOCKS[fill] * self.bar_width + " " * self.gap, "bar"))
        return cells


def hbar_lines(items: Sequence[tuple[str, int]], width: int) -> list[Line]:
    """One row per item: label, count, then a bar scaled to the largest count."""
    if not items:
        return []
    label_width = max(len(label) for label, _ in items)
    count_width = max(len(str(count)) for _, count in items)
    room = max(1, width - label_width - count_width - 2)
    peak = max(count for _, count in items) or 1
    lines: list[Line] = []
    for label, count in items:
        filled = round(count / peak * room * 8)
        if count and not filled:
            filled = 1
        bar = "█" * (filled // 8) + (HBLOCKS[filled % 8] if filled % 8 else "")
        lines.append(
            [
                Cell(f"{label.ljust(label_width)} {str(count).rjust(count_width)} ", "label"),
                Cell(bar, "bar"),
            ]
        )
    return lines


def calendar_lines(days: Sequence[tuple[date, int]]) -> list[Line]:
    """A GitHub-style calendar: weeks as columns, Monday at the top, month names above."""
    if not days:
        return []
    first = days[0][0]
    counts = dict(days)
    peak = max(counts.values()) or 1
    start = first.toordinal() - first.weekday()
    weeks = (days[-1][0].toordinal() - start) // 7 + 1
    header = [Cell("    " + _month_row(start, weeks), "label")]
    lines: list[Line] = [header]
    for weekday in range(7):
        line = [Cell(WEEKDAYS[weekday].ljust(4), "label")]
        for week in range(weeks):
            day = date.fromordinal(start + week * 7 + weekday)
            if day not in counts:
                line.append(Cell("   ", "empty"))
                continue
            level = math.ceil(counts[day] / peak * 4) if counts[day] else 0
            line.append(Cell(SHADES[level] * 2 + " " if level else NO_DATA + "  ", _role(level)))
        lines.append(line)
    lines.append([Cell("    less ", "label"), *_legend(), Cell("more", "label")])
    return lines


def _legend() -> list[Cell]:
    return [Cell(f"{SHADES[level]} ", _role(level)) for level in range(len(SHADES))]


def _role(level: int) -> str:
    return "bar" if level else "empty"


def _month_row(start: int, weeks: int) -> str:
    row = ""
    last_month = 0
    for week in range(weeks):
        monday = date.fromordinal(start + week * 7)
        column = week * 3
        if monday.month != last_month and len(row) <= column:
            row = row.ljust(column) + monday.strftime("%b")
            last_month = monday.month
    return row


def _eighths(value: float | None, peak: float, rows: int) -> int | None:
    if value is None:
        return None
    height = round(max(0.0, value) / peak * rows * 8)
    return max(height, 1) if value > 0 else height


def _label_row(labels: Sequence[str], slot: int) -> str:
    row = ""
    for index, label in enumerate(labels):
        column = index * slot
        if label and len(row) <= column:
            row = row.ljust(column) + label + " "
    return row.rstrip()


class Plot(Widget):
    """Shared styling: subclasses produce lines of Cells, this turns them into Text."""

    DEFAULT_CSS = """
    Plot { height: auto; width: 1fr; }
    Plot > .plot--bar { color: $accent; }
    Plot > .plot--axis { color: $foreground-muted; }
    Plot > .plot--empty { color: $foreground-muted; }
    Plot > .plot--label { color: $foreground; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "plot--bar",
        "plot--axis",
        "plot--empty",
        "plot--label",
    }

    def lines(self, width: int) -> list[Line]:
        raise NotImplementedError

    def render(self) -> Text:
        styles: dict[str, Style] = {
            role: self.get_component_rich_style(f"plot--{role}", partial=True)
            for role in ("bar", "axis", "empty", "label")
        }
        text = Text(no_wrap=True, overflow="crop")
        for number, line in enumerate(self.lines(self.content_size.width or 80)):
            if number:
                text.append("\n")
            for cell in line:
                text.append(cell.text, styles[cell.role])
        return text


class BarChart(Plot):
    """Vertical bars, e.g. cards due per day or right-first-time per week."""

    def __init__(
        self,
        *,
        rows: int = 6,
        top: float | None = None,
        fmt: Callable[[float], str] = whole,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.rows = self.default_rows = rows
        self.top = top
        self.fmt = fmt
        self.values: tuple[float | None, ...] = ()
        self.labels: tuple[str, ...] = ()

    def plot(self, values: Sequence[float | None], labels: Sequence[str]) -> None:
        self.values = tuple(values)
        self.labels = tuple(labels)
        self.refresh(layout=True)

    def set_rows(self, rows: int) -> None:
        if rows != self.rows:
            self.rows = rows
            self.refresh(layout=True)

    def lines(self, width: int) -> list[Line]:
        return bar_lines(self.values, self.labels, width, self.rows, top=self.top, fmt=self.fmt)


class HorizontalBars(Plot):
    """Labelled counts as horizontal bars, e.g. cards by state."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: tuple[tuple[str, int], ...] = ()

    def plot(self, items: Sequence[tuple[str, int]]) -> None:
        self.items = tuple(items)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Line]:
        return hbar_lines(self.items, width)


class CalendarHeatmap(Plot):
    """Answers per day as a calendar of shaded cells."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: tuple[tuple[date, int], ...] = ()

    def plot(self, days: Sequence[tuple[date, int]]) -> None:
        self.days = tuple(days)
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Line]:
        return calendar_lines(self.days)
