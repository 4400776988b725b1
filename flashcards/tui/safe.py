"""Deck text on its way to the screen, with its control characters made visible.

Rich drops BEL but passes ESC, so a card could still send an OSC sequence (clipboard,
window title) to the terminal through a widget. Every widget that shows text from a
deck or the collection passes it through `safe` first; the old collections that
already hold such text are covered too, since the check is at display time.
"""

from __future__ import annotations

from flashcards.terminal import neutralise


def safe(text: str) -> str:
    """`text` as it may reach the screen: control characters but newline and tab replaced."""
    return neutralise(text)
