"""Renderers: each turns a finished document into text and never prints.

`json` is imported on the JSON path; `table` (rich) only when a table is asked for.
"""
