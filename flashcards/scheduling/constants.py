"""The grade thresholds and easiness bounds, defined once.

Every layer compares grades against these names rather than bare numbers, so
"what counts as a pass" cannot drift between the scheduler, the session, the
statistics and the exam review. This module imports nothing from the project:
the domain model itself takes its starting easiness from here.
"""

from __future__ import annotations

from typing import Final

PASS_GRADE: Final = 3
"""SM-2: a grade of 3 or more is a successful recall; below it the card lapses."""

RIGHT_GRADE: Final = 4
"""SM-2's re-drill line: a first answer below 4 comes back the same day; 4+ is "right"."""

INITIAL_EASINESS_CENTI: Final = 250
"""SM-2's starting easiness factor, 2.5, in hundredths."""

MIN_EASINESS_CENTI: Final = 130
"""SM-2's floor for the easiness factor, 1.3, in hundredths."""

LEECH_LAPSES: Final = 8
"""A card is marked a leech (tagged and suspended) at every 8th lapse, as in Anki."""
