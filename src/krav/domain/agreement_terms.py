"""The terms a creditor admin accepts when activating the collection agreement (DOMAIN.md section 10).

What the debtor is charged and when (the fees, the interest, the salær from the dated tables in force on the
day), what the creditor receives and pays, and the agreement's own choices. The terms are shown before they are
accepted, and their fingerprint (:attr:`Terms.fingerprint`) is kept with the acceptance in the agreement's
history, so that it can later be shown which terms were accepted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from krav.domain.agreement import Agreement, DunningFlow, effective_days_before_transfer
from krav.domain.money import Money
from krav.domain.rates import RateTables

#: principal amounts the salær is shown for: one in each of the table's lower brackets and two above
SALAER_EXAMPLES = (
    Decimal("500.00"),
    Decimal("2500.00"),
    Decimal("10000.00"),
    Decimal("50000.00"),
    Decimal("250000.00"),
)


@dataclass(frozen=True, slots=True)
class SalaerExample:
    """The salær a consumer's claim of ``principal`` carries: light at the payment demand, heavy later."""

    principal: Money
    light: Money
    heavy: Money


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms in force on ``on`` for an agreement (amounts from the rate table of that day)."""

    on: date
    inkassosats: Money
    notice_fee: Money
    interest_rate: Decimal
    standard_compensation: Money | None  # claimed from business debtors, when the agreement says so
    salaer: tuple[SalaerExample, ...]
    creditor_vat_registered: bool
    reminder_before_notice: bool
    reminder_deadline_days: int
    days_before_transfer: int
    automatic_collection_list: bool
    client_account: bool
    costs_on_close_invoiced: bool

    @property
    def fingerprint(self) -> str:
        """A SHA-256 of the terms' content: the same terms give the same fingerprint."""
        content = json.dumps(terms_content(self), sort_keys=True, default=str).encode()
        return hashlib.sha256(content).hexdigest()


def terms_content(terms: Terms) -> dict[str, object]:
    """The terms as plain values (amounts as strings with two decimals): what the fingerprint covers."""
    return {
        "on": terms.on.isoformat(),
        "inkassosats": str(terms.inkassosats.amount),
        "notice_fee": str(terms.notice_fee.amount),
        "interest_rate": str(terms.interest_rate),
        "standard_compensation": None if terms.standard_compensation is None else str(terms.standard_compensation),
        "salaer": [[str(s.principal.amount), str(s.light.amount), str(s.heavy.amount)] for s in terms.salaer],
        "creditor_vat_registered": terms.creditor_vat_registered,
        "reminder_before_notice": terms.reminder_before_notice,
        "reminder_deadline_days": terms.reminder_deadline_days,
        "days_before_transfer": terms.days_before_transfer,
        "automatic_collection_list": terms.automatic_collection_list,
        "client_account": terms.client_account,
        "costs_on_close_invoiced": terms.costs_on_close_invoiced,
    }


def agreement_terms(agreement: Agreement, rates: RateTables, on: date, *, creditor_vat_registered: bool) -> Terms:
    """The terms of ``agreement`` on ``on``: what a creditor admin accepts by activating it (section 10)."""
    compensation = rates.standard_compensation(on) if agreement.claim_standard_compensation else None
    salaer = tuple(
        SalaerExample(
            Money.of(p),
            rates.salaer(Money.of(p), on, heavy=False, business=False, creditor_vat_registered=creditor_vat_registered),
            rates.salaer(Money.of(p), on, heavy=True, business=False, creditor_vat_registered=creditor_vat_registered),
        )
        for p in SALAER_EXAMPLES
    )
    return Terms(
        on=on,
        inkassosats=Money.of(rates.inkassosats(on)),
        notice_fee=rates.reminder_fee(on),
        interest_rate=rates.interest_rate(on).rate,
        standard_compensation=compensation,
        salaer=salaer,
        creditor_vat_registered=creditor_vat_registered,
        reminder_before_notice=agreement.reminder_before_notice,
        reminder_deadline_days=agreement.reminder_deadline_days,
        days_before_transfer=effective_days_before_transfer(agreement),
        automatic_collection_list=agreement.automatic_collection_list,
        client_account=agreement.dunning_flow is DunningFlow.CLIENT_ACCOUNT,
        costs_on_close_invoiced=agreement.invoice_inkasso_costs_on_close,
    )
