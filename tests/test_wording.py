"""Reading prescribers' wording (`b12plan.contract.wording`): a test per convention of the
clinical reference's "Reading prescribers' wording" (R1-R12), the tokenizer, the refusals and
the wordings they offer, and the round trips (compact grammar, plain words)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import b12plan
from b12plan.contract import grammar
from b12plan.contract.intervals import Interval
from b12plan.contract.wording import (
    NO_FURTHER_IMPROVEMENT,
    Reading,
    ReadStep,
    WordingError,
    dose_count,
    plain_words,
    read_regimen,
    week_gaps,
)
from b12plan.contract.wording.tokens import tokenize

NFI = NO_FURTHER_IMPROVEMENT
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def steps(text: str) -> list[tuple[Any, ...]]:
    """(dose_mcg, route, every, times_per_week, count, for, until) of each step read."""
    return [
        (s.dose_mcg, s.route, s.every and str(s.every), s.times_per_week, s.count,
         s.duration and str(s.duration), s.until)
        for s in read_regimen(text).steps
    ]  # fmt: skip


def refused(text: str) -> WordingError:
    """The refusal of `text` (fails the test if it reads)."""
    with pytest.raises(WordingError) as caught:
        read_regimen(text)
    return caught.value


def every(dose: float, route: str | None, interval: str, **end: Any) -> tuple[Any, ...]:
    """A step read as `every`, with its end (count, for, until) if any."""
    return (dose, route, interval, None, end.get("count"), end.get("for"), end.get("until"))


# ---------------------------------------------------------------- the tokenizer


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("1,000 mcg", [("num", "1000"), ("word", "mcg")]),
        ("twenty-eight days", [("num", "28"), ("word", "days")]),
        ("one hundred and fifty", [("num", "150")]),
        ("i.m. s/c e.o.d.", [("word", "im"), ("word", "sc"), ("word", "eod")]),
        ("Neo-Cytamen Cobalin-H", [("word", "neo-cytamen"), ("word", "cobalin-h")]),
        ("Vit B12", [("word", "vit"), ("word", "b12")]),
        ("every 2nd day", [("word", "every"), ("ord", "2"), ("word", "day")]),
        ("x6,100", [("word", "x"), ("num", "6100")]),
        ("6,1000", [("num", "6"), ("sym", ","), ("num", "1000")]),
        ("３", [("sym", "３")]),
    ],
)
def test_tokens(text: str, tokens: list[tuple[str, str]]) -> None:
    """Numbers, number words, dotted abbreviations, brand names and ordinals are one token each;
    a digit of another script is a symbol the parser refuses."""
    got = [(t.kind, str(t.value) if t.value is not None else t.word) for t in tokenize(text)]
    assert got == tokens


def test_tokens_know_where_they_stand() -> None:
    """Each token keeps its place in the text, so an error can point at it."""
    token = tokenize("1mg IM  qid")[-1]
    assert (token.text, token.start, token.end) == ("qid", 8, 11)


# ---------------------------------------------------------------- R1 dose


@pytest.mark.parametrize(
    ("text", "dose"),
    [
        ("1mg IM monthly", 1000),
        ("1000mcg IM monthly", 1000),
        ("1000 µg IM monthly", 1000),
        ("1000 μg IM monthly", 1000),
        ("1000ug IM monthly", 1000),
        ("500 micrograms IM monthly", 500),
        ("one milligram IM monthly", 1000),
        ("1,000 mcg IM monthly", 1000),
        ("0.5 mg IM monthly", 500),
        ("Vit B12 inj 1mg/1ml 3 monthly", 1000),
        ("1 mL of 1000 mcg/mL IM monthly", 1000),
        ("2 ampoules of 1mg/1ml IM monthly", 2000),
        ("Inject 1 mL (1,000 mcg total) into the muscle monthly", 1000),
    ],
)
def test_r1_dose_in_micrograms(text: str, dose: int) -> None:
    """R1: mg x 1000; mcg, µg, μg, ug, micrograms, number words, `1,000`; a volume with a
    strength; a strength alone on a single-dose ampoule is one ampoule."""
    assert steps(text)[0][0] == dose


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1 amp IM monthly", "is a volume with no strength"),
        ("1ml IM monthly", "is a volume with no strength"),
        ("1000 mcg/mL IM monthly", "is a strength, not a dose"),
        ("1000 IM monthly", "is a number with no unit"),
        ("B12 injection every 3 months", "no dose"),
        ("1 mL (500 mcg total) of 1mg/1ml IM monthly", "disagrees with the strength"),
        ("250 micrograms to 1mg IM monthly", "dose is a range"),
        ("200mg IM monthly", "at most 100000 mcg"),
    ],
)
def test_r1_a_dose_that_cannot_be_known_is_refused(text: str, why: str) -> None:
    """R1/R12: no dose, no unit, a volume or ampoule with no strength, a dose range."""
    assert why in str(refused(text))


# ---------------------------------------------------------------- R2 carry


def test_r2_dose_route_and_drug_carry_and_a_restated_dose_replaces() -> None:
    """R2: dose, route and drug said once carry to later phases; a restated dose replaces."""
    read = read_regimen("hydroxo 1mg IM alt days x6 then 500mcg weekly x4 then 3-monthly")
    assert read.product == "hydroxocobalamin"
    assert [(s.dose_mcg, s.route) for s in read.steps] == [
        (1000, "im"),
        (500, "im"),
        (500, "im"),
    ]


def test_r2_nothing_carries_backwards() -> None:
    """A dose said only in a later phase is not the first phase's: refused, not guessed."""
    assert "no dose" in str(refused("IM alt days x6 then 1mg monthly"))


# ---------------------------------------------------------------- R3 route


@pytest.mark.parametrize(
    ("words", "route"),
    [
        ("IM", "im"), ("i.m.", "im"), ("IMI", "im"), ("intramuscular", "im"),
        ("intramuscularly", "im"), ("into the muscle", "im"), ("SC", "sc"), ("SQ", "sc"),
        ("s/c", "sc"), ("s.c.", "sc"), ("subcut", "sc"), ("under the skin", "sc"),
        ("deep SC", "sc"), ("PO", "oral"), ("orally", "oral"), ("by mouth", "oral"),
        ("tablets", "oral"), ("inj", None), ("IV", "iv"),
    ],
)  # fmt: skip
def test_r3_routes(words: str, route: str | None) -> None:
    """R3: each spelling of a route; `inj` alone says none."""
    assert steps(f"1mg {words} monthly")[0][1] == route


@pytest.mark.parametrize("text", ["1mg IM or SC monthly", "1mg IM/SC monthly"])
def test_r3_two_routes_are_refused(text: str) -> None:
    """Two routes in one phase: which one? Refused."""
    assert "two routes in one phase" in str(refused(text))


# ---------------------------------------------------------------- R4 units as written


@pytest.mark.parametrize(
    ("words", "interval"),
    [
        ("every 12 weeks", "12w"), ("every 3 months", "3mo"), ("every 28 days", "28d"),
        ("every 48 hours", "2d"), ("quarterly", "3mo"), ("monthly", "1mo"), ("weekly", "1w"),
        ("fortnightly", "2w"), ("daily", "1d"), ("od", "1d"), ("every day", "1d"),
        ("every year", "12mo"), ("alternate days", "2d"), ("alt days", "2d"),
        ("alternative days", "2d"), ("on alternate days", "2d"), ("EOD", "2d"),
        ("every other day", "2d"), ("every 2nd day", "2d"), ("every second day", "2d"),
        ("q2d", "2d"), ("q2mo", "2mo"), ("q4w", "4w"), ("q 3 months", "3mo"), ("q48h", "2d"),
        ("3-monthly", "3mo"), ("3 monthly", "3mo"), ("8-weekly", "8w"), ("once a month", "1mo"),
        ("once every 3 months", "3mo"), ("twice a year", "6mo"), ("every fortnight", "2w"),
    ],
)  # fmt: skip
def test_r4_intervals_keep_their_units(words: str, interval: str) -> None:
    """R4: units stay as written (12 weeks is 12w, not 3mo); hours become days; quarterly,
    alternate days and their spellings."""
    assert steps(f"1mg IM {words}") == [every(1000, "im", interval)]


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("every 12 hours", "several injections a day"),
        ("every 36 hours", "not a whole number of days"),
        ("every 1.5 months", "a fraction of a month"),
        ("twice a month", "a fraction of a month"),
        ("every 1000 days", "from 1 to 999"),
        ("every 6", "interval has no unit"),
        ("B12 100 monthly", "could be a dose of 100 with no unit"),
    ],
)
def test_r4_intervals_that_cannot_be_dated(words: str, why: str) -> None:
    """Intervals under a day, of part days or part months, too long or without a unit."""
    text = words if words.startswith("B12") else f"1mg IM {words}"
    assert why in str(refused(text))


# ---------------------------------------------------------------- R5 times a week


@pytest.mark.parametrize(
    ("words", "times"),
    [
        ("3 times a week", 3), ("three times a week", 3), ("3x/week", 3), ("x3/wk", 3),
        ("thrice weekly", 3), ("3 times weekly", 3), ("3 times per week", 3),
        ("twice weekly", 2), ("twice a week", 2), ("2x weekly", 2),
    ],
)  # fmt: skip
def test_r5_times_a_week(words: str, times: int) -> None:
    """R5: "N times a week" (N >= 2) and its spellings are times_per_week N."""
    assert steps(f"1mg IM {words} x6")[0][3] == times


@pytest.mark.parametrize("words", ["once weekly", "once a week", "1 time a week"])
def test_r5_once_weekly_is_every_week(words: str) -> None:
    """R5: once a week is an interval of 1 week, not times_per_week 1."""
    assert steps(f"1mg IM {words}") == [every(1000, "im", "1w")]


def test_r5_times_a_week_dated_as_the_three_a_week_pattern() -> None:
    """R5 [C]: 3 a week is gaps 2, 2, 3; the week spread as evenly as whole days allow."""
    assert [week_gaps(n) for n in range(2, 8)] == [
        (3, 4),
        (2, 2, 3),
        (1, 2, 2, 2),
        (1, 1, 1, 2, 2),
        (1, 1, 1, 1, 1, 2),
        (1, 1, 1, 1, 1, 1, 1),
    ]


# ---------------------------------------------------------------- R6 count or duration


@pytest.mark.parametrize(
    ("words", "count", "duration"),
    [
        ("alt days x6", 6, None), ("alt days ×6", 6, None), ("alt days x 6", 6, None),
        ("alt days 6 doses", 6, None), ("alt days for 6 injections", 6, None),
        ("weekly x 3", 3, None), ("daily x 7 days", None, "7d"),
        ("alt days for 2 weeks", None, "2w"), ("od x 14/7", None, "14d"),
        ("weekly for 1/12", None, "1mo"), ("alt days x2/52", None, "2w"),
        ("daily for a week", None, "1w"), ("alt days 2/52", None, "2w"),
        ("alt days x6 for 12 days", 6, "12d"),
    ],
)  # fmt: skip
def test_r6_count_or_duration(words: str, count: int | None, duration: str | None) -> None:
    """R6: a bare xN and "N doses" are a count; "x N days", "for N ..." and a fraction after
    a frequency are a duration; both, when they agree, are both kept."""
    step = steps(f"1mg IM {words}")[0]
    assert (step[4], step[5]) == (count, duration)


@pytest.mark.parametrize(
    ("text", "doses"),
    [
        ("1mg IM daily for 6 days", 6),
        ("1mg IM daily for 1 week", 7),
        ("1mg IM weekly for 3 weeks", 3),
        ("1mg IM alt days for 2 weeks", 7),
        ("1mg IM 3 times a week for 2 weeks", 6),
        ("1mg IM twice weekly for 3 weeks", 6),
        ("1mg IM monthly for 6 months", 6),
        ("1mg IM every 3 months for 1 year", 4),
        ("1mg IM alt days x6", 6),
        ("1mg IM monthly", None),
    ],
)
def test_r6_a_duration_is_a_count_of_doses(text: str, doses: int | None) -> None:
    """[C] A dose on the first day and one each interval after, none on the last day."""
    assert dose_count(read_regimen(text).steps[0]) == doses


@pytest.mark.parametrize("text", ["1mg IM weekly for 1/12", "1mg IM every 3 days for 2 weeks"])
def test_r6_a_duration_of_no_whole_count_is_not_dated(text: str) -> None:
    """Weekly for a month is 4 or 5 doses by the month; every 3 days for 2 weeks no whole
    number: read as written, but no count is made up (check refuses it, asking for xN)."""
    with pytest.raises(ValueError, match="write the count of doses instead"):
        dose_count(read_regimen(text).steps[0])


# ---------------------------------------------------------------- R7 fractions


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("1mg IM 3/12", "3mo"),
        ("1mg IM 3/12ly", "3mo"),
        ("1mg IM 12/52", "12w"),
        ("1mg IM every 8/52", "8w"),
        ("1mg IM alt days x6 then 3/12", "3mo"),
    ],
)
def test_r7_a_fraction_where_the_frequency_stands_is_the_interval(text: str, interval: str) -> None:
    """R7: N/12 months, N/52 weeks, where the frequency stands."""
    assert steps(text)[-1][2] == interval


def test_r7_n_over_7_as_an_interval_is_refused() -> None:
    """R7: `2/7` where the interval stands: every 2 days, or twice a week?"""
    error = refused("1mg IM 2/7")
    assert "could mean every 2 days or 2 times a week" in str(error)
    assert error.suggestions == ("1mg IM every 2 days", "1mg IM 2 times a week")


# ---------------------------------------------------------------- R8 until / lifelong


@pytest.mark.parametrize(
    "words",
    [
        "until no further improvement",
        "until there is no further improvement",
        "as long as improvement continues",
        "until symptoms stop improving",
    ],
)
def test_r8_until_no_further_improvement(words: str) -> None:
    """R8: the spellings of the clinical end of a neurological course."""
    read = steps(f"1mg IM alt days {words} then every 2 months")
    assert read[0] == every(1000, "im", "2d", until=NFI)


@pytest.mark.parametrize("words", ["for life", "lifelong", "life-long"])
def test_r8_for_life_adds_nothing(words: str) -> None:
    """R8: "for life", "lifelong" add nothing to the last phase."""
    assert steps(f"1mg IM every 3 months {words}") == [every(1000, "im", "3mo")]


def test_r8_another_until_is_refused() -> None:
    """R12: "until blood count is normal" is not an end that can be dated."""
    error = refused("1mg IM alt days until blood count is normal then monthly")
    assert "'until blood count is normal' is not an end b12plan can date" in str(error)
    assert "1mg IM alt days until no further improvement then monthly" in error.suggestions


# ---------------------------------------------------------------- R9 stat / once


@pytest.mark.parametrize("words", ["stat", "once", "x1", "single dose"])
def test_r9_stat_and_once_are_one_dose(words: str) -> None:
    """R9: a single dose needs no frequency, and ends its phase."""
    assert steps(f"1mg IM {words} then 1mg IM every 3 months")[0] == (
        1000, "im", None, None, 1, None, None,
    )  # fmt: skip


# ---------------------------------------------------------------- R10 phases


@pytest.mark.parametrize(
    "separator",
    ["then", ";", ",", ", then", "followed by", "thereafter", "→", "->", "—", "-", "Maintenance:"],
)
def test_r10_phase_separators(separator: str) -> None:
    """R10: phases split on then, ;, comma, followed by, thereafter, arrows, dashes and
    Maintenance:."""
    assert steps(f"1mg IM alt days x6 {separator} 1mg IM every 3 months") == [
        every(1000, "im", "2d", count=6),
        every(1000, "im", "3mo"),
    ]


def test_r10_a_comma_inside_a_phase_does_not_split() -> None:
    """A comma splits only where both sides say how often."""
    assert steps("1 mg, IM, every other day, for 2 weeks, then every 3 months") == [
        every(1000, "im", "2d", **{"for": "2w"}),
        every(1000, "im", "3mo"),
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1mg IM alt days then monthly", "the first phase has no end, so the phase after 'then'"),
        ("1mg IM alt days x6 then", "'then' at the end has nothing after it"),
        ("then 1mg IM monthly", "'then' has nothing before it"),
    ],
)
def test_r10_phases_that_never_start_are_refused(text: str, why: str) -> None:
    """R12: a phase with no end before then; a dangling then."""
    assert why in str(refused(text))


# ---------------------------------------------------------------- R11 drug


@pytest.mark.parametrize(
    ("word", "product"),
    [
        ("hydroxocobalamin", "hydroxocobalamin"), ("hydroxo", "hydroxocobalamin"),
        ("Neo-Cytamen", "hydroxocobalamin"), ("Cobalin-H", "hydroxocobalamin"),
        ("hydroxycobalamin", "hydroxocobalamin"), ("hydroxocobalamine", "hydroxocobalamin"),
        ("hydroxocobalmin", "hydroxocobalamin"), ("Cytamen", "cyanocobalamin"),
        ("cyanocobalamin", "cyanocobalamin"), ("cyano", "cyanocobalamin"),
        ("cyanocobalamine", "cyanocobalamin"), ("cyancobalamin", "cyanocobalamin"),
        ("B12", None), ("Vit B12", None), ("Vit. B12", None), ("vitamin B12", None),
    ],
)  # fmt: skip
def test_r11_products(word: str, product: str | None) -> None:
    """R11: names, brands and common misspellings of the two products; B12 names none."""
    assert read_regimen(f"{word} 1mg IM monthly").product == product


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("methylcobalamin 1mg IM monthly", "is not a product b12plan has protocols for"),
        ("hydroxo 1mg IM alt days x6 then cyano 1mg monthly", "two products"),
    ],
)
def test_r11_other_and_two_products_are_refused(text: str, why: str) -> None:
    """R12: methylcobalamin; two products in one regimen."""
    assert why in str(refused(text))


# ---------------------------------------------------------------- R12 refusals


@pytest.mark.parametrize(
    ("text", "why", "offered"),
    [
        ("1mg IM every 2–3 months", "interval is a range (2–3 months)",
         ("1mg IM every 2 months", "1mg IM every 3 months")),
        ("1mg IM every six or seven days", "interval is a range (six or seven days)",
         ("1mg IM every six days", "1mg IM every seven days")),
        ("1mg IM q3m", "could mean every 3 minutes or every 3 months",
         ("1mg IM every 3 months",)),
        ("1mg IM biweekly", "could mean twice a week or every 2 weeks",
         ("1mg IM twice a week", "1mg IM every 2 weeks")),
        ("1mg IM TIW", "(ISMP error-prone)", ("1mg IM 3 times a week",)),
        ("1mg IM bd", "is twice a day: not an injection schedule", ("1mg IM daily",)),
        ("1mg IM tds", "is three times a day", ("1mg IM daily",)),
        ("1mg IM qds", "is four times a day", ("1mg IM daily",)),
        ("1mg IM monthly prn", "has no interval to check", ("1mg IM monthly",)),
        ("1mg IM alt days x 6d then monthly", "could mean 6 doses or 6 days (3 doses)",
         ("1mg IM alt days x6 then monthly", "1mg IM alt days for 6 days then monthly")),
        ("1mg IM 3 times a week x6 for 3 weeks", "is 9 doses, not 6",
         ("1mg IM 3 times a week for 3 weeks", "1mg IM 3 times a week x6")),
        ("1mg IM monthly x6 lifelong", "contradicts 'x6'",
         ("1mg IM monthly x6", "1mg IM monthly lifelong")),
        ("1mg IM every 28 (twenty-nine) days", "the number in brackets differs",
         ("1mg IM every 28 days", "1mg IM every twenty-nine days")),
        ("1mg IM 2 weeks", "could mean every 2 weeks or for 2 weeks", ("1mg IM every 2 weeks",)),
        ("1mg IM", "no frequency", ("1mg IM every 3 months",)),
        ("1mg IM monthly 2mg", "two doses in one phase", ("1mg IM monthly", "IM monthly 2mg")),
        ("1mg IM montly", "is not a word b12plan reads", ("1mg IM monthly",)),
    ],
)  # fmt: skip
def test_r12_refusals_name_the_words_the_readings_and_wording_that_reads(
    text: str, why: str, offered: tuple[str, ...]
) -> None:
    """R12: never a guess: one line naming the words and what they could mean, ending with
    whole wordings that would be read (each tried before it is offered)."""
    error = refused(text)
    message = str(error)
    assert why in message
    assert "\n" not in message
    assert error.suggestions == offered
    assert all(repr(s) in message for s in offered)
    for suggestion in offered:
        read_regimen(suggestion)


def test_r12_the_compact_grammar_still_reads() -> None:
    """R12: the compact grammar reads as it always did."""
    text = "1000mcg im every 2d x6; 1000mcg im every 3mo"
    assert steps(text) == [every(1000, "im", "2d", count=6), every(1000, "im", "3mo")]


def test_the_public_function_gives_the_check_documents_read() -> None:
    """`b12plan.read_regimen` gives `read` as the check document has it, and InvalidInput
    at `regimen` for a refusal."""
    assert b12plan.read_regimen("B12 1mg IM q2mo") == {
        "text": "B12 1mg IM q2mo",
        "product": None,
        "steps": [
            {"dose_mcg": 1000, "route": "im", "every": "2mo", "times_per_week": None,
             "count": None, "for": None, "until": None},
        ],
    }  # fmt: skip
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.read_regimen("1mg IM q6")
    assert caught.value.loc == ("regimen",)
    assert "interval has no unit" in caught.value.msg
    with pytest.raises(b12plan.InvalidInput, match="must be a string"):
        b12plan.read_regimen(6)  # type: ignore[arg-type]


def test_a_long_text_is_refused_without_reading_it() -> None:
    """At most 2000 characters are read, as any string of an input document."""
    assert "longer than 2000 characters" in str(refused("1mg IM monthly " * 200))


# ---------------------------------------------------------------- round trips


@st.composite
def compact_regimens(draw: st.DrawFn) -> list[grammar.Step]:
    """Steps as the compact grammar writes them (every step but the last with a count)."""
    n = draw(st.integers(1, 4))
    out = []
    for i in range(n):
        whole = draw(st.integers(1, 100_000))
        # A fraction of a microgram from 1 mcg up: below 1 mcg is no dose (issue 22).
        thousandths = draw(st.integers(1000, 100_000_000))
        dose = whole if draw(st.booleans()) else float(Decimal(thousandths) / 1000)
        interval = Interval(draw(st.integers(1, 999)), draw(st.sampled_from(["d", "w", "mo"])))
        last = i == n - 1
        count = draw(st.none() | st.integers(1, 200)) if last else draw(st.integers(1, 200))
        out.append(grammar.Step(dose, draw(st.sampled_from(["im", "sc", "iv"])), interval, count))
    return out


@PROPERTY
@given(compact_regimens())
def test_every_regimen_the_compact_grammar_writes_is_read_back_the_same(
    compact: list[grammar.Step],
) -> None:
    """What the compact grammar writes, the wording reader reads to the same steps."""
    text = grammar.render_regimen(compact)
    assert grammar.parse_regimen(text) == compact
    read = read_regimen(text)
    assert read.product is None
    assert [(s.dose_mcg, s.route, s.every, s.count) for s in read.steps] == [
        (s.dose_mcg, s.route, s.every, s.count) for s in compact
    ]
    assert all(s.times_per_week is s.duration is s.until is None for s in read.steps)


def test_a_compact_step_with_no_count_before_another_is_refused_not_misread() -> None:
    """The grammar writes an ongoing step before another; check always refused it, and the
    reader refuses it too, saying why."""
    assert "has no end" in str(refused("1000mcg im every 2d; then 1000mcg im every 3mo"))


def _interval(draw: st.DrawFn) -> Interval:
    return Interval(draw(st.integers(1, 999)), draw(st.sampled_from(["d", "w", "mo"])))


@st.composite
def readings(draw: st.DrawFn) -> Reading:
    """Readings as the reader makes them: routes carried, every phase but the last ending,
    a count beside a duration only where they agree."""
    n = draw(st.integers(1, 4))
    out: list[ReadStep] = []
    route: str | None = None
    for i in range(n):
        whole = draw(st.integers(1, 100_000))
        # A fraction of a microgram from 1 mcg up: below 1 mcg is no dose (issue 22).
        thousandths = draw(st.integers(1000, 100_000_000))
        dose = whole if draw(st.booleans()) else float(Decimal(thousandths) / 1000)
        route = draw(st.sampled_from(["im", "sc", "iv", "oral"])) if draw(st.booleans()) else route
        kind = draw(st.sampled_from(["every", "times", "once"]))
        if kind == "once":
            out.append(ReadStep(dose, route, count=1))
            continue
        step = (
            ReadStep(dose, route, every=_interval(draw))
            if kind == "every"
            else ReadStep(dose, route, times_per_week=draw(st.integers(2, 7)))
        )
        end = draw(st.sampled_from(["none", "count", "for", "both", "until"]))
        if end == "none" and i < n - 1:
            end = "count"
        if end in ("count", "both"):
            step.count = draw(st.integers(1, 200))
        if end in ("for", "both"):
            step.duration = _interval(draw)
        if end == "both" and _doses_over(step) != step.count:
            step.duration = None
        if end == "until":
            step.until = NFI
        out.append(step)
    product = draw(st.sampled_from([None, "hydroxocobalamin", "cyanocobalamin"]))
    return Reading("", product, tuple(out))


def _doses_over(step: ReadStep) -> int | None:
    """The doses of the step's duration alone, or None where it gives no whole number."""
    alone = ReadStep(
        step.dose_mcg, every=step.every, times_per_week=step.times_per_week, duration=step.duration
    )
    try:
        return dose_count(alone)
    except ValueError:
        return None


@PROPERTY
@given(readings())
def test_plain_words_read_back_to_the_same_reading(reading: Reading) -> None:
    """The plain-words rendering of any reading reads back to the same product and steps."""
    words = plain_words(reading)
    again = read_regimen(words)
    assert (again.product, again.steps) == (reading.product, reading.steps), words


@pytest.mark.parametrize(
    "text",
    [
        "hydroxocobalamin 1 mg IM three times a week for 2 weeks, then every 3 months",
        "1mg IM 3x/week x2/52 then 3-monthly",
        "Inject 1 mL (1,000 mcg total) into the muscle every 28 (twenty-eight) days.",
        "1mg stat then 1mg IM alt days until no further improvement, then 2-monthly",
    ],
)
def test_plain_words_of_real_wordings_read_back_the_same(text: str) -> None:
    """Real wordings: their plain words read back to the same steps."""
    read = read_regimen(text)
    assert read_regimen(plain_words(read)).steps == read.steps


# ---------------------------------------------------------------- fuzz: token soups

SOUP_TOKENS = (
    "1", "2", "3", "6", "12", "28", "52", "1000", "1,000", "0.5", "1.5", "0", "999", "twenty-eight",
    "one", "six", "mg", "mcg", "µg", "ug", "micrograms", "ml", "mL", "amp", "1mg", "1000mcg",
    "1mg/1ml", "1000mcg/mL", "IM", "i.m.", "SC", "s/c", "PO", "IV", "inj", "into the muscle",
    "every", "other", "day", "days", "d", "week", "weeks", "w", "month", "months", "mo", "m",
    "hours", "year", "daily", "od", "weekly", "monthly", "quarterly", "fortnightly", "alt",
    "alternate", "EOD", "q", "q2d", "q3m", "q2mo", "qid", "bd", "tds", "biweekly", "TIW", "prn",
    "3/12", "8/52", "2/7", "14/7", "3/12ly", "x", "x6", "×", "x 6d", "times", "a", "3x/week",
    "twice", "thrice", "once", "stat", "doses", "injections", "for", "over", "until",
    "no further improvement", "as long as improvement continues", "blood count is normal",
    "for life", "lifelong", "then", ";", ",", "followed by", "thereafter", "→", "->", "-", "–",
    "—", "Maintenance:", "(", ")", "(6 doses)", "hydroxocobalamin", "hydroxo", "Neo-Cytamen",
    "cyanocobalamin", "Cytamen", "methylcobalamin", "B12", "Vit", "total", "3-monthly",
    "2 monthly", "to", "or", "and", ".", "/", "？", "\u202e", "１", "",
)  # fmt: skip
soups = st.lists(st.sampled_from(SOUP_TOKENS), max_size=14).flatmap(
    lambda words: st.sampled_from([" ".join(words), "".join(words)])
)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soups)
def test_token_soup_reads_or_is_refused_with_wording_that_reads(text: str) -> None:
    """Any soup of the words is read (and its plain words read back the same) or refused with
    one line whose offered wordings all read; nothing else is ever raised."""
    try:
        read = read_regimen(text)
    except WordingError as error:
        assert "\n" not in str(error)
        for suggestion in error.suggestions:
            read_regimen(suggestion)
        return
    assert read_regimen(plain_words(read)).steps == read.steps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soups)
def test_token_soup_through_check_exits_0_1_or_2(text: str) -> None:
    """`check --regimen SOUP`: exit 0, 1 or 2 (one JSON error), never an internal error."""
    from tests.conftest import run

    result = run(
        "check", "--regimen", text, "--start", "2026-12-01", "--cause", "dietary",
        "--as-of", "2026-11-24", "--format", "json",
    )  # fmt: skip
    assert result.code in (0, 1, 2), result.err
    if result.code == 2:
        assert result.out == ""
        assert result.err.count("\n") == 1
        assert "error" in __import__("json").loads(result.err)
    else:
        assert result.err == ""


PHRASES = {
    "drug": ("", "", "hydroxocobalamin ", "Neo-Cytamen ", "cyano ", "B12 ", "methylcobalamin "),
    "dose": ("1mg", "1000 mcg", "500 micrograms", "1 mL", "1mg/1ml", "one milligram", "1,000mcg",
             "250 micrograms to 1mg", "", "1000", "0.5 mg", "1 amp of 1mg/1ml"),
    "route": ("IM", "SC", "i.m.", "PO", "into the muscle", "IM or SC", "", "inj", "s/c"),
    "every": ("daily", "alt days", "every 2 days", "3 times a week", "twice weekly", "monthly",
              "every 3 months", "3/12", "q2mo", "q3m", "every 2-3 months", "2/7", "bd", "",
              "every 12 weeks", "once weekly", "8-weekly", "2 monthly", "every 48 hours", "qid",
              "every 6", "weekly", "x3/wk", "every other day", "biweekly"),
    "end": ("x6", "for 2 weeks", "until no further improvement", "x 6d", "for 1/12", "stat",
            "(6 doses)", "for life", "", "", "x 2/52", "6 doses", "for 3 weeks x6", "once",
            "until blood count is normal", "x6-8", "for a week"),
    "sep": (" then ", "; ", ", ", " followed by ", " → ", " - ", ", then ", " Maintenance: "),
}  # fmt: skip


@st.composite
def phrase_soups(draw: st.DrawFn) -> str:
    """Wordings built phrase by phrase: mostly well-formed, often one phrase off."""
    phases = []
    for _ in range(draw(st.integers(1, 3))):
        parts = [draw(st.sampled_from(PHRASES[slot])) for slot in ("dose", "route", "every", "end")]
        if draw(st.booleans()):
            parts = draw(st.permutations(parts))
        phases.append(" ".join(p for p in parts if p))
    text = draw(st.sampled_from(PHRASES["drug"])) + phases[0]
    for phase in phases[1:]:
        text += draw(st.sampled_from(PHRASES["sep"])) + phase
    return text + draw(st.sampled_from(("", "", " then", ".", ";")))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrase_soups())
def test_phrase_soup_reads_or_is_refused_with_wording_that_reads(text: str) -> None:
    """Near-real wordings: read (plain words reading back the same) or refused in one line
    whose offered wordings read; nothing else is ever raised."""
    test_token_soup_reads_or_is_refused_with_wording_that_reads.hypothesis.inner_test(text)  # type: ignore[attr-defined]
