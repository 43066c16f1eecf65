"""A line and the source it follows, in brackets, as every renderer writes it."""

from __future__ import annotations


def cited(text: str, source: str) -> str:
    """`text (SOURCE)`, unless the text already names the source in brackets, as in
    "assumed aged 16 or over (NICE-NG239 scope)": a source is said once."""
    return text if f"({source}" in text else f"{text} ({source})"
