"""The proposal (R-VAL-2): every overdue item not yet sent to collection, with its status and every reason it
may not be sent yet; choose valid ones and send them, with a result for each. Whether the agreement sends the
valid ones by itself (automatic transfer) is said above them."""

from __future__ import annotations

from fastapi import APIRouter, Response

from krav.entrypoints.portal.web import Collector, Form, Reader, Tenant, render, today
from krav.services import agreements
from krav.services.ledger import submission
from krav.services.ledger.submission import SubmitResult

router = APIRouter()


def _page(tenant: Tenant, results: list[SubmitResult] | None = None, *, status: int = 200) -> Response:
    on = today()
    rows = submission.proposal(tenant.krav.reader(), tenant.orgno, today=on, status="all")
    agreement = agreements.show(tenant.krav.reader(), tenant.orgno).agreement
    return render(
        tenant.visit,
        "proposal.html",
        status=status,
        tenant=tenant,
        rows=rows,
        auto_transfer=agreement.auto_transfer,
        results=results,
        on=on,
    )


@router.get("/c/{orgno}/proposal")
def proposal(tenant: Reader) -> Response:
    return _page(tenant)


@router.post("/c/{orgno}/proposal")
def send(tenant: Collector, fields: Form) -> Response:
    """Send the chosen items to collection; each is reported: sent with its collection id, or refused with its
    reasons."""
    chosen = [int(value) for value in fields.every("item") if value.isdigit()]
    if not chosen:
        return _page(tenant, [], status=422)
    results = submission.submit(tenant.krav.uow(), tenant.orgno, list(dict.fromkeys(chosen)), today=today())
    return _page(tenant, results)
