"""The compact regimen grammar: `DOSE ROUTE every N(d|w|mo) [xCOUNT]`, steps split by `;`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12plan.contract.grammar import (
    MAX_COUNT,
    MAX_STEPS,
    GrammarError,
    Step,
    parse_regimen,
    render_regimen,
)
from b12plan.contract.intervals import Interval


def _step(dose: float, route: str, every: str, count: int | None = None) -> Step:
    return Step(dose, route, Interval.parse(every), count)


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        (
            "1000mcg im every 2d x6; then 1000mcg im every 3mo",
            [_step(1000, "im", "2d", 6), _step(1000, "im", "3mo")],
        ),
        ("1 mg IM every 2 d x 6", [_step(1000, "im", "2d", 6)]),
        ("1mg sc every 1w ×4", [_step(1000, "sc", "1w", 4)]),
        ("100 µg im every 1d x7", [_step(100, "im", "1d", 7)]),
        ("100ug im every 1mo", [_step(100, "im", "1mo")]),
        ("0.5mg iv every 10d X2", [_step(500, "iv", "10d", 2)]),
        ("0.0015mg sc every 1w", [_step(1.5, "sc", "1w")]),
        ("  1000mcg   im every 2d x6 ;1000mcg im every 2mo  ", None),
    ],
)
def test_parse(text: str, steps: list[Step] | None) -> None:
    """Spellings of doses, units, routes and counts parse to the same steps."""
    parsed = parse_regimen(text)
    if steps is None:
        assert parsed == [_step(1000, "im", "2d", 6), _step(1000, "im", "2mo")]
    else:
        assert parsed == steps


def test_render_is_canonical() -> None:
    """Rendering writes micrograms, lower-case routes and the count last, joined by '; then '."""
    steps = parse_regimen("1 mg IM every 2 d x 6; 0.0015mg SC every 1w")
    assert render_regimen(steps) == "1000mcg im every 2d x6; then 1.5mcg sc every 1w"


@pytest.mark.parametrize(
    ("text", "step", "token"),
    [
        ("1000mcg im evry 2d", 1, "'evry'"),
        ("1000mcg im every 2d x6; then 1000 im every 3mo", 2, "'1000' needs a unit"),
        ("1000mcg po every 2d", 1, "'po' is not a route"),
        ("1000mcg im every 2", 1, "'2' needs a unit"),
        ("1000mcg im every 2y", 1, "'2y' is not an interval"),
        ("1000mcg im every 0d", 1, "'0d'"),
        ("1000mcg im every 2d x0", 1, "x0"),
        (f"1000mcg im every 2d x{MAX_COUNT + 1}", 1, f"x{MAX_COUNT + 1}"),
        ("1000mcg im every 2d x", 1, "'x' must be followed by a count"),
        ("1000mcg im every 2d x6 daily", 1, "unexpected token 'daily'"),
        ("1000mcg im every 2d;", 2, "is empty"),
        ("then 1000mcg im every 2d", 1, "cannot start with 'then'"),
        ("lots im every 2d", 1, "'lots' is not a dose"),
        ("0mcg im every 2d", 1, "'0mcg' must be at least 1 mcg"),
        ("1000mcg", 1, "route"),
        ("1000mcg im", 1, "the end of the step where 'every' was expected"),
        ("1000mcg im every", 1, "interval such as 2d"),
        ("1000mcg im every 2d; 1000mcg im 3mo", 2, "token '3mo' where 'every' was expected"),
    ],
)
def test_errors_name_the_step_and_token(text: str, step: int, token: str) -> None:
    """An unparseable string names the failing step and the token, and shows the grammar."""
    with pytest.raises(GrammarError) as caught:
        parse_regimen(text)
    message = str(caught.value)
    assert message.startswith(f"step {step} ")
    assert token in message
    assert "DOSE ROUTE every N(d|w|mo) [xCOUNT]" in message


def test_too_many_steps() -> None:
    """More steps than the limit is refused before parsing any."""
    text = "; ".join(["1000mcg im every 1d x1"] * (MAX_STEPS + 1))
    with pytest.raises(GrammarError, match=f"at most {MAX_STEPS}"):
        parse_regimen(text)


doses = st.one_of(
    st.integers(1, 100_000),
    st.decimals("1", "99999.999", places=3).map(float),
)
steps = st.builds(
    Step,
    dose_mcg=doses,
    route=st.sampled_from(["im", "sc", "iv"]),
    every=st.builds(Interval, st.integers(1, 999), st.sampled_from(["d", "w", "mo"])),
    count=st.none() | st.integers(1, MAX_COUNT),
)


@settings(max_examples=300)
@given(st.lists(steps, min_size=1, max_size=MAX_STEPS))
def test_round_trip(regimen: list[Step]) -> None:
    """parse(render(steps)) gives the same steps, and rendering again gives the same text."""
    text = render_regimen(regimen)
    parsed = parse_regimen(text)
    assert [(s.dose_mcg, s.route, s.every, s.count) for s in parsed] == [
        (float(s.dose_mcg), s.route, s.every, s.count) for s in regimen
    ]
    assert render_regimen(parsed) == text
