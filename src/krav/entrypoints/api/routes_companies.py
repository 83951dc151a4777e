"""Companies (tenants), their agreement with its terms and activation, voucher types, customers, and the API
clients a creditor admin grants."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from krav.domain.access import Permission
from krav.domain.agreement import field_values
from krav.domain.agreement_terms import terms_content
from krav.domain.errors import Conflict, FieldError
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.entrypoints.api import schemas as s
from krav.entrypoints.api import views
from krav.entrypoints.api.deps import (
    Admin,
    Krav,
    LedgerWriter,
    OnQuery,
    Reader,
    Who,
    business_date,
    check_if_match,
    etag,
    now,
    require,
)
from krav.entrypoints.api.schemas import problem_responses
from krav.services import access, agreements, ledger, queries, webhooks
from krav.services.agreements import AgreementView

router = APIRouter()


# -- companies ----------------------------------------------------------------------------------------------------


@router.get("/companies", response_model=list[s.CompanyOut], tags=["companies"])
def list_companies(who: Who, app: Krav) -> list[s.CompanyOut]:
    """The companies the key sees: its own, or every company for the service's roles."""
    require(who, Permission.READ)
    return [views.company(c) for c in queries.companies(app.reader()) if c.id is not None and who.sees(c.id)]


@router.post("/companies", status_code=201, response_model=s.CompanyOut, tags=["companies"])
def create_company(body: s.CompanyIn, who: Who, app: Krav) -> s.CompanyOut:
    """Register a creditor company with the standard chart of accounts and voucher types (operators only)."""
    require(who, Permission.OPERATE)
    a = body.address or s.AddressIn()
    company = ledger.create_company(
        app.uow(),
        Company(
            orgno=body.orgno,
            name=body.name,
            bank_account=body.bank_account,
            vat_registered=body.vat_registered,
            address=Address(a.street, a.postcode, a.city, a.country),
            email=body.email,
        ),
    )
    return views.company(company)


@router.get("/companies/{orgno}", response_model=s.CompanyOut, tags=["companies"])
def get_company(tenant: Reader, response: Response) -> s.CompanyOut:
    """The company, with its ETag for a change sent with If-Match."""
    found = views.company(tenant.company)
    response.headers["ETag"] = etag(found)
    return found


@router.patch("/companies/{orgno}", response_model=s.CompanyOut, tags=["companies"], responses=problem_responses(412))
def change_company(
    request: Request, response: Response, body: s.CompanyPatch, tenant: Admin, app: Krav
) -> s.CompanyOut:
    """Change the company's name, bank account, VAT registration, address or e-mail; with If-Match, only if it
    is still as read."""
    changes: dict[str, str | bool | None] = body.model_dump(exclude_unset=True)
    if not changes:
        raise FieldError("body", 'say what to change, e.g. {"bank_account": "86011117947"}')
    check_if_match(request, views.company(tenant.company))
    changed = views.company(ledger.update_company(app.uow(), tenant.orgno, changes))
    response.headers["ETag"] = etag(changed)
    return changed


# -- the agreement ------------------------------------------------------------------------------------------------


def _agreement(view: AgreementView) -> s.AgreementOut:
    a = view.agreement
    return s.AgreementOut(
        active=a.active,
        activated_on=a.activated_on,
        accepted_by=a.accepted_by,
        fields=field_values(a),
        history=[
            s.AgreementChangeOut(field=h.field, old=h.old, new=h.new, by=h.by or "", on=h.on)
            for h in view.history
            if h.on is not None
        ],
    )


@router.get("/companies/{orgno}/agreement", response_model=s.AgreementOut, tags=["agreement"])
def get_agreement(tenant: Reader, app: Krav, response: Response) -> s.AgreementOut:
    """The collection agreement with its change history, and its ETag for a change sent with If-Match."""
    found = _agreement(agreements.show(app.reader(), tenant.orgno))
    response.headers["ETag"] = etag(found)
    return found


@router.patch(
    "/companies/{orgno}/agreement", response_model=s.AgreementOut, tags=["agreement"], responses=problem_responses(412)
)
def change_agreement(
    request: Request, response: Response, body: s.AgreementPatch, tenant: Admin, app: Krav, on: OnQuery = None
) -> s.AgreementOut:
    """Change fields of the agreement; each change is recorded (who, when, old and new). With If-Match, only if
    the agreement is still as read."""
    check_if_match(request, _agreement(agreements.show(app.reader(), tenant.orgno)))
    changes: dict[str, str | None] = {
        key: (None if value is None else ("true" if value is True else "false" if value is False else str(value)))
        for key, value in body.changes.items()
    }
    view = agreements.change(app.uow(), tenant.orgno, changes, by=tenant.who.actor, on=business_date(on))
    changed = _agreement(view)
    response.headers["ETag"] = etag(changed)
    return changed


@router.get("/companies/{orgno}/agreement/terms", tags=["agreement"])
def get_terms(tenant: Reader, app: Krav, on: OnQuery = None) -> dict[str, Any]:
    """The terms and prices of the agreement on a day, with the fingerprint that activation accepts."""
    terms = agreements.terms(app.reader(), tenant.orgno, app.rates, business_date(on))
    return {**terms_content(terms), "fingerprint": f"sha256:{terms.fingerprint}"}


@router.post("/companies/{orgno}/agreement/activate", response_model=s.AgreementOut, tags=["agreement"])
def activate_agreement(body: s.ActivationIn, tenant: Admin, app: Krav) -> s.AgreementOut:
    """Accept the terms shown (by their fingerprint) and activate the agreement from the day given."""
    day = business_date(body.on)
    terms = agreements.terms(app.reader(), tenant.orgno, app.rates, day)
    if body.accepted_terms != f"sha256:{terms.fingerprint}":
        raise Conflict("the terms accepted are not the terms in force on that day; read them again and accept those")
    view = agreements.activate(app.uow(), tenant.orgno, by=tenant.who.actor, on=day, accept_terms=True, rates=app.rates)
    return _agreement(view)


# -- voucher types ------------------------------------------------------------------------------------------------


@router.get("/companies/{orgno}/voucher-types", response_model=list[s.VoucherTypeOut], tags=["ledger"])
def list_voucher_types(tenant: Reader, app: Krav) -> list[s.VoucherTypeOut]:
    return [views.voucher_type(v) for v in queries.voucher_types(app.reader(), tenant.orgno)]


@router.put("/companies/{orgno}/voucher-types/{code}", response_model=s.VoucherTypeOut, tags=["ledger"])
def set_voucher_type(
    code: Annotated[int, Field(ge=1, le=9999)], body: s.VoucherTypeIn, tenant: Admin, app: Krav
) -> s.VoucherTypeOut:
    """Add or change a voucher type and what it means to collection."""
    voucher_type = VoucherType(code, body.name, body.collection_type)
    ledger.set_voucher_type(app.uow(), tenant.orgno, voucher_type)
    return views.voucher_type(voucher_type)


# -- customers ----------------------------------------------------------------------------------------------------


def customer_of(c: s.CustomerIn) -> Customer:
    a = c.address or s.AddressIn()
    return Customer(
        number=c.number,
        name=c.name,
        kind=CustomerKind(c.kind),
        orgno=c.orgno,
        address=Address(a.street, a.postcode, a.city, a.country),
        email=c.email,
        exempt=c.exempt,
        payment_terms_days=c.payment_terms_days,
        language=c.language,
        email_for_letters=c.email_for_letters,
    )


@router.get("/companies/{orgno}/customers", response_model=s.Page[s.CustomerOut], tags=["ledger"])
def list_customers(
    tenant: Reader,
    app: Krav,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> s.Page[s.CustomerOut]:
    found = sorted(ledger.customers(app.reader(), tenant.orgno).values(), key=lambda c: c.number)
    rows, following = views.page(found, cursor, limit)
    return s.Page[s.CustomerOut](items=[views.customer(c) for c in rows], next_cursor=following)


@router.post("/companies/{orgno}/customers", response_model=s.SavedOut, tags=["ledger"])
def save_customers(body: s.CustomersIn, tenant: LedgerWriter, app: Krav) -> s.SavedOut:
    """Create or update customers by number, all or none."""
    done = ledger.save_customers(app.uow(), tenant.orgno, [customer_of(c) for c in body.customers], source="request")
    return s.SavedOut(created=done.created, updated=done.updated, unchanged=done.unchanged)


# -- API clients -------------------------------------------------------------------------------------


@router.get("/companies/{orgno}/api-clients", response_model=list[s.ApiKeyOut], tags=["access"])
def list_api_clients(tenant: Admin, app: Krav) -> list[s.ApiKeyOut]:
    """The keys granted to this company, revoked ones too."""
    return [views.api_key(k, tenant.orgno) for k in access.keys(app.reader(), tenant.orgno)]


@router.post("/companies/{orgno}/api-clients", status_code=201, response_model=s.NewApiKeyOut, tags=["access"])
def grant_api_client(body: s.ApiClientIn, tenant: Admin, app: Krav) -> s.NewApiKeyOut:
    """Grant an ERP integration (or a user's key) access to this company; the key is shown this once."""
    made = access.create_key(
        app.uow(), app.hasher, name=body.name, role=body.role, orgno=tenant.orgno, by=tenant.who.actor, now=now()
    )
    shown = views.api_key(made.key, tenant.orgno)
    return s.NewApiKeyOut(**shown.model_dump(), token=made.token)


@router.delete("/companies/{orgno}/api-clients/{key_id}", status_code=204, tags=["access"])
def revoke_api_client(key_id: s.Id, tenant: Admin, app: Krav) -> Response:
    """Revoke a key of this company: it is refused on its next request."""
    access.revoke_key(app.uow(), key_id, now=now(), company_id=tenant.company_id)
    return Response(status_code=204)


# -- webhooks -----------------------------------------------------------------------------------------------------


@router.get("/companies/{orgno}/webhooks", response_model=list[s.WebhookOut], tags=["webhooks"])
def list_webhooks(tenant: Admin, app: Krav) -> list[s.WebhookOut]:
    """The company's webhooks, disabled ones too."""
    return [views.webhook(w) for w in webhooks.webhooks(app.reader(), tenant.orgno)]


@router.post("/companies/{orgno}/webhooks", status_code=201, response_model=s.NewWebhookOut, tags=["webhooks"])
def register_webhook(body: s.WebhookIn, tenant: Admin, app: Krav) -> s.NewWebhookOut:
    """Register a URL for events of the company's claims (claim.stage_changed, letter.sent, payment.received,
    objection.changed, settlement.issued), from now on. The signing secret is shown this once."""
    made = webhooks.register(
        app.uow(),
        tenant.orgno,
        body.url,
        body.events,
        now=now(),
        allow_plain_http=app.settings.webhooks_allow_http,
    )
    return s.NewWebhookOut(**views.webhook(made.webhook).model_dump(), secret=made.secret)


@router.delete("/companies/{orgno}/webhooks/{webhook_id}", status_code=204, tags=["webhooks"])
def disable_webhook(webhook_id: s.Id, tenant: Admin, app: Krav) -> Response:
    """Stop delivering to a webhook."""
    webhooks.disable(app.uow(), tenant.orgno, webhook_id, now=now())
    return Response(status_code=204)


@router.get(
    "/companies/{orgno}/webhooks/{webhook_id}/deliveries",
    response_model=list[s.WebhookDeliveryOut],
    tags=["webhooks"],
)
def list_webhook_deliveries(webhook_id: s.Id, tenant: Admin, app: Krav) -> list[s.WebhookDeliveryOut]:
    """A webhook's deliveries with their attempts and the last error."""
    return [views.webhook_delivery(d) for d in webhooks.deliveries(app.reader(), tenant.orgno, webhook_id)]
