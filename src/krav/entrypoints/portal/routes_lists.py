"""Collection lists (R-CLM-4): each list with its claims, approving or stopping (pausing) each before the
Thursday it moves to inkasso."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Response

from krav.domain.collection.actions import Action
from krav.domain.errors import InputError
from krav.entrypoints.portal.web import Collector, Form, Reader, Tenant, render, today
from krav.services import collection, dashboard, queries

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one claim asked to be approved or stopped, in bokmål and English."""

    invoice: str
    done: bool
    message_nb: str
    message_en: str


@router.get("/c/{orgno}/lists")
def lists(tenant: Reader) -> Response:
    found = queries.collection_lists(tenant.krav.reader(), tenant.orgno)
    return render(tenant.visit, "lists.html", tenant=tenant, lists=list(reversed(found)))


def _list_page(tenant: Tenant, list_id: int, outcome: Outcome | None = None) -> Response:
    found = dashboard.collection_list(tenant.krav.reader(), tenant.orgno, list_id, on=today(), rates=tenant.krav.rates)
    return render(tenant.visit, "list.html", tenant=tenant, found=found, outcome=outcome, on=today())


@router.get("/c/{orgno}/lists/{list_id}")
def collection_list(list_id: int, tenant: Reader) -> Response:
    return _list_page(tenant, list_id)


@router.post("/c/{orgno}/lists/{list_id}/{what}")
def decide(list_id: int, what: str, tenant: Collector, fields: Form) -> Response:
    """Approve one claim of the list for inkasso, or stop it (it is paused and stays out of inkasso)."""
    found = dashboard.collection_list(tenant.krav.reader(), tenant.orgno, list_id, on=today(), rates=tenant.krav.rates)
    invoice = fields.get("invoice", "")
    if invoice not in found.listing.invoices:
        raise InputError(f"invoice: {invoice!r} is not on collection list {list_id}")
    app = tenant.krav
    if what == "approve":
        approved = collection.approve(app.uow(), tenant.orgno, [invoice], on=today(), by=tenant.who.actor)[0]
        why = approved.reason or ""
        outcome = Outcome(invoice, approved.approved, why, why)
    elif what == "stop":
        acted = collection.act(
            app.uow(), tenant.orgno, [invoice], Action.PAUSE, on=today(), by=tenant.who.actor, rates=app.rates
        )[0]
        outcome = Outcome(invoice, acted.accepted, acted.message_nb, acted.message_en)
    else:
        raise InputError(f"{what!r} is not approve or stop")
    return _list_page(tenant, list_id, outcome)
