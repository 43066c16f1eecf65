"""The audit's worklist as one printable HTML page (`audit --format html`).

Self-contained (inline CSS, no script, nothing fetched), A4 landscape when printed, the counts
per status at the top, then one row a patient, most urgent first. Jinja2 lays it out with
autoescaping on, so every text from the records (a ref, a message quoting a cell) is escaped;
rows are rendered as they come (`generate`), never held all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import jinja2

from b12plan.render.handout import environment as handout_environment
from b12plan.render.worklist import problem_words, settings_words, test_words


def _notes(entry: Mapping[str, Any]) -> list[str]:
    notes = [problem_words(p) for p in entry["problems"]]
    notes += [f"{f['code']} ({f['severity']}): {f['message']}" for f in entry["findings"]]
    notes += [f"test due: {test_words(t)}" for t in entry["tests_due"]]
    notes += [
        f"dose {d['n']} ({d['date']}): "
        + "; ".join(f"{e['code']}, {e['reason']}" for e in d["evaluation"])
        for d in entry["doses"]
        if d["evaluation"][0]["code"] != "on-time"
    ]
    return notes


def _rows(entries: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    for entry in entries:
        yield {**entry, "notes": _notes(entry)}


def worklist_html(head: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The page, in pieces."""
    # The sources, not the compiled handout templates: the worklist has none compiled.
    environment = handout_environment(jinja2.PackageLoader("b12plan.render", "templates"))
    template = environment.get_template("worklist.html.j2")
    return template.generate(head=head, settings=settings_words(head), rows=_rows(entries))
