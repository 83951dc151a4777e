"""``krav rates``: the dated rate table in use with the source of every value, a newer table loaded, and the table
written out to edit (DOMAIN.md section 8; docs/rates.md).

``krav rates`` alone is ``krav rates show``. Amounts print as ``12 345,50``, dates as ``dd.mm.åååå``, rates as
``12,25 %``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from krav.bootstrap import rate_store
from krav.domain.errors import InputError
from krav.domain.money import Money, format_amount
from krav.domain.rates import RateOrigin, RatesInUse, RatesLoaded, RateTables, Rounding, SalaerEntry
from krav.entrypoints.cli.common import (
    DateOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    handle_errors,
    read_file,
)
from krav.entrypoints.cli.presenters import day
from krav.entrypoints.output import to_jsonable

app = typer.Typer(
    help="The dated rates: the table in use and the source of every value; load a newer table; export it to edit.",
    invoke_without_command=True,
)

_ROUNDING = {
    Rounding.ORE: "rounded to øre",
    Rounding.KRONE: "rounded to whole kroner",
    Rounding.ORE_DOWN: "rounded down to øre",
}


@app.callback()
def rates_group(ctx: typer.Context) -> None:
    """The dated rates (DOMAIN.md section 8); without a command, the table in use (``krav rates show``)."""
    if ctx.invoked_subcommand is None:
        rates_show(on=None, json_out=False)


@app.command("show")
@handle_errors
def rates_show(on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """The rate table in use, how far it reaches, and every entry with its source."""
    in_use = rate_store().in_use()
    today = business_date(on)
    if json_out:
        echo_json(show_json(in_use, today))
        return
    echo(show_lines(in_use, today))


@app.command("load")
@handle_errors
def rates_load(file: Annotated[Path, typer.Argument(help="A rates file, as `krav rates export` writes it.")]) -> None:
    """Check FILE whole and use it from now on; a refused file changes nothing (exit 2, naming entry and field)."""
    krav = get_app()
    data = read_file(file)
    with krav.run_lock.hold("krav rates load"):
        loaded = krav.rate_store.load(data, file=str(file), now=datetime.now(ZoneInfo("Europe/Oslo")))
    echo(load_lines(loaded))


@app.command("export")
@handle_errors
def rates_export(
    file: Annotated[Path, typer.Argument(help="Where to write the table (TOML).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write the rate table in use to FILE, comments and all, to edit and load again."""
    in_use = rate_store().in_use()
    if file.exists() and not force:
        raise InputError(f"{file} exists; pass --force to overwrite it")
    try:
        file.write_text(in_use.text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{file}: cannot write the file ({exc.strerror})") from None
    typer.echo(
        f"wrote the rate table in use, {origin_line(in_use)}, to {file} (known to "
        f"{day(in_use.tables.known_until())}); edit it, then: krav rates load {file}"
    )


# -- what is printed ------------------------------------------------------------------------------------------


def origin_line(in_use: RatesInUse) -> str:
    """Which table is in use, in a few words."""
    if in_use.origin is RateOrigin.CONFIGURED:
        return f"KRAV_RATES_FILE ({in_use.path})"
    if in_use.origin is RateOrigin.LOADED:
        when = f" on {_moment(in_use.loaded_at)}" if in_use.loaded_at else ""
        return f"loaded{when} from {in_use.loaded_from or 'an unnamed file'}, kept in {in_use.path}"
    return "built-in (shipped with this release of Krav)"


def show_lines(in_use: RatesInUse, today: date) -> list[str]:
    """The table in use, where it comes from, how far it reaches, and each entry with its source."""
    tables = in_use.tables
    lines = [f"Rate table in use: {origin_line(in_use)}"]
    if in_use.set_aside:
        lines.append(f"warning: a loaded table is set aside: {in_use.set_aside}")
    lines.append(f"Forsinkelsesrente and standard compensation known to {day(tables.known_until())} inclusive.")
    check = tables.check(today)
    if check.known:
        lines.append(f"{day(today)} is covered.")
    else:
        lines.append(
            f"{day(today)} is NOT covered: its half-year's forsinkelsesrente or standard compensation is not in the "
            f"table; load a table covering the half-year from {day(check.needed_from)} (krav rates load FILE)."
        )
    lines += ["", "Inkassosats (NOK)"]
    lines += [
        _entry(e.valid_from, format_amount(Money.of(e.amount)).rjust(10), e.source, e.correction)
        for e in tables.inkassosatser
    ]
    lines += ["", "Fees, as fractions of the inkassosats (reminder or notice; the creditor's own payment demand)"]
    lines += [
        _entry(e.valid_from, f"{e.reminder}; {e.payment_demand}; {_ROUNDING[e.rounding]}", e.source, e.correction)
        for e in tables.fees
    ]
    lines += ["", "Forsinkelsesrente (% a year, per half-year)"]
    lines += [_entry(e.valid_from, percent(e.rate).rjust(10), e.source, e.correction) for e in tables.interest_rates]
    lines += ["", "Salær, light, as multiples of the inkassosats by principal"]
    for s in tables.salaer_tables:
        lines.append(_entry(s.valid_from, _brackets(s), s.source, s.correction, source_below=True))
    lines += ["", "Standard compensation, B2B (NOK per half-year)"]
    lines += [
        _entry(e.valid_from, format_amount(Money.of(e.amount)).rjust(10), e.source, e.correction)
        for e in tables.standard_compensations
    ]
    lines += ["", "Rule sets"]
    for r in tables.rule_sets:
        in_force = f"in force from {day(r.in_force_from)}" if r.in_force_from else "not yet in force"
        lines.append(f"  {r.id}: {r.title}; adopted {day(r.adopted)}, {in_force}")
        lines.append(f"              source: {r.source}")
        if r.correction:
            lines.append(f"              corrected: {r.correction}")
    return lines


def show_json(in_use: RatesInUse, today: date) -> dict[str, Any]:
    check = in_use.tables.check(today)
    return {
        "origin": in_use.origin.value,
        "path": in_use.path,
        "loaded_from": in_use.loaded_from,
        "loaded_at": in_use.loaded_at.isoformat() if in_use.loaded_at else None,
        "set_aside": in_use.set_aside,
        "known_until": in_use.tables.known_until(),
        "on": today,
        "known": check.known,
        "assumption": check.assumption(),
        "tables": _tables_json(in_use.tables),
    }


def load_lines(loaded: RatesLoaded) -> list[str]:
    """What a load did: the table now in use, what it added and corrected, where the old one was kept."""
    in_use, update = loaded.in_use, loaded.update
    lines = [
        f"Rate table in use: {origin_line(in_use)}",
        f"Forsinkelsesrente and standard compensation known to {day(in_use.tables.known_until())} inclusive; "
        "every command uses this table from now on.",
    ]
    lines += _listed("added", update.added) + _listed("corrected", update.corrected)
    if not update.added and not update.corrected:
        lines.append("no entry added or corrected (sources may have changed)")
    if loaded.replaced is not None:
        lines.append(f"the table it replaced is kept in {loaded.replaced}")
    return lines


def percent(rate: Decimal) -> str:
    """A rate in percent as Norwegian prints it, at least two decimals: ``12,25 %``."""
    exponent = rate.as_tuple().exponent
    shown = rate if isinstance(exponent, int) and exponent < -2 else rate.quantize(Decimal("0.01"))
    return f"{shown}".replace(".", ",") + " %"


def _multiple(value: Decimal) -> str:
    return str(value).replace(".", ",")


def _brackets(s: SalaerEntry) -> str:
    parts = [
        f"{'above' if b.up_to is None else 'up to ' + format_amount(Money.of(b.up_to))}: {_multiple(b.multiple)}"
        for b in s.brackets
    ]
    factors = (
        f"heavy × {_multiple(s.heavy_factor)}, business × {_multiple(s.business_factor)}, "
        f"creditor outside VAT × {_multiple(s.no_vat_factor)}; {_ROUNDING[s.rounding]}"
    )
    return " · ".join(parts) + "; " + factors


def _entry(valid_from: date, value: str, source: str, correction: str | None, *, source_below: bool = False) -> str:
    line = f"  {day(valid_from)}  {value}"
    line += f"\n              source: {source}" if source_below else f"  {source}"
    if correction:
        line += f"\n              corrected: {correction}"
    return line


def _listed(what: str, entries: Sequence[str]) -> list[str]:
    return [f"{what}: {entry}" for entry in entries]


def _moment(value: datetime) -> str:
    return f"{day(value.date())} {value:%H:%M}"


def _tables_json(tables: RateTables) -> dict[str, Any]:
    return {
        "inkassosats": to_jsonable(tables.inkassosatser),
        "fee": [
            {**to_jsonable(e), "reminder": str(e.reminder), "payment_demand": str(e.payment_demand)}
            for e in tables.fees
        ],
        "interest": to_jsonable(tables.interest_rates),
        "salaer": to_jsonable(tables.salaer_tables),
        "standard_compensation": to_jsonable(tables.standard_compensations),
        "rule_set": to_jsonable(tables.rule_sets),
    }
