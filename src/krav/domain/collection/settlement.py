"""The settlement (oppgjør) as data: what the service remits to a creditor for one bank day (R-BANK-3, R-LED-7).

Per claim: principal, fee and interest collected for the creditor, overpayment kept for refund; the salær is the
service's own income and not remitted, but shown so the creditor sees the whole payment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from krav.domain.collection.letters import Sender
from krav.domain.money import Money

#: VAT on the service's costs invoiced to a creditor (merverdiavgiftsloven § 5-1: the standard rate).
VAT_RATE = Decimal("0.25")


def vat_on(costs: Money) -> Money:
    """The VAT on collection costs invoiced to the creditor (R-LED-7: costs and their VAT)."""
    return costs.times(VAT_RATE)


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
    costs: Money = field(default_factory=Money.zero)  # R-ACT-2: costs invoiced to the creditor (closed in inkasso)

    @property
    def costs_vat(self) -> Money:
        return vat_on(self.costs)

    @property
    def remitted(self) -> Money:
        """What of this claim goes to the creditor: collected for it, less costs invoiced to it with VAT."""
        return self.principal + self.fee + self.interest + self.overpayment - self.costs - self.costs_vat


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
