"""The words of prescribers' wording the parser knows, each with what it means.

The conventions are those of the clinical reference, "Reading prescribers' wording" (its rule
numbers are cited as [R1]..[R12]); error-prone abbreviations follow ISMP's list; count and
duration follow the open-source sig parser ezmedicationinput. Tables only: the parser
(`parser.py`) applies them.
"""

from __future__ import annotations

from typing import Final

# [R1] Mass units: the dose is kept in micrograms (mg x 1000). µ (U+00B5) and μ (U+03BC).
MASS_UNITS: Final = {
    "mcg": 1, "mcgs": 1, "µg": 1, "μg": 1, "ug": 1, "microgram": 1, "micrograms": 1,
    "microgramme": 1, "microgrammes": 1,
    "mg": 1000, "mgs": 1000, "milligram": 1000, "milligrams": 1000, "milligramme": 1000,
    "milligrammes": 1000,
}  # fmt: skip
# [R1] A volume counts only with a stated strength.
VOLUME_UNITS: Final = frozenset(
    {"ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters", "cc"}
)
AMPOULES: Final = frozenset(
    {"amp", "amps", "ampoule", "ampoules", "ampule", "ampules", "vial", "vials"}
)

# [R3] Routes. "inj" alone says no route.
ROUTE_WORDS: Final = {
    "im": "im", "imi": "im", "intramuscular": "im", "intramuscularly": "im",
    "sc": "sc", "sq": "sc", "subcut": "sc", "subcutaneous": "sc", "subcutaneously": "sc",
    "subcutaneous(ly)": "sc",
    "po": "oral", "oral": "oral", "orally": "oral", "tablet": "oral", "tablets": "oral",
    "tab": "oral", "tabs": "oral",
    # IV is no route of these protocols, but the compact grammar reads it and `check`
    # reports it (IV_ROUTE), so it is read rather than refused.
    "iv": "iv", "intravenous": "iv", "intravenously": "iv",
}  # fmt: skip
ROUTE_PHRASES: Final = {
    ("into", "the", "muscle"): "im",
    ("in", "the", "muscle"): "im",
    ("deep", "im"): "im",
    ("under", "the", "skin"): "sc",
    ("deep", "sc"): "sc",
    ("deep", "subcut"): "sc",
    ("deep", "subcutaneous"): "sc",
    ("deep", "subcutaneously"): "sc",
    ("by", "mouth"): "oral",
}
# Routes that are not injections, nor the oral route check reports: refused, named.
OTHER_ROUTES: Final = {
    "sl": "sublingual",
    "sublingual": "sublingual",
    "sublingually": "sublingual",
    "nasal": "nasal",
    "intranasal": "nasal",
    "intranasally": "nasal",
    "spray": "nasal",
    "topical": "topical",
    "patch": "transdermal",
}

# [R11] Products, brand names included; B12 / Vit B12 say no product.
PRODUCT_WORDS: Final = {
    "hydroxocobalamin": "hydroxocobalamin",
    "hydroxo": "hydroxocobalamin",
    "neo-cytamen": "hydroxocobalamin",
    "neocytamen": "hydroxocobalamin",
    "cobalin-h": "hydroxocobalamin",
    "cobalinh": "hydroxocobalamin",
    "cyanocobalamin": "cyanocobalamin",
    "cytamen": "cyanocobalamin",
    "cyano": "cyanocobalamin",
}
NO_PRODUCT_WORDS: Final = frozenset({"b12", "vitb12", "cobalamin"})
VITAMIN_WORDS: Final = frozenset({"vit", "vitamin"})
# [R12] Cobalamins b12plan has no protocol for.
OTHER_COBALAMINS: Final = frozenset(
    {"methylcobalamin", "mecobalamin", "adenosylcobalamin", "cobamamide", "methyl-b12"}
)
# [R11] Misspellings: a word this close to a product's name (edits) and not to the other's.
MISSPELT_WITHIN: Final = 2

# [R4] Time units as written: days, weeks, months; hours and years are converted.
TIME_UNITS: Final = {
    "d": "d", "day": "d", "days": "d", "dy": "d", "dys": "d",
    "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "mo": "mo", "mos": "mo", "mth": "mo", "mths": "mo", "month": "mo", "months": "mo",
    "mnth": "mo", "mnths": "mo",
    "h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
    "y": "y", "yr": "y", "yrs": "y", "year": "y", "years": "y",
}  # fmt: skip
# [R4] One word, one interval (value, unit). "fortnightly" is UK for every 2 weeks.
INTERVAL_WORDS: Final = {
    "daily": (1, "d"), "od": (1, "d"), "qday": (1, "d"), "everyday": (1, "d"),
    "weekly": (1, "w"), "qweek": (1, "w"), "qwk": (1, "w"), "fortnightly": (2, "w"),
    "monthly": (1, "mo"), "qmonth": (1, "mo"), "qmo": (1, "mo"), "quarterly": (3, "mo"),
    "yearly": (12, "mo"), "annually": (12, "mo"),
    "eod": (2, "d"),
}  # fmt: skip
# The words after which `alternate`, `alt` and `alternative` name their unit.
ALTERNATE: Final = frozenset({"alternate", "alt", "alternative"})
# Per-unit words in "N times a week", "3x weekly", "once daily".
PER_WORDS: Final = {"daily": "d", "weekly": "w", "monthly": "mo", "yearly": "y", "annually": "y"}
# [R4] Every Nth unit, when the unit is a word of its own: "3-monthly", "8 weekly".
N_LY: Final = {"daily": "d", "weekly": "w", "monthly": "mo", "yearly": "y", "hourly": "h"}

# [R5] Times a week in one word.
TIMES_WORDS: Final = {"once": 1, "twice": 2, "thrice": 3}

# [R6] Words that make a number a count of doses.
DOSE_WORDS: Final = frozenset({"dose", "doses", "injection", "injections", "inj", "injs"})

# [R8] "until no further improvement" and its spellings, after `until`/`while`/`as long as`.
UNTIL_PHRASES: Final = (
    ("until", "no", "further", "improvement"),
    ("until", "there", "is", "no", "further", "improvement"),
    ("until", "no", "more", "improvement"),
    ("until", "there", "is", "no", "more", "improvement"),
    ("until", "symptoms", "stop", "improving"),
    ("until", "improvement", "stops"),
    ("as", "long", "as", "improvement", "continues"),
    ("as", "long", "as", "symptoms", "improve"),
    ("as", "long", "as", "symptoms", "are", "improving"),
    ("while", "improvement", "continues"),
    ("while", "improving"),
    ("while", "symptoms", "improve"),
    ("while", "symptoms", "are", "improving"),
)
# [R8] Add nothing: the last phase already goes on.
LIFELONG_PHRASES: Final = (
    ("for", "life"),
    ("lifelong",),
    ("life-long",),
    ("life", "long"),
)

# [R10] Between phases. `,` splits only where both sides say how often (see the parser).
SEPARATOR_WORDS: Final = frozenset({"then", "thereafter"})
SEPARATOR_PHRASES: Final = (
    ("followed", "by"),
    ("and", "then"),
    ("after", "that"),
    ("after", "which"),
)
SEPARATOR_SYMBOLS: Final = frozenset({";", "→", "-", "–", "—", "−"})
LABEL_WORDS: Final = frozenset({"maintenance", "loading", "initially", "initial", "repletion"})

# Words that say nothing the check needs.
FILLER_WORDS: Final = frozenset(
    {
        "inject", "injection", "inj", "give", "given", "administer", "administered", "on",
        "of", "at", "the", "total", "dose", "and", "in", "a", "an", "sig", "take", "or",
    }
)  # fmt: skip
# `/` between words, as in `IM/SC`: each side is read (two routes are then refused).
FILLER_SYMBOLS: Final = frozenset({".", ":", "'", '"', "’", "/"})

# [R12] Words refused on sight: what they could mean, and what to write instead.
REFUSED_WORDS: Final = {
    "biweekly": ("could mean twice a week or every 2 weeks", "twice a week", "every 2 weeks"),
    "bi-weekly": ("could mean twice a week or every 2 weeks", "twice a week", "every 2 weeks"),
    "bimonthly": ("could mean twice a month or every 2 months", "every 2 months"),
    "bi-monthly": ("could mean twice a month or every 2 months", "every 2 months"),
    "semiweekly": ("could mean twice a week or every 2 weeks", "twice a week", "every 2 weeks"),
    "semimonthly": ("is twice a month: not a whole number of months", "every 2 weeks"),
    "tiw": ("(ISMP error-prone) is read as 3 times a week, 3 times a day or twice a week",
            "3 times a week"),
    "biw": ("(ISMP error-prone) is read as twice a week or twice a day", "twice a week"),
    "qd": ("(ISMP error-prone) is read as daily or as 'qid', four times a day", "daily"),
    "qod": ("(ISMP error-prone) is read as every other day, daily or four times a day",
            "every other day"),
}  # fmt: skip
# [R12] Several injections a day: never an injection schedule. The word and what it says.
SEVERAL_A_DAY: Final = {
    "bd": "twice a day", "bid": "twice a day", "tds": "three times a day",
    "tid": "three times a day", "qds": "four times a day", "qid": "four times a day",
    "qh": "every hour", "hourly": "every hour", "bis": "twice a day",
}  # fmt: skip
AS_NEEDED_PHRASES: Final = (
    ("as", "needed"),
    ("as", "required"),
    ("when", "required"),
    ("if", "required"),
)
