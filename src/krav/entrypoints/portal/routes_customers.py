"""A customer of the creditor: the address and e-mail its letters go to, changed here to fix what holds its items
back (an address without a postcode, say), with the proposal's reasons for its items shown before and after."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Response

from krav.domain.access import Permission
from krav.domain.errors import InputError, NotFound
from krav.domain.party import Address, Customer
from krav.entrypoints.portal.web import Form, LedgerWriter, Reader, Tenant, render, today
from krav.services import ledger
from krav.services.ledger import submission

router = APIRouter()


def _customer(tenant: Tenant, number: str) -> Customer:
    found = ledger.customers(tenant.krav.reader(), tenant.orgno).get(number)
    if found is None:
        raise NotFound(f"no customer {number}")
    return found


def _page(
    tenant: Tenant, customer: Customer, *, saved: bool = False, error: str | None = None, status: int = 200
) -> Response:
    rows = submission.proposal(tenant.krav.reader(), tenant.orgno, today=today(), customer=customer.number)
    return render(
        tenant.visit,
        "customer.html",
        tenant=tenant,
        customer=customer,
        rows=rows,
        saved=saved,
        error=error,
        status=status,
        may_change=tenant.who.may(Permission.LEDGER),
    )


@router.get("/c/{orgno}/customers/{number}")
def customer(number: str, tenant: Reader) -> Response:
    return _page(tenant, _customer(tenant, number))


@router.post("/c/{orgno}/customers/{number}")
def change_customer(number: str, tenant: LedgerWriter, fields: Form) -> Response:
    """Save the customer's address and e-mail; an empty field is left empty."""
    found = _customer(tenant, number)

    def given(name: str) -> str | None:
        return fields.get(name, "").strip() or None

    changed = replace(
        found,
        address=Address(given("street"), given("postcode"), given("city"), found.address.country),
        email=given("email"),
    )
    try:
        ledger.save_customers(tenant.krav.uow(), tenant.orgno, [changed], source="portal")
    except InputError as error:  # what was wrong and where, beside the form as it was typed
        return _page(tenant, changed, error=str(error), status=422)
    return _page(tenant, _customer(tenant, number), saved=True)
