"""The ``krav`` command line: thin commands that parse, call a service and print.

Exit codes: 0 done, 1 refused by a rule (or a scenario that does not match), 2 bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from krav.bootstrap import App, bootstrap
from krav.domain.errors import InputError, KravError
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.money import Money, format_amount
from krav.domain.party import Address, Company
from krav.entrypoints.output import dumps, table
from krav.formats.voucher_json import parse_batch_json
from krav.services import demo, imports, ledger

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(help="Krav: Norwegian debt collection from the ledger to inkasso and back.", no_args_is_help=True)
company_app = typer.Typer(help="Creditor companies (tenants).", no_args_is_help=True)
ledger_app = typer.Typer(help="The built-in ledger: items, vouchers, matching.", no_args_is_help=True)
import_app = typer.Typer(help="Get data in: SAF-T, customers and invoices as CSV.", no_args_is_help=True)
app.add_typer(company_app, name="company")
app.add_typer(ledger_app, name="ledger")
app.add_typer(import_app, name="import")

CompanyOpt = Annotated[str, typer.Option("--company", "-c", help="The creditor's organisation number.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The business date (YYYY-MM-DD); today in Europe/Oslo if left out."),
]


def business_date(value: str | None) -> date:
    """The business date given, or today's date in Europe/Oslo (R-TIME-1: the clock is read only here)."""
    if value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InputError(f"--date: {value!r} is not a date (YYYY-MM-DD)") from None
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Krav's errors into a message on stderr and an exit code; nothing else is caught."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(str(exc), 2)
        except KravError as exc:
            fail(str(exc), 1)
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


_app: App | None = None


def reset_app() -> None:
    """Forget the wired app (tests switch databases between commands)."""
    global _app
    if _app is not None:
        _app.close()
    _app = None


def get_app() -> App:
    global _app
    if _app is None:
        _app = bootstrap()
    return _app


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None


# -- init, company ------------------------------------------------------------------------------------------------


@app.command()
@handle_errors
def init() -> None:
    """Create the database (or bring it to the newest schema)."""
    krav = get_app()
    typer.echo(f"database ready: {krav.engine.url.render_as_string(hide_password=True)}")


@company_app.command("create")
@handle_errors
def company_create(
    orgno: Annotated[str, typer.Option(help="Organisation number (9 digits, MOD11).")],
    name: Annotated[str, typer.Option(help="The company's name.")],
    account: Annotated[str | None, typer.Option(help="The company's bank account (11 digits).")] = None,
    vat_registered: Annotated[bool, typer.Option("--vat-registered/--not-vat-registered")] = True,
    street: Annotated[str | None, typer.Option()] = None,
    postcode: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
    json_out: JsonOpt = False,
) -> None:
    """Register a creditor company with the standard chart of accounts and voucher types."""
    company = ledger.create_company(
        get_app().uow(),
        Company(
            orgno=orgno,
            name=name,
            bank_account=account,
            vat_registered=vat_registered,
            address=Address(street, postcode, city),
            email=email,
        ),
    )
    if json_out:
        typer.echo(dumps(company))
    else:
        typer.echo(f"created company {company.orgno} {company.name}")


@company_app.command("list")
@handle_errors
def company_list(json_out: JsonOpt = False) -> None:
    """List the creditor companies."""
    with get_app().uow() as uow:
        companies = uow.companies.all()
    if json_out:
        typer.echo(dumps(companies))
        return
    typer.echo(table(["orgno", "name", "bank account"], [(c.orgno, c.name, c.bank_account) for c in companies]))


# -- ledger -------------------------------------------------------------------------------------------------------


def _item_rows(items: list[OpenItem]) -> list[tuple[Any, ...]]:
    return [
        (
            i.id,
            i.customer,
            i.number,
            i.voucher_type,
            i.invoice_date.strftime("%d.%m.%Y"),
            i.due_date.strftime("%d.%m.%Y") if i.due_date else "",
            format_amount(i.amount),
            format_amount(i.remaining),
            i.currency,
            int(i.status),
            i.collection_id or "",
        )
        for i in items
    ]


def print_items(items: list[OpenItem]) -> None:
    headers = [
        "id",
        "customer",
        "number",
        "type",
        "date",
        "due",
        "amount",
        "remaining",
        "cur",
        "status",
        "collection id",
    ]
    typer.echo(table(headers, _item_rows(items), right={6, 7}))


@ledger_app.command("items")
@handle_errors
def ledger_items(
    company: CompanyOpt,
    customer: Annotated[str | None, typer.Option(help="Only this customer's items.")] = None,
    all_items: Annotated[bool, typer.Option("--all", help="Include settled items.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """The open items (customer sub-ledger)."""
    items = ledger.open_items(get_app().uow(), company, customer=customer, open_only=not all_items)
    if json_out:
        typer.echo(dumps([dict(_to_dict(i), status=int(i.status)) for i in items]))
        return
    print_items(items)
    total = sum((i.remaining.ore for i in items if i.currency == "NOK"), 0)
    typer.echo(f"\n{len(items)} item(s), remaining NOK {format_amount(Money.from_ore(total))}")


def _to_dict(item: OpenItem) -> dict[str, Any]:
    from krav.entrypoints.output import to_jsonable

    data = to_jsonable(item)
    assert isinstance(data, dict)
    return data


@ledger_app.command("customers")
@handle_errors
def ledger_customers(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """The company's customers."""
    found = ledger.customers(get_app().uow(), company)
    if json_out:
        typer.echo(dumps(list(found.values())))
        return
    rows = [
        (
            c.number,
            c.name,
            c.kind.value,
            c.orgno or "",
            c.address.street or "",
            c.address.postcode or "",
            c.address.city or "",
            c.email or "",
            "ja" if c.exempt else "",
        )
        for c in found.values()
    ]
    typer.echo(table(["number", "name", "kind", "orgno", "street", "postcode", "city", "e-mail", "exempt"], rows))


@ledger_app.command("post")
@handle_errors
def ledger_post(
    company: CompanyOpt,
    file: Annotated[Path, typer.Argument(help="A JSON file with vouchers (see docs/ledger.md).")],
    json_out: JsonOpt = False,
) -> None:
    """Post a batch of vouchers from a JSON file, all or nothing."""
    batch = parse_batch_json(read_file(file), filename=str(file))
    result = ledger.post_batch(get_app().uow(), company, batch, source_name=str(file))
    if json_out:
        typer.echo(dumps(result))
        return
    numbers = ", ".join(str(v.number) for v in result.vouchers)
    typer.echo(f"posted {len(result.vouchers)} voucher(s): {numbers}")
    for report in result.reports:
        typer.echo(f"reported to collection: {report.kind} {report.collection_id} {format_amount(report.amount)}")


@ledger_app.command("match")
@handle_errors
def ledger_match(
    company: CompanyOpt,
    items: Annotated[list[int] | None, typer.Option("--items", "-i", help="Item ids (repeat the option).")] = None,
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
        result = ledger.match_bulk(
            uow,
            company,
            method="amounts" if equal_amounts else "references",
            on=day,
            customer=customer,
            item_ids=items,
        )
    elif items:
        result = ledger.match_items(uow, company, items, on=day)
    else:
        raise InputError("say what to match: --items ID --items ID …, --equal-amounts or --references")
    if json_out:
        typer.echo(dumps(result))
        return
    for a in result.allocations:
        typer.echo(f"matched {format_amount(a.amount)}: item {a.credit_id} against item {a.debit_id}")
    for s in result.skipped:
        typer.echo(f"left alone: item {s.item_id} ({s.number}): {s.reason}")
    for report in result.reports:
        typer.echo(f"reported to collection: {report.kind} {report.collection_id} {format_amount(report.amount)}")
    if not result.allocations:
        typer.echo("nothing matched")


@ledger_app.command("write-off")
@handle_errors
def ledger_write_off(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The invoice number to write off as a loss.")],
    on: DateOpt = None,
) -> None:
    """Write an invoice off as a loss (debit 7830, voucher type 2): closed in the books, not reported."""
    result = ledger.write_off(get_app().uow(), company, invoice, on=business_date(on))
    typer.echo(f"written off: voucher {result.vouchers[0].number}")


@ledger_app.command("balance")
@handle_errors
def ledger_balance(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """The trial balance, and whether the customer sub-ledger equals the receivables account."""
    check = ledger.balance(get_app().uow(), company)
    if json_out:
        typer.echo(
            dumps(
                {
                    "balanced": check.balanced,
                    "accounts": check.trial_balance,
                    "total": check.total,
                    "subledger_mismatches": check.subledger_mismatches,
                }
            )
        )
        return
    rows = [(key.split()[0], key.split()[1], format_amount(m)) for key, m in check.trial_balance.items()]
    typer.echo(table(["account", "cur", "balance"], rows, right={2}))
    typer.echo("")
    typer.echo("balanced" if check.balanced else "NOT balanced")
    for number, (gl, sub) in check.subledger_mismatches.items():
        typer.echo(f"customer {number}: receivables account {format_amount(gl)} but open items {format_amount(sub)}")
    if not check.balanced:
        raise typer.Exit(1)


@ledger_app.command("voucher-type")
@handle_errors
def ledger_voucher_type(
    company: CompanyOpt,
    code: Annotated[int, typer.Argument(help="The voucher type number.")],
    collection_type: Annotated[
        str, typer.Argument(help="invoice | payment | credit | interest_and_fees | settlement | none")
    ],
    name: Annotated[str | None, typer.Option(help="The voucher type's name.")] = None,
) -> None:
    """Add or change a voucher type and what it means to collection (R-LED-2)."""
    kind = ledger.parse_collection_type(collection_type)
    ledger.set_voucher_type(get_app().uow(), company, VoucherType(code, name or f"Bilagsart {code}", kind))
    typer.echo(f"voucher type {code} → {kind.value}")


# -- imports ------------------------------------------------------------------------------------------------------


def _print_import(report: imports.ImportReport, json_out: bool) -> None:
    if json_out:
        typer.echo(dumps(report))
        return
    if report.already_imported:
        typer.echo(f"{report.filename}: already imported ({report.imported_at}); nothing changed")
        return
    if report.company_created:
        typer.echo(f"created company {report.company} from the file's header")
    typer.echo(
        f"{report.filename}: customers {report.customers_created} created, {report.customers_updated} updated, "
        f"{report.customers_unchanged} unchanged; {len(report.items)} open item(s) imported"
    )
    if report.items:
        rows = [
            (i.customer, i.number, i.invoice_date, i.due_date or "", i.amount, i.remaining, i.number_rule, i.due_rule)
            for i in report.items
        ]
        headers = ["customer", "number", "date", "due", "amount", "remaining", "number from", "due date from"]
        typer.echo(table(headers, rows, right={4, 5}))
    for line in report.skipped:
        typer.echo(f"skipped {line}")
    for note in report.notes:
        typer.echo(f"note: {note}")


@import_app.command("saft")
@handle_errors
def import_saft(
    file: Annotated[Path, typer.Argument(help="A SAF-T Financial XML file (1.10 or 1.30).")],
    company: CompanyOpt,
    default_terms: Annotated[
        int, typer.Option(help="Payment terms (days) when neither line nor customer has them.")
    ] = 14,
    json_out: JsonOpt = False,
) -> None:
    """Import customers and open items from a SAF-T Financial file (R-IMP-1)."""
    krav = get_app()
    report = imports.import_saft(
        krav.uow(),
        company,
        read_file(file),
        filename=file.name,
        schema_dir=krav.saft_schema_dir,
        default_terms_days=default_terms,
    )
    _print_import(report, json_out)


@import_app.command("customers")
@handle_errors
def import_customers(
    file: Annotated[Path, typer.Argument(help="A CSV file of customers (docs/imports.md).")],
    company: CompanyOpt,
    json_out: JsonOpt = False,
) -> None:
    """Import customers from CSV: created or updated by customer number."""
    _print_import(imports.import_customers_csv(get_app().uow(), company, read_file(file), filename=file.name), json_out)


@import_app.command("invoices")
@handle_errors
def import_invoices(
    file: Annotated[Path, typer.Argument(help="A CSV file of invoices (docs/imports.md).")],
    company: CompanyOpt,
    json_out: JsonOpt = False,
) -> None:
    """Import outgoing invoices from CSV, each posted as a voucher."""
    _print_import(imports.import_invoices_csv(get_app().uow(), company, read_file(file), filename=file.name), json_out)


# -- demo ---------------------------------------------------------------------------------------------------------


@app.command("demo")
@handle_errors
def demo_command(on: DateOpt = None) -> None:
    """Load the demo creditor (once) and show its customers and open items."""
    krav = get_app()
    today = business_date(on)
    with krav.uow() as uow:
        exists = uow.companies.find(demo.DEMO_ORGNO) is not None
    if not exists:
        summary = demo.load_demo(krav.uow(), today=today)
        typer.echo(
            f"loaded the demo creditor {demo.DEMO_COMPANY.name} ({summary.orgno}): {summary.customers} customers, "
            f"{summary.invoices} invoices, {summary.payments} payments"
        )
    typer.echo(f"\nDatabase: {krav.engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"\nCustomers of {demo.DEMO_COMPANY.name} ({demo.DEMO_ORGNO}):")
    ledger_customers(company=demo.DEMO_ORGNO)
    typer.echo(f"\nOpen items on {today.strftime('%d.%m.%Y')}:")
    ledger_items(company=demo.DEMO_ORGNO)
    typer.echo(f"\nTry: krav ledger items --company {demo.DEMO_ORGNO} --json")


def main() -> None:
    try:
        app()
    finally:
        if _app is not None:
            _app.close()


if __name__ == "__main__":  # pragma: no cover
    main()
