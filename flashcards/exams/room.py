"""How many items a section can always draw, whatever the seed.

A build draws the sections in order; each item it takes bars itself and every item
it conflicts with (`flashcards.exams.conflicts`) from the rest of the exam. The worst
case for a section is bounded by letting every earlier section take the items that
bar the most of this section's pool (but no more than all that any of them could
bar), and this section's own picks do the same. If
the count fits under that bound, every seed builds; `spec` reports it when not.
Without conflicts the bound is exact: a later section loses at most as many cards as
earlier sections draw from the pool they share.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from flashcards.exams.conflicts import Conflicts
from flashcards.exams.draws import ItemKey


@dataclass(frozen=True)
class Draw:
    """One section as the bound sees it: its pool and how many distinct items it takes."""

    pool: frozenset[ItemKey]
    picks: int


@dataclass(frozen=True)
class Room:
    matched: int  # items the section's decks and filters (or templates) offer
    taken: int  # items earlier sections may bar, in the worst case
    left: int  # items the section can always draw
    by_conflicts: bool  # conflicts, not only shared decks, make `left` smaller

    def shortfall(self, count: int) -> tuple[str, str]:
        """Message and hint for a card section of `count` that some seed could not fill."""
        if count > self.matched:
            return (
                f"asks for {count} cards but its decks and filters match only {self.matched}",
                f"lower `count` to {self.matched}, or add decks or loosen the filters",
            )
        if not self.by_conflicts:
            return (
                f"asks for {count} cards but earlier sections may draw {self.taken} of the "
                f"{self.matched} it matches",
                f"lower `count` to {self.left}, or draw the sections from other decks",
            )
        return (
            f"asks for {count} cards but some seeds leave only {self.left} once items that "
            "give each other away are kept apart",
            f"lower `count` to {self.left}, draw from more decks, or drop an `apart` group",
        )


def room(earlier: Sequence[Draw], pool: frozenset[ItemKey], conflicts: Conflicts) -> Room:
    """What is left of `pool` once the `earlier` draws and this one's own picks bar theirs."""

    def barred(key: ItemKey) -> set[ItemKey]:
        return ({key} | conflicts.of(key)) & pool

    reach = {hit for draw in earlier for key in draw.pool for hit in barred(key)}
    most = sum(_largest(draw.picks, [len(barred(key)) for key in draw.pool]) for draw in earlier)
    taken = min(most, len(reach))
    shared = {key for draw in earlier for key in draw.pool & pool}
    plain_taken = min(sum(min(draw.picks, len(draw.pool & pool)) for draw in earlier), len(shared))
    remaining = len(pool) - taken
    left = 0
    for bars in sorted((len(barred(key)) for key in pool), reverse=True):
        if remaining < 1:
            break
        left += 1
        remaining -= bars
    return Room(len(pool), taken, left, left < len(pool) - plain_taken)


def _largest(count: int, values: Collection[int]) -> int:
    return sum(sorted(values, reverse=True)[:count])
