"""The settlement (oppgjør) as data: what the service remits to a creditor for one bank day (R-BANK-3, R-LED-7).

Per claim: principal, fee and interest collected for the creditor, overpayment kept for refund; the salær is the
service's own income and not remitted, but shown so the creditor sees the whole payment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krav.domain.collection.letters import Sender
from krav.domain.money import Money


@dataclass(frozen=True, slots=True)
class SettlementReportLine:
    collection_id: str
    invoice_number: str
    debtor_number: str
    debtor_name: str
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    overpayment: Money

    @property
    def remitted(self) -> Money:
        """What of this claim's payments goes to the creditor."""
        return self.principal + self.fee + self.interest + self.overpayment


@dataclass(frozen=True, slots=True)
class SettlementReport:
    creditor: Sender
    service: Sender
    reference: str
    settled_on: date
    to_account: str | None
    lines: tuple[SettlementReportLine, ...]

    @property
    def total(self) -> Money:
        return Money.sum(line.remitted for line in self.lines)
