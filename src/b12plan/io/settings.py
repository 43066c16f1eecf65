"""A clinic's settings file, `b12plan.toml`: its open days, closures and defaults, read by
`schedule`, `check` and `audit` so that nobody types `--open mon-fri --holidays GB-ENG` on
every call.

Looked for in the working folder, then in the user's config folder (as `platformdirs` names
it; `B12PLAN_CONFIG_DIR` names another); `--no-config` reads neither. Options override it.

```toml
due_within = "14d"          # audit: how far ahead a next dose is due-soon

[clinic]
open = "mon-fri"            # or ["mon", "tue", "wed", "thu", "fri"]
closed = [2026-12-24, "2026-12-31"]
holidays = "GB-ENG"
```
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from b12plan.contract.plain import Record
from b12plan.contract.text import printable, quote
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from os import PathLike

NAME: Final = "b12plan.toml"
MAX_SETTINGS_BYTES: Final = 64 * 1024
KEYS: Final = ("clinic", "due_within")
CLINIC_KEYS: Final = ("open", "closed", "holidays")
CONFIG_DIR_VARIABLE: Final = "B12PLAN_CONFIG_DIR"
"""Overrides the user's config folder (tests use it; so may a deployment)."""


class Settings(Record):
    """What a settings file holds, and where it was (a plain record: a NamedTuple would cost
    every run more to define)."""

    __slots__ = ("path", "clinic", "due_within")  # noqa: RUF023 - in the order they are made

    path: str | None
    """The file read (as it is shown: characters that are not printable written out), or None
    when there was none."""
    clinic: dict[str, Any] | None
    """The `clinic` object of the patient document, or None."""
    due_within: str | None


NONE: Final = Settings(path=None, clinic=None, due_within=None)


def find(cwd: str | None = None) -> str | None:
    """`b12plan.toml` in the working folder, else in the user's config folder, else None."""
    # Shown as found: `b12plan.toml` in the working folder, a full path in the config folder.
    # os.path, not pathlib: pathlib is not loaded on every run (start-up is measured).
    here = NAME if cwd is None else os.path.join(cwd, NAME)  # noqa: PTH118
    if os.path.isfile(here):  # noqa: PTH113
        return here
    there = os.path.join(config_folder(), NAME)  # noqa: PTH118
    return there if os.path.isfile(there) else None  # noqa: PTH113


def config_folder() -> str:
    """The user's config folder for b12plan: `B12PLAN_CONFIG_DIR`, else the folder
    `platformdirs.user_config_dir("b12plan", appauthor=False)` names."""
    folder = os.environ.get(CONFIG_DIR_VARIABLE)
    if folder:
        return folder
    # On Linux that folder is two environment variables away; working it out here spares every
    # run the import of platformdirs (and of tempfile, shutil, random, bz2 and lzma with it).
    # Only where every platformdirs release from 3.0 agrees; anything else asks platformdirs.
    if sys.platform == "linux" and not _maybe_android():
        xdg = os.environ.get("XDG_CONFIG_HOME", "")
        if os.path.isabs(xdg):  # noqa: PTH117
            return os.path.join(xdg, "b12plan")  # noqa: PTH118
        if not xdg.strip() and os.path.isabs(os.environ.get("HOME", "")):  # noqa: PTH117
            return os.path.join(os.path.expanduser("~/.config"), "b12plan")  # noqa: PTH111, PTH118
    import platformdirs

    return platformdirs.user_config_dir("b12plan", appauthor=False)


def _maybe_android() -> bool:
    """Whether platformdirs might take this for an Android app (it then looks elsewhere)."""
    return hasattr(sys, "getandroidapilevel") or any(
        name in os.environ for name in ("ANDROID_DATA", "ANDROID_ROOT")
    )


def load(*, no_config: bool = False, cwd: str | None = None) -> Settings:
    """The settings in force: none with `no_config`, else the file `find` finds, read."""
    if no_config:
        return NONE
    path = find(cwd)
    return NONE if path is None else read(path)


def read(path: str | PathLike[str]) -> Settings:
    """A settings file, checked: every problem names the file, the key and what is allowed."""
    import tomllib

    shown = os.fspath(path)
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - see `find`
            data = file.read()
    except OSError as exc:
        raise InvalidInput(["settings"], f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise InvalidInput(["settings"], f"{shown} is larger than {MAX_SETTINGS_BYTES} bytes")
    try:
        document = tomllib.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(["settings"], f"{shown} is not TOML: {exc}") from None
    unknown = [key for key in document if key not in KEYS]
    if unknown:
        raise InvalidInput(
            ["settings"],
            f"{shown}: {', '.join(quote(k) for k in unknown)} is not a setting; "
            f"allowed: {', '.join(KEYS)}",
        )
    due_within = document.get("due_within")
    if due_within is not None and not isinstance(due_within, str):
        raise InvalidInput(["settings"], f'{shown}: due_within must be a string such as "14d"')
    clinic = _clinic(document.get("clinic"), shown)
    # Named in every output (a document, a terminal): a character that is not printable (a
    # folder's name may hold any) is written out, as the sanitiser writes user text.
    return Settings(path=printable(shown), clinic=clinic, due_within=due_within)


def _clinic(value: Any, shown: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(["settings"], f"{shown}: clinic must be a table ([clinic])")
    unknown = [key for key in value if key not in CLINIC_KEYS]
    if unknown:
        raise InvalidInput(
            ["settings"],
            f"{shown}: clinic.{unknown[0]} is not a setting; allowed: {', '.join(CLINIC_KEYS)}",
        )
    clinic: dict[str, Any] = {}
    if "open" in value:
        clinic["open"] = _open_days(value["open"], shown)
    if "closed" in value:
        closed = value["closed"]
        if not isinstance(closed, list):
            raise InvalidInput(
                ["settings"],
                f"{shown}: clinic.closed must be a TOML array of dates, "
                'e.g. closed = [2026-12-25, "2026-12-26"]',
            )
        clinic["closed"] = [d.isoformat() if isinstance(d, date) else d for d in closed]
    if "holidays" in value:
        clinic["holidays"] = value["holidays"]
    _validate(clinic, shown)
    return clinic


def _open_days(value: Any, shown: str) -> list[str]:
    from b12plan.contract.vocab import weekday_names

    text = (
        ",".join(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value)
        else value
    )
    if not isinstance(text, str):
        raise InvalidInput(
            ["settings"],
            f'{shown}: clinic.open must be a TOML string such as "mon-fri" or an array of '
            'weekday names such as ["mon", "wed", "fri"]',
        )
    try:
        return weekday_names(text)
    except ValueError as exc:
        raise InvalidInput(["settings"], f"{shown}: clinic.open: {exc}") from None


def _validate(clinic: dict[str, Any], shown: str) -> None:
    """The clinic checked as `check_clinic` does, its errors named in TOML terms."""
    try:
        check_clinic(clinic)
    except InvalidInput as exc:
        problems = [
            (
                ("settings",),
                f"{shown}: clinic.{'.'.join(map(str, loc))}: {msg}",
            )
            for loc, msg in exc.errors
        ]
        (loc, msg), *more = problems
        raise InvalidInput(loc, msg, more=more) from None


def check_clinic(clinic: dict[str, Any]) -> None:
    """A clinic checked once, as a patient document's `clinic` is, its region looked up: a bad
    value fails the run, not every patient in turn. Errors are located inside the clinic."""
    from b12plan.contract.validation import validated

    try:
        validated("patient", {"start": "2026-01-01", "cause": "unknown", "clinic": clinic})
        if clinic.get("holidays"):
            from b12plan.contract.holidays import holiday_lookup

            holiday_lookup(clinic["holidays"])
    except InvalidInput as exc:
        located = [(loc[1:] if loc[:1] == ("clinic",) else loc, msg) for loc, msg in exc.errors]
        (loc, msg), *more = located
        raise InvalidInput(loc or ("holidays",), msg, more=more) from None
