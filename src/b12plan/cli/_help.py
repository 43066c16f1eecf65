"""`b12plan --help` as click writes it on a terminal of 80 columns or more.

Generated from the click group `b12plan.cli._group.cli`
by `python tools/generate.py`: do not edit.
"""

HELP = (
    "Usage: b12plan [OPTIONS] COMMAND [ARGS]...\n"
    "\n"
    "  Vitamin B12 injection schedules: dated repletion and maintenance, traced to\n"
    "  guidelines.\n"
    "\n"
    "  Decision support only, not a prescription: the prescriber decides.\n"
    "\n"
    "Options:\n"
    "  -V, --version  Show the version and exit.\n"
    "  -h, --help     Show this message and exit.\n"
    "\n"
    "Commands:\n"
    "  audit      Audit a clinic's records: one worklist, most urgent first...\n"
    "  check      Check a proposed regimen against a protocol: each difference...\n"
    "  protocols  List the bundled protocols with their sources (or validate a...\n"
    "  schedule   Make a dated injection plan for one patient (file, `-` for...\n"
    "  schema     Print the JSON Schema of a document: patient, plan, regimen,...\n"
)
