"""JSON Schemas (draft 2020-12) of the contract's documents, generated from the pydantic models.

`SCHEMAS` is the one registry: a name, the model in `b12plan.contract.models` and the mode it is
generated in. Input documents (patient, regimen) describe what b12plan accepts (validation
mode); output documents (plan, check) describe what it writes (serialization mode, with aliases
such as `from`). The registry names classes rather than importing them so that the CLI can list
the names without loading pydantic (`--help` stays fast).

The schemas describe JSON documents; a TOML patient or regimen has the same shape, with TOML
dates where JSON has `YYYY-MM-DD` strings. Some checks (real dates, units and plausibility,
cross-field rules) live in validators that no JSON Schema can express: a document valid by the
schema may still be rejected, with a message naming the field.
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal

Mode = Literal["validation", "serialization"]

SCHEMAS: Final[dict[str, tuple[str, Mode]]] = {
    "patient": ("Patient", "validation"),
    "plan": ("Plan", "serialization"),
    "regimen": ("Regimen", "validation"),
    "check": ("CheckReport", "serialization"),
    "worklist": ("Worklist", "serialization"),
}
"""Schema name -> (model class in `b12plan.contract.models`, generation mode)."""
DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLES: Final = {
    "patient": "b12plan patient document (input of schedule)",
    "plan": "b12plan plan document (output of schedule --format json)",
    "regimen": "b12plan regimen document (input of check)",
    "check": "b12plan check document (output of check --format json)",
    "worklist": "b12plan worklist document (output of audit --format json)",
}


def schema_id(name: str) -> str:
    """A URN naming the schema and the contract's schema version (b12plan owns no domain)."""
    from b12plan.contract.vocab import SCHEMA_VERSION

    return f"urn:b12plan:schema:{SCHEMA_VERSION}:{name}"


def schema_document(name: str) -> dict[str, Any]:
    """The JSON Schema of one document, with `$schema`, `$id` and `title` first."""
    from b12plan.contract import models

    class_name, mode = SCHEMAS[name]
    model = getattr(models, class_name)
    generated: dict[str, Any] = model.model_json_schema(by_alias=True, mode=mode)
    generated.pop("title", None)
    return {"$schema": DIALECT, "$id": schema_id(name), "title": TITLES[name], **generated}


def schema_json(name: str) -> str:
    """The schema as indented JSON text ending with a newline; the same bytes every time."""
    return json.dumps(schema_document(name), indent=2, ensure_ascii=False) + "\n"
