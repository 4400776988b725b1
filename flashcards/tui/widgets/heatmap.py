"""A terminal heat map of f(x, y) around a point, with the point and a path marked.

Colours are relative to f at the marked point: cool where f is lower, warm where
it is higher. That makes the three cases of the second-order test visible at a
glance: warm all round is a minimum, cool all round a maximum, warm and cool
quadrants a saddle; and a descent path should run from warm into cool. With no
colour (NO_COLOR) the same scale is drawn with characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

if TYPE_CHECKING:
    import numpy as np

    from quizzes.numeric import Grid

LOW = Color.from_rgb(52, 101, 164)
MIDDLE = Color.from_rgb(230, 230, 224)
HIGH = Color.from_rgb(204, 64, 32)
MARK = Style(color="white", bgcolor="black", bold=True)
# Characters for the no-colour scale, strongest first on each side.
BELOW_GLYPHS = ("=", "-", "·")
ABOVE_GLYPHS = ("#", "+", ":")
POINT_GLYPH = "●"


def scaled(values: np.ndarray[Any, Any], center: float) -> np.ndarray[Any, Any]:
    """Values mapped to [-1, 1] around `center`, NaN kept.

    The 90th percentile of |f - centre| sets the scale, so a cubic's far corner
    does not wash out the neighbourhood of the point; the square root boosts
    small differences near it. numpy is imported here, not at start-up: only a
    drawn compute problem (which has loaded it already) gets this far.
    """
    import numpy as np

    delta = values - center
    finite = np.abs(delta[np.isfinite(delta)])
    spread = float(np.percentile(finite, 90)) if finite.size else 0.0
    ratio = np.clip(delta / (spread or 1.0), -1.0, 1.0)
    result: np.ndarray[Any, Any] = np.sign(ratio) * np.sqrt(np.abs(ratio))
    return result


def cell_colour(t: float) -> Color:
    """The colour for a scaled value: blue below the point's value, red above."""
    target = HIGH if t > 0 else LOW
    return _blend(MIDDLE, target, abs(t))


def cell_glyph(t: float) -> str:
    level = min(int(abs(t) * 3), 2)
    if abs(t) < 0.05:
        return " "
    glyphs = ABOVE_GLYPHS if t > 0 else BELOW_GLYPHS
    return glyphs[2 - level]


def _blend(a: Color, b: Color, amount: float) -> Color:
    ra, ga, ba = a.get_truecolor()
    rb, gb, bb = b.get_truecolor()
    return Color.from_rgb(ra + (rb - ra) * amount, ga + (gb - ga) * amount, ba + (bb - ba) * amount)


class HeatMap(Widget):
    """f on a grid around the point; `show` replaces what is drawn."""

    DEFAULT_CSS = """
    HeatMap { width: auto; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid: Grid | None = None
        self.point: tuple[float, ...] | None = None
        self.path: tuple[tuple[float, ...], ...] = ()

    def show(
        self,
        grid: Grid | None,
        point: Sequence[float] | None = None,
        path: Sequence[Sequence[float]] = (),
    ) -> None:
        self.grid = grid
        self.point = tuple(point) if point is not None else None
        self.path = tuple(tuple(p) for p in path)
        self.display = grid is not None
        self.refresh(layout=True)

    def get_content_width(self, container: object, viewport: object) -> int:
        return 0 if self.grid is None else max(len(self.grid.xs), len(self._legend().plain))

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 0 if self.grid is None else len(self.grid.ys) + 2

    def render(self) -> Text:
        if self.grid is None:
            return Text()
        text = Text(no_wrap=True, overflow="crop")
        values = scaled(self.grid.values, self.grid.center)
        marks = self._marks()
        for row in range(values.shape[0]):
            for col in range(values.shape[1]):
                text.append_text(self._cell(float(values[row, col]), marks.get((row, col))))
            text.append("\n")
        text.append(self._axes() + "\n", style="dim")
        text.append_text(self._legend())
        return text

    def _cell(self, t: float, mark: str | None) -> Text:
        if mark is not None:
            return Text(mark, style=MARK)
        if math.isnan(t):
            return Text(" ")
        if self.app.no_color:
            return Text(cell_glyph(t))
        return Text(" ", style=Style(bgcolor=cell_colour(t)))

    def _marks(self) -> dict[tuple[int, int], str]:
        """Path iterates as their step numbers; the point itself as a dot, on top."""
        assert self.grid is not None
        marks: dict[tuple[int, int], str] = {}
        for step, position in enumerate(self.path):
            cell = self.grid.cell(position)
            if cell is not None and cell not in marks:
                marks[cell] = str(step % 10)
        if self.point is not None and not self.path:
            cell = self.grid.cell(self.point)
            if cell is not None:
                marks[cell] = POINT_GLYPH
        return marks

    def _axes(self) -> str:
        assert self.grid is not None
        x, y = self.grid.variables
        xs, ys = self.grid.xs, self.grid.ys
        return f"{x} {xs[0]:.3g} → {xs[-1]:.3g}   {y} {ys[-1]:.3g} ↑ {ys[0]:.3g}"

    def _legend(self) -> Text:
        legend = Text(no_wrap=True)
        if self.app.no_color:
            legend.append(f"{' '.join(BELOW_GLYPHS)} lower  {' '.join(ABOVE_GLYPHS[::-1])} higher")
        else:
            legend.append("  ", style=Style(bgcolor=LOW))
            legend.append(" lower ")
            legend.append("  ", style=Style(bgcolor=HIGH))
            legend.append(" higher")
        reference = "f(start)" if self.path else f"f({POINT_GLYPH})"
        legend.append(f" than {reference}")
        if self.path:
            legend.append(f"  0-{len(self.path) - 1}: steps")
        return legend
