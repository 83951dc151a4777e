"""The service's side over HTTP: payment files of the client account, the manual-matching queue, and the daily
run. For the service's own roles (case handler, operator); a creditor's key sees none of it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from krav.bootstrap import require_service_identity
from krav.domain.access import Permission
from krav.domain.errors import FieldError
from krav.domain.plausible import check_file_size
from krav.entrypoints.api import schemas as s
from krav.entrypoints.api import views
from krav.entrypoints.api.deps import Krav, Who, business_date, require
from krav.entrypoints.output import to_jsonable
from krav.services import daily_run, queries
from krav.services.collection import payments

router = APIRouter(tags=["service"])

_RAW_FILE = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "application/xml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@router.post("/payment-files", status_code=201, response_model=s.PaymentFileOut, openapi_extra=_RAW_FILE)
async def upload_payment_file(
    request: Request,
    who: Who,
    app: Krav,
    filename: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^/\\]+$")],
    on: Annotated[s.Day | None, Query()] = None,
) -> s.PaymentFileOut:
    """A payment file of the client account (camt.054 or Nets OCR giro) as the bank sent it: each payment is
    matched to its letter by KID or queued for a person; a file or payment seen before changes nothing. Honours
    ``Idempotency-Key``."""
    require(who, Permission.CASE)
    limit = app.settings.max_file_bytes
    data = await request.body()
    check_file_size(len(data), file=filename, limit=limit)
    if not data:
        raise FieldError("body", "the file is empty")
    report = await run_in_threadpool(payments.import_payments, app.uow(), data, filename=filename, on=business_date(on))
    return s.PaymentFileOut(
        filename=report.filename,
        format=report.format,
        already_imported=report.already_imported,
        matched=len(report.matched),
        unmatched=len(report.unmatched),
        duplicates=len(report.duplicates),
        total=s.decimal(report.total),
        payments=[
            s.PaymentOutcomeOut(
                reference=o.reference,
                amount=s.decimal(o.amount),
                paid_on=o.paid_on,
                kid=o.kid,
                matched=o.matched,
                reason=o.reason,
                duplicate=o.duplicate,
            )
            for o in report.outcomes
        ],
    )


@router.get("/unmatched-payments", response_model=list[s.QueuedPaymentOut])
def list_unmatched(who: Who, app: Krav) -> list[s.QueuedPaymentOut]:
    """The manual-matching queue: payments that found no letter by themselves, with the reason, what the payer
    wrote, and up to three claims each may pay (by KID, amount, message and name), best first."""
    require(who, Permission.CASE)
    return [
        s.QueuedPaymentOut(
            **views.client_payment(q.payment).model_dump(),
            suggestions=[
                s.SuggestionOut(
                    company=c.creditor,
                    collection_id=c.collection_id,
                    invoice_number=c.invoice_number,
                    debtor=c.debtor_number,
                    debtor_name=c.debtor_name,
                    balance=s.decimal(c.balance),
                    kid=c.kid,
                    points=c.points,
                    reasons=list(c.reasons),
                )
                for c in q.suggestions
            ],
        )
        for q in queries.manual_matching(app.reader(), rates=app.rates)
    ]


@router.post("/unmatched-payments/{payment_id}/assign", response_model=s.ClientPaymentOut)
def assign_payment(payment_id: s.Id, body: s.AssignIn, who: Who, app: Krav) -> s.ClientPaymentOut:
    """Assign an unmatched payment to a letter (by KID, or the latest letter of an invoice's claim); it is
    applied in the next daily run. Honours ``Idempotency-Key``."""
    require(who, Permission.CASE)
    done = payments.assign(app.uow(), payment_id, kid=body.kid, orgno=body.company, invoice=body.invoice)
    return views.client_payment(done)


@router.post("/runs", response_model=list[s.RunDayOut])
def run(
    body: s.RunIn,
    who: Who,
    app: Krav,
    company: Annotated[str | None, Query(pattern=r"^\d{9}$", description="One creditor (default: all).")] = None,
) -> list[s.RunDayOut]:
    """Run a business day (or each day from ``on`` to ``to``, in order) for every creditor, or one. Running a day
    again changes nothing. Refused while the service's identity is incomplete."""
    require(who, Permission.CASE)
    if body.to is not None and body.to < body.on:
        raise FieldError("to", "the last day comes before the first")
    if body.to is not None and (body.to - body.on).days > 366:
        raise FieldError("to", "run at most a year of days in one request")
    require_service_identity(app.settings)
    if company is not None and queries.company(app.reader(), company) is None:
        raise FieldError("company", f"no company {company}")
    days = daily_run.run_days(app.uow(), body.on, body.to or body.on, app.collaborators(), company=company)
    return [_day(d) for d in days]


def _day(day: daily_run.BusinessDay) -> s.RunDayOut:
    companies: list[dict[str, Any]] = [to_jsonable(r) for r in day.creditors]
    return s.RunDayOut(date=day.date, companies=companies, troubled=day.troubled)
