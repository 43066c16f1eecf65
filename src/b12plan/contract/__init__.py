"""The contract's shapes and vocabularies: what b12plan reads and writes, declared once.

Pure and cheap to import: no pydantic, no I/O. `wording` reads regimens as prescribers write
them.
"""
