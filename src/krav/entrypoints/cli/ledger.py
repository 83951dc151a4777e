"""``krav ledger``: the built-in ledger (the creditor's books): items, customers, vouchers, matching, payments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from krav.domain.errors import InputError
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.money import Money
from krav.entrypoints.cli import presenters as show
from krav.entrypoints.cli.common import (
    CompanyOpt,
    DateOpt,
    ItemsOpt,
    JsonOpt,
    business_date,
    echo,
    echo_json,
    get_app,
    given_date,
    handle_errors,
    read_app,
    read_file,
    who,
)
from krav.entrypoints.cli.spreadsheets import CsvOpt, XlsxOpt, items_sheet, write_sheet
from krav.services import ledger

app = typer.Typer(help="The built-in ledger: items, vouchers, matching.", no_args_is_help=True)

BankAccountOpt = Annotated[str, typer.Option(help="The bank account in the chart.")]


@app.command("items")
@handle_errors
def ledger_items(
    company: CompanyOpt,
    customer: Annotated[str | None, typer.Option(help="Only this customer's items.")] = None,
    all_items: Annotated[bool, typer.Option("--all", help="Include settled items.")] = False,
    json_out: JsonOpt = False,
    csv_file: CsvOpt = None,
    xlsx_file: XlsxOpt = None,
) -> None:
    """The open items (customer sub-ledger); --csv or --xlsx: as a spreadsheet."""
    items = ledger.open_items(read_app().reader(), company, customer=customer, open_only=not all_items)
    if write_sheet(items_sheet(items), csv_file, xlsx_file, json_out=json_out):
        return
    if json_out:
        echo_json(show.items_json(items))
        return
    echo([show.items_table(items), show.items_total(items)])


@app.command("customers")
@handle_errors
def ledger_customers(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """The company's customers."""
    found = ledger.customers(read_app().reader(), company)
    if json_out:
        echo_json(list(found.values()))
        return
    typer.echo(show.customers_table(found.values()))


@app.command("post")
@handle_errors
def ledger_post(
    company: CompanyOpt,
    file: Annotated[Path, typer.Argument(help="A JSON file with vouchers (see docs/ledger.md).")],
    json_out: JsonOpt = False,
) -> None:
    """Post a batch of vouchers from a JSON file, all or nothing."""
    result = ledger.post_batch_file(get_app().uow(), company, read_file(file), filename=str(file))
    if json_out:
        echo_json(result)
        return
    numbers = ", ".join(str(v.number) for v in result.vouchers)
    echo([f"posted {len(result.vouchers)} voucher(s): {numbers}", *show.reported(result.reports)])


@app.command("match")
@handle_errors
def ledger_match(
    company: CompanyOpt,
    items: ItemsOpt = None,
    equal_amounts: Annotated[bool, typer.Option("--equal-amounts", help="Match equal amounts.")] = False,
    references: Annotated[bool, typer.Option("--references", help="Match by reference or KID.")] = False,
    customer: Annotated[str | None, typer.Option(help="Only this customer's items.")] = None,
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Match items: item against item (--items), or by --equal-amounts or --references."""
    day = business_date(on)
    uow = get_app().uow()
    if equal_amounts and references:
        raise InputError("choose one of --equal-amounts and --references")
    if equal_amounts or references:
        method = "amounts" if equal_amounts else "references"
        result = ledger.match_bulk(uow, company, method=method, on=day, customer=customer, item_ids=items)
    elif items:
        result = ledger.match_items(uow, company, items, on=day)
    else:
        raise InputError("say what to match: --items ID --items ID …, --equal-amounts or --references")
    if json_out:
        echo_json(result)
        return
    echo(show.match_lines(result))


@app.command("write-off")
@handle_errors
def ledger_write_off(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The invoice number to write off as a loss.")],
    on: DateOpt = None,
) -> None:
    """Write an invoice off as a loss (debit 7830, voucher type 2): closed in the books, not reported."""
    result = ledger.write_off(get_app().uow(), company, invoice, on=business_date(on))
    typer.echo(f"written off: voucher {result.vouchers[0].number}")


@app.command("balance")
@handle_errors
def ledger_balance(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """The trial balance, and whether the customer sub-ledger equals the receivables account."""
    check = ledger.balance(read_app().reader(), company)
    if json_out:
        echo_json(show.balance_json(check))
        return
    echo(show.balance_lines(check))
    if not check.balanced:
        raise typer.Exit(1)


# R-LED-2
@app.command("voucher-type")
@handle_errors
def ledger_voucher_type(
    company: CompanyOpt,
    code: Annotated[int, typer.Argument(help="The voucher type number.")],
    collection_type: Annotated[
        str, typer.Argument(help="invoice | payment | credit | interest_and_fees | settlement | none")
    ],
    name: Annotated[str | None, typer.Option(help="The voucher type's name.")] = None,
) -> None:
    """Add or change a voucher type and what it means to collection."""
    kind = ledger.parse_collection_type(collection_type)
    ledger.set_voucher_type(get_app().uow(), company, VoucherType(code, name or f"Bilagsart {code}", kind))
    typer.echo(f"voucher type {code} → {kind.value}")


# R-AGR-2
@app.command("remind")
@handle_errors
def ledger_remind(
    company: CompanyOpt,
    items: Annotated[list[int], typer.Option("--items", "-i", help="Item ids (repeat the option).")],
    on: DateOpt = None,
) -> None:
    """Record the ledger's own reminder on items (refused while the collection agreement is active)."""
    done = ledger.remind(get_app().uow(), company, items, on=business_date(on))
    typer.echo(f"reminded {len(done)} item(s)")


@app.command("exempt")
@handle_errors
def ledger_exempt(
    company: CompanyOpt,
    item: Annotated[int, typer.Argument(help="The item id.")],
    off: Annotated[bool, typer.Option("--off", help="Clear the exemption instead.")] = False,
) -> None:
    """Set (or with --off clear) an item's reminder exemption (purrefritak)."""
    ledger.set_exempt(get_app().uow(), company, item, not off)
    typer.echo(f"item {item}: exemption {'cleared' if off else 'set'}")


# R-LED-5, R-LED-6
@app.command("pay")
@handle_errors
def ledger_pay(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The invoice paid.")],
    amount: Annotated[str, typer.Argument(help="The amount received, e.g. 1234.50.")],
    on: DateOpt = None,
    bank_account: BankAccountOpt = "1920",
) -> None:
    """A payment on the creditor's own bank account for an invoice; reported to collection when the invoice is
    under collection, with its fee and interest booked where the payment covers them."""
    try:
        money = Money.of(amount)
    except (ValueError, ArithmeticError):
        raise InputError(f"amount: {amount!r} is not an amount") from None
    krav = get_app()
    result = ledger.pay_invoice(
        krav.uow(), krav.figures, company, invoice, money, on=business_date(on), bank_account=bank_account
    )
    voucher = result.vouchers[0]
    echo([f"posted voucher {voucher.number} with {len(voucher.lines)} lines", *show.reported(result.reports)])


@app.command("import-bank")
@handle_errors
def ledger_import_bank(
    company: CompanyOpt,
    file: Annotated[Path, typer.Argument(help="An OCR giro or camt.054 file of the creditor's own account.")],
    bank_account: BankAccountOpt = "1920",
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Import the creditor's own bank file into the ledger: payments matched by KID or invoice number."""
    krav = get_app()
    report = ledger.import_bank_file(
        krav.uow(),
        krav.figures,
        company,
        read_file(file),
        filename=file.name,
        bank_account=bank_account,
        on=business_date(on),
    )
    if json_out:
        echo_json(report)
        return
    echo(show.bank_import_lines(report))


@app.command("set-due")
@handle_errors
def ledger_set_due(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The invoice number.")],
    due: Annotated[str, typer.Argument(help="The new due date (dd.mm.åååå or YYYY-MM-DD).")],
    on: DateOpt = None,
) -> None:
    """Set an open invoice's due date, before it is sent to collection; kept with who and when, the posted
    voucher unchanged (`krav ledger changes`)."""
    change = ledger.set_due_date(
        get_app().uow(), company, invoice, given_date(due, "DATE"), on=business_date(on), by=who()
    )
    if not change.changed:
        typer.echo(f"invoice {invoice}: due date {show.day(change.new)} already, nothing changed")
        return
    typer.echo(f"invoice {invoice}: due date {show.day(change.old) or 'none'} → {show.day(change.new)}")


# R-VAL-1 customer_exempt
@app.command("customer-exempt")
@handle_errors
def ledger_customer_exempt(
    company: CompanyOpt,
    customer: Annotated[str, typer.Argument(help="The customer number.")],
    off: Annotated[bool, typer.Option("--off", help="Clear the exemption instead.")] = False,
    on: DateOpt = None,
) -> None:
    """Set (or with --off clear) a customer's reminder exemption (purrefritak: its items are not sent to
    collection) without importing the customers again; kept with who and when."""
    change = ledger.set_customer_exempt(get_app().uow(), company, customer, not off, on=business_date(on), by=who())
    state = "set" if change.new else "cleared"
    if not change.changed:
        typer.echo(f"customer {customer} ({change.name}): purrefritak {state} already, nothing changed")
        return
    typer.echo(f"customer {customer} ({change.name}): purrefritak {state} (was {'set' if change.old else 'not set'})")


@app.command("changes")
@handle_errors
def ledger_changes(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """Changes made outside vouchers (due dates, purrefritak), with who, when and old → new."""
    found = ledger.changes(read_app().reader(), company)
    if json_out:
        echo_json(found)
        return
    echo(show.changes_lines(found))
