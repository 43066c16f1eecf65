"""The closed vocabularies of `b12plan.vocab` as types: what the models declare their fields
with, and what the type checker reads everywhere else (only the models import this module when a
command runs; a test keeps each type equal to its tuple).
"""

from __future__ import annotations

from typing import Literal

Product = Literal["hydroxocobalamin", "cyanocobalamin"]
Route = Literal["im", "sc", "iv"]
Sex = Literal["female", "male"]
Analyte = Literal[
    "b12",
    "active-b12",
    "mma",
    "homocysteine",
    "hb",
    "mcv",
    "folate",
    "potassium",
    "egfr",
    "platelets",
    "inr",
    "retic",
]
Severity = Literal["info", "warning", "block"]
Phase = Literal["repletion", "maintenance"]
Status = Literal["given", "overdue", "due", "planned", "provisional"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MissReason = Literal["declined", "did-not-attend", "unavailable", "other"]
FollowUpStatus = Literal["done", "overdue", "due", "planned"]
StopReason = Literal[
    "cause-corrected", "switched-to-oral", "transferred-out", "declined", "died", "other"
]
Comparator = Literal["<", ">", "<=", ">="]
