"""Reading, parsing and writing: what crosses the edge of the program.

For now this holds the readers of `b12plan audit` (a clinic's records as events CSV, JSON Lines
of patient documents or a FHIR R4 Bundle) and the settings file; the other I/O modules move
here with the layer folders (issue 19).
"""
