"""Reading, parsing and writing: what crosses the edge of the program.

Files and stdin are read by `loading.py`, JSON and TOML text parsed by `parsing.py` (pure), and
every byte b12plan outputs written by `output.py` (stdout, stderr, `-o`, batch lines, signals
and broken pipes). Here too the readers of `b12plan audit` (a clinic's records as events CSV,
JSON Lines of patient documents or a FHIR R4 Bundle) and the settings file.
"""
