"""`WEEKEND_DOSES`: a plan made without clinic days says once (info) that doses still to give
fall on a Saturday or Sunday, naming how many, the first and where clinic days are set, and
moves nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import b12plan
from tests.conftest import run

AS_OF = "2026-11-24"
PATIENT: dict[str, Any] = {"start": "2026-12-01", "cause": "pernicious-anaemia"}
SCHEDULE = ("schedule", "--start", "2026-12-01", "--cause", "pernicious-anaemia")


def weekend_findings(document: Any) -> list[Any]:
    """The plan's `WEEKEND_DOSES` findings."""
    return [f for f in document["findings"] if f["code"] == "WEEKEND_DOSES"]


def to_give_on_weekends(document: Any, as_of: date) -> list[date]:
    """The plan's doses still to give, from `as_of` on, on a Saturday or Sunday."""
    return sorted(
        d["date"]
        for d in document["doses"]
        if d["status"] != "given" and d["date"] >= as_of and d["date"].weekday() >= 5
    )


def test_said_once_naming_how_many_the_first_and_the_settings() -> None:
    """Without clinic days, one info finding counts the weekend doses to give, names the first
    (with its weekday) and says how to set clinic days, and that holidays need a region."""
    document = b12plan.plan(PATIENT, as_of=AS_OF, plain=True).document
    [found] = weekend_findings(document)
    weekend = to_give_on_weekends(document, date.fromisoformat(AS_OF))
    assert found["severity"] == "info"
    assert found["source"] == "B12PLAN"
    assert f"{len(weekend)} planned doses fall on a Saturday or Sunday" in found["message"]
    assert f"the first on Saturday {weekend[0]}" in found["message"]
    for setting in (
        "--open mon-fri",
        "clinic.open",
        "[clinic] in b12plan.toml",
        "--holidays REGION",
    ):
        assert setting in found["message"]


def test_it_moves_no_date() -> None:
    """The doses are those of a clinic open every day (which moves nothing), which has no
    such finding since its days are set."""
    every_day = {**PATIENT, "clinic": {"open": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}}
    without = b12plan.plan(PATIENT, as_of=AS_OF, plain=True).document
    with_days = b12plan.plan(every_day, as_of=AS_OF, plain=True).document
    assert without["doses"] == with_days["doses"]
    assert weekend_findings(without)
    assert not weekend_findings(with_days)


@pytest.mark.parametrize(
    "options",
    [("--open", "mon-fri"), ("--closed", "2027-01-01"), ("--holidays", "GB-ENG")],
)
def test_no_finding_once_clinic_days_are_set_by_an_option(options: tuple[str, ...]) -> None:
    """Any clinic option (open days, a closed date, a holiday region) sets clinic days: no
    finding."""
    result = run(*SCHEDULE, *options, "--as-of", AS_OF, "--no-config", "--format", "json")
    assert result.code == 0, result.err
    assert not weekend_findings(result.json())


def test_no_finding_with_the_settings_files_clinic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A settings file's `[clinic]` sets clinic days too: no finding; `--no-config` ignores the
    file and the finding is back."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("B12PLAN_CONFIG_DIR", str(tmp_path / "none"))
    (tmp_path / "b12plan.toml").write_text('[clinic]\nopen = "mon-fri"\n', encoding="utf-8")
    assert not weekend_findings(run(*SCHEDULE, "--as-of", AS_OF, "--format", "json").json())
    ignored = run(*SCHEDULE, "--as-of", AS_OF, "--no-config", "--format", "json").json()
    assert len(weekend_findings(ignored)) == 1


def test_only_doses_still_to_give_count() -> None:
    """Weekend doses given before `as_of` are history: only those from `as_of` on count."""
    given_on = [{"date": "2026-12-05", "dose_mcg": 1000}]  # a Saturday, given
    patient = {**PATIENT, "given": given_on}
    document = b12plan.plan(patient, as_of="2026-12-06", plain=True).document
    weekend = to_give_on_weekends(document, date(2026, 12, 6))
    [found] = weekend_findings(document)
    assert weekend[0] >= date(2026, 12, 6)
    assert weekend == [date(2026, 12, 12)]
    assert found["message"].startswith(
        "1 planned dose falls on a Saturday or Sunday, on Saturday 2026-12-12; "
    )
    assert "2026-12-05" not in found["message"]


@given(
    start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    lead=st.integers(-400, 30),
    cause=st.sampled_from(["pernicious-anaemia", "dietary", "unknown"]),
)
def test_present_exactly_when_a_dose_to_give_is_on_a_weekend(
    start: date, lead: int, cause: str
) -> None:
    """For any start and as-of date, the finding is there (once) exactly when a dose still to
    give falls on a weekend, and its count and first date are those doses'."""
    as_of = start - timedelta(days=lead)
    patient = {"start": str(start), "cause": cause}
    document = b12plan.plan(patient, as_of=as_of, plain=True).document
    weekend = to_give_on_weekends(document, as_of)
    found = weekend_findings(document)
    assert len(found) == (1 if weekend else 0)
    if weekend:
        many = f"{len(weekend)} planned dose{'s fall' if len(weekend) > 1 else ' falls'}"
        assert found[0]["message"].startswith(many)
        assert f" {weekend[0]};" in found[0]["message"]
