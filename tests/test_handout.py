"""`--format html`: the patient's handout, read as a patient would and checked as HTML5.

The example aig-new (as of 2026-11-24) starts on Tue 1 Dec 2026 with six loading doses (1, 3,
5, 8, 10 and 12 Dec), then maintenance every 3 months, lifelong: 12 Mar, 12 Jun, 12 Sep and
12 Dec 2027. Its tests: reticulocytes and FBC 8-11 Dec 2026, FBC 26 Jan 2027, review 1 Mar 2027.
The example history-late-dose (as of 2026-11-24) has 7 doses given, the last on 24 Aug 2026,
and one overdue on 10 Nov 2026, when the interval went from 3 months to 2 months.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from b12plan.contract.validation import validated
from b12plan.engine.plan import plan_document
from b12plan.render.handout import plan_html
from b12plan.render.handout_words import PLAIN_TESTS, long_date, short_date
from tests.conftest import EXAMPLES, run, run_patient

AS_OF = ("--as-of", "2026-11-24")
AIG = str(EXAMPLES / "patient-aig-new.json")
LATE = str(EXAMPLES / "patient-history-late-dose.json")
BLOCKED = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv", *AS_OF)
OPEN_NEURO = ("--start", "2026-12-01", "--cause", "dietary", "--neuro", *AS_OF)
VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}


def handout(*args: str, code: int = 0) -> str:
    """The handout for `schedule ARGS`, which must exit with `code` and print nothing on stderr."""
    result = run("schedule", *args, "--format", "html")
    assert result.code == code, result.err
    assert result.err == ""
    return result.out


def text_of(html: str) -> str:
    """The page's visible text with tags removed and white space collapsed."""
    body = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    return re.sub(r"\s+", " ", unescape(body)).replace(" ;", ";").strip()


class _Structure(HTMLParser):
    """Collects what HTML5 validity needs here: doctype, tags in order, nesting errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doctype = ""
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, _attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title":
            self.title += data


@pytest.mark.parametrize("args", [(AIG, *AS_OF), (LATE, *AS_OF), OPEN_NEURO], ids=str)
def test_the_handout_is_well_formed_html5(args: tuple[str, ...]) -> None:
    """Doctype, lang, charset first in head, a title, balanced tags and unique ids."""
    page = _Structure()
    page.feed(handout(*args))
    page.close()
    assert page.doctype == "DOCTYPE html"
    assert page.errors == []
    assert page.stack == []
    tags = [tag for tag, _ in page.starts]
    assert tags[:3] == ["html", "head", "meta"]
    assert page.starts[0][1] == {"lang": "en"}
    assert page.starts[2][1] == {"charset": "utf-8"}
    assert tags.count("title") == 1
    assert page.title == "Your vitamin B12 injection plan"
    assert tags.count("main") == 1
    assert tags.count("h1") == 1
    ids = [attrs["id"] for _, attrs in page.starts if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_the_handout_fetches_nothing() -> None:
    """No script, no external address, no url() or @import: the page is self-contained."""
    for html in (handout(AIG, *AS_OF), handout(*BLOCKED, code=1)):
        lowered = html.lower()
        assert "<script" not in lowered
        assert "url(" not in lowered
        assert "@import" not in lowered
        assert re.findall(
            r"""(?:src|href|action|srcset|poster)\s*=\s*["']?([^"'\s>]*)""", html
        ) == ["data:,"]
        assert "http:" not in lowered
        assert "https:" not in lowered
        assert "//" not in re.sub(r"/\*.*?\*/", "", html, flags=re.DOTALL)
        csp = "default-src 'none'; style-src 'unsafe-inline'"
        assert f'<meta http-equiv="Content-Security-Policy" content="{csp}">' in html


def test_a_new_patient_reads_their_phase_dates_tests_and_advice() -> None:
    """Loading doses explained, every upcoming date with dose and volume, lifelong maintenance."""
    text = text_of(handout(AIG, *AS_OF))
    assert "Now: Starting with loading doses" in text
    assert (
        "Loading doses (also called repletion) refill your body's store of vitamin B12 quickly: "
        "6 injections, from Tuesday 1 December 2026 to Saturday 12 December 2026."
    ) in text
    assert (
        "After them, maintenance doses keep your B12 level up: one injection every 3 months, "
        "for the rest of your life."
    ) in text
    assert "given into a muscle (intramuscular)" in text
    rows = re.findall(
        r"(\w{3} \d{1,2} \w{3} \d{4}) (Loading dose \d of 6|Maintenance dose) "
        r"1 mg 1 mL",
        text,
    )
    assert rows == [
        ("Tue 1 Dec 2026", "Loading dose 1 of 6"),
        ("Thu 3 Dec 2026", "Loading dose 2 of 6"),
        ("Sat 5 Dec 2026", "Loading dose 3 of 6"),
        ("Tue 8 Dec 2026", "Loading dose 4 of 6"),
        ("Thu 10 Dec 2026", "Loading dose 5 of 6"),
        ("Sat 12 Dec 2026", "Loading dose 6 of 6"),
        ("Fri 12 Mar 2027", "Maintenance dose"),
        ("Sat 12 Jun 2027", "Maintenance dose"),
        ("Sun 12 Sep 2027", "Maintenance dose"),
        ("Sun 12 Dec 2027", "Maintenance dose"),
    ]
    assert "Tue 8 Dec to Fri 11 Dec 2026 Blood test: full blood count and reticulocytes" in text
    assert "Tue 26 Jan 2027 Blood test: full blood count checks" in text
    assert "Mon 1 Mar 2027 Check-up with your practice" in text
    assert "If you miss an injection Contact your practice to rebook it" in text
    assert "When to call your practice" in text
    assert "pins and needles, numbness, or problems with balance or walking;" in text
    assert "This plan lists dates up to Sunday 12 December 2027: your injections go on" in text
    assert "It is not a prescription: your prescriber decides your treatment" in text
    assert "Decision support only, not a prescription: the prescriber decides." in text


def test_a_patient_in_maintenance_sees_the_overdue_dose_and_the_change() -> None:
    """Given doses are summed up, the overdue one leads, and an interval change is told."""
    text = text_of(handout(LATE, *AS_OF))
    assert "Now: Maintenance doses Your loading doses are finished." in text
    assert "one injection every 2 months, for the rest of your life" in text
    assert (
        "From Tuesday 10 November 2026: one injection every 2 months (it was every 3 months)."
    ) in text
    assert "Already given: 7 injections, the last on Monday 24 August 2026." in text
    assert "Tue 10 Nov 2026 Maintenance dose 1 mg 1 mL Overdue: please book it now" in text
    # Re-planned from as_of 11-24 as if the overdue dose were given then (2026-12-07).
    assert "Sun 24 Jan 2027 Maintenance dose 1 mg 1 mL" in text
    assert "Mon 24 Aug 2026" not in text  # a given dose is not an upcoming date
    # A test past its window with no result on record asks the patient to check.
    assert "Mon 29 Jun 2026 Blood test: full blood count" in text
    # The day-56 FBC and the review; not the baseline folate nor the day 7-10 tests, missed
    # six months ago (their moment has passed [C]).
    assert text.count("Date passed, no result on record: ask your practice") == 1
    # A review has no result to wait for: it asks for the appointment.
    assert text.count("Date passed, not yet recorded as done: ask your practice to book it") == 1
    assert "Check-up with your practice" in text.split("not yet recorded as done")[0]
    assert "Blood test: folate" not in text
    assert "You take a medicine that thins your blood" in text


def test_maintenance_for_a_reversible_cause_is_not_called_lifelong() -> None:
    """A dietary cause: every 6 months, reviewed, never 'for the rest of your life'."""
    text = text_of(handout(str(EXAMPLES / "patient-dietary.toml"), *AS_OF))
    assert "one injection every 6 months, but not necessarily for life" in text
    assert "rest of your life" not in text
    assert "daily B12 tablets may be an option" in text
    assert "Your practice will tell you what happens after that." in text


def test_open_neuro_repletion_is_every_other_day_and_its_first_doses_are_planned() -> None:
    """No count is promised: the review date decides; the doses up to the day-14 review are as
    planned as any, and only those after it are to be confirmed."""
    text = text_of(handout(*OPEN_NEURO))
    assert "one injection every other day until your nerve symptoms stop getting better" in text
    assert "Your doctor decides at a check-up on Tuesday 15 December 2026 when they end" in text
    assert re.search(r"Tue 1 Dec 2026 Loading dose 1 1 mg 1 mL (?!To be confirmed)", text)
    assert "Tue 15 Dec 2026 Loading dose 8 1 mg 1 mL" in text
    assert "To be confirmed" not in text
    assert "of 8" not in text
    assert "This plan lists dates up to" not in text


def test_an_open_course_s_doses_after_its_review_are_to_be_confirmed() -> None:
    """Given up to day 14 and seen on day 15, the next alternate-day doses fall after the
    review: to be confirmed; a Leber's course is told in its own words."""
    given = [f"2026-12-{d:02d}" for d in range(1, 16, 2)]
    patient = {"start": "2026-12-01", "cause": "dietary", "neuro": True, "given": given}
    result = run_patient(patient, "--as-of", "2026-12-16", "--format", "html")
    text = text_of(result.out)
    assert "Thu 17 Dec 2026 Loading dose 9 1 mg 1 mL To be confirmed" in text
    leber = text_of(handout("--start", "2026-12-01", "--cause", "dietary", "--condition", "leber",
                            *AS_OF))  # fmt: skip
    assert (
        "one injection every day for 2 weeks, then two a week for as long as your eyesight is "
        "still getting better."
    ) in leber
    assert "Tue 29 Dec 2026 Check-up with your practice" in leber
    assert "Because of your eye condition (Leber's), you must only have hydroxocobalamin" in leber


def test_a_blocked_plan_says_no_schedule_and_to_talk_to_the_prescriber() -> None:
    """Exit 1 as for every blocked plan; no dates, the reason kept for the prescriber."""
    html = handout(*BLOCKED, code=1)
    text = text_of(html)
    assert "No injection schedule can be given yet" in text
    assert "Please talk to your prescriber or practice before you have a vitamin B12" in text
    assert "For your prescriber: IV route: most of an intravenous dose is lost" in text
    assert "<table" not in html
    assert "If you miss an injection" not in text
    assert "Decision support only, not a prescription" in text


def test_a_warning_without_plain_words_still_reaches_the_patient() -> None:
    """A warning the handout has no wording for still gets a line, so none is silently left
    out, and its code stays with the prescriber."""
    text = text_of(handout(AIG, *AS_OF, "--strength", "500 mcg/mL"))
    assert "Your prescriber has a note about your plan: ask them about it" in text
    assert "NONSTANDARD_STRENGTH" not in text
    assert "1 mg 2 mL" in text


def test_free_text_is_escaped(tmp_path: Path) -> None:
    """A custom protocol's title is shown as text: never markup, control or bidi characters."""
    bundled = resources.files("b12plan.protocols").joinpath("uk-hydroxo-dietary.toml")
    custom = bundled.read_text(encoding="utf-8")
    custom = custom.replace('id = "uk-hydroxo-dietary"', 'id = "my-protocol"')
    title = 'title = "<script>alert(1)</script> & \\"<b>\\" \u2019 \\u001b[31m\\u202e"'
    custom = re.sub(r'^title = ".*"$', lambda _: title, custom, flags=re.MULTILINE)
    path = tmp_path / "custom.toml"
    path.write_text(custom, encoding="utf-8")
    html = handout(AIG, *AS_OF, "--protocol-file", str(path))
    assert "<script" not in html
    assert "<b>" not in html
    shown = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;&lt;b&gt;&#34; \u2019 "
    shown += "\\x1b[31m\\u202e"
    assert shown in html
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", html)


def test_the_same_input_gives_the_same_bytes_and_o_writes_them(tmp_path: Path) -> None:
    """Deterministic output; `-o` writes exactly what stdout shows."""
    first = handout(LATE, *AS_OF)
    assert handout(LATE, *AS_OF) == first
    target = tmp_path / "handout.html"
    result = run("schedule", LATE, *AS_OF, "--format", "html", "-o", str(target))
    assert result.code == 0
    assert result.out == ""
    assert target.read_bytes() == first.encode("utf-8")
    assert first.endswith("</html>\n")


def test_bad_input_gives_the_json_error_and_no_page() -> None:
    """Like every format but table, bad input is the contract's JSON error object, exit 2."""
    result = run("schedule", "--start", "2026-12-01", "--cause", "nope", "--format", "html")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith('{"schema_version": "1", "error": ')


def test_explain_is_refused_with_html() -> None:
    """The rules are for the prescriber: --explain with html is a usage error naming explain."""
    result = run("schedule", AIG, *AS_OF, "--format", "html", "--explain")
    assert result.code == 2
    assert result.out == ""
    assert '"loc": ["explain"]' in result.err
    assert "not available with --format html" in result.err


def test_every_follow_up_the_engine_makes_has_plain_words() -> None:
    """Pregnancy, open neuro, a US protocol, severe anaemia and a held dose: no test falls back
    to jargon."""
    patients = [
        {
            "start": "2026-12-01",
            "cause": "dietary",
            "neuro": True,
            "conditions": {"pregnant": True},
            "labs": ["hb=70 g/L@2026-11-20"],
        },
        {"start": "2026-12-01", "cause": "autoimmune-gastritis", "product": "cyanocobalamin"},
        {
            "start": "2026-12-01",
            "cause": "autoimmune-gastritis",
            "labs": ["inr=3.4 ratio@2026-11-24"],
        },
    ]
    seen = set()
    for patient in patients:
        result = run_patient(patient, *AS_OF, "--format", "json")
        seen |= {item["test"] for item in result.json()["follow_up"]}
    assert seen == set(PLAIN_TESTS)


def test_dates_are_english_whatever_the_locale() -> None:
    """Weekday and month names are written out by the handout, day before month."""
    assert long_date(date(2027, 2, 28)) == "Sunday 28 February 2027"
    assert short_date(date(2026, 12, 1)) == "Tue 1 Dec 2026"


def test_moved_and_missed_doses_and_a_done_test_read_plainly() -> None:
    """From Friday 12-04 with a weekday clinic: dose 2 (Sunday 12-06) moves to Monday 12-07;
    dose 3 (12-09) was missed (did not attend), so dose 4 counts from as_of 12-11: 12-14, a
    day the practice closes, moves to 12-15; the day 7-10 tests are done by a retic and an Hb
    from 12-11."""
    patient = validated(
        "patient",
        {
            "start": "2026-12-04",
            "cause": "autoimmune-gastritis",
            "given": ["2026-12-04", "2026-12-07"],
            "missed": [{"date": "2026-12-09", "reason": "did-not-attend"}],
            "labs": ["retic=3.1 %@2026-12-11", "hb=118 g/L@2026-12-11"],
            "clinic": {"open": ["mon", "tue", "wed", "thu", "fri"], "closed": ["2026-12-14"]},
        },
    )
    plan = plan_document(patient, as_of=date(2026, 12, 11))
    text = text_of(plan_html(plan))
    assert "missed on Wed 9 Dec (did not attend)" in text
    assert "moved from Mon 14 Dec (practice closed)" in text  # as_of 12-11 + 3 days
    assert re.search(r"shows that your body has started making new red blood cells Done", text)


def test_a_dated_change_of_interval_is_told_from_its_date() -> None:
    """A clinician's change to 2 months dated 2027-02-01 is told once, from that date."""
    given = ["2026-10-05", "2026-10-07", "2026-10-09", "2026-10-12", "2026-10-14", "2026-10-16"]
    patient = validated(
        "patient",
        {
            "start": "2026-10-05",
            "cause": "autoimmune-gastritis",
            "given": [*given, "2027-01-16"],
            "interval_changes": [{"date": "2027-02-01", "interval": "2mo"}],
        },
    )
    text = text_of(plan_html(plan_document(patient, as_of=date(2027, 2, 1))))
    assert text.count("From ") == 1
    assert (
        "From Monday 1 February 2027: one injection every 2 months (it was every 3 months)." in text
    )


def test_the_template_ships_with_the_package() -> None:
    """The template and its CSS are package data, so a wheel (non-editable install) has them."""
    templates = resources.files("b12plan.render").joinpath("templates")
    assert templates.joinpath("handout.html.j2").is_file()
    assert templates.joinpath("handout.css").is_file()


def test_a_high_inr_tells_the_patient_to_ask_before_coming() -> None:
    """The warfarin example: INR 3.6 on 11-24 holds the next week's IM doses, said plainly."""
    text = text_of(handout(str(EXAMPLES / "patient-warfarin-inr.json"), *AS_OF))
    assert (
        "Your INR blood test (for your blood thinner) on Tuesday 24 November 2026 was higher "
        "than your target. An injection in the week after that test may need to wait until "
        "your INR is back in range: ask your practice before you come in."
    ) in text


def test_the_compiled_templates_render_what_the_sources_do() -> None:
    """The handout from the compiled template modules is the handout Jinja2 makes from the
    template sources, for every example patient."""
    import jinja2

    from b12plan import api
    from b12plan.render import handout

    assert handout.CompiledLoader.usable()
    compiled = handout.environment().get_template("handout.html.j2")
    sources = handout.environment(jinja2.PackageLoader("b12plan.render", "templates"))
    for path in sorted(p for p in EXAMPLES.glob("patient-*") if len(p.suffixes) == 1):
        view = handout.handout_view(api.plan(path, as_of="2026-11-24", plain=True).document)
        assert compiled.render(page=view) == sources.get_template("handout.html.j2").render(
            page=view
        )


def test_another_jinja2_compiles_the_template_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled by one Jinja2, the templates are not used under another: the sources are."""
    import jinja2

    from b12plan.render import _template_handout_html, handout

    monkeypatch.setattr(_template_handout_html, "jinja2_version", "0.0")
    assert not handout.CompiledLoader.usable()
    assert isinstance(handout.environment().loader, jinja2.PackageLoader)
    result = run("schedule", str(EXAMPLES / "patient-dietary.toml"), *AS_OF, "--format", "html")
    expected = (EXAMPLES / "patient-dietary.plan.html").read_text(encoding="utf-8")
    assert result.code == 0, result.err
    assert result.out == expected


def test_two_high_inrs_give_the_patient_one_note() -> None:
    """INR 3.6 on 11-24, then 3.8 on 11-28 (as_of): the overdue dose of 11-25, to be given now,
    and those re-planned from 11-28 are held by the latest (reference 2026-12-07: at most one
    dose overdue, the others from as_of); one note for the patient, naming the latest test."""
    patient = {
        "start": "2026-11-25",
        "cause": "autoimmune-gastritis",
        "labs": ["inr=3.6 ratio@2026-11-24", "inr=3.8 ratio@2026-11-28"],
    }
    result = run("schedule", "-", "--as-of", "2026-11-28", "--format", "html",
                 stdin=json.dumps(patient))  # fmt: skip
    assert result.code == 0, result.err
    text = text_of(result.out)
    assert text.count("Your INR blood test (for your blood thinner)") == 1
    assert "on Saturday 28 November 2026 was higher than your target" in text
    plan = run("schedule", "-", "--as-of", "2026-11-28", "--format", "json",
               stdin=json.dumps(patient)).json()  # fmt: skip
    holds = [f for f in plan["findings"] if f["message"].startswith("INR above")]
    assert len(holds) == 1
    assert "inr 3.8 ratio on 2026-11-28" in holds[0]["message"]
    assert [d["held"] for d in plan["doses"][:2]] == ["INR 3.8 on 2026-11-28 is above 3.0"] * 2


def _view(document: dict[str, Any]) -> str:
    """The handout text of a plan document (synthetic findings allowed)."""
    return text_of(plan_html(document))  # type: ignore[arg-type]


def test_the_overdue_dose_is_booked_once_and_the_dates_after_it_explained() -> None:
    """However many doses a record leaves owed, the patient is asked once to book one now,
    and told that the dates after it assume it is given now."""
    plan = plan_document(
        validated("patient", json.loads(Path(LATE).read_text())), as_of=date(2026, 11, 24)
    )
    late = {**plan, "doses": [dict(d) for d in plan["doses"]]}
    for dose in late["doses"][-2:]:
        dose["status"] = "overdue"  # as an engine that left more than one owed would
    text = _view(late)
    assert text.count("please book it now") == 1
    assert (
        "Your injection due on Tuesday 10 November 2026 has not been given yet. The dates after "
        "it assume you have it now; if you have it later, ask your practice for new dates."
    ) in text


def test_an_overdue_dose_held_for_its_inr_asks_for_the_inr_test_first() -> None:
    """The one dose owed, held by a high INR: book it now, the INR blood test first."""
    given = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]
    patient = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": [*given, "2026-04-16"],
        "labs": ["inr=3.4@2026-08-08"],
    }
    text = text_of(run_patient(patient, "--as-of", "2026-08-10", "--format", "html").out)
    assert (
        "Thu 16 Jul 2026 Maintenance dose 1 mg 1 mL Overdue: please book it now; wait: INR" in text
    )
    assert "Because of your blood thinner, have your INR blood test first." in text


def test_no_code_or_guideline_id_reaches_the_patient_s_part_of_the_page() -> None:
    """Above the small print (and the prescriber's block reasons), no finding code and no
    source id: every example, with every warning the engine can raise here."""
    code = re.compile(r"\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b|\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")
    examples = sorted(p for p in EXAMPLES.glob("patient-*") if len(p.suffixes) == 1)
    pages = [handout(str(p), *AS_OF) for p in examples]
    pages.append(handout(AIG, *AS_OF, "--strength", "500 mcg/mL", "--route", "sc"))
    pregnant = ("--sex", "female", "--condition", "pregnant", "--lab", "hb=65 g/L@2026-11-20")
    pages.append(handout("--start", "2026-12-01", "--cause", "nitrous-oxide", *pregnant, *AS_OF))
    for html in pages:
        patient_part = text_of(html.split("<footer>", 1)[0] + "</main></body>")
        assert code.findall(patient_part.replace("B12", "")) == []


def test_pregnancy_keeps_folic_acid_and_nitrous_oxide_is_said_plainly() -> None:
    """A pregnant patient is told to keep taking folic acid as advised in pregnancy; nitrous
    oxide: stopping it is the treatment."""
    text = text_of(handout("--start", "2026-12-01", "--cause", "nitrous-oxide", "--sex",
                           "female", "--condition", "pregnant", *AS_OF))  # fmt: skip
    assert "If you are pregnant, keep taking folic acid as advised in pregnancy." in text
    assert "Nitrous oxide (laughing gas, also called nos or balloons) destroys vitamin B12" in text
    assert "Stopping it is the most important part of your treatment" in text


def test_a_medicine_that_lowers_b12_is_kept_and_so_are_the_injections() -> None:
    """Medication cause: maintenance for as long as the medicine is taken, and keep taking it."""
    text = text_of(handout("--start", "2026-12-01", "--cause", "medication", *AS_OF))
    assert "for as long as you take the medicine that lowers your vitamin B12" in text
    assert "Keep taking it: do not stop any medicine without asking your prescriber." in text
    assert "not necessarily for life" not in text


def test_a_lapse_asks_the_patient_to_talk_about_restarting() -> None:
    """LAPSED (two intervals without B12): talk to your practice about restarting."""
    plan = plan_document(
        validated("patient", json.loads(Path(LATE).read_text())), as_of=date(2026, 11, 24)
    )
    lapsed = {"code": "LAPSED", "severity": "warning", "message": "x", "source": "B12PLAN"}
    text = _view({**plan, "findings": [lapsed, *plan["findings"]]})
    # Beside the overdue dose, once: not again among the notes.
    assert text.count("talk to your practice about restarting") == 1
    assert "has not been given yet. The dates after it" in text
    # A past lapse (a dose given late, nothing owed now) is said among the notes.
    on_time = {**plan, "doses": [{**d, "status": "given"} for d in plan["doses"][:7]]}
    text = _view({**on_time, "findings": [lapsed, *plan["findings"]]})
    assert "Talk to your practice about restarting" in text


def test_a_stopped_course_says_so_and_no_more_dates() -> None:
    """Switched to oral B12 on 08-01: the page says injections stopped, why, the injections
    given, the review 3 months on, and no next date, missed-dose advice or horizon."""
    given = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]
    patient = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": [*given, "2026-04-16", "2026-07-16"],
        "stopped": {"date": "2026-08-01", "reason": "switched-to-oral"},
    }
    text = text_of(run_patient(patient, "--as-of", "2026-09-01", "--format", "html").out)
    assert "Now: Your injections have stopped" in text
    assert "Your vitamin B12 injections stopped on Saturday 1 August 2026." in text
    assert "You now take vitamin B12 as tablets instead" in text
    assert "Already given: 8 injections, the last on Thursday 16 July 2026." in text
    assert (
        "Sun 1 Nov 2026 Check-up with your practice 3 months after your injections stopped" in text
    )
    assert "If you miss an injection" not in text
    assert "No more injections are listed" not in text
    assert "This plan lists dates up to" not in text
    assert "before your next injection" not in text
    planned = {**patient, "stopped": {"date": "2027-02-01", "reason": "transferred-out"}}
    soon = text_of(run_patient(planned, "--as-of", "2026-09-01", "--format", "html").out)
    assert "Your injections are planned to stop on Monday 1 February 2027." in soon
    assert "Sat 16 Jan 2027 Maintenance dose" in soon


LONG_AGO = {
    "start": "2026-06-01",
    "cause": "autoimmune-gastritis",
    "given": [
        "2026-06-01", "2026-06-03", "2026-06-05", "2026-06-08", "2026-06-10", "2026-06-12",
        "2026-09-12",
    ],
}  # fmt: skip


def _long_ago_page(as_of: str) -> str:
    """The handout of LONG_AGO as of `as_of` (with the doses given by then)."""
    patient = {**LONG_AGO, "given": [d for d in LONG_AGO["given"] if d <= as_of]}
    result = run_patient(patient, "--as-of", as_of, "--format", "html")
    assert result.code == 0, result.err
    return result.out


def _test_rows(html: str) -> list[str]:
    """Each row of the page's table of tests, as text."""
    table = re.search(r'<table class="tests">.*?</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr class=\"\w+\">(.*?)</tr>", table.group(), re.S)
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def test_start_checks_missed_long_ago_leave_the_patient_s_page() -> None:
    """Baseline folate and the day 7-10 blood test, missed six months ago, are not asked about
    on the handout (their moment has passed [C]); the later blood count and the check-up still
    are, and the clinician's plan still lists all four as overdue."""
    html = _long_ago_page("2026-12-07")
    rows = _test_rows(html)
    assert [row.split(" Blood test")[0].split(" Check-up")[0] for row in rows] == [
        "Mon 27 Jul 2026",
        "Tue 1 Sep 2026",
    ]
    blood_count, review = rows
    assert blood_count.endswith("Date passed, no result on record: ask your practice")
    assert review.endswith("Date passed, not yet recorded as done: ask your practice to book it")
    plan = run_patient(LONG_AGO, "--as-of", "2026-12-07", "--format", "json").json()
    assert [(f["test"], f["status"]) for f in plan["follow_up"]] == [
        ("serum folate", "overdue"),
        ("reticulocytes and FBC", "overdue"),
        ("FBC", "overdue"),
        ("clinical review", "overdue"),
    ]


@pytest.mark.parametrize(("as_of", "listed"), [("2026-07-09", True), ("2026-07-10", False)])
def test_a_missed_start_check_is_asked_about_for_four_weeks(as_of: str, listed: bool) -> None:
    """The day 7-10 blood test (window closed 11 Jun) is still on the page 28 days after its
    window closed, with "ask your practice", and gone the day after."""
    html = _long_ago_page(as_of)
    shown = [row for row in _test_rows(html) if "reticulocytes" in row]
    row = (
        "Mon 8 Jun to Thu 11 Jun 2026 Blood test: full blood count and reticulocytes shows that "
        "your body has started making new red blood cells Date passed, no result on record: ask "
        "your practice"
    )
    assert shown == ([row] if listed else [])
