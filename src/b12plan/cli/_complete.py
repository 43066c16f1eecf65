"""Shell completion for the options whose values come from a closed list.

Each completer runs only when a shell asks (`_B12PLAN_COMPLETE`), so what it needs (the
protocols, the holiday regions, the audit's statuses) is imported inside it, never at start-up.
A value made of parts (`mon-fri,sat`, `overdue,lapsed`, `2026-12-07:declined`, `b12=150 ng/L`)
completes its last part after what was already typed.
"""

from __future__ import annotations

from click import Context, Parameter
from click.shell_completion import CompletionItem

from b12plan.contract.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    LAB_UNITS,
    MISS_REASONS,
    WEEKDAYS,
)

# Common spellings offered for values that are free in form: a choice to start from.
INTERVALS = ("1mo", "2mo", "3mo", "6mo", "1w", "2w", "4w")
PERIODS = ("7d", "14d", "28d", "2w", "4w", "1mo")
STRENGTHS = ("1000mcg/mL", "1mg/mL", "500mcg/mL", "100mcg/mL")
OPEN_DAYS = ("mon-fri", "mon-sat", "mon-sun", *WEEKDAYS)


def _starting(values: tuple[str, ...] | list[str], incomplete: str) -> list[CompletionItem]:
    return [CompletionItem(v) for v in values if v.startswith(incomplete)]


def files(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """A file name (or `-`): the shell completes it."""
    return [CompletionItem(incomplete, type="file")]


def protocols(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """`auto` and the bundled protocol ids."""
    from b12plan.protocols import bundled

    return _starting(["auto", *bundled()], incomplete)


def protocol_ids(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """The bundled protocol ids."""
    from b12plan.protocols import bundled

    return _starting(list(bundled()), incomplete)


def causes(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """The causes and their aliases."""
    return _starting((*CAUSES, *CAUSE_ALIASES), incomplete)


def intervals(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Common maintenance intervals (Nmo, Nw, Nd)."""
    return _starting(INTERVALS, incomplete)


def periods(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Common look-ahead periods (Nd, Nw, Nmo)."""
    return _starting(PERIODS, incomplete)


def strengths(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Common product strengths."""
    return _starting(STRENGTHS, incomplete)


def _last_part(incomplete: str, sep: str) -> tuple[str, str]:
    """(what was typed up to and including the last `sep`, the part after it)."""
    head, found, tail = incomplete.rpartition(sep)
    return (head + found, tail)


def open_days(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Weekdays and ranges, joined by commas: `mon-fri`, `mon,wed,fri`."""
    done, part = _last_part(incomplete, ",")
    return [CompletionItem(done + v) for v in OPEN_DAYS if v.startswith(part.lower())]


def statuses(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """The worklist's statuses, joined by commas, each offered once."""
    from b12plan.contract.vocab import AUDIT_STATUSES

    done, part = _last_part(incomplete, ",")
    taken = set(done.split(","))
    return [
        CompletionItem(done + s) for s in AUDIT_STATUSES if s.startswith(part) and s not in taken
    ]


def missed(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """`DATE:REASON`: after the date and a colon, the reasons."""
    if ":" not in incomplete:
        return []
    day, _, part = incomplete.partition(":")
    return [CompletionItem(f"{day}:{r}") for r in MISS_REASONS if r.startswith(part)]


def labs(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """`ANALYTE=VALUE UNIT@DATE`: the analytes (with `=`), then, after the value and a space,
    that analyte's units (with `@`)."""
    analyte, equals, rest = incomplete.partition("=")
    if not equals:
        return [CompletionItem(f"{a}=") for a in LAB_UNITS if a.startswith(incomplete)]
    value, space, unit = rest.partition(" ")
    if not space or "@" in unit or analyte not in LAB_UNITS:
        return []
    return [
        CompletionItem(f"{analyte}={value} {u}@")
        for u in LAB_UNITS[analyte]
        if u.lower().startswith(unit.lower())
    ]


def regions(_ctx: Context, _param: Parameter, incomplete: str) -> list[CompletionItem]:
    """Public-holiday regions of the `holidays` package: a country (ISO 3166-1 alpha-2) and its
    subdivisions (`GB-ENG`, `US-CA`)."""
    import holidays

    wanted = incomplete.upper()
    found: list[str] = []
    for country, subdivisions in holidays.list_supported_countries().items():
        if len(country) != 2 or not country.startswith(wanted[:2]):
            continue
        found += [country, *(f"{country}-{s}" for s in subdivisions)]
    return _starting(sorted(set(found)), wanted)
