"""`b12plan schema`: the JSON Schema of one of the contract's documents."""

from __future__ import annotations

import click

from b12plan.cli._shared import fail
from b12plan.contract.json_schema import SCHEMAS
from b12plan.errors import InvalidInput


@click.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here instead of stdout, atomically (nothing on failure).",
)
def schema(name: str, output: str | None) -> None:
    """Print the JSON Schema of a document: patient, plan, regimen, check or worklist.

    The schemas follow JSON Schema draft 2020-12.
    """
    from b12plan.contract.json_schema import schema_json
    from b12plan.io.output import emit

    try:
        emit(schema_json(name), output)
    except InvalidInput as exc:
        fail(exc, as_json=False)
