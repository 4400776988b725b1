"""SM-2 against sequences worked out by hand from the published rules."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.scheduling.sm2 import review_centi


@dataclass(frozen=True)
class Sm2State:
    """SM-2's three numbers as the paper writes them (EF as a decimal), for readable cases."""

    repetitions: int = 0
    easiness: float = 2.5
    interval_days: int = 0


def review(state: Sm2State, quality: int) -> Sm2State:
    """One review through the production arithmetic, which keeps EF in hundredths."""
    reps, centi, interval = review_centi(
        state.repetitions, round(state.easiness * 100), state.interval_days, quality
    )
    return Sm2State(reps, centi / 100, interval)


def run(qualities: list[int], state: Sm2State | None = None) -> list[Sm2State]:
    states = []
    current = state or Sm2State()
    for quality in qualities:
        current = review(current, quality)
        states.append(current)
    return states


def test_new_card_defaults() -> None:
    assert Sm2State() == Sm2State(0, 2.5, 0)


def test_perfect_answers_follow_1_6_then_ef_times_previous() -> None:
    states = run([5, 5, 5, 5])
    assert [s.interval_days for s in states] == [1, 6, 17, 48]  # 6 x 2.7 = 16.2 -> 17
    assert [s.repetitions for s in states] == [1, 2, 3, 4]
    assert [s.easiness for s in states] == pytest.approx([2.6, 2.7, 2.8, 2.9])


def test_ceiling_is_exact_for_float_unfriendly_products() -> None:
    after = review(Sm2State(3, 2.8, 125), 4)
    assert after.interval_days == 350  # 125 x 2.8, which floats make 350.00000000000006
    assert after.easiness == pytest.approx(2.8)


def test_hard_passes_walk_easiness_down_to_the_floor() -> None:
    states = run([3] * 10)
    assert [s.interval_days for s in states] == [1, 6, 14, 30, 59, 107, 178, 271, 374, 487]
    assert [round(s.easiness, 2) for s in states] == [
        2.36,
        2.22,
        2.08,
        1.94,
        1.8,
        1.66,
        1.52,
        1.38,
        1.3,
        1.3,
    ]


def test_lapse_after_a_long_interval_restarts_repetitions_and_lowers_easiness() -> None:
    lapsed = review(Sm2State(5, 2.5, 200), 1)
    assert (lapsed.repetitions, lapsed.interval_days) == (0, 1)
    assert lapsed.easiness == pytest.approx(1.96)
    relearned = run([4, 4, 5], lapsed)
    assert [s.interval_days for s in relearned] == [1, 6, 12]  # 6 x 1.96 = 11.76 -> 12
    assert relearned[-1].easiness == pytest.approx(2.06)


@pytest.mark.parametrize(
    ("quality", "easiness"), [(0, 1.7), (1, 1.96), (2, 2.18), (3, 2.36), (4, 2.5), (5, 2.6)]
)
def test_easiness_update_for_every_grade(quality: int, easiness: float) -> None:
    assert review(Sm2State(), quality).easiness == pytest.approx(easiness)


def test_floor_applies_to_lapses_too() -> None:
    assert review(Sm2State(2, 1.4, 6), 0).easiness == pytest.approx(1.3)


def test_easiness_has_no_cap() -> None:
    assert review(Sm2State(4, 3.5, 10), 5).easiness == pytest.approx(3.6)


@pytest.mark.parametrize("quality", [-1, 6, 2.5, "4", None, True])
def test_quality_out_of_range_is_rejected(quality: object) -> None:
    with pytest.raises(ValueError, match="quality"):
        review(Sm2State(), quality)  # type: ignore[arg-type]


def test_review_does_not_mutate_its_input() -> None:
    state = Sm2State(2, 2.5, 6)
    review(state, 5)
    assert state == Sm2State(2, 2.5, 6)


qualities = st.lists(st.integers(0, 5), min_size=1, max_size=60)


@given(qualities)
def test_invariants_hold_for_any_grade_sequence(grades: list[int]) -> None:
    state = Sm2State()
    for quality in grades:
        before = state
        state = review(state, quality)
        assert state.easiness >= 1.3 - 1e-12
        assert state.interval_days >= 1
        assert round(state.easiness * 100) == pytest.approx(state.easiness * 100)
        if quality < 3:
            assert state.repetitions == 0
            assert state.interval_days == 1
        else:
            assert state.repetitions == before.repetitions + 1
            assert state.interval_days >= before.interval_days or before.repetitions == 0


@given(st.integers(2, 50), st.integers(130, 400), st.integers(1, 5000))
def test_third_and_later_pass_multiplies_with_the_old_easiness(
    reps: int, easiness_centi: int, interval: int
) -> None:
    after = review(Sm2State(reps, easiness_centi / 100, interval), 4)
    exact = interval * easiness_centi
    assert after.interval_days == -(-exact // 100)
