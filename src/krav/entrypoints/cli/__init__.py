"""The ``krav`` command line: thin commands that parse, call a use case or a query, and print.

One module per command group; :mod:`~krav.entrypoints.cli.common` holds the options, the business date, the wired
app and the error handling, :mod:`~krav.entrypoints.cli.presenters` and
:mod:`~krav.entrypoints.cli.collection_presenters` what is printed.

Exit codes: 0 done, 1 refused by a rule (or a scenario that does not match), 2 bad input.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from typing import Annotated

import typer

from krav.entrypoints.cli import (
    agreement,
    audit,
    claims,
    companies,
    debtor,
    imports,
    ledger,
    letters,
    payments,
    proposal,
    rates,
    run,
    scenario,
    serve,
    users,
    workers,
)
from krav.entrypoints.cli.common import get_app, reset_app
from krav.entrypoints.labels import Lang, use
from krav.services.ports import batch_collector, freeze_for_life

__all__ = ["app", "get_app", "main", "reset_app"]

HELP = (
    "Krav: Norwegian debt collection from the ledger to inkasso and back.\n\n"
    "Tables are in bokmål; `krav --lang en …` (or KRAV_LANG=en) draws their headers and words in English. "
    "--json prints the codes (stages, letter types, statuses) the same in either language.\n\n"
    "Exit codes: 0 done, 1 refused by a rule, 2 bad input."
)

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def krav_version() -> str:
    """The installed Krav's version."""
    try:
        return package_version("krav")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without installing
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"krav {krav_version()}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print Krav's version and exit."),
    ] = False,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            envvar="KRAV_LANG",
            case_sensitive=False,
            help="The language of the tables: their headers and the words for stages, letter types, voucher types "
            "and statuses. nb (bokmål) or en (English); --json prints the codes either way.",
        ),
    ] = Lang.NB,
) -> None:
    """The options of every command; the language of the tables is chosen here, once per command."""
    use(lang)


app.command("init")(companies.init)
# the help given here, not the docstring's, which names its rule (R-BANK-3): no rule id in what a user reads
app.command("settlements")(payments.settlements_command)
app.command("proposal")(proposal.proposal_command)
app.command("submit")(proposal.submit_command)
app.command("run")(run.run_command)
app.command("simulate")(run.simulate_command)
app.command("demo")(run.demo_command)
app.command("serve")(serve.serve_command)
app.command("worker")(workers.worker_command)

app.add_typer(companies.app, name="company")
app.add_typer(ledger.app, name="ledger")
app.add_typer(imports.app, name="import")
app.add_typer(agreement.app, name="agreement")
app.add_typer(scenario.app, name="scenario")
app.add_typer(claims.app, name="claims")
app.add_typer(letters.letters_app, name="letters")
app.add_typer(letters.outbox_app, name="outbox")
app.add_typer(payments.app, name="payments")
app.add_typer(audit.app, name="audit")
app.add_typer(rates.app, name="rates")
app.add_typer(debtor.app, name="debtor")
app.add_typer(serve.keys_app, name="keys")
app.add_typer(serve.webhooks_app, name="webhooks")
app.add_typer(users.app, name="users")
app.add_typer(workers.jobs_app, name="jobs")


def main() -> None:
    # what was imported to start (modules, their tables and templates) lives as long as the command: kept out of
    # the garbage collector's rounds, which would otherwise walk it all again each time many new objects are made;
    # and what the command builds lives as long too: full rounds rarer
    freeze_for_life()
    batch_collector()
    try:
        app()
    finally:
        reset_app()
