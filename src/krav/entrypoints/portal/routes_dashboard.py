"""The overview: what holds the creditor's claims back, and how the daily run last went."""

from __future__ import annotations

from fastapi import APIRouter, Response

from krav.domain.access import Permission
from krav.entrypoints.portal.web import Reader, render, today
from krav.services import dashboard

router = APIRouter()


@router.get("/c/{orgno}/")
def overview(tenant: Reader) -> Response:
    on = today()
    found = dashboard.dashboard(
        tenant.krav.reader(),
        tenant.orgno,
        on=on,
        rates=tenant.krav.rates,
        service_view=tenant.who.may(Permission.CASE),
    )
    return render(tenant.visit, "dashboard.html", tenant=tenant, board=found, on=on, run_steps=dashboard.RUN_STEPS)
