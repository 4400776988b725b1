"""`AnswerInput`: the one-line answer box that keeps every line of a paste.

Textual's `Input` keeps only the first line of pasted text, so a matrix copied as
"1 2" over "3 4" arrived as "1 2" and was judged as a wrong (or malformed) answer.
Here the lines are joined with "; ", the row separator of the answer reader (see the
notation table in content/README.md): "1 2; 3 4" is the 2x2 matrix, a column pasted
for a vector reads as its items, and anything else gets the reader's own message
rather than silently losing lines. A line that ends in "=" (a pasted "H =") is
joined with a space, so "H = [[1, 2], [3, 4]]" reads as typed on one line.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

ROW_SEPARATOR = "; "


def join_pasted_lines(text: str) -> str:
    """The non-blank lines of `text` as one line, rows separated by `ROW_SEPARATOR`."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    joined = ""
    for line in lines:
        if not joined:
            joined = line
        elif joined.endswith("=") or joined.endswith(";"):
            joined += " " + line
        else:
            joined += ROW_SEPARATOR + line
    return joined


class AnswerInput(Input):
    """An `Input` whose paste keeps all lines, joined as rows."""

    def _on_paste(self, event: events.Paste) -> None:
        if len(event.text.splitlines()) < 2:
            return  # one line: Input's own handler inserts it
        event.prevent_default()  # Input's handler would insert the first line only
        event.stop()
        text = join_pasted_lines(event.text)
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
