"""The ledger over HTTP, for an ERP that keeps its books elsewhere: open items (sent with their customers),
vouchers, payments the creditor's bank received, credit notes and write-offs; the proposal and submissions."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from krav.domain.errors import NotFound
from krav.entrypoints.api import schemas as s
from krav.entrypoints.api import views
from krav.entrypoints.api.deps import Collector, Krav, LedgerWriter, OnQuery, Reader, business_date
from krav.entrypoints.api.routes_companies import customer_of
from krav.services import imports, ledger
from krav.services.ledger import PostingResult, submission

router = APIRouter(tags=["ledger"])


def _posted(result: PostingResult) -> s.PostingOut:
    return s.PostingOut(vouchers=[v.number for v in result.vouchers], items=[views.item(i) for i in result.items])


@router.get("/companies/{orgno}/items", response_model=s.Page[s.ItemOut])
def list_items(
    tenant: Reader,
    app: Krav,
    customer: Annotated[str | None, Query(max_length=40)] = None,
    include_settled: bool = False,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.Page[s.ItemOut]:
    """The customer sub-ledger's items: open ones, or all with ``include_settled``."""
    found = ledger.open_items(app.reader(), tenant.orgno, customer=customer, open_only=not include_settled)
    rows, following = views.page(found, cursor, limit)
    return s.Page[s.ItemOut](items=[views.item(i) for i in rows], next_cursor=following)


@router.get("/companies/{orgno}/ledger/balance", response_model=s.BalanceOut)
def get_balance(tenant: Reader, app: Krav) -> s.BalanceOut:
    """The trial balance and the sub-ledger check: every account sums to zero, the sub-ledger equals 1500."""
    check = ledger.balance(app.reader(), tenant.orgno)
    return s.BalanceOut(
        balanced=check.balanced,
        trial_balance={account: s.decimal(m) for account, m in check.trial_balance.items()},
        account_names=check.account_names,
        subledger_mismatches={
            customer: [s.decimal(a), s.decimal(b)] for customer, (a, b) in check.subledger_mismatches.items()
        },
        customers_checked=check.customers_checked,
    )


@router.post("/companies/{orgno}/invoices", status_code=201, response_model=s.InvoicesOut)
def send_invoices(body: s.InvoicesIn, tenant: LedgerWriter, app: Krav) -> s.InvoicesOut:
    """Outgoing invoices, each posted as a voucher (debit 1500 the customer, credit sales), with their customers
    created or updated first — all in one transaction, or nothing with every problem named. An invoice without a
    due date is due its customer's payment terms. Honours ``Idempotency-Key``."""
    invoices = [
        imports.NewInvoice(
            number=i.number,
            customer=i.customer,
            invoice_date=i.issued,
            amount=s.amount(i.amount),
            due_date=i.due,
            voucher_type=i.voucher_type,
            kid=i.kid,
            exempt=i.exempt,
            text=i.text,
            line=n,
        )
        for n, i in enumerate(body.invoices)
    ]
    report = imports.receive_invoices(
        app.uow(), tenant.orgno, [customer_of(c) for c in body.customers], invoices, source="request"
    )
    numbers = [i.number for i in report.items]
    items = ledger.open_items(app.reader(), tenant.orgno, open_only=False, numbers=numbers)
    return s.InvoicesOut(items=[views.item(i) for i in items if i.is_debit])


@router.post("/companies/{orgno}/vouchers", status_code=201, response_model=s.PostingOut)
def post_vouchers(body: s.VouchersIn, tenant: LedgerWriter, app: Krav) -> s.PostingOut:
    """A batch of vouchers, all or nothing (the format of ``krav ledger post``). Honours ``Idempotency-Key``."""
    data = json.dumps(body.model_dump(mode="json", exclude_none=True)).encode()
    return _posted(ledger.post_batch_file(app.uow(), tenant.orgno, data, filename="request"))


@router.post("/companies/{orgno}/payments", status_code=201, response_model=s.PostingOut)
def report_payment(body: s.PaymentIn, tenant: LedgerWriter, app: Krav) -> s.PostingOut:
    """A payment the creditor's own bank received for an invoice: posted, and reported to the claim, which splits
    it over what it owes. Honours ``Idempotency-Key``."""
    result = ledger.pay_invoice(app.uow(), app.figures, tenant.orgno, body.invoice, s.amount(body.amount), on=body.on)
    return _posted(result)


@router.post("/companies/{orgno}/credit-notes", status_code=201, response_model=s.PostingOut)
def credit_note(body: s.CreditNoteIn, tenant: LedgerWriter, app: Krav) -> s.PostingOut:
    """A credit note against an invoice; a claim on it is reported the credit. Honours ``Idempotency-Key``."""
    result = ledger.credit_invoice(
        app.uow(), tenant.orgno, body.invoice, s.amount(body.amount), on=body.on, number=body.number
    )
    return _posted(result)


@router.post("/companies/{orgno}/write-offs", status_code=201, response_model=s.PostingOut)
def write_off(body: s.WriteOffIn, tenant: LedgerWriter, app: Krav) -> s.PostingOut:
    """A loss write-off: the invoice is closed in the books while collection goes on."""
    return _posted(ledger.write_off(app.uow(), tenant.orgno, body.invoice, on=body.on))


# -- proposal and submissions -------------------------------------------------------------------------------------


def _norwegian(request: Request) -> bool:
    return request.headers.get("accept-language", "").lower().startswith(("nb", "no", "nn"))


@router.get("/companies/{orgno}/proposal", response_model=s.Page[s.ProposalRowOut])
def get_proposal(
    request: Request,
    tenant: Reader,
    app: Krav,
    on: OnQuery = None,
    status: Literal["all", "valid", "invalid"] = "all",
    customer: Annotated[str | None, Query(max_length=40)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.Page[s.ProposalRowOut]:
    """Every open item past due and not yet submitted, with every reason it may not be sent yet and the day it
    may be sent from."""
    found = submission.proposal(app.reader(), tenant.orgno, today=business_date(on), customer=customer, status=status)
    rows, following = views.page(found, cursor, limit)
    nb = _norwegian(request)
    return s.Page[s.ProposalRowOut](
        items=[
            s.ProposalRowOut(
                item=views.item(r.item),
                customer_name=r.customer.name,
                valid=r.valid,
                reasons=[views.reason(x, norwegian=nb) for x in r.reasons],
                sendable_from=r.sendable_from,
            )
            for r in rows
        ],
        next_cursor=following,
    )


@router.post("/companies/{orgno}/submissions", response_model=list[s.SubmittedOut])
def submit(request: Request, body: s.SubmissionIn, tenant: Collector, app: Krav) -> list[s.SubmittedOut]:
    """Send items to collection: the ones named, or every valid one (``all_valid``); each item's result is
    reported. Honours ``Idempotency-Key``."""
    today = business_date(body.on)
    ids = list(body.items)
    if body.all_valid:
        ids += [r.item.id for r in submission.proposal(app.reader(), tenant.orgno, today=today, status="valid")]
    if not ids:
        raise NotFound("no items to submit: name them in items, or set all_valid")
    results = submission.submit(app.uow(), tenant.orgno, list(dict.fromkeys(ids)), today=today)
    nb = _norwegian(request)
    return [
        s.SubmittedOut(
            item=r.item_id,
            number=r.invoice or "",
            submitted=r.submitted,
            reasons=[views.reason(x, norwegian=nb) for x in r.reasons]
            + ([s.ReasonOut(code="not_found", message=r.error)] if r.error else []),
        )
        for r in results
    ]
