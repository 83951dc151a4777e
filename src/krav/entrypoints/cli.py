"""The ``krav`` command line: thin commands that parse, call a service and print.

Exit codes: 0 done, 1 refused by a rule (or a scenario that does not match), 2 bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer

from krav.bootstrap import App, bootstrap, sandbox
from krav.domain.collection.actions import Action
from krav.domain.collection.claims import Stage
from krav.domain.errors import InputError, KravError
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.money import Money, format_amount
from krav.domain.party import Address, Company
from krav.entrypoints.output import dumps, table, to_jsonable
from krav.formats.scenario import parse_scenario
from krav.formats.voucher_json import parse_batch_json
from krav.services import agreements, collection, daily_run, demo, imports, ledger, queries
from krav.services import scenario as scenarios
from krav.services.collection import delivery, payments
from krav.services.ledger import submission
from krav.services.ports import ClaimFilter, DeliveryStatus, StoredLetter

P = ParamSpec("P")
R = TypeVar("R")

app = typer.Typer(
    help="Krav: Norwegian debt collection from the ledger to inkasso and back.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
company_app = typer.Typer(help="Creditor companies (tenants).", no_args_is_help=True)
ledger_app = typer.Typer(help="The built-in ledger: items, vouchers, matching.", no_args_is_help=True)
import_app = typer.Typer(help="Get data in: SAF-T, customers and invoices as CSV.", no_args_is_help=True)
app.add_typer(company_app, name="company")
app.add_typer(ledger_app, name="ledger")
app.add_typer(import_app, name="import")
agreement_app = typer.Typer(help="The collection agreement: show, set, activate.", no_args_is_help=True)
scenario_app = typer.Typer(help="Conformance scenarios and what-if timelines.", no_args_is_help=True)
claims_app = typer.Typer(help="Claims under collection: list, history, actions.", no_args_is_help=True)
app.add_typer(agreement_app, name="agreement")
app.add_typer(scenario_app, name="scenario")
app.add_typer(claims_app, name="claims")
letters_app = typer.Typer(help="Letters sent to debtors: list, show, PDF.", no_args_is_help=True)
outbox_app = typer.Typer(help="Letters and lists on their way out: status, send, retry.", no_args_is_help=True)
payments_app = typer.Typer(help="Payments on the client account: the manual-matching queue.", no_args_is_help=True)
app.add_typer(letters_app, name="letters")
app.add_typer(outbox_app, name="outbox")
app.add_typer(payments_app, name="payments")

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


@company_app.command("set")
@handle_errors
def company_set(
    orgno: Annotated[str, typer.Option(help="The company's organisation number.")],
    name: Annotated[str | None, typer.Option()] = None,
    account: Annotated[str | None, typer.Option(help="The bank account collected money is remitted to.")] = None,
    vat_registered: Annotated[bool | None, typer.Option("--vat-registered/--not-vat-registered")] = None,
    street: Annotated[str | None, typer.Option()] = None,
    postcode: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    email: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a company's details (name, bank account, VAT registration, address, e-mail)."""
    given = {
        "name": name,
        "bank_account": account,
        "vat_registered": vat_registered,
        "street": street,
        "postcode": postcode,
        "city": city,
        "email": email,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise InputError("say what to change, e.g. --account 86011117947")
    company = ledger.update_company(get_app().uow(), orgno, changes)
    typer.echo(f"updated company {company.orgno} {company.name}")


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
        typer.echo(dumps([{**to_jsonable(i), "status": int(i.status)} for i in items]))
        return
    print_items(items)
    total = sum((i.remaining.ore for i in items if i.currency == "NOK"), 0)
    typer.echo(f"\n{len(items)} item(s), remaining NOK {format_amount(Money.from_ore(total))}")


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


@ledger_app.command("remind")
@handle_errors
def ledger_remind(
    company: CompanyOpt,
    items: Annotated[list[int], typer.Option("--items", "-i", help="Item ids (repeat the option).")],
    on: DateOpt = None,
) -> None:
    """Record the ledger's own reminder on items (refused while the collection agreement is active, R-AGR-2)."""
    done = ledger.remind(get_app().uow(), company, items, on=business_date(on))
    typer.echo(f"reminded {len(done)} item(s)")


@ledger_app.command("exempt")
@handle_errors
def ledger_exempt(
    company: CompanyOpt,
    item: Annotated[int, typer.Argument(help="The item id.")],
    off: Annotated[bool, typer.Option("--off", help="Clear the exemption instead.")] = False,
) -> None:
    """Set (or with --off clear) an item's reminder exemption (purrefritak)."""
    ledger.set_exempt(get_app().uow(), company, item, not off)
    typer.echo(f"item {item}: exemption {'cleared' if off else 'set'}")


@ledger_app.command("pay")
@handle_errors
def ledger_pay(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The invoice paid.")],
    amount: Annotated[str, typer.Argument(help="The amount received, e.g. 1234.50.")],
    on: DateOpt = None,
    bank_account: Annotated[str, typer.Option(help="The bank account in the chart.")] = "1920",
) -> None:
    """A payment on the creditor's own bank account for an invoice (R-LED-5, R-LED-6)."""
    try:
        money = Money.of(amount)
    except (ValueError, ArithmeticError):
        raise InputError(f"amount: {amount!r} is not an amount") from None
    krav = get_app()
    result = ledger.pay_invoice(
        krav.uow(), krav.figures, company, invoice, money, on=business_date(on), bank_account=bank_account
    )
    typer.echo(f"posted voucher {result.vouchers[0].number} with {len(result.vouchers[0].lines)} lines")
    for report in result.reports:
        typer.echo(f"reported to collection: {report.kind} {report.collection_id} {format_amount(report.amount)}")


@ledger_app.command("import-bank")
@handle_errors
def ledger_import_bank(
    company: CompanyOpt,
    file: Annotated[Path, typer.Argument(help="An OCR giro or camt.054 file of the creditor's own account.")],
    bank_account: Annotated[str, typer.Option(help="The bank account in the chart.")] = "1920",
    json_out: JsonOpt = False,
) -> None:
    """Import the creditor's own bank file into the ledger: payments matched by KID or invoice number."""
    krav = get_app()
    report = ledger.import_bank_file(
        krav.uow(), krav.figures, company, read_file(file), filename=file.name, bank_account=bank_account
    )
    if json_out:
        typer.echo(dumps(report))
        return
    if report.already_imported:
        typer.echo(f"{report.filename}: imported before; nothing changed")
        return
    typer.echo(f"{report.filename}: {len(report.posted)} posted, {len(report.left)} left for the bookkeeper")
    for line in report.posted:
        typer.echo(f"  {line.reference}: {format_amount(line.amount)} → invoice {line.invoice} (by {line.matched_by})")
    for line in report.left:
        typer.echo(f"  {line.reference}: {format_amount(line.amount)} not posted: {line.reason}")


@app.command("settlements")
@handle_errors
def settlements_command(
    company: CompanyOpt,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write each settlement's PDF, CSV and pain.001 into this folder.")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Settlements remitted to the creditor (R-BANK-3), with their report files."""
    krav = get_app()
    with krav.uow() as uow:
        found = uow.companies.get(company)
        assert found.id is not None
        settled = uow.collection.settlements(found.id)
        files = []
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            for st in settled:
                for doc in delivery.settlement_documents(uow, found, st.id, krav.renderer, krav.service):
                    (out / doc.filename).write_bytes(doc.content)
                    files.append(doc.filename)
            uow.commit()
    if json_out:
        typer.echo(dumps({"settlements": settled, "files": files}))
        return
    typer.echo(
        table(
            ["reference", "date", "principal", "fee", "interest", "overpaid", "remitted"],
            [
                (
                    st.reference,
                    st.settled_on.strftime("%d.%m.%Y"),
                    format_amount(st.principal),
                    format_amount(st.fee),
                    format_amount(st.interest),
                    format_amount(st.overpaid),
                    format_amount(st.total),
                )
                for st in settled
            ],
            right={2, 3, 4, 5, 6},
        )
    )
    if files:
        typer.echo(f"wrote {len(files)} file(s) to {out}")


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


# -- agreement, proposal, submission -------------------------------------------------------------------------------


def _who() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on this system
        return "unknown"


def _print_agreement(view: agreements.AgreementView, json_out: bool) -> None:
    from krav.domain.agreement import field_values

    values = field_values(view.agreement)
    if json_out:
        typer.echo(dumps({"company": view.company, "agreement": values, "history": view.history}))
        return
    typer.echo(table(["field", "value"], [(k, "" if v is None else v) for k, v in values.items()]))
    if view.history:
        typer.echo("\nhistory:")
        for h in view.history:
            typer.echo(f"  {h.on} {h.by}: {h.field} {h.old!r} → {h.new!r}")


@agreement_app.command("show")
@handle_errors
def agreement_show(company: CompanyOpt, json_out: JsonOpt = False) -> None:
    """Show the collection agreement and its change history."""
    _print_agreement(agreements.show(get_app().uow(), company), json_out)


@agreement_app.command("set")
@handle_errors
def agreement_set(
    company: CompanyOpt,
    assignments: Annotated[list[str], typer.Argument(help="FIELD=VALUE … e.g. days_before_transfer=21")],
    on: DateOpt = None,
    by: Annotated[str | None, typer.Option(help="Who makes the change (default: your user name).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Change fields of the agreement; each change is recorded (who, when, old → new)."""
    changes: dict[str, str | None] = {}
    for assignment in assignments:
        if "=" not in assignment:
            raise InputError(f"{assignment!r}: write FIELD=VALUE")
        key, value = assignment.split("=", 1)
        changes[key.strip()] = value
    view = agreements.change(get_app().uow(), company, changes, by=by or _who(), on=business_date(on))
    _print_agreement(view, json_out)


@agreement_app.command("activate")
@handle_errors
def agreement_activate(
    company: CompanyOpt,
    accept_terms: Annotated[bool, typer.Option("--accept-terms", help="Accept the terms as creditor admin.")] = False,
    on: DateOpt = None,
    by: Annotated[str | None, typer.Option(help="The creditor admin accepting (default: your user name).")] = None,
) -> None:
    """Accept the terms and activate the agreement; nothing can be submitted before."""
    view = agreements.activate(
        get_app().uow(), company, by=by or _who(), on=business_date(on), accept_terms=accept_terms
    )
    typer.echo(f"agreement active from {view.agreement.activated_on} (accepted by {view.agreement.accepted_by})")


@app.command("proposal")
@handle_errors
def proposal_command(
    company: CompanyOpt,
    on: DateOpt = None,
    status: Annotated[str, typer.Option(help="all | valid | invalid")] = "all",
    customer: Annotated[str | None, typer.Option(help="Only this customer's items.")] = None,
    lang: Annotated[str, typer.Option(help="nb | en: the language of the reasons")] = "nb",
    json_out: JsonOpt = False,
) -> None:
    """The collection proposal: every open item past due, with every reason it may not be sent."""
    if status not in ("all", "valid", "invalid"):
        raise InputError(f"--status: {status!r} is not all, valid or invalid")
    rows = submission.proposal(get_app().uow(), company, today=business_date(on), customer=customer, status=status)
    if json_out:
        typer.echo(
            dumps(
                [
                    {
                        "item_id": r.item.id,
                        "invoice": r.item.number,
                        "customer": r.customer.number,
                        "remaining": r.item.remaining,
                        "due_date": r.item.due_date,
                        "valid": r.valid,
                        "reasons": [
                            {"code": x.code, "category": x.category.value, "nb": x.message_nb, "en": x.message_en}
                            for x in r.reasons
                        ],
                    }
                    for r in rows
                ]
            )
        )
        return
    out = []
    for r in rows:
        why = "; ".join(f"{x.code}: {x.message_en if lang == 'en' else x.message_nb}" for x in r.reasons)
        out.append(
            (
                r.item.id,
                r.customer.number,
                r.item.number,
                r.item.due_date.strftime("%d.%m.%Y") if r.item.due_date else "",
                format_amount(r.item.remaining),
                "ok" if r.valid else why,
            )
        )
    typer.echo(table(["id", "customer", "invoice", "due", "remaining", "status"], out, right={4}))
    valid = sum(1 for r in rows if r.valid)
    typer.echo(f"\n{len(rows)} item(s) past due, {valid} valid")


@app.command("submit")
@handle_errors
def submit_command(
    company: CompanyOpt,
    items: Annotated[list[int] | None, typer.Option("--items", "-i", help="Item ids (repeat the option).")] = None,
    all_valid: Annotated[bool, typer.Option("--all-valid", help="Submit every valid item of the proposal.")] = False,
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Send chosen items (or every valid one) to collection; each result is reported per item."""
    krav = get_app()
    today = business_date(on)
    if all_valid and items:
        raise InputError("choose --items or --all-valid, not both")
    if all_valid:
        rows = submission.proposal(krav.uow(), company, today=today, status="valid")
        items = [r.item.id for r in rows]
    if not items:
        if all_valid:
            typer.echo("no valid items to submit")
            return
        raise InputError("say what to submit: --items ID --items ID … or --all-valid")
    results = submission.submit(krav.uow(), company, items, today=today)
    if json_out:
        typer.echo(
            dumps(
                [
                    {
                        "item_id": r.item_id,
                        "invoice": r.invoice,
                        "submitted": r.submitted,
                        "collection_id": r.collection_id,
                        "reasons": [x.code for x in r.reasons],
                        "error": r.error,
                    }
                    for r in results
                ]
            )
        )
    else:
        for r in results:
            if r.submitted:
                typer.echo(f"item {r.item_id} (invoice {r.invoice}): submitted as {r.collection_id}")
            else:
                why = r.error or "; ".join(f"{x.code}: {x.message_en}" for x in r.reasons)
                typer.echo(f"item {r.item_id} ({'invoice ' + r.invoice if r.invoice else 'unknown'}): refused: {why}")
    if not any(r.submitted for r in results):
        raise typer.Exit(1)


# -- the daily run ------------------------------------------------------------------------------------------------


def _companies(company: str | None) -> list[str]:
    if company:
        return [company]
    with get_app().uow() as uow:
        return [c.orgno for c in uow.companies.all()]


def _print_day(report: daily_run.DayReport) -> None:
    letters = ", ".join(f"{n} {t}" for t, n in sorted(report.letters.items())) or "no letters"
    done = "already run" if not report.steps_run else f"{len(report.steps_run)} step(s)"
    typer.echo(
        f"{report.date} {report.company}: {done}; submitted {report.submitted}; {letters}; listed {report.listed}; "
        f"payments {report.payments_applied}; remitted {format_amount(report.settled)}"
        + ("" if report.bank_day else " (not a bank day)")
    )
    for note in report.notes:
        typer.echo(f"  note: {note}")


@app.command("run")
@handle_errors
def run_command(
    on: DateOpt = None,
    company: Annotated[str | None, typer.Option("--company", "-c", help="One creditor (default: all).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Run one business day for each creditor (R-TIME-5); running the same date again changes nothing."""
    krav = get_app()
    day = daily_run.run_business_day(krav.uow(), business_date(on), krav.collaborators(), company=company)
    sent = day.outbox or delivery.OutboxReport()
    if json_out:
        typer.echo(
            dumps(
                {
                    "inbox": [
                        {
                            "file": r.path.name,
                            "error": r.error,
                            "matched": len(r.report.matched) if r.report else 0,
                            "unmatched": len(r.report.unmatched) if r.report else 0,
                        }
                        for r in day.inbox
                    ],
                    "days": day.creditors,
                    "outbox": sent,
                }
            )
        )
        return
    for result in day.inbox:
        if result.error:
            typer.echo(f"inbox: {result.path.name} refused: {result.error.splitlines()[0]}")
        elif result.report:
            typer.echo(
                f"inbox: {result.path.name}: {len(result.report.matched)} matched, "
                f"{len(result.report.unmatched)} unmatched"
            )
    for report in day.creditors:
        _print_day(report)
    typer.echo(
        f"outbox: {sent.sent} e-mailed, {sent.printed} to print, {sent.failed} failed, {sent.uncertain} uncertain"
    )
    for error in sent.errors:
        typer.echo(f"  {error}")


@app.command("simulate")
@handle_errors
def simulate_command(
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD).")],
    company: Annotated[str | None, typer.Option("--company", "-c", help="One creditor (default: all).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Run the days from --from to --to in order and report what happened."""
    krav = get_app()
    first, last = business_date(start), business_date(end)
    if last < first:
        raise InputError("--to is before --from")
    with typer.progressbar(length=(last - first).days + 1, label="simulating", file=sys.stderr) as bar:
        days = daily_run.run_days(
            krav.uow(),
            first,
            last,
            krav.collaborators(inbox=False),
            company=company,
            deliver_letters=False,
            after_day=lambda _: bar.update(1),
        )
    all_reports = [r for d in days for r in d.creditors]
    if json_out:
        typer.echo(dumps(all_reports))
        return
    letters: dict[str, int] = {}
    for r in all_reports:
        for t, n in r.letters.items():
            letters[t] = letters.get(t, 0) + n
    typer.echo(
        f"simulated {first} to {last}: " + (", ".join(f"{n} {t}" for t, n in sorted(letters.items())) or "no letters")
    )
    typer.echo(
        f"submitted {sum(r.submitted for r in all_reports)}, listed {sum(r.listed for r in all_reports)}, "
        f"payments {sum(r.payments_applied for r in all_reports)}, remitted "
        f"{format_amount(Money.sum(r.settled for r in all_reports))}"
    )
    for orgno in daily_run.creditors(krav.uow(), company):
        views = queries.claims_view(krav.uow(), orgno, on=last, rates=krav.rates)
        stages: dict[str, int] = {}
        for v in views:
            stages[v.claim.stage.value] = stages.get(v.claim.stage.value, 0) + 1
        typer.echo(f"{orgno}: claims by stage: " + (", ".join(f"{k} {n}" for k, n in sorted(stages.items())) or "none"))


# -- claims and actions -------------------------------------------------------------------------------------------


def _stage(value: str | None) -> Stage | None:
    if value is None:
        return None
    try:
        return Stage(value)
    except ValueError:
        raise InputError(f"--stage: {value!r} is not one of {', '.join(s.value for s in Stage)}") from None


@claims_app.command("list")
@handle_errors
def claims_list(
    company: CompanyOpt,
    stage: Annotated[str | None, typer.Option(help="Only claims in this stage.")] = None,
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Claims under collection with what they owe."""
    krav = get_app()
    views = queries.claims_view(krav.uow(), company, on=business_date(on), rates=krav.rates, stage=_stage(stage))
    if json_out:
        typer.echo(
            dumps(
                [
                    {
                        "claim": v.claim,
                        "interest_accrued": v.interest_accrued,
                        "interest_outstanding": v.interest_outstanding,
                    }
                    for v in views
                ]
            )
        )
        return
    rows = [
        (
            v.claim.collection_id,
            v.claim.invoice_number,
            v.claim.debtor.number,
            v.claim.stage.value + (" (paused)" if v.claim.paused else ""),
            format_amount(v.claim.principal_outstanding),
            format_amount(v.claim.fees_outstanding),
            format_amount(v.interest_outstanding),
            format_amount(v.claim.salaer_outstanding),
            v.claim.closed_reason.value if v.claim.closed_reason else "",
        )
        for v in views
    ]
    typer.echo(
        table(
            ["collection id", "invoice", "debtor", "stage", "principal", "fee", "interest", "salær", "closed"],
            rows,
            right={4, 5, 6, 7},
        )
    )


def _act(company: str, invoices: list[str], action: Action, on: str | None, text: str | None, json_out: bool) -> None:
    krav = get_app()
    results = collection.act(
        krav.uow(), company, invoices, action, on=business_date(on), by=_who(), rates=krav.rates, text=text
    )
    if json_out:
        typer.echo(
            dumps(
                [
                    {
                        "invoice": r.invoice_number,
                        "collection_id": r.collection_id,
                        "do": r.action.value,
                        "result": "accepted" if r.accepted else "refused",
                        "reason": r.reason.value if r.reason else None,
                    }
                    for r in results
                ]
            )
        )
    else:
        for r in results:
            typer.echo(
                f"invoice {r.invoice_number}: {r.action.value} "
                + ("accepted" if r.accepted else f"refused ({r.reason}): {r.message_en}")
            )
    if not any(r.accepted for r in results):
        raise typer.Exit(1)


InvoicesArg = Annotated[list[str], typer.Argument(help="Invoice numbers of the claims.")]


@claims_app.command("pause")
@handle_errors
def claims_pause(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """Pause claims (no letters or moves; closes by itself after six months)."""
    _act(company, invoices, Action.PAUSE, on, None, json_out)


@claims_app.command("resume")
@handle_errors
def claims_resume(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None, json_out: JsonOpt = False) -> None:
    """Resume paused claims where they stood."""
    _act(company, invoices, Action.RESUME, on, None, json_out)


@claims_app.command("close")
@handle_errors
def claims_close(
    company: CompanyOpt,
    invoices: InvoicesArg,
    on: DateOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Close even claims in inkasso whose costs are invoiced.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Stop and close claims (in inkasso, costs so far may be invoiced as the agreement says)."""
    costs = collection.closing_costs(get_app().uow(), company, invoices)
    if costs and not yes:
        for number, amount in costs.items():
            typer.echo(
                f"warning: invoice {number} is in inkasso; closing it invoices you {format_amount(amount)} in "
                "collection costs (plus VAT), as your agreement says (R-ACT-2)",
                err=True,
            )
        typer.echo("nothing closed; run again with --yes to close", err=True)
        raise typer.Exit(1)
    _act(company, invoices, Action.CLOSE, on, None, json_out)


@claims_app.command("message")
@handle_errors
def claims_message(
    company: CompanyOpt,
    invoices: InvoicesArg,
    text: Annotated[str, typer.Option(help="The message to the case handler.")],
    on: DateOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Send a message to the case handler, kept in the claims' history."""
    _act(company, invoices, Action.MESSAGE, on, text, json_out)


@claims_app.command("answer")
@handle_errors
def claims_answer(
    company: CompanyOpt,
    invoice: Annotated[str, typer.Argument(help="The claim's invoice number.")],
    text: Annotated[str, typer.Option(help="The case handler's answer.")],
    on: DateOpt = None,
) -> None:
    """The case handler answers the creditor's message (R-ACT-3); kept in the claim's history."""
    collection.answer(get_app().uow(), company, invoice, text, on=business_date(on), by=_who())
    typer.echo(f"answer recorded on invoice {invoice}")


@claims_app.command("approve")
@handle_errors
def claims_approve(company: CompanyOpt, invoices: InvoicesArg, on: DateOpt = None) -> None:
    """Approve listed claims for inkasso; they move in the day's run."""
    for r in collection.approve(get_app().uow(), company, invoices, on=business_date(on), by=_who()):
        typer.echo(f"invoice {r.invoice}: " + ("approved" if r.approved else f"not approved: {r.reason}"))


@claims_app.command("history")
@handle_errors
def claims_history(company: CompanyOpt, invoice: Annotated[str, typer.Argument()], json_out: JsonOpt = False) -> None:
    """The append-only history of a claim (R-ACT-5)."""
    with get_app().uow() as uow:
        found = uow.companies.get(company)
        assert found.id is not None
        claims = uow.collection.claims(found.id, ClaimFilter(invoice_numbers=[invoice]))
        if not claims or claims[0].id is None:
            raise KravError(f"no claim for invoice {invoice}")
        events = uow.collection.history(found.id, claims[0].id)
    if json_out:
        typer.echo(dumps(events))
        return
    typer.echo(
        table(
            ["date", "what", "amount", "detail", "by"],
            [(e.date, e.kind, format_amount(e.amount) if e.amount else "", e.detail, e.by) for e in events],
            right={2},
        )
    )


# -- letters, outbox, payments ---------------------------------------------------------------------------------------


def _deliver(krav: App) -> delivery.OutboxReport:
    c = krav.collaborators()
    return delivery.deliver(
        krav.uow(),
        renderer=c.renderer,
        mailer=c.mailer,
        print_dir=c.print_dir,
        service=c.service,
        remittance_dir=c.remittance_dir,
    )


@letters_app.command("list")
@handle_errors
def letters_list(
    company: CompanyOpt,
    debtor: Annotated[str | None, typer.Option(help="Only this debtor's letters.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Letters sent, by date, debtor and number."""
    with get_app().uow() as uow:
        found = uow.companies.get(company)
        assert found.id is not None
        letters = uow.collection.letters(found.id, debtor=debtor)
    if json_out:
        typer.echo(
            dumps(
                [
                    {
                        "id": lt.id,
                        "debtor": lt.debtor,
                        "n": lt.n,
                        "type": lt.type.value,
                        "sent": lt.sent_on,
                        "deadline": lt.deadline,
                        "kid": lt.kid,
                        "total": lt.total,
                        "invoices": [line.invoice_number for line in lt.lines],
                    }
                    for lt in letters
                ]
            )
        )
        return
    rows = [
        (
            lt.id,
            lt.sent_on.strftime("%d.%m.%Y"),
            lt.debtor,
            lt.n,
            lt.type.value,
            lt.deadline.strftime("%d.%m.%Y") if lt.deadline else "",
            lt.kid or "",
            format_amount(lt.total),
            ", ".join(line.invoice_number for line in lt.lines),
        )
        for lt in letters
    ]
    typer.echo(table(["id", "sent", "debtor", "n", "type", "deadline", "KID", "total", "invoices"], rows, right={7}))


def _letter(company: str, letter_id: int) -> tuple[App, Company, StoredLetter]:
    krav = get_app()
    with krav.uow() as uow:
        found = uow.companies.get(company)
        assert found.id is not None
        letters = uow.collection.letters(found.id, letter_ids=[letter_id])
    if not letters:
        raise KravError(f"no letter {letter_id} for company {company}")
    return krav, found, letters[0]


@letters_app.command("show")
@handle_errors
def letters_show(company: CompanyOpt, letter_id: Annotated[int, typer.Argument()], json_out: JsonOpt = False) -> None:
    """One letter's content as data: its claims and amounts."""
    krav, found, stored = _letter(company, letter_id)
    with krav.uow() as uow:
        letter = delivery.compose_letter(uow, found, stored, krav.service)
    if json_out:
        typer.echo(dumps(letter))
        return
    typer.echo(
        f"{letter.type.value} {letter.n} to {letter.recipient.name} ({letter.recipient.number}), "
        f"sent {letter.sent_on:%d.%m.%Y}" + (f", deadline {letter.deadline:%d.%m.%Y}" if letter.deadline else "")
    )
    rows = [
        (
            line.invoice_number,
            line.due_date.strftime("%d.%m.%Y"),
            format_amount(line.principal),
            format_amount(line.fee),
            format_amount(line.interest),
            format_amount(line.salaer),
            format_amount(line.total),
        )
        for line in letter.lines
    ]
    typer.echo(table(["invoice", "due", "principal", "fee", "interest", "salær", "total"], rows, right={2, 3, 4, 5, 6}))
    typer.echo(
        f"total {format_amount(letter.total)}" + (f", account {letter.account}, KID {letter.kid}" if letter.kid else "")
    )


@letters_app.command("pdf")
@handle_errors
def letters_pdf(
    company: CompanyOpt,
    letter_id: Annotated[int, typer.Argument()],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Where to write the PDF (default: its name).")] = None,
) -> None:
    """Write a letter's PDF: the archived bytes (with their SHA-256) once it was sent, byte for byte."""
    krav, found, stored = _letter(company, letter_id)
    with krav.uow() as uow:
        doc = delivery.letter_document(uow, found, stored, krav.service, krav.renderer)
        uow.commit()
    target = out or Path(doc.filename)
    target.write_bytes(doc.content)
    typer.echo(f"{target} ({len(doc.content)} bytes, sha256 {doc.sha256})")


@outbox_app.command("status")
@handle_errors
def outbox_status(json_out: JsonOpt = False) -> None:
    """Deliveries by status; failed and uncertain ones are listed with their reason."""
    krav = get_app()
    counts = delivery.status(krav.uow())
    with krav.uow() as uow:
        trouble = uow.deliveries.deliveries(statuses=[DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN])
    if json_out:
        typer.echo(dumps({"counts": counts, "problems": trouble}))
        return
    typer.echo(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "the outbox is empty")
    for d in trouble:
        typer.echo(
            f"  {d.status}: {d.delivery_key} {d.channel} {d.address or ''} after {d.attempts} attempt(s): "
            f"{d.last_error}"
        )


@outbox_app.command("send")
@handle_errors
def outbox_send() -> None:
    """Render, archive and send what is waiting (krav run does this after the day's steps)."""
    sent = _deliver(get_app())
    typer.echo(f"{sent.sent} e-mailed, {sent.printed} to print, {sent.failed} failed, {sent.uncertain} uncertain")
    for error in sent.errors:
        typer.echo(f"  {error}")


@outbox_app.command("retry")
@handle_errors
def outbox_retry(
    uncertain: Annotated[
        bool,
        typer.Option("--uncertain", help="Also resend deliveries that may have left (check with the recipient first)."),
    ] = False,
) -> None:
    """Put failed deliveries back in line (and uncertain ones with --uncertain)."""
    typer.echo(f"{delivery.retry(get_app().uow(), uncertain=uncertain)} deliveries back in line")


@import_app.command("payments")
@handle_errors
def import_payments_command(
    file: Annotated[Path, typer.Argument(help="A Nets OCR giro or ISO 20022 camt.054 file of the client account.")],
    json_out: JsonOpt = False,
) -> None:
    """Import a payment file: each payment matched to its letter by KID, or queued for manual matching."""
    report = payments.import_payments(get_app().uow(), read_file(file), filename=file.name)
    if json_out:
        typer.echo(
            dumps(
                {
                    "file": report.filename,
                    "format": report.format,
                    "file_id": report.file_id,
                    "already_imported": report.already_imported,
                    "total": report.total,
                    "matched": {"count": len(report.matched), "total": report.matched_total},
                    "unmatched": {"count": len(report.unmatched), "total": report.unmatched_total},
                    "payments": report.outcomes,
                    "skipped": report.skipped,
                }
            )
        )
        return
    if report.already_imported:
        typer.echo(f"{report.filename}: imported before; nothing changed")
    typer.echo(
        f"{report.filename} ({report.format} {report.file_id}): total {format_amount(report.total)}; "
        f"matched {len(report.matched)} ({format_amount(report.matched_total)}), "
        f"unmatched {len(report.unmatched)} ({format_amount(report.unmatched_total)})"
    )
    for o in report.unmatched:
        typer.echo(f"  unmatched {o.reference} {format_amount(o.amount)} KID {o.kid or '-'}: {o.reason}")
    for line in report.skipped:
        typer.echo(f"  skipped {line}")


@payments_app.command("unmatched")
@handle_errors
def payments_unmatched(json_out: JsonOpt = False) -> None:
    """The manual-matching queue with each payment's reason."""
    queue = payments.unmatched(get_app().uow())
    if json_out:
        typer.echo(dumps(queue))
        return
    typer.echo(
        table(
            ["id", "received", "amount", "KID", "payer", "reason"],
            [(p.id, p.received_on, format_amount(p.amount), p.kid or "", p.payer or "", p.reason or "") for p in queue],
            right={2},
        )
    )


@payments_app.command("assign")
@handle_errors
def payments_assign(
    payment_id: Annotated[int, typer.Argument(help="The unmatched payment's id.")],
    kid: Annotated[str | None, typer.Option(help="The KID of the letter it pays.")] = None,
    company: Annotated[str | None, typer.Option("--company", "-c", help="The creditor (with --invoice).")] = None,
    invoice: Annotated[str | None, typer.Option(help="The invoice whose claim it pays (latest letter).")] = None,
) -> None:
    """Assign an unmatched payment to a letter by hand; it is applied in the next daily run."""
    payments.assign(get_app().uow(), payment_id, kid=kid, orgno=company, invoice=invoice)
    typer.echo(f"payment {payment_id} assigned; it is applied in the next daily run")


# -- scenarios ----------------------------------------------------------------------------------------------------


@scenario_app.command("run")
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
        scenario = parse_scenario(read_file(file), filename=str(file))
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
        typer.echo(dumps(result))
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


# -- demo ---------------------------------------------------------------------------------------------------------


@app.command("demo")
@handle_errors
def demo_command(
    on: DateOpt = None,
    days: Annotated[int, typer.Option(help="How many days of collection to run up to the date.")] = 45,
) -> None:
    """Load the demo creditor (once): customers, invoices, an active agreement and the last weeks of collection
    run day by day; then show its books, its claims and where its letters are."""
    krav = get_app()
    today = business_date(on)
    collab = krav.collaborators()
    with typer.progressbar(length=days + 1, label="running the collection days", file=sys.stderr) as bar:
        summary = demo.run_demo(krav.uow(), collab, today=today, days=days, after_day=lambda _: bar.update(1))
    if summary is not None:
        typer.echo(
            f"loaded the demo creditor {demo.DEMO_COMPANY.name} ({summary.orgno}): {summary.customers} customers, "
            f"{summary.invoices} invoices, {summary.payments} payments"
        )
    letters_dir = krav.settings.home / "letters"
    count = demo.export_letters(krav.uow(), collab, letters_dir)
    typer.echo(f"\nDatabase: {krav.engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"\nCustomers of {demo.DEMO_COMPANY.name} ({demo.DEMO_ORGNO}):")
    ledger_customers(company=demo.DEMO_ORGNO)
    typer.echo(f"\nOpen items on {today.strftime('%d.%m.%Y')}:")
    ledger_items(company=demo.DEMO_ORGNO)
    typer.echo(f"\nClaims under collection on {today.strftime('%d.%m.%Y')}:")
    claims_list(company=demo.DEMO_ORGNO, on=today.isoformat())
    typer.echo(f"\n{count} letter(s) as PDF in {letters_dir}")
    typer.echo(f"print batches in {krav.print_dir}, e-mails in {krav.settings.home / 'mail'}")
    typer.echo(f"\nTry: krav proposal --company {demo.DEMO_ORGNO}   krav letters list --company {demo.DEMO_ORGNO}")


def main() -> None:
    try:
        app()
    finally:
        if _app is not None:
            _app.close()


if __name__ == "__main__":  # pragma: no cover
    main()
