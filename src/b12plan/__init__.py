"""b12plan: vitamin B12 injection schedules, traced to the guidelines they come from.

Decision support only: the prescriber decides.
"""

__version__ = "0.1.0"
