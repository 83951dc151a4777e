"""What the commands print: tables and lines of text in Norwegian formats (amounts ``12 345,50``, dates
``dd.mm.åååå``), and the shapes their ``--json`` prints. Pure: values in, text or JSON-able values out. Headers
and the words for codes come from :mod:`krav.entrypoints.labels`, in the language of ``krav --lang``; the JSON
keeps the codes.

This module has the ledger side (companies, the books, imports, the agreement, the proposal);
:mod:`krav.entrypoints.cli.collection_presenters` has the collection side."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from krav.domain.agreement import field_values
from krav.domain.ledger.open_items import OpenItem
from krav.domain.messages import LedgerReport
from krav.domain.money import Money, format_amount, format_count
from krav.domain.party import Company, Customer
from krav.entrypoints import labels
from krav.entrypoints.clock import oslo_moment
from krav.entrypoints.labels import headers
from krav.entrypoints.output import table, to_jsonable
from krav.services import agreements, imports, ledger
from krav.services.ledger.submission import ProposalRow, SubmitResult
from krav.services.ports import LedgerChange


def day(value: date | None) -> str:
    """A date as ``dd.mm.åååå``; nothing for no date."""
    return value.strftime("%d.%m.%Y") if value else ""


# -- companies and the ledger -------------------------------------------------------------------------------------


def companies_table(companies: Sequence[Company]) -> str:
    return table(headers("orgno", "name", "bank account"), [(c.orgno, c.name, c.bank_account) for c in companies])


def _reported(amount: Money | None, collection_id: str | None) -> str:
    """A figure the collection service reported for an item under collection; nothing for any other item."""
    return format_amount(amount) if collection_id and amount is not None else ""


def items_table(items: Sequence[OpenItem]) -> str:
    """The open items, each voucher type with its word (``11 utgående faktura``) and its settled status as a word;
    an item under collection with the fee and interest the service last reported for it (not to today: that is
    ``krav claims list``), and a line under the table that says so."""
    columns = headers(
        "id",
        "customer",
        "number",
        "voucher type",
        "date",
        "due",
        "amount",
        "remaining",
        "currency",
        "status",
        "collection id",
        "fee last reported",
        "interest last reported",
    )
    rows = [
        (
            i.id,
            i.customer,
            i.number,
            labels.voucher_type(i.voucher_type),
            day(i.invoice_date),
            day(i.due_date),
            format_amount(i.amount),
            format_amount(i.remaining),
            i.currency,
            labels.settled_status(i.status),
            i.collection_id or "",
            _reported(i.fee_outstanding, i.collection_id),
            _reported(i.interest_outstanding, i.collection_id),
        )
        for i in items
    ]
    text = table(columns, rows, right={6, 7, 11, 12})
    if any(i.collection_id for i in items):
        text += "\n" + labels.word("interest last reported")
    return text


def items_total(items: Sequence[OpenItem]) -> str:
    total = sum((i.remaining.ore for i in items if i.currency == "NOK"), 0)
    return f"\n{format_count(len(items))} item(s), remaining NOK {format_amount(Money.from_ore(total))}"


def items_json(items: Sequence[OpenItem]) -> list[Any]:
    """The items with their codes (``voucher_type`` 11, ``status`` 1, 2 or 3). ``interest_outstanding`` is the
    interest the collection service last reported for the item (when its claim last changed: a letter, a payment,
    a new stage), not the interest to today that ``krav claims list`` counts: ``interest_last_reported`` says so by
    its name."""
    return [
        {
            **to_jsonable(i),
            "status": int(i.status),
            "interest_last_reported": to_jsonable(i.interest_outstanding),
        }
        for i in items
    ]


def customers_table(customers: Iterable[Customer]) -> str:
    rows = [
        (
            c.number,
            c.name,
            labels.customer_kind(c.kind),
            c.orgno or "",
            c.address.street or "",
            c.address.postcode or "",
            c.address.city or "",
            c.email or "",
            labels.word("yes") if c.email_for_letters else "",
            labels.word("yes") if c.exempt else "",
        )
        for c in customers
    ]
    columns = headers(
        "number", "name", "kind", "orgno", "street", "postcode", "city", "e-mail", "letters by e-mail", "exempt"
    )
    return table(columns, rows)


def reported(reports: Iterable[LedgerReport]) -> list[str]:
    """What the ledger told the collection service about (R-LED-5, R-LED-6)."""
    return [f"reported to collection: {r.kind} {r.collection_id} {format_amount(r.amount)}" for r in reports]


def match_lines(result: ledger.MatchResult) -> list[str]:
    lines = [
        f"matched {format_amount(a.amount)}: item {a.credit_id} against item {a.debit_id}" for a in result.allocations
    ]
    lines += [f"left alone: item {s.item_id} ({s.number}): {s.reason}" for s in result.skipped]
    lines += reported(result.reports)
    if not result.allocations:
        lines.append("nothing matched")
    return lines


def balance_json(check: ledger.LedgerBalance) -> dict[str, Any]:
    return {
        "balanced": check.balanced,
        "accounts": check.trial_balance,
        "account_names": check.account_names,
        "total": check.total,
        "subledger_mismatches": check.subledger_mismatches,
    }


def balance_lines(check: ledger.LedgerBalance) -> list[str]:
    rows = [
        (number, check.account_names.get(number, ""), currency, format_amount(m))
        for number, currency, m in ((key.split()[0], key.split()[1], m) for key, m in check.trial_balance.items())
    ]
    sums = ", ".join(f"{format_amount(m)} {currency}" for currency, m in sorted(check.total.items())) or "0,00"
    lines = [
        table(headers("account", "name", "currency", "balance"), rows, right={3}),
        "",
        f"sum of every account: {sums} (debit and credit must cancel out)",
        f"customer sub-ledger: {check.customers_checked} customer(s)' open items held against account 1500 "
        f"Kundefordringer, {len(check.subledger_mismatches)} differing",
        "balanced" if check.balanced else "NOT balanced",
    ]
    lines += [
        f"customer {number}: receivables account {format_amount(gl)} but open items {format_amount(sub)}"
        for number, (gl, sub) in check.subledger_mismatches.items()
    ]
    return lines


def bank_import_lines(report: ledger.BankImportReport) -> list[str]:
    if report.already_imported:
        return [f"{report.filename}: imported before; nothing changed"]
    lines = [
        f"{report.filename}: {len(report.posted)} posted, {len(report.left)} left for the bookkeeper"
        + (f", {len(report.already_posted)} posted before" if report.already_posted else "")
    ]
    lines += [
        f"  {line.reference}: {format_amount(line.amount)} → invoice {line.invoice} (by {line.matched_by})"
        for line in report.posted
    ]
    lines += [f"  {line.reference}: {format_amount(line.amount)} not posted: {line.reason}" for line in report.left]
    lines += [f"  {line.reference}: {format_amount(line.amount)} {line.reason}" for line in report.already_posted]
    return lines


# -- imports, the agreement, the proposal ---------------------------------------------------------------------------


def _iso_day(value: str | None) -> str:
    """An ISO date of a report as ``dd.mm.åååå``."""
    return day(date.fromisoformat(value)) if value else ""


#: the most rows a summary lists on the screen; the rest are counted, and the command that lists them all named
LISTED = 50


def more_lines(count: int, where: str) -> list[str]:
    """The line under a list cut at :data:`LISTED` rows of ``count``: how many more, and where they all are."""
    return [f"… and {format_count(count - LISTED)} more: {where}"] if count > LISTED else []


def iso_moment(value: str | None) -> str:
    """An ISO moment of a report (stored in UTC) as ``dd.mm.åååå tt:mm`` in Norway's time; nothing for none."""
    return oslo_moment(datetime.fromisoformat(value)) if value else ""


def import_lines(report: imports.ImportReport) -> list[str]:
    if report.already_imported:
        return [f"{report.filename}: already imported ({iso_moment(report.imported_at)}); nothing changed"]
    lines = [f"created company {report.company} from the file's header"] if report.company_created else []
    lines.append(
        f"{report.filename}: customers {format_count(report.customers_created)} created, "
        f"{format_count(report.customers_updated)} updated, {format_count(report.customers_unchanged)} unchanged; "
        f"{format_count(len(report.items))} open item(s) imported"
    )
    if report.items:
        rows = [
            (
                i.customer,
                i.number,
                _iso_day(i.invoice_date),
                _iso_day(i.due_date),
                format_amount(Decimal(i.amount)),
                format_amount(Decimal(i.remaining)),
                labels.import_rule(i.number_rule),
                labels.import_rule(i.due_rule),
            )
            for i in report.items[:LISTED]
        ]
        columns = headers("customer", "number", "date", "due", "amount", "remaining", "number from", "due date from")
        lines.append(table(columns, rows, right={4, 5}))
        lines += more_lines(
            len(report.items), f"`krav ledger items --company {report.company}` lists every open item (--csv, --xlsx)"
        )
    lines += [f"skipped {line}" for line in report.skipped]
    lines += [f"note: {note}" for note in report.notes]
    return lines


def agreement_json(view: agreements.AgreementView) -> dict[str, Any]:
    return {"company": view.company, "agreement": field_values(view.agreement), "history": view.history}


def agreement_lines(view: agreements.AgreementView) -> list[str]:
    values = field_values(view.agreement)
    lines = [table(headers("field", "value"), [(k, "" if v is None else v) for k, v in values.items()])]
    if view.history:
        lines.append("\nhistory:")
        lines += [f"  {day(h.on)} {h.by}: {h.field} {h.old!r} → {h.new!r}" for h in view.history]
    return lines


def proposal_json(rows: Sequence[ProposalRow]) -> list[dict[str, Any]]:
    return [
        {
            "item_id": r.item.id,
            "invoice": r.item.number,
            "customer": r.customer.number,
            "remaining": r.item.remaining,
            "due_date": r.item.due_date,
            "sendable_from": r.sendable_from,
            "valid": r.valid,
            "reasons": [
                {"code": x.code, "category": x.category.value, "nb": x.message_nb, "en": x.message_en}
                for x in r.reasons
            ],
        }
        for r in rows
    ]


def proposal_lines(rows: Sequence[ProposalRow], lang: labels.Lang | None = None, *, width: int = 100) -> list[str]:
    """The proposal as a table, one row per item with the day it may be sent from ("kan sendes fra"), and under
    each invalid item every reason it may not be sent, one per line with its code and full text (in ``lang``,
    else the language of the tables), wrapped to ``width`` (the terminal's)."""
    chosen = lang or labels.language()
    out = []
    for r in rows:
        out.append(
            (
                r.item.id,
                r.customer.number,
                r.item.number,
                day(r.item.due_date),
                day(r.sendable_from),
                format_amount(r.item.remaining),
                labels.word("ok", chosen) if r.valid else f"{labels.word('not valid', chosen)} ({len(r.reasons)})",
            )
        )
    columns = headers("id", "customer", "invoice", "due", "sendable from", "remaining", "status", lang=chosen)
    top, rule, *lines = table(columns, out, right={5}).split("\n")
    text: list[str] = [top, rule]
    width = max(width, 40)
    for r, line in zip(rows, lines, strict=True):
        text.append(line)
        for x in r.reasons:
            message = x.message_en if chosen is labels.Lang.EN else x.message_nb
            text.extend(
                textwrap.wrap(f"{x.code}: {message}", width=width, initial_indent="    - ", subsequent_indent="      ")
            )
    valid = sum(1 for r in rows if r.valid)
    return ["\n".join(text), f"\n{format_count(len(rows))} item(s) past due, {format_count(valid)} valid"]


def changes_lines(changes: Sequence[LedgerChange]) -> list[str]:
    """The changes made outside vouchers (``krav ledger changes``)."""
    if not changes:
        return ["no changes"]
    rows = [(day(c.on), c.by, c.subject, c.number, c.field, c.old or "", c.new or "") for c in changes]
    return [table(headers("date", "by", "what", "number", "field", "old", "new"), rows)]


def submit_json(results: Sequence[SubmitResult]) -> list[dict[str, Any]]:
    return [
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


def submit_lines(results: Sequence[SubmitResult]) -> list[str]:
    lines = []
    for r in results:
        if r.submitted:
            lines.append(f"item {r.item_id} (invoice {r.invoice}): submitted as {r.collection_id}")
        else:
            why = r.error or "; ".join(f"{x.code}: {x.message_en}" for x in r.reasons)
            lines.append(f"item {r.item_id} ({'invoice ' + r.invoice if r.invoice else 'unknown'}): refused: {why}")
    return lines
