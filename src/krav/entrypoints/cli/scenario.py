"""``krav scenario``: conformance scenarios and what-if timelines, each on a throwaway database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from krav.bootstrap import sandbox
from krav.domain.errors import InputError, KravError
from krav.entrypoints.cli.common import JsonOpt, echo_json, fail, read_file
from krav.services import scenario as scenarios

app = typer.Typer(help="Conformance scenarios and what-if timelines.", no_args_is_help=True)


@app.command("run")
def scenario_run(
    file: Annotated[Path, typer.Argument(help="A scenario YAML file (../shared/scenarios/FORMAT.md).")],
    letters: Annotated[
        Path | None, typer.Option("--letters", help="Write every letter's PDF here as {debtor}-{n}-{type}.pdf.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Run a scenario on a fresh in-memory database; exit 0 when it matches its expect, 1 when not, 2 when the
    file is invalid."""
    try:
        scenario = scenarios.read_scenario(read_file(file), filename=str(file))
        with sandbox() as krav:
            result = scenarios.run_scenario(krav.uow(), scenario, collab=krav.collaborators(), figures=krav.figures)
            if letters is not None:
                written = scenarios.write_letters(
                    krav.uow(), scenario, letters, renderer=krav.renderer, service=krav.service
                )
                typer.echo(f"wrote {written} letter PDF(s) to {letters}", err=True)
    except InputError as exc:
        fail(str(exc), 2)
    except KravError as exc:
        fail(f"{file}: {exc}", 2)
    if json_out or scenario.expect is None:
        echo_json(result)
    if scenario.expect is None:
        return
    diffs = scenarios.differences(scenario.expect, result)
    if diffs:
        typer.echo(f"{file}: {len(diffs)} difference(s) from expect:", err=not json_out)
        for d in diffs:
            typer.echo(f"  {d}", err=not json_out)
        raise typer.Exit(1)
    if not json_out:
        typer.echo(f"{file}: matches its expect ({scenario.name})")
