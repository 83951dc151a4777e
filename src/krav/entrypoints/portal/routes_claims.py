"""Claims: the list (filter by stage, search, pages, CSV), one claim's whole story with its letters as PDF, and
pausing and resuming it with the result shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Response

from krav.bootstrap import require_service_identity
from krav.domain.access import Permission
from krav.domain.collection.actions import Action, ActionResult
from krav.domain.collection.claims import Stage
from krav.domain.collection.events import EventKind
from krav.domain.errors import InputError
from krav.domain.money import Money
from krav.entrypoints import labels
from krav.entrypoints.portal import formats, words
from krav.entrypoints.portal.downloads import sheet_file, sheet_format
from krav.entrypoints.portal.web import CaseHandler, Collector, Form, Reader, Tenant, render, today
from krav.services import collection, dashboard, queries, users
from krav.services.collection.delivery.archive import archive_letter_pdf
from krav.services.exports import Sheet
from krav.services.ports import Document, DocumentKind
from krav.services.queries import ClaimView

router = APIRouter()

#: claims on one page of the list
PAGE = 50


@dataclass(frozen=True, slots=True)
class Filters:
    """What the claims list is narrowed by, as typed (amounts and dates in Norwegian or plain formats)."""

    stage: str = ""
    q: str = ""
    closed: bool = False
    owed_from: str = ""
    due_from: str = ""
    due_to: str = ""

    def query(self) -> str:
        """The filters as a query string, for the next page and the CSV."""
        fields = {k: getattr(self, k) for k in ("stage", "q", "owed_from", "due_from", "due_to")}
        fields = {k: v for k, v in fields.items() if v}
        if self.closed:
            fields["closed"] = "true"
        return urlencode(fields)


def _chosen(tenant: Tenant, f: Filters) -> list[ClaimView]:
    stage, q, closed = f.stage, f.q, f.closed
    try:
        wanted = Stage(stage) if stage else None
    except ValueError:
        raise InputError(f"stage: {stage!r} is not a stage") from None
    found = queries.claims_view(
        tenant.krav.reader(),
        tenant.orgno,
        on=today(),
        rates=tenant.krav.rates,
        stage=wanted,
        include_closed=closed or wanted is Stage.CLOSED,
    )
    least = formats.read_amount(f.owed_from, "owed_from")
    chosen = dashboard.search_claims(
        found, text=q, due_from=formats.read_day(f.due_from, "due_from"), due_to=formats.read_day(f.due_to, "due_to")
    )
    if least is not None:
        chosen = [v for v in chosen if v.owed.amount >= least]
    chosen.sort(key=lambda v: (v.claim.due_date, v.claim.collection_id))
    return chosen


@router.get("/c/{orgno}/claims")
def claims(tenant: Reader, f: Annotated[Filters, Depends()], page: int = 1) -> Response:
    chosen = _chosen(tenant, f)
    pages = max(1, -(-len(chosen) // PAGE))
    page = min(max(page, 1), pages)
    rows = chosen[(page - 1) * PAGE : page * PAGE]
    user_id = tenant.visit.user.id if tenant.visit.user is not None else None
    return render(
        tenant.visit,
        "claims.html",
        tenant=tenant,
        rows=rows,
        count=len(chosen),
        page=page,
        pages=pages,
        stages=list(Stage),
        f=f,
        on=today(),
        may_act=tenant.who.may(Permission.COLLECT),
        many=MANY,
        saved=users.saved_filters(tenant.krav.reader(), user_id, tenant.orgno) if user_id is not None else [],
    )


def claims_sheet(tenant: Tenant, f: Filters) -> Sheet:
    """The claims as chosen, one row each, with the headers in the page's language."""
    lang = tenant.visit.lang
    headers = ("collection id", "invoice", "debtor", "stage", "due", "principal", "fee", "interest", "salær", "owed")
    rows = tuple(
        (
            c.collection_id,
            c.invoice_number,
            c.debtor.name,
            labels.stage(c.stage.value, lang),
            c.due_date,
            c.principal_outstanding,
            c.fees_outstanding,
            v.interest_outstanding,
            c.salaer_outstanding,
            v.owed,
        )
        for v in _chosen(tenant, f)
        for c in (v.claim,)
    )
    return Sheet(words.text("claims", lang), tuple(labels.headers(*headers, lang=lang)), rows)


@router.get("/c/{orgno}/claims.{suffix}")
def claims_file(suffix: str, tenant: Reader, f: Annotated[Filters, Depends()]) -> Response:
    """The claims as chosen, as CSV (UTF-8 with a BOM, ``;`` between fields, amounts with a decimal comma, dates
    as dd.mm.åååå) or as an Excel workbook (amounts as numbers, dates as dates)."""
    kind = sheet_format(suffix)
    return sheet_file(claims_sheet(tenant, f), kind, f"krav-{tenant.orgno}-{today().isoformat()}")


#: what may be done to many claims at once from the list
MANY = (Action.PAUSE, Action.RESUME, Action.CLOSE)


@router.post("/c/{orgno}/claims/actions")
def act_on_many(tenant: Collector, fields: Form) -> Response:
    """Pause, resume or close the claims chosen in the list, with a result for each (refused ones with why);
    closing asks first, with what it would cost the creditor per claim and in all (R-ACT-2)."""
    chosen = list(dict.fromkeys(fields.every("invoice")))
    wanted = fields.get("action", "")
    if wanted not in MANY:
        raise InputError(f"action: {wanted!r} is not one of {', '.join(MANY)}")
    action = Action(wanted)

    def page(status: int = 200, **shown: object) -> Response:
        return render(
            tenant.visit, "claims_done.html", status=status, tenant=tenant, action=action, chosen=chosen, **shown
        )

    if not chosen:
        return page(422, results=[], costs=None)
    if action is Action.CLOSE and fields.get("confirm") != "yes":
        costs = collection.closing_costs(tenant.krav.reader(), tenant.orgno, chosen)
        return page(results=None, costs=costs, total=sum(costs.values(), Money.zero()))
    results = collection.act(
        tenant.krav.uow(), tenant.orgno, chosen, action, on=today(), by=tenant.who.actor, rates=tenant.krav.rates
    )
    return page(results=results, costs=None)


def _claim_page(
    tenant: Tenant,
    ref: str,
    *,
    result: ActionResult | None = None,
    closing: Money | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    """The claim's page; ``closing``: what closing it would cost the creditor, asked to confirm first."""
    on = today()
    found = queries.claim_detail(tenant.krav.reader(), tenant.company_id, ref, on=on, rates=tenant.krav.rates)
    return render(
        tenant.visit,
        "claim.html",
        status=status,
        tenant=tenant,
        detail=found,
        v=found.view,
        c=found.view.claim,
        paid=dashboard.paid(found.history),
        on=on,
        result=result,
        closing=closing,
        error=error,
        talk=[h for h in found.history if h.kind in (EventKind.MESSAGE, EventKind.ANSWER)],
        objections=[h for h in found.history if h.kind is EventKind.OBJECTION],
        may_act=tenant.who.may(Permission.COLLECT),
        may_answer=tenant.who.may(Permission.CASE),
    )


@router.get("/c/{orgno}/claims/{ref}")
def claim(ref: str, tenant: Reader) -> Response:
    return _claim_page(tenant, ref)


@router.post("/c/{orgno}/claims/{ref}/answer")
def answer(ref: str, tenant: CaseHandler, fields: Form) -> Response:
    """The case handler answers the creditor's message (R-ACT-3); the answer is kept in the claim's history."""
    detail = queries.claim_detail(tenant.krav.reader(), tenant.company_id, ref, on=today(), rates=tenant.krav.rates)
    try:
        collection.answer(
            tenant.krav.uow(),
            tenant.orgno,
            detail.view.claim.invoice_number,
            fields.get("text", ""),
            on=today(),
            by=tenant.who.actor,
        )
    except InputError as error:
        return _claim_page(tenant, ref, error=str(error), status=422)
    return _claim_page(tenant, ref)


#: what the claim page does (R-ACT-1 … R-ACT-4, R-CLM-15), by the last part of its address
ACTIONS = frozenset(
    {Action.PAUSE, Action.RESUME, Action.CLOSE, Action.MESSAGE, Action.DISPUTE, Action.REJECT, Action.UPHOLD}
)


@router.post("/c/{orgno}/claims/{ref}/{action}")
def act(ref: str, action: str, tenant: Collector, fields: Form) -> Response:
    """Pause, resume or close the claim, send the case handler a message, or record the debtor's objection and
    answer it (each with its text); the page shows what happened. Closing asks first, with what it would cost the
    creditor (R-ACT-2), and closes only when confirmed."""
    if action not in ACTIONS:
        raise InputError(f"action: {action!r} is not one of {', '.join(sorted(ACTIONS))}")
    detail = queries.claim_detail(tenant.krav.reader(), tenant.company_id, ref, on=today(), rates=tenant.krav.rates)
    invoice = detail.view.claim.invoice_number
    if action == Action.CLOSE and fields.get("confirm") != "yes":
        costs = collection.closing_costs(tenant.krav.reader(), tenant.orgno, [invoice])
        return _claim_page(tenant, ref, closing=costs.get(invoice, Money.zero()))
    try:
        results = collection.act(
            tenant.krav.uow(),
            tenant.orgno,
            [invoice],
            Action(action),
            on=today(),
            by=tenant.who.actor,
            rates=tenant.krav.rates,
            text=fields.get("text"),
        )
    except InputError as error:  # a message or an objection without its text
        return _claim_page(tenant, ref, error=str(error), status=422)
    return _claim_page(tenant, ref, result=results[0])


def document(tenant: Tenant, kind: DocumentKind, ref: str) -> Document | None:
    """The document as archived; None when it must be made (which needs the service's identity, R-SVC-1)."""
    found = dashboard.archived(tenant.krav.reader(), tenant.orgno, kind, ref)
    if found is None:
        require_service_identity(tenant.krav.settings)
    return found


def file_response(doc: Document, media_type: str, *, inline: bool) -> Response:
    how = "inline" if inline else "attachment"
    return Response(
        doc.content,
        media_type=media_type,
        headers={"Content-Disposition": f'{how}; filename="{doc.filename}"', "ETag": f'"{doc.sha256}"'},
    )


@router.get("/c/{orgno}/letters/{letter_id}.pdf")
def letter_pdf(letter_id: int, tenant: Reader) -> Response:
    """The letter as sent, byte for byte."""
    doc = document(tenant, DocumentKind.LETTER, str(letter_id))
    if doc is None:
        app = tenant.krav
        doc = archive_letter_pdf(app.uow(), tenant.orgno, letter_id, renderer=app.renderer, service=app.service)
    return file_response(doc, "application/pdf", inline=True)
