"""The contract: the documents b12plan reads and writes, and the value types they are made of.

The pydantic models (`models.py`, `protocol.py`) are the hand-written declaration of each
document; the fast mirrors a run uses instead are generated from them by `tools/generate.py`
(`_core_schema.py`, the records it validates into). Beside them: units, intervals, the compact
regimen grammar and `wording/` (regimens read as prescribers write them), sources, the
vocabularies, the one sanitiser and quoting helper (`text.py`), every check the models make
(`validators.py`), the one door into the input documents (`validation.py`) and the JSON Schema
of each document (`json_schema.py`). Cheap to import: pydantic only in the models.

Nothing here imports the engine, the protocols, the renderers, the command line or `b12plan.io`
(an import-linter contract in pyproject.toml says so, and CI checks it).
"""
