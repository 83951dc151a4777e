"""What the collection service says a claim owes on a day: the ledger asks before it splits a direct payment
(R-LED-6), as an ERP asks the service for the outstanding fee and interest of an item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.collection.interest import interest_outstanding
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ServiceFigures:
    """The service's side of the :class:`krav.services.ports.ClaimFigures` port."""

    rates: RateTables

    def fee_and_interest(
        self, uow: UnitOfWork, company_id: int, collection_id: str, on: date
    ) -> tuple[Money, Money] | None:
        """The claim's outstanding fees and interest as of ``on``, or None when there is no such open claim."""
        claim = uow.collection.claim(company_id, collection_id)
        if claim is None or not claim.is_open:
            return None
        charge = uow.agreements.get(company_id).charge_interest
        return claim.fees_outstanding, interest_outstanding(claim, on, self.rates, charge_interest=charge)
