"""A synthetic clinic's records for `b12plan audit` benchmarks: an events CSV, a patients CSV and
the same patients as JSON Lines of patient documents (for `schedule --batch`).

Each patient is made from its own number (a fixed seed each), so any number of patients is
written in constant memory, and the same patient comes out the same in every file: on
maintenance after a loading course done elsewhere (most), or in or after a loading course here;
doses every three months give or take a fortnight, some late, a few missed; a few labs.

    python benchmarks/make_clinic.py 10000 DIR    # DIR/events.csv, patients.csv, patients.jsonl
    python benchmarks/make_clinic.py 1000000 DIR --unsorted --no-jsonl   # in date order

`--unsorted` writes the events in date order, as a date-ordered export would: a patient's rows
are spread over the whole file (sorted on disk by GNU `sort`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

AS_OF = "2026-12-07"
_AS_OF = date.fromisoformat(AS_OF)
CAUSES = (
    "pernicious-anaemia",
    "autoimmune-gastritis",
    "gastrectomy",
    "bariatric-surgery",
    "ileal-resection",
    "malabsorption",
    "dietary",
    "medication",
)
EVENTS_HEADER = "patient_id,date,event,dose_mcg,route,site,analyte,value,unit,reason\n"
PATIENTS_HEADER = "patient_id,dob,sex,cause,repletion_done\n"


def patient(n: int) -> dict[str, Any]:
    """Patient number `n`: its fields and its events, each event (date, kind, cells)."""
    rng = random.Random(n)  # noqa: S311 - made-up patients, repeatable
    ref = f"P{n:07d}"
    on_record = rng.random() < 0.75
    cause = rng.choice(CAUSES)
    dob = date(rng.randint(1930, 2000), rng.randint(1, 12), rng.randint(1, 28))
    sex = rng.choice(("female", "male"))
    events: list[tuple[str, str, dict[str, str]]] = []
    day = _AS_OF - timedelta(days=rng.randint(120, 2000))
    if not on_record:
        for gap in (0, 2, 2, 3, 2, 2):
            day += timedelta(days=gap)
            if day >= _AS_OF:
                break
            events.append((day.isoformat(), "given", {"dose_mcg": "1000", "route": "im"}))
        day += timedelta(days=91)
    while day < _AS_OF - timedelta(days=rng.randint(0, 60)):
        if rng.random() < 0.05:
            events.append((day.isoformat(), "missed", {"reason": "did-not-attend"}))
            day += timedelta(days=rng.randint(5, 20))
        site = rng.choice(("left deltoid", "right deltoid", ""))
        dose = "500" if rng.random() < 0.02 else "1000"
        events.append((day.isoformat(), "given", {"dose_mcg": dose, "route": "im", "site": site}))
        day += timedelta(days=91 + rng.randint(-10, 20))
    lab_days = sorted({_AS_OF - timedelta(days=rng.randint(1, 400)) for _ in range(3)})
    for when in lab_days[: rng.randint(0, 3)]:
        value = str(rng.randint(120, 900))
        events.append((when.isoformat(), "lab", {"analyte": "b12", "value": value, "unit": "ng/L"}))
    events.sort(key=lambda e: (e[0], e[1]))
    if not events or all(e[1] != "given" for e in events):
        events.insert(0, ((_AS_OF - timedelta(days=30)).isoformat(), "given", {"dose_mcg": "1000"}))
    return {
        "ref": ref,
        "dob": dob,
        "sex": sex,
        "cause": cause,
        "on_record": on_record,
        "events": events,
    }


def event_row(ref: str, event: tuple[str, str, dict[str, str]]) -> str:
    """One events CSV row."""
    day, kind, cells = event
    columns = ("dose_mcg", "route", "site", "analyte", "value", "unit", "reason")
    return ",".join([ref, day, kind, *(cells.get(c, "") for c in columns)]) + "\n"


def document(made: dict[str, Any]) -> dict[str, Any]:
    """The same patient as a patient document (without `ref`, which `--batch` does not take)."""
    given, missed, labs = [], [], []
    for day, kind, cells in made["events"]:
        if kind == "given":
            item: dict[str, Any] = {"date": day, "dose_mcg": int(cells["dose_mcg"])}
            for name in ("route", "site"):
                if cells.get(name):
                    item[name] = cells[name]
            given.append(item)
        elif kind == "missed":
            missed.append({"date": day, "reason": cells["reason"]})
        else:
            labs.append(f"b12={cells['value']} ng/L@{day}")
    out: dict[str, Any] = {
        "start": min([given[0]["date"], *(m["date"] for m in missed)]),
        "cause": made["cause"],
        "dob": made["dob"].isoformat(),
        "sex": made["sex"],
        "given": given,
    }
    if made["on_record"]:
        out["repletion_done"] = True
    if missed:
        out["missed"] = missed
    if labs:
        out["labs"] = labs
    return out


def write(count: int, folder: Path, *, unsorted: bool = False, jsonl: bool = True) -> None:
    """Write the clinic's three files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    with (
        (folder / "events.csv").open("w", encoding="utf-8", newline="") as events,
        (folder / "patients.csv").open("w", encoding="utf-8", newline="") as patients,
    ):
        events.write(EVENTS_HEADER)
        patients.write(PATIENTS_HEADER)
        lines = (folder / "patients.jsonl").open("w", encoding="utf-8") if jsonl else None
        for n in range(count):
            made = patient(n)
            done = "yes" if made["on_record"] else ""
            patients.write(f"{made['ref']},{made['dob']},{made['sex']},{made['cause']},{done}\n")
            events.writelines(event_row(made["ref"], e) for e in made["events"])
            if lines is not None:
                lines.write(json.dumps(document(made)) + "\n")
        if lines is not None:
            lines.close()
    if unsorted:
        _by_date(folder / "events.csv")


def _by_date(path: Path) -> None:
    """The events file's rows in date order (GNU sort: on disk, in bounded memory)."""
    rows = path.with_suffix(".rows")
    with path.open("rb") as source, rows.open("wb") as out:
        header = source.readline()
        shutil.copyfileobj(source, out)
    with path.open("wb") as out:
        out.write(header)
        out.flush()
        subprocess.run(
            ["sort", "-t,", "-k2,2", "-k1,1", "-S", "64M", str(rows)],
            stdout=out,
            check=True,
            env={**os.environ, "LC_ALL": "C"},
        )
    rows.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--unsorted", action="store_true", help="events in date order")
    parser.add_argument("--no-jsonl", action="store_true", help="skip patients.jsonl")
    args = parser.parse_args()
    write(args.count, args.folder, unsorted=args.unsorted, jsonl=not args.no_jsonl)


if __name__ == "__main__":
    main()
