"""What the collection service says a claim owes on a day: the ledger asks before it splits a direct payment
(R-LED-6), as an ERP asks the service for the outstanding fee and interest of an item."""

from __future__ import annotations

from datetime import date

from krav.domain.collection.interest import interest_outstanding
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.ports import UnitOfWork


def fee_and_interest_on(
    uow: UnitOfWork, company_id: int, collection_id: str, on: date, rates: RateTables
) -> tuple[Money, Money] | None:
    """The claim's outstanding fees and interest as of ``on``, or None when there is no such open claim."""
    claims = uow.collection.claims(company_id, collection_ids=[collection_id])
    if not claims or not claims[0].is_open:
        return None
    claim = claims[0]
    charge = uow.agreements.get(company_id).charge_interest
    return claim.fees_outstanding, interest_outstanding(claim, on, rates, charge_interest=charge)
