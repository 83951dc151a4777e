"""Read-side views for the CLI, the API and the portal: no face touches a repository.

Each query opens its own unit of work, reads, and returns typed views; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.interest import interest_accrued, interest_outstanding
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.ports import ClaimFilter, UnitOfWork, company_id


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claim with its interest worked out as of the day asked."""

    claim: Claim
    interest_accrued: Money
    interest_outstanding: Money


def claims_view(
    uow: UnitOfWork, orgno: str, *, on: date, rates: RateTables, stage: Stage | None = None
) -> list[ClaimView]:
    """A creditor's claims (in one stage, or all) with their interest as of ``on``."""
    with uow:
        cid = company_id(uow, orgno)
        charge = uow.agreements.get(cid).charge_interest
        claims = uow.collection.claims(cid, ClaimFilter(stage=stage))
    return [
        ClaimView(
            c,
            interest_accrued(c, on, rates, charge_interest=charge),
            interest_outstanding(c, on, rates, charge_interest=charge),
        )
        for c in claims
    ]
