"""The handout's words: plain English for the plan's codes, dates and amounts.

Kept apart from the page's logic (`render/handout.py`) so the wording can be read, and
reviewed by a clinician, in one place.
"""

from __future__ import annotations

from datetime import date

from b12plan.contract.intervals import Interval
from b12plan.contract.vocab import DAY_NAMES

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

ROUTES = {
    "im": "into a muscle (intramuscular)",
    "sc": "under the skin (subcutaneous)",
    "iv": "into a vein (intravenous)",
}

# What each follow-up of the engine is, and why it matters, in words a patient knows.
PLAIN_TESTS: dict[str, tuple[str, str]] = {
    "reticulocytes and FBC": (
        "Blood test: full blood count and reticulocytes",
        "shows that your body has started making new red blood cells",
    ),
    "haematocrit and reticulocytes": (
        "Blood test: haematocrit and reticulocytes",
        "shows that your body has started making new red blood cells",
    ),
    "FBC": ("Blood test: full blood count", "checks that your blood count has recovered"),
    "serum potassium": (
        "Blood test: potassium",
        "potassium in the blood can fall when treatment starts",
    ),
    "clinical review": (
        "Check-up with your practice",
        "to see how you feel and plan the rest of your treatment",
    ),
    "clinical review (pregnancy)": (
        "Check-up with your practice (pregnancy)",
        "an extra check while you are pregnant or breastfeeding",
    ),
    "clinical review (repletion response)": (
        "Check-up with your practice",
        "your doctor decides whether the loading injections can stop",
    ),
    "serum folate": (
        "Blood test: folate",
        "folate is another vitamin your blood needs; it is best checked before or with your "
        "first injection",
    ),
    "INR recheck": (
        "Blood test: INR (for your blood thinner)",
        "your injection waits until this test is back in your target range",
    ),
}

OPEN_REVIEW = "clinical review (repletion response)"

TEST_STATUS = {
    "done": "Done",
    # A test's window may be long gone: what matters is that no result is on record.
    "overdue": "Date passed, no result on record: ask your practice",
    "due": "Due now",
    "planned": "",
}

INR_HOLD_NOTE = (
    "Your INR blood test (for your blood thinner) on {day} was higher than your target. An "
    "injection in the week after that test may need to wait until your INR is back in range: "
    "ask your practice before you come in."
)

DOSE_STATUS = {
    "overdue": "Overdue: please book it now",
    "due": "Due now",
    "provisional": "To be confirmed",
    "planned": "",
}

MISSED_REASONS = {
    "declined": "declined",
    "did-not-attend": "did not attend",
    "unavailable": "not available",
    "other": "other reason",
}

# Findings a patient should hear about, in their words. Codes mapped to None are already told
# elsewhere on the page (phase, dates, check-ups); any other warning gets a generic line, so no
# warning is silently left out of the patient's copy.
PATIENT_NOTES: dict[str, str | None] = {
    "ANTICOAG_IM": (
        "You take a medicine that thins your blood, or you bruise or bleed easily. Tell the "
        "nurse before each injection: they will press on the site afterwards and may give it "
        "another way."
    ),
    "COBALT_ALLERGY": (
        "You are allergic to cobalt. A reaction can come up to 3 days after an injection: get "
        "urgent help for swelling of the face, lips or throat, difficulty breathing, or a "
        "widespread rash."
    ),
    "FOLATE_ALONE": (
        "You started folic acid before your B12 treatment. Keep having your B12 injections: "
        "folic acid alone can make blood tests look better while nerve damage goes on."
    ),
    "NEURO_URGENT": (
        "Your nerves are affected, so your treatment should start without delay. Your doctor "
        "may also ask a specialist for advice the same day."
    ),
    "PREGNANCY": (
        "Because you are pregnant or breastfeeding, you have an extra check-up one month after "
        "starting, and your doctor may ask a specialist for advice."
    ),
    "HYPOKALAEMIA_RISK": (
        "Your blood count is very low. The potassium in your blood can fall when treatment "
        "starts, so you have a potassium blood test in the first days."
    ),
    "MEDICATION_CAUSE": (
        "A medicine you take (such as metformin, or one that reduces stomach acid) may be the "
        "cause. Your prescriber will review it: do not stop any medicine without asking them."
    ),
    "DIETARY_ORAL_OPTION": (
        "Once your body's store of B12 is refilled, daily B12 tablets may be an option instead "
        "of injections. Ask your practice."
    ),
    "LIFELONG": None,
    "CAUSE_REVERSIBLE_REVIEW": None,
    "OVERDUE_DOSE": None,
    "NEURO_REPLETION_OPEN": None,
}


def long_date(day: date) -> str:
    """`Tuesday 1 December 2026`, in English whatever the locale (strftime would follow it)."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: date) -> str:
    """`Tue 1 Dec 2026`: day before month, so it reads the same in the UK and the US."""
    return f"{DAY_NAMES[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def day_month(day: date) -> str:
    """`Sat 12 Dec`: a date near the one it is read beside, whose year goes without saying."""
    return short_date(day).rsplit(" ", 1)[0]


def dose_amount(dose_mcg: float) -> str:
    """`1 mg` for whole milligrams, else `100 micrograms` (never the ambiguous `mcg`)."""
    if dose_mcg >= 1000 and dose_mcg % 1000 == 0:
        return f"{dose_mcg / 1000:g} mg"
    return f"{dose_mcg:g} micrograms"


def every(interval: str) -> str:
    """`3mo` -> `every 3 months`; a single unit reads `every month`."""
    parsed = Interval.parse(interval)
    words = parsed.words()
    return f"every {words.split(' ', 1)[1]}" if parsed.value == 1 else f"every {words}"
