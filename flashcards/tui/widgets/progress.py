"""The study progress line: a bar of done against left, and the time spent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static


def format_duration(seconds: float) -> str:
    """m:ss, or h:mm:ss past the hour."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class StudyProgress(Horizontal):
    """Done / left as a bar and as numbers, plus the session's elapsed time."""

    DEFAULT_CSS = """
    StudyProgress { height: 1; width: 1fr; padding: 0 1; }
    StudyProgress ProgressBar { width: auto; margin-right: 2; }
    StudyProgress #progress-text { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=1, show_eta=False, show_percentage=False)
        yield Static(id="progress-text")

    def show(self, done: int, left: int, seconds: float, *, cram: bool = False) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(done + left, 1), progress=done)
        mode = " · cram (no schedule change)" if cram else ""
        text = f"{done} done · {left} left · {format_duration(seconds)}{mode}"
        self.query_one("#progress-text", Static).update(text)
