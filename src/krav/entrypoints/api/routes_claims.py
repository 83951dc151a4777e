"""Claims over HTTP: read them (filtered, with their story, letters and next step), act on several at once with a
result per claim, approve the collection list; letters (PDF) and settlements."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from krav.bootstrap import App, require_service_identity
from krav.domain.access import Permission
from krav.domain.collection.actions import Action
from krav.domain.collection.claims import Stage
from krav.domain.errors import Conflict, NotFound
from krav.domain.plausible import check_file_size
from krav.entrypoints.api import deps, views
from krav.entrypoints.api import schemas as s
from krav.entrypoints.api.deps import Admin, Collector, Krav, OnQuery, OrgnoPath, Reader, business_date
from krav.services import claim_import, claim_pages, collection, dashboard, ledger, queries
from krav.services.collection.delivery.archive import archive_letter_pdf, settlement_document
from krav.services.ports import DocumentKind

router = APIRouter(tags=["claims"])


@router.get("/companies/{orgno}/claims", response_model=s.Page[s.ClaimOut])
def list_claims(
    tenant: Reader,
    app: Krav,
    on: OnQuery = None,
    stage: Stage | None = None,
    customer: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Text in the invoice, debtor, org. no. or collection id.")
    ] = None,
    due_from: date | None = None,
    due_to: date | None = None,
    include_closed: bool = False,
    sort: Annotated[str, Query(pattern=r"^-?(due_date|invoice_number|owed|submitted_on)$")] = "due_date",
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.Page[s.ClaimOut]:
    """The creditor's claims with what each owes on the day asked and its next step, or what holds it."""
    found = queries.claims_view(
        app.reader(),
        tenant.orgno,
        on=business_date(on),
        rates=app.rates,
        stage=stage,
        include_closed=include_closed or stage is Stage.CLOSED,
    )
    chosen = dashboard.search_claims(found, text=q, customer=customer, due_from=due_from, due_to=due_to)
    key = sort.lstrip("-")
    chosen.sort(
        key=lambda v: (v.owed.amount if key == "owed" else getattr(v.claim, key), v.claim.collection_id),
        reverse=sort.startswith("-"),
    )
    rows, following = views.page(chosen, cursor, limit)
    return s.Page[s.ClaimOut](items=[views.claim(v) for v in rows], next_cursor=following)


#: The API's claim page in the claims' kept pages (krav.services.claim_pages); a new version of its JSON is a new
#: view, so a page kept by an older Krav is never answered.
CLAIM_PAGE = "api.v1.claim.1"


@router.get(
    "/companies/{orgno}/claims/{claim}",
    response_model=s.ClaimDetailOut,
    # the API key is read by the route itself (as the dependency would: deps.bearer), not solved as a dependency
    openapi_extra={"security": [{deps.BEARER_SCHEME: []}]},
)
async def get_claim(
    request: Request,
    orgno: OrgnoPath,
    claim: Annotated[str, Field(max_length=40, description="The collection id or the invoice number.")],
    on: OnQuery = None,
) -> Response:
    """One claim: its amounts and next step, its history, and its letters."""
    app: App = request.app.state.krav
    credentials = await deps.bearer(request)
    day, rates = business_date(on), app.rates
    # the tenant as Reader resolves it, called rather than declared (the read made most often), and the kept page:
    # read on the event loop on one connection (an indexed read each); a page to make goes to the thread pool
    with app.glance() as glance:
        found = await deps.tenant(request, orgno, credentials, Permission.READ, glance)
        body = claim_pages.kept_page(glance, found.company_id, claim, view=CLAIM_PAGE, on=day, rates=rates)
    if body is None:
        body = await run_in_threadpool(
            claim_pages.claim_page,
            app.reader(),
            app.uow_if_free(),
            found.company_id,
            claim,
            view=CLAIM_PAGE,
            on=day,
            rates=rates,
            render=_claim_json,
        )
    return Response(body, media_type="application/json")


def _claim_json(found: queries.ClaimDetail) -> str:
    return s.ClaimDetailOut(
        claim=views.claim(found.view),
        history=[views.history(h) for h in found.history],
        letters=[views.letter(lt) for lt in found.letters],
    ).model_dump_json()


@router.post("/companies/{orgno}/claims/actions", response_model=list[s.ActionResultOut])
def act_on_claims(body: s.ClaimActionIn, tenant: Collector, app: Krav) -> list[s.ActionResultOut]:
    """Pause, resume, close or message several claims at once, or record or answer an objection (dispute,
    reject, uphold — each with its text); a result per claim. Closing claims whose costs so far would be
    invoiced needs ``confirm_costs``. Honours ``Idempotency-Key``."""
    if body.action is Action.CLOSE and not body.confirm_costs:
        costs = collection.closing_costs(app.reader(), tenant.orgno, body.invoices)
        if costs:
            listed = ", ".join(f"{invoice}: {amount.amount:.2f}" for invoice, amount in costs.items())
            raise Conflict(f"closing invoices costs to the creditor ({listed}); send confirm_costs: true to close")
    results = collection.act(
        app.uow(),
        tenant.orgno,
        body.invoices,
        body.action,
        on=business_date(body.on),
        by=tenant.who.actor,
        rates=app.rates,
        text=body.text,
    )
    return [views.action_result(r) for r in results]


_MIGRATION_FILE = {
    "requestBody": {
        "required": True,
        "content": {
            "application/jsonl": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/companies/{orgno}/claims/import",
    status_code=201,
    response_model=s.ClaimImportOut,
    openapi_extra=_MIGRATION_FILE,
    tags=["claims"],
)
async def import_claims(
    request: Request,
    tenant: Admin,
    app: Krav,
    filename: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^/\\]+$")],
    on: OnQuery = None,
) -> s.ClaimImportOut:
    """Open claims from an earlier collection service with their history (docs/migration.md: JSON Lines or
    CSV as the body), checked whole: all stored, or none with every problem named by line and field. The same
    file twice changes nothing."""
    data = await request.body()
    check_file_size(len(data), file=filename, limit=app.settings.max_file_bytes)
    report = await run_in_threadpool(
        claim_import.import_claims,
        app.uow(),
        tenant.orgno,
        data,
        filename=filename,
        today=business_date(on),
        rates=app.rates,
    )
    return s.ClaimImportOut(
        filename=report.filename,
        already_imported=report.already_imported,
        claims=[
            s.ImportedClaimOut(
                invoice=c.invoice,
                customer=c.customer,
                collection_id=c.collection_id,
                stage=c.stage,
                earlier_id=c.earlier_id,
            )
            for c in report.claims
        ],
    )


@router.get("/companies/{orgno}/collection-lists", response_model=list[s.CollectionListOut])
def list_collection_lists(tenant: Reader, app: Krav) -> list[s.CollectionListOut]:
    """The collection lists (R-CLM-4), oldest first."""
    return [
        s.CollectionListOut(id=lst.id, date=lst.list_date, invoices=list(lst.invoices))
        for lst in queries.collection_lists(app.reader(), tenant.orgno)
    ]


@router.post("/companies/{orgno}/collection-lists/approve", response_model=list[s.ApprovalOut])
def approve_collection_list(body: s.ApproveIn, tenant: Collector, app: Krav) -> list[s.ApprovalOut]:
    """Approve listed claims for inkasso; they move in the day's run. A result per claim."""
    results = collection.approve(app.uow(), tenant.orgno, body.invoices, on=business_date(body.on), by=tenant.who.actor)
    return [s.ApprovalOut(invoice=r.invoice, approved=r.approved, reason=r.reason) for r in results]


# -- letters and settlements --------------------------------------------------------------------------------------


@router.get("/companies/{orgno}/letters", response_model=s.Page[s.LetterOut], tags=["letters"])
def list_letters(
    tenant: Reader,
    app: Krav,
    debtor: Annotated[str | None, Query(max_length=40)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.Page[s.LetterOut]:
    """The letters sent for the creditor (or to one debtor), by date, debtor and number."""
    rows, following = views.page(queries.letters(app.reader(), tenant.orgno, debtor=debtor), cursor, limit)
    return s.Page[s.LetterOut](items=[views.letter(lt) for lt in rows], next_cursor=following)


@router.get("/companies/{orgno}/letters/{letter_id}", response_model=s.LetterOut, tags=["letters"])
def get_letter(letter_id: s.Id, tenant: Reader, app: Krav) -> s.LetterOut:
    found = [lt for lt in queries.letters(app.reader(), tenant.orgno) if lt.id == letter_id]
    if not found:
        raise NotFound(f"no letter {letter_id}")
    return views.letter(found[0])


@router.get(
    "/companies/{orgno}/letters/{letter_id}/pdf",
    tags=["letters"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The letter as sent, byte for byte."}},
)
def letter_pdf(letter_id: s.Id, tenant: Reader, app: Krav) -> Response:
    """The letter's PDF as archived when it was sent."""
    require_service_identity(app.settings)
    doc = archive_letter_pdf(app.uow(), tenant.orgno, letter_id, renderer=app.renderer, service=app.service)
    return Response(
        doc.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{doc.filename}"', "ETag": f'"{doc.sha256}"'},
    )


@router.get("/companies/{orgno}/settlements", response_model=list[s.SettlementOut], tags=["settlements"])
def list_settlements(tenant: Reader, app: Krav) -> list[s.SettlementOut]:
    """The settlements remitted to the creditor, each with what it pays out."""
    return [views.settlement(st) for st in queries.settlements(app.reader(), tenant.orgno)]


@router.get("/companies/{orgno}/settlements/{reference}/postings", response_model=s.VoucherOut, tags=["settlements"])
def settlement_postings(reference: Annotated[str, Path(max_length=60)], tenant: Reader, app: Krav) -> s.VoucherOut:
    """The postings of a settlement, as the built-in ledger made them: what an ERP that keeps its books elsewhere
    posts for it (voucher type 198: the intermediary bank account debited with the total; per claim the invoice,
    fee and interest income credited, the service's costs and their VAT debited)."""
    voucher = ledger.settlement_postings(app.reader(), tenant.orgno, reference)
    return s.VoucherOut(
        number=voucher.number,
        voucher_type=voucher.voucher_type,
        date=voucher.date,
        text=voucher.text,
        lines=[
            s.PostingLineOut(
                account=line.account,
                amount=s.decimal(line.amount),
                customer=line.customer,
                settles=list(line.settles),
                text=line.text,
            )
            for line in voucher.lines
        ],
    )


_SETTLEMENT_FILES = {
    "report.pdf": DocumentKind.SETTLEMENT_PDF,
    "report.csv": DocumentKind.SETTLEMENT_CSV,
    "pain001.xml": DocumentKind.PAIN001,
}


@router.get(
    "/companies/{orgno}/settlements/{reference}/{document}",
    tags=["settlements"],
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {}, "text/csv": {}, "application/xml": {}},
            "description": "The settlement's report (PDF or CSV) or its pain.001 credit transfer, as archived.",
        }
    },
)
def settlement_file(
    reference: Annotated[str, Path(max_length=60)],
    document: Literal["report.pdf", "report.csv", "pain001.xml"],
    tenant: Reader,
    app: Krav,
) -> Response:
    """A settlement's report as PDF or CSV (its lines add up to the amount remitted), or the pain.001 file that
    remits it."""
    require_service_identity(app.settings)
    doc = settlement_document(
        app.uow(), tenant.orgno, reference, _SETTLEMENT_FILES[document], renderer=app.renderer, service=app.service
    )
    media = {"report.pdf": "application/pdf", "report.csv": "text/csv", "pain001.xml": "application/xml"}[document]
    return Response(
        doc.content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{doc.filename}"', "ETag": f'"{doc.sha256}"'},
    )
