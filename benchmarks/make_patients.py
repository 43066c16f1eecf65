"""Realistic patient documents as JSON Lines, for `schedule --batch` benchmarks and checks.

A deterministic mix (fixed seed): every automatic and named protocol, baseline labs, some
given doses (on time and late), recurring symptoms, clinician intervals and safety conditions,
all dated around one `as_of` (AS_OF). With `--bad FRACTION`, that share of lines is broken in
one of several ways (not JSON, unknown cause, missing start, a future dose, a list).

    python benchmarks/make_patients.py 10000 > patients.jsonl
    python benchmarks/make_patients.py 100000 --bad 0.01 > mixed.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

AS_OF = "2025-06-01"
_AS_OF = date.fromisoformat(AS_OF)

_NEURO_END_DAYS = (14, 21, 28, 42)
_CYANO_PROTOCOLS = ("us-cyano-1000", "us-cyano-1000", "us-asmbs-bariatric", "us-fda-cyano-label")
_CAUSES = (
    "autoimmune-gastritis",
    "pernicious-anaemia",
    "gastrectomy",
    "bariatric-surgery",
    "ileal-resection",
    "malabsorption",
    "dietary",
    "medication",
    "nitrous-oxide",
    "unknown",
)
_BAD = (
    '{"start": "2025-03-03", "cause": ',  # truncated JSON
    '{"start": "2025-03-03", "cause": "scurvy"}',
    '{"cause": "dietary"}',
    '{"start": "2025-03-03", "cause": "dietary", "given": ["2030-01-01"]}',
    '["not", "an", "object"]',
    '{"start": "2025-03-03", "cause": "dietary", "labs": ["b12=150@2025-03-01"]}',
)


def _day(when: date) -> str:
    return when.isoformat()


def _labs(rng: random.Random, start: date) -> list[str]:
    taken = _day(min(start, _AS_OF) - timedelta(days=rng.randint(3, 20)))
    labs = [f"b12={rng.choice((90, 150, 170, 220, 300, 420))} ng/L@{taken}"]
    if rng.random() < 0.6:
        labs.append(f"hb={rng.choice((95, 112, 125, 138))} g/L@{taken}")
        labs.append(f"mcv={rng.choice((88, 97, 104, 112))} fL@{taken}")
    if rng.random() < 0.1:
        labs.append(f"egfr={rng.choice((25, 60, 90))} mL/min/1.73m2@{taken}")
    return labs


def _given(rng: random.Random, start: date, gaps: tuple[int, ...]) -> list[Any]:
    """The first few repletion doses, sometimes a day late, never after AS_OF."""
    given: list[Any] = []
    when = start
    for gap in (0, *gaps)[: rng.randint(1, len(gaps) + 1)]:
        when += timedelta(days=gap + (1 if rng.random() < 0.1 else 0))
        if when > _AS_OF:
            break
        given.append(_day(when) if rng.random() < 0.8 else {"date": _day(when), "dose_mcg": 1000})
    return given


def patient(rng: random.Random) -> dict[str, Any]:
    """One valid patient document."""
    start = _AS_OF + timedelta(days=rng.randint(-300, 60))
    doc: dict[str, Any] = {"start": _day(start), "cause": rng.choice(_CAUSES)}
    doc["dob"] = _day(date(rng.randint(1935, 2000), rng.randint(1, 12), rng.randint(1, 28)))
    doc["sex"] = rng.choice(("female", "male"))
    roll = rng.random()
    gaps: tuple[int, ...] = (2, 2, 3, 2, 2)
    if roll < 0.15:
        doc["neuro"] = True
        if rng.random() < 0.7:
            doc["repletion_end"] = _day(start + timedelta(days=rng.choice(_NEURO_END_DAYS)))
    elif roll < 0.35:
        doc["product"] = "cyanocobalamin"
        doc["protocol"] = rng.choice(_CYANO_PROTOCOLS)
        gaps = (1, 1, 1, 1, 1, 1) if doc["protocol"] != "us-asmbs-bariatric" else (30,)
    elif roll < 0.4:
        doc["protocol"] = "uk-hydroxo-prophylaxis"
        gaps = (91,)
    if rng.random() < 0.7:
        doc["labs"] = _labs(rng, start)
    if start < _AS_OF and rng.random() < 0.6:
        doc["given"] = _given(rng, start, gaps)
    if start < _AS_OF and rng.random() < 0.1:
        doc["symptoms_returned"] = [_day(start + timedelta(days=(_AS_OF - start).days // 2))]
    if rng.random() < 0.05 and not doc.get("neuro") and "protocol" not in doc:
        # A clinician's shorter interval: off the steps of some protocols (dietary: 3mo, 6mo),
        # which without a reason is refused (reference, "The engine never lengthens").
        doc["interval"] = "2mo"
        doc["override_reason"] = "symptoms return before the next dose"
    if rng.random() < 0.1:
        doc["conditions"] = {"anticoagulant": True}
    if rng.random() < 0.01:
        doc["route"] = "iv"  # a blocked plan (IV_ROUTE): still a good line
    if rng.random() < 0.3:
        doc["until"] = _day(start + timedelta(days=rng.choice((180, 365, 540))))
    return doc


def lines(count: int, *, bad: float = 0.0, seed: int = 12) -> list[str]:
    """`count` JSON Lines; about `bad` of them (a fraction) invalid, spread evenly."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    every = round(1 / bad) if bad > 0 else 0
    out = []
    for i in range(1, count + 1):
        if every and i % every == 0:
            out.append(_BAD[(i // every) % len(_BAD)])
        else:
            out.append(json.dumps(patient(rng), separators=(",", ":")))
    return out


def main() -> None:
    """Print the lines to stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--bad", type=float, default=0.0, help="fraction of invalid lines")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    sys.stdout.write(
        "".join(f"{line}\n" for line in lines(args.count, bad=args.bad, seed=args.seed))
    )


if __name__ == "__main__":
    main()
