"""Statistics: the review history and the schedule ahead, drawn in the terminal.

The numbers come from a thread worker with its own `Collection` (the queries
scan up to a million log rows, which must not freeze the keyboard), and are
re-read whenever the screen comes back into view, so studying in between shows
up without a manual refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from flashcards.errors import FlashcardsError
from flashcards.stats import SchedulerReport, Statistics, build_statistics
from flashcards.storage.collection import Collection
from flashcards.storage.history import load_history
from flashcards.tui.widgets.plots import BarChart, CalendarHeatmap, HorizontalBars, percent

if TYPE_CHECKING:
    from flashcards.tui.app import FlashcardsApp

WIDE_LAYOUT = 120  # the app's breakpoint: from here the screen has the class -wide
TALL_ROWS = 9
NO_REVIEWS = "No answers yet: study a deck (Enter on the Decks screen) and your history shows here."
NO_CARDS = "The collection is empty: import a deck from the Decks screen, then study it."


class StatsScreen(Screen[None]):
    """Answers per day, the due forecast, retention, card states and easiness."""

    CSS_PATH = "stats.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="stats.back"),
        Binding("r", "reload", "Reload", id="stats.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.statistics: Statistics | None = None

    @property
    def flashcards(self) -> FlashcardsApp:
        return cast("FlashcardsApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading…", id="headline")
        with VerticalScroll(id="plots"):
            with _panel("Memory and schedulers", "schedulers"):
                yield Static("", id="schedulers-text")
            with _panel("Answers per day, last 90 days", "reviews"):
                yield CalendarHeatmap(id="calendar")
                yield Static("", classes="caption", id="reviews-caption")
            with _panel("Cards due, next 30 days", "forecast"):
                yield BarChart(rows=6, id="forecast-chart")
                yield Static("", classes="caption", id="forecast-caption")
            with _panel("Right first time (graded 4 or 5), per week", "retention"):
                yield BarChart(rows=5, top=1.0, fmt=percent, id="retention-chart")
                yield Static("", classes="caption", id="retention-caption")
            with _panel("Cards by state", "states"):
                yield HorizontalBars(id="states-chart")
            with _panel("Easiness of studied cards", "easiness"):
                yield BarChart(rows=5, id="easiness-chart")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"

    def on_screen_resume(self) -> None:
        self.action_reload()

    def on_resize(self, event: events.Resize) -> None:
        """Taller bars when the plots sit two by two and the screen has the rows."""
        rows = TALL_ROWS if event.size.width >= WIDE_LAYOUT and event.size.height >= 40 else 0
        for chart in self.query(BarChart):
            chart.set_rows(rows or chart.default_rows)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.query_one("#plots").loading = True
        self._load()

    @work(thread=True, exclusive=True, group="stats-load")
    def _load(self) -> None:
        try:
            with Collection(self.flashcards.collection.path) as own:
                history = load_history(own, self.flashcards.clock())
        except FlashcardsError as error:
            outcome: Statistics | str = f"Could not read the statistics: {error}"
        else:
            outcome = build_statistics(history)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._arrived, outcome)

    def _arrived(self, outcome: Statistics | str) -> None:
        if not self.is_attached:
            return
        if isinstance(outcome, str):
            self.query_one("#plots").loading = False
            self.query_one("#headline", Static).update(outcome)
        else:
            self.show(outcome)

    def show(self, statistics: Statistics) -> None:
        """Draw every plot from freshly loaded numbers."""
        self.statistics = statistics
        self.query_one("#headline", Static).update(headline(statistics))
        self._show_reviews(statistics)
        self._show_forecast(statistics)
        self._show_retention(statistics)
        self._show_schedulers(statistics.schedulers)
        self.query_one("#states-chart", HorizontalBars).plot(
            [(bucket.label, bucket.count) for bucket in statistics.states]
        )
        self.query_one("#easiness-chart", BarChart).plot(
            [bucket.count for bucket in statistics.easiness],
            [bucket.label for bucket in statistics.easiness],
        )
        self.query_one("#plots").loading = False

    def _show_reviews(self, statistics: Statistics) -> None:
        days = statistics.reviews
        self.query_one("#calendar", CalendarHeatmap).plot([(d.day, d.count) for d in days])
        total = sum(day.count for day in days)
        caption = (
            f"{total:,} answers on {statistics.studied_days} of {len(days)} days"
            f" · busiest day {max(day.count for day in days):,}"
            f" · streak {_days(statistics.streak)}"
            if total
            else "No answers in the last 90 days."
        )
        self.query_one("#reviews-caption", Static).update(caption)

    def _show_forecast(self, statistics: Statistics) -> None:
        days = statistics.forecast
        labels = ["today" if i == 0 else (f"+{i}d" if i % 7 == 0 else "") for i in range(len(days))]
        self.query_one("#forecast-chart", BarChart).plot([d.count for d in days], labels)
        week = sum(day.count for day in days[:7])
        self.query_one("#forecast-caption", Static).update(
            f"{days[0].count:,} due today (overdue included) · {week:,} in the next 7 days"
            f" · {sum(day.count for day in days):,} in 30 days"
        )

    def _show_retention(self, statistics: Statistics) -> None:
        weeks = statistics.retention
        labels = [f"{week.week_start:%b} {week.week_start.day}" for week in weeks]
        self.query_one("#retention-chart", BarChart).plot([w.rate for w in weeks], labels)
        answered = sum(week.answered for week in weeks)
        right = sum(week.right for week in weeks)
        caption = (
            f"{right / answered:.0%} of {answered:,} first answers right in 13 weeks"
            " · a dot: no reviews that week"
            if answered
            else "No graded reviews in the last 13 weeks."
        )
        self.query_one("#retention-caption", Static).update(caption)

    def _show_schedulers(self, report: SchedulerReport) -> None:
        """Only with an FSRS deck or a stored evaluation: otherwise the panel stays hidden."""
        self.query_one("#schedulers-panel").set_class(not report.is_empty, "-shown")
        self.query_one("#schedulers-text", Static).update(schedulers_text(report))


def schedulers_text(report: SchedulerReport) -> str:
    """Each FSRS deck's predicted and true retention, then the latest evaluation."""
    lines = []
    for deck in report.decks:
        recall = "n/a" if deck.retrievability is None else f"{deck.retrievability:.0%}"
        truth = "n/a" if deck.true_retention is None else f"{deck.true_retention:.0%}"
        lines += [
            f"{deck.deck} (FSRS) · target retention {deck.desired_retention:.0%}",
            f"  retrievability today {recall} over {deck.cards:,} studied cards",
            f"  true retention {truth} of {deck.judged:,} reviews in 30 days",
        ]
    evaluation = report.evaluation
    if evaluation is not None:
        when = "" if evaluation.evaluated is None else f" on {evaluation.evaluated.isoformat()}"
        scope = "all decks" if evaluation.deck is None else evaluation.deck
        lines.append(
            f"Evaluated{when}: {evaluation.reviews:,} reviews, {evaluation.cards:,} cards ({scope})"
        )
        lines.append(f"  {'lower is better':<26}{'log loss':>9}{'RMSE(bins)':>12}")
        for score in evaluation.scores:
            name = score.label
            lines.append(f"  {name:<26}{score.log_loss:>9.3f}{score.rmse_bins:>12.3f}")
    return "\n".join(lines)


def headline(statistics: Statistics) -> str:
    """One line of the numbers a student checks first, or what to do when there are none."""
    summary = statistics.summary
    if summary.cards_total == 0:
        return NO_CARDS
    if not statistics.has_reviews:
        return NO_REVIEWS
    retention = "n/a" if summary.retention_30d is None else f"{summary.retention_30d:.0%}"
    return (
        f"Today {summary.reviews_today:,} answers, {summary.minutes_today:g} min"
        f" · due {summary.due_today:,} · 30-day retention {retention}"
        f" · {summary.reviews_total:,} answers in all"
    )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _panel(title: str, name: str) -> Vertical:
    panel = Vertical(classes="panel", id=f"{name}-panel")
    panel.border_title = title
    return panel
