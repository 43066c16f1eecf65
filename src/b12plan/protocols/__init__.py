"""Protocols as data: the bundled ones, and custom files.

The TOML files in this folder are the source of the bundled protocols. `tools/generate.py`
validates them with the protocol model (`b12plan.contract.protocol`) and writes them out as the
plain records the engine reads (`b12plan.contract.records`) in `_bundled.py` (a test fails until
it is current), so no run reads, parses or
validates them again. A custom `--protocol-file` goes through the same model each time it is
read (`parse_protocol`). Protocol files are data only: bounded in size, never executed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from b12plan.contract.records import Protocol

MAX_PROTOCOL_BYTES = 64 * 1024
CATALOGUE_ORDER = (
    "uk-bnf-hydroxo-nonneuro",
    "uk-bnf-hydroxo-neuro",
    "uk-hydroxo-dietary",
    "uk-hydroxo-prophylaxis",
    "uk-hydroxo-leber",
    "us-fda-cyano-label",
    "us-cyano-1000",
    "us-asmbs-bariatric",
)
"""How `b12plan protocols` lists the bundled protocols (any other file comes after them)."""


def bundled() -> dict[str, Protocol]:
    """The protocols shipped with b12plan, by id, in catalogue order."""
    # Loaded on first use, and asked for by every plan of a batch: `from X import NAME` on a
    # module costs ~1 us a call on Python 3.11 (a failed `__path__` look-up), this form a third.
    import b12plan.protocols._bundled as generated

    return generated.BUNDLED


def parse_protocol(text: str, origin: str) -> Protocol:
    """Validate protocol TOML text; InvalidInput names the file and the field."""
    from b12plan.errors import InvalidInput

    if len(text.encode("utf-8", "surrogatepass")) > MAX_PROTOCOL_BYTES:
        msg = f"{origin} is larger than {MAX_PROTOCOL_BYTES} bytes"
        raise InvalidInput(["protocol_file"], msg)
    from b12plan.contract.protocol import validated_protocol
    from b12plan.io.parsing import parse_toml

    return validated_protocol(parse_toml(text, origin, "protocol_file"), origin)
