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
# The review after a stop (engine/stopping.py), told apart from the course's own by its source.
STOP_REVIEW = (
    "Check-up with your practice",
    "3 months after your injections stopped: how you are without them",
)
# A test the words above do not know (none today): its name, and this in place of the
# engine's reason, which may cite guideline codes.
OTHER_TEST_WHY = "your practice will explain what it is for"

OPEN_REVIEW = "clinical review (repletion response)"

# Checks for the first days of treatment (before or with the first dose, its first 48 hours, the
# response in its first week or two). Missed, their moment passes: one whose window closed more
# than START_CHECK_GRACE_DAYS before the plan's date leaves the patient's page, as asking about
# it no longer helps the patient [C]; the clinician's plan still shows it overdue.
START_CHECKS = frozenset(
    {"serum folate", "serum potassium", "reticulocytes and FBC", "haematocrit and reticulocytes"}
)
START_CHECK_GRACE_DAYS = 28

TEST_STATUS = {
    "done": "Done",
    # A test's window may be long gone: what matters is that no result is on record.
    "overdue": "Date passed, no result on record: ask your practice",
    "due": "Due now",
    "planned": "",
}
# A check-up has no result to wait for: what is missing is the appointment itself. Every
# review's test is named so ("clinical review", "... (pregnancy)", "... (repletion response)").
REVIEW_TEST = "clinical review"
REVIEW_OVERDUE = "Date passed, not yet recorded as done: ask your practice to book it"

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
OVERDUE_THEN = (
    "Your injection due on {due} has not been given yet. The dates after it assume you have it "
    "now; if you have it later, ask your practice for new dates."
)
# Said of the overdue dose when the plan holds it for an INR check, or when treatment lapsed.
OVERDUE_HELD = "Because of your blood thinner, have your INR blood test first."
OVERDUE_LAPSED = (
    "It has been a long time since your last injection: talk to your practice about "
    "restarting, as you may need a new course of loading injections."
)

# Open loading courses: how often, and until when, by protocol (the neurological course for any
# other protocol that leaves a plan incomplete).
OPEN_COURSE = {
    "uk-hydroxo-leber": (
        "one injection every day for 2 weeks, then two a week for as long as your eyesight is "
        "still getting better."
    ),
}
OPEN_COURSE_DEFAULT = "one injection every other day until your nerve symptoms stop getting better."

# How long maintenance goes on, when the cause can end: by the finding that says why.
DURATION_LIFELONG = (
    "for the rest of your life. The cause of your deficiency does not go away, and without "
    "injections it comes back."
)
DURATION_VEGAN = (
    "for as long as you follow a vegan diet, which for most people means for the rest of "
    "their life: plant foods alone do not give your body enough vitamin B12."
)
DURATION_MEDICATION = (
    "for as long as you take the medicine that lowers your vitamin B12. Keep taking that "
    "medicine: your prescriber will review it with you."
)
DURATION_REVIEWED = (
    "but not necessarily for life: your practice will review whether you still need them."
)

# A stop, as the STOPPED finding names its reason.
STOPPED_TITLE = "Your injections have stopped"
STOPPED_LINES = {
    "cause corrected": "Your practice has found that the cause of your low vitamin B12 has "
    "been dealt with.",
    "switched to oral B12": "You now take vitamin B12 as tablets instead: take them every day, "
    "as prescribed.",
    "transferred out": "Your care has moved to another practice: they will plan your "
    "injections from now on.",
    "declined by the patient": "You have decided not to have more injections. You can change "
    "your mind at any time: talk to your practice.",
    "other reason": "Talk to your practice if you have any questions about this.",
}

MISSED_REASONS = {
    "declined": "declined",
    "did-not-attend": "did not attend",
    "unavailable": "not available",
    "other": "other reason",
}

# Findings a patient should hear about, in their words. Codes mapped to None are already told
# elsewhere on the page (phase, dates, check-ups); any other warning gets GENERIC_NOTE, so no
# warning is silently left out of the patient's copy (and no guideline code reaches it).
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
        "starting, and your doctor may ask a specialist for advice. If you are pregnant, keep "
        "taking folic acid as advised in pregnancy."
    ),
    "HYPOKALAEMIA_RISK": (
        "Your blood count is very low. The potassium in your blood can fall when treatment "
        "starts, so you have a potassium blood test in the first days."
    ),
    "MEDICATION_CAUSE": (
        "A medicine you take (such as metformin, or one that reduces stomach acid) may be the "
        "cause. Keep taking it: do not stop any medicine without asking your prescriber. Your "
        "injections go on for as long as you take it."
    ),
    "N2O_STOP": (
        "Nitrous oxide (laughing gas, also called nos or balloons) destroys vitamin B12 in your "
        "body. Stopping it is the most important part of your treatment: while you keep using "
        "it, the injections cannot keep up. Your practice can help you stop."
    ),
    "LAPSED": (
        "It has been a long time since your last vitamin B12 injection. Talk to your practice "
        "about restarting: you may need a new course of loading injections."
    ),
    "LEBER_HYDROXO": (
        "Because of your eye condition (Leber's), you must only have hydroxocobalamin "
        "injections, never cyanocobalamin: tell anyone who treats you."
    ),
    "SEVERE_ANAEMIA": (
        "Your blood count is very low: you need to see a doctor the same day. Do not wait for "
        "your injection date."
    ),
    "ANAEMIA_ON_TREATMENT": (
        "Your blood count is still low, even with injections. Your doctor will look for "
        "another cause and may ask for more tests."
    ),
    "THROMBOCYTOPENIA_IM": (
        "Your platelets (the cells that help blood clot) are low, so you bruise easily. Tell "
        "the nurse before each injection."
    ),
    "INR_RECHECK": (
        "You need a new INR blood test (for your blood thinner) before your next injection."
    ),
    "STOP_IRREVERSIBLE": (
        "Your kind of vitamin B12 deficiency usually needs treatment for life. Talk to your "
        "practice before you stop for good."
    ),
    "DIETARY_ORAL_OPTION": (
        "Once your body's store of B12 is refilled, daily B12 tablets may be an option instead "
        "of injections. Ask your practice."
    ),
    "LIFELONG": None,
    "VEGAN_DIET": None,
    "STOPPED": None,
    "CAUSE_REVERSIBLE_REVIEW": None,
    "OVERDUE_DOSE": None,
    "NEURO_REPLETION_OPEN": None,
}


GENERIC_NOTE = (
    "Your prescriber has a note about your plan: ask them about it at your next appointment."
)


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
