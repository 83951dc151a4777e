"""Settlements (R-BANK-3): each payout with its lines per claim, which add up to the amount remitted to the
bank; its postings; its report as PDF and CSV, and the pain.001 payment file that remitted it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from krav.domain.errors import NotFound
from krav.entrypoints.portal.routes_claims import document, file_response
from krav.entrypoints.portal.web import Reader, render
from krav.services import dashboard, ledger, queries
from krav.services.collection.delivery.archive import settlement_document
from krav.services.ports import DocumentKind

router = APIRouter()

_FILES = {
    "report.pdf": (DocumentKind.SETTLEMENT_PDF, "application/pdf"),
    "report.csv": (DocumentKind.SETTLEMENT_CSV, "text/csv; charset=utf-8"),
    "pain001.xml": (DocumentKind.PAIN001, "application/xml"),
}


@router.get("/c/{orgno}/settlements")
def settlements(tenant: Reader) -> Response:
    found = list(reversed(queries.settlements(tenant.krav.reader(), tenant.orgno)))
    return render(tenant.visit, "settlements.html", tenant=tenant, settlements=found)


@router.get("/c/{orgno}/settlements/{reference}")
def settlement(reference: str, tenant: Reader) -> Response:
    found = dashboard.settlement(tenant.krav.reader(), tenant.orgno, reference)
    try:
        voucher = ledger.settlement_postings(tenant.krav.reader(), tenant.orgno, reference)
    except NotFound:  # not posted (yet): the page shows the payout without its postings
        voucher = None
    return render(tenant.visit, "settlement.html", tenant=tenant, found=found, st=found.settlement, voucher=voucher)


@router.get("/c/{orgno}/settlements/{reference}/{name}")
def settlement_file(reference: str, name: str, tenant: Reader) -> Response:
    """The settlement's report as archived (PDF inline, CSV to download), or its pain.001 file."""
    if name not in _FILES:
        raise NotFound(f"no file {name}")
    kind, media = _FILES[name]
    found = dashboard.settlement(tenant.krav.reader(), tenant.orgno, reference)
    doc = document(tenant, kind, str(found.settlement.id))
    if doc is None:
        app = tenant.krav
        doc = settlement_document(app.uow(), tenant.orgno, reference, kind, renderer=app.renderer, service=app.service)
    return file_response(doc, media, inline=name.endswith(".pdf"))
