"""The conventions b12plan chose where the reference is vague ([C]), named in each plan they shape.

The reference asks that every [C] choice be visible to the clinician. A protocol's own choices
(gap patterns, provisional doses) live in its TOML file; the engine-wide ones are here, and a
plan lists only those that applied to it.
"""

from __future__ import annotations

from typing import Final

AUTOMATIC_CHOICE: Final = (
    "Automatic protocol choice: cyanocobalamin → us-cyano-1000; otherwise Leber's disease → "
    "uk-hydroxo-leber, neurological involvement → uk-bnf-hydroxo-neuro, dietary cause → "
    "uk-hydroxo-dietary, else uk-bnf-hydroxo-nonneuro; prophylaxis protocols only when named "
    "[C]."
)
MONTH_ARITHMETIC: Final = (
    "Maintenance months are counted from an anchor (the last repletion dose, the start date "
    "without repletion, an adjusted dose, or a dose given off its planned date): month ends "
    "clamp (Jan 31 → Feb 28/29) and a clamped date is never chained from [C]."
)
LAB_BANDS: Final = (
    "Labs are compared in the unit reported; the indeterminate band includes both boundaries "
    "(total B12 180 and 350 ng/L, 133 and 258 pmol/L; active B12 25 and 70 pmol/L); MMA is high "
    "above the lab's ref_high, else 0.45 µmol/L; same-day results agree if equal in one unit or "
    "within 1% across units [C]."
)
CENSORED: Final = (
    "A censored result (<, <=, >, >=) is read as its bound with the comparator kept; where the "
    "bound does not settle the band, as the band nearer deficiency (or the risk the test is "
    "read for) among those it could be in [C]."
)
FOLLOW_UP: Final = (
    "Follow-up tests follow common NHS practice; day 0 is the first dose given (before any, the "
    "first planned dose, or as_of when that dose is overdue), and a result from before day 0 "
    "completes no check after it; serum folate from 90 days before day 0 to day 0; a "
    "patient whose loading course is on record has the review only [C]."
)
ADJUSTMENT: Final = (
    "Interval adjustment: a cycle runs from one dose to the next and an event on the day of a "
    "dose belongs to the cycle that dose ends; the first maintenance cycle opens the day after "
    "the last repletion dose is given, and symptoms or labs before it change nothing; in a "
    "cycle, decisions apply in date order, at most one automatic shortening, and on the day of "
    "a clinician's change the clinician wins; the engine never lengthens an interval (only a "
    "clinician's change does); with eGFR below 30 on a lab's date, MMA and homocysteine do not "
    "shorten, nor does a homocysteine with a low folate known on its date [C]."
)
RECORDS: Final = (
    "Records: a clinician's interval change applies from its date (the single interval field "
    "is dated as_of): the next dose is the later of that date and the last given dose + the new "
    "interval; a recorded miss belongs to the first dose not given by its date and keeps it "
    "owed; with repletion_done the first dose on record anchors maintenance; an INR over the "
    "range (default 3.0) in the 7 days before an IM dose holds it [C]."
)
OVERDUE_RECHECK: Final = (
    "The INR recheck before the overdue dose runs from 7 days before the day it is re-planned "
    "as given (as_of, or the next open day) to that day, opening no earlier than the day after "
    "the high INR, since only a later INR completes it: it is never overdue at once [C]."
)
FORECAST: Final = (
    "Forecast from today: of the doses not yet given, the first dated before as_of is the one "
    "overdue dose; every later dose is planned as if it were given on as_of (the next open day "
    "where a clinic is named); a dose given up to 7 days late in maintenance, or 2 in "
    "repletion, is on time; LAPSED once the overdue dose is more than one maintenance interval "
    "late, or a maintenance dose came more than two intervals after the one before [C]."
)
CLINIC: Final = (
    "Clinic days: a planned dose on a closed day moves to the next open day; repletion gaps "
    "count from the moved date, maintenance months from the unmoved one, so the course never "
    "drifts; follow-up windows do not move [C]."
)


def plan_conventions(
    *,
    chosen_automatically: bool,
    has_labs: bool,
    blocked: bool,
    month_based: bool,
    has_follow_up: bool,
    adjustment_judged: bool,
    clinic: bool,
    record: bool,
    forecast: bool,
    overdue_recheck: bool,
) -> list[str]:
    """The engine-wide conventions that shaped one plan, in a stable order."""
    out = []
    if chosen_automatically:
        out.append(AUTOMATIC_CHOICE)
    if not blocked and month_based:
        out.append(MONTH_ARITHMETIC)
    if not blocked and adjustment_judged:
        out.append(ADJUSTMENT)
    if not blocked and record:
        out.append(RECORDS)
    if not blocked and overdue_recheck:
        out.append(OVERDUE_RECHECK)
    if not blocked and forecast:
        out.append(FORECAST)
    if not blocked and clinic:
        out.append(CLINIC)
    if has_labs:
        out.append(LAB_BANDS)
    if not blocked and has_follow_up:
        out.append(FOLLOW_UP)
    return out
