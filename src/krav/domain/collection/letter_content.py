"""What a letter says about each of its claims: what the claim owes on the letter's date, with the standard
compensation apart from the fees (R-CLM-11) and the interest period by period (R-CLM-16); and, on a paid
confirmation, what the debtor paid and how it was applied (R-CLM-9).

The figures are computed when the letter is drafted and stored with it, so the letter is the same, byte for
byte, whenever it is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from krav.domain.collection.claims import Claim
from krav.domain.collection.interest import interest_outstanding, interest_periods
from krav.domain.collection.letters import LetterLine, PaidOnClaim
from krav.domain.money import Money
from krav.domain.rates import RateTables


def compensation_owed(claim: Claim) -> Money | None:
    """R-CLM-11: of the claim's outstanding fees, the part that is the B2B standard compensation, which a letter
    names "standardkompensasjon, forsinkelsesrenteloven § 3 a" and never a fee; None when none was claimed.

    The compensation is what its claiming added to the fees beyond the costs charged before (the rest of it is
    set off against later fees and salær, so the debtor owes the larger, not both). Money paid on the fees is
    taken to cover the notice fees first, charged before it, and the compensation last; so the compensation
    owed is the smaller of what it added and the fees outstanding.
    """
    charged = claim.compensation_state.compensation_charged
    if not claim.compensation_state.compensation_claimed or not charged.is_positive():
        return None
    return charged.min(claim.fees_outstanding.max(Money.zero(claim.currency)))


def letter_line(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> LetterLine:
    """What ``claim`` owes on the letter of ``on``, the fee or salær that letter charged included: the principal,
    the notice fees and the standard compensation apart (R-CLM-11), the interest with its periods (R-CLM-16),
    the salær.

    The rate printed on the claim's row is the one its interest was computed at, when that is one rate; when
    the interest spans more than one rate, the row has none and the periods say each (R-CLM-16: never simply
    the rate on the letter's date).
    """
    periods = interest_periods(claim, on, rates, charge_interest=charge_interest)
    rates_used = {p.rate for p in periods}
    compensation = compensation_owed(claim)
    fee = claim.fees_outstanding if compensation is None else claim.fees_outstanding - compensation
    return LetterLine(
        collection_id=claim.collection_id,
        invoice_number=claim.invoice_number,
        invoice_date=claim.invoice_date,
        due_date=claim.due_date,
        principal=claim.principal_outstanding,
        fee=fee,
        interest=interest_outstanding(claim, on, rates, charge_interest=charge_interest),
        salaer=claim.salaer_outstanding,
        interest_rate=next(iter(rates_used)) if len(rates_used) == 1 else None,
        interest_from=claim.due_date if periods else None,
        interest_paid_before=claim.interest_paid,
        fees_charged=claim.fees_charged,
        salaer_charged=claim.salaer_charged,
        compensation=compensation,
        interest_periods=periods,
    )


@dataclass(frozen=True, slots=True)
class PaymentApplied:
    """What one payment by the debtor did to one claim (a direct payment the ledger reported, or a payment to the
    client account): the day it was made (the day the debtor's bank got the order where the bank file says,
    R-CLM-14; else the day it was booked), and the parts it covered."""

    on: date
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    overpaid: Money


def paid_on_claim(claim: Claim, payments: Sequence[PaymentApplied]) -> PaidOnClaim | None:
    """R-CLM-9: what the debtor paid on ``claim`` in all, split as it was applied, dated by the last payment;
    None when no payment of the debtor's reached it (credits and costs invoiced to the creditor are no payment).

    The fees paid are split into notice fees and standard compensation as :func:`compensation_owed` splits
    what is owed: the notice fees first, the compensation after (R-CLM-11).
    """
    if not payments:
        return None
    currency = claim.currency
    fees = Money.sum((p.fee for p in payments), currency)
    charged = claim.compensation_state.compensation_charged
    notice_fees = (claim.fees_charged - charged).max(Money.zero(currency))
    compensation = (fees - notice_fees).max(Money.zero(currency)).min(charged)
    return PaidOnClaim(
        on=max(p.on for p in payments),
        principal=Money.sum((p.principal for p in payments), currency),
        fee=fees - compensation,
        compensation=compensation,
        interest=Money.sum((p.interest for p in payments), currency),
        salaer=Money.sum((p.salaer for p in payments), currency),
        overpaid=Money.sum((p.overpaid for p in payments), currency),
    )


def confirmation_line(line: LetterLine, claim: Claim, payments: Sequence[PaymentApplied]) -> LetterLine:
    """R-CLM-9: the claim's line on a paid confirmation: nothing owed, and what was paid and how it was applied."""
    return replace(
        line,
        interest_rate=None,
        interest_from=None,
        compensation=None,
        interest_periods=(),
        paid=paid_on_claim(claim, payments),
    )
