"""`b12plan protocols`: the bundled protocols and their sources, or a custom one validated."""

from __future__ import annotations

import click

from b12plan.cli._shared import (
    Failure,
    completes,
    fail,
    load_custom_protocol,
    output_options,
    table_width,
    use_color,
)
from b12plan.contract.text import quote
from b12plan.errors import InvalidInput


@click.command()
@click.argument("protocol_id", required=False, shell_complete=completes("protocol_ids"))
@output_options(("table", "json"))
@click.option(
    "--validate",
    "validate_file",
    type=click.Path(dir_okay=False),
    help="Validate a custom protocol TOML file and show it.",
)
def protocols(
    protocol_id: str | None,
    fmt: str,
    output: str | None,
    color: bool | None,
    validate_file: str | None,
) -> None:
    """List the bundled protocols with their sources (or validate a custom one)."""
    from b12plan.protocols import bundled
    from b12plan.render.catalogue import catalogue_json

    as_json = fmt == "json"
    try:
        custom = load_custom_protocol(validate_file)
    except InvalidInput as exc:
        fail(exc, as_json)
    chosen = [custom] if custom is not None else list(bundled().values())
    if protocol_id is not None:
        chosen = [p for p in chosen if p.id == protocol_id]
        if not chosen:
            allowed = ", ".join(bundled())
            raise Failure(
                ("protocol_id",),
                f"unknown protocol {quote(protocol_id)}; allowed: {allowed}",
                as_json=as_json,
            )
    if as_json:
        text = catalogue_json(chosen)
    else:
        from b12plan.render.catalogue import catalogue_table

        on = use_color(color, output)
        text = catalogue_table(chosen, color=on, width=table_width(output))
    from b12plan.io.output import emit

    try:
        emit(text, output)
    except InvalidInput as exc:
        fail(exc, as_json)
