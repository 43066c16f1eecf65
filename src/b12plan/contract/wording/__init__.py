"""Regimens as prescribers write them: "hydroxocobalamin 1mg IM alt days x6 then 3/12".

`read_regimen(text)` gives the `Reading` (the check document's `read`), or `WordingError`, one
line naming the words that could mean two things, the readings, and wording that would be
read: never a guess. The compact grammar (`1000mcg im every 2d x6; 1000mcg im every 3mo`)
reads the same as ever. The conventions are the clinical reference's "Reading prescribers'
wording" (2026-12-07), rules [R1]-[R12]; `tokens` cuts the text, `items` holds a rule per
convention, `parser` splits and completes the phases, `reading` is what comes out (with its
plain-words rendering, which reads back to the same reading). Pure: no I/O, no pydantic.
"""

from b12plan.contract.wording.parser import MAX_COUNT, MAX_STEPS, read_regimen
from b12plan.contract.wording.reading import (
    NO_FURTHER_IMPROVEMENT,
    Reading,
    ReadStep,
    WordingError,
    describe,
    dose_count,
    plain_words,
    week_gaps,
)

__all__ = [
    "MAX_COUNT",
    "MAX_STEPS",
    "NO_FURTHER_IMPROVEMENT",
    "ReadStep",
    "Reading",
    "WordingError",
    "describe",
    "dose_count",
    "plain_words",
    "read_regimen",
    "week_gaps",
]
