"""Fees and collection costs: the notice fee (R-CLM-3), salær (R-CLM-5) and B2B compensation (R-CLM-11)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from krav.domain.collection.claims import Claim
from krav.domain.money import Money
from krav.domain.rates import RateTables

#: R-CLM-3: a notice carries a fee only when sent at least this many days after the due date.
MIN_DAYS_AFTER_DUE_FOR_FEE = 14
#: inkassoforskriften § 1-3: at most two fee-bearing letters per claim before the payment demand.
MAX_FEE_LETTERS = 2


def notice_fee(claim: Claim, sent_on: date, rates: RateTables) -> Money:
    """R-CLM-3: the fee of a collection notice that ``claim`` carries, sent on ``sent_on``.

    1/20 of the inkassosats in force that day (1/10 before 2020-10-01), only if sent 14 days or more after the
    due date; at most two fee-bearing letters per claim, and a second only when the debtor missed the first
    one's deadline of at least 14 days.
    """
    if (sent_on - claim.due_date).days < MIN_DAYS_AFTER_DUE_FOR_FEE:
        return Money.zero(claim.currency)
    if claim.fee_letters >= MAX_FEE_LETTERS:
        return Money.zero(claim.currency)
    if claim.fee_letters == 1:
        notice = claim.deadlines
        first_deadline_missed = (
            notice.notice_deadline is not None
            and notice.notice_sent_on is not None
            and (notice.notice_deadline - notice.notice_sent_on).days >= MIN_DAYS_AFTER_DUE_FOR_FEE
            and sent_on > notice.notice_deadline
        )
        if not first_deadline_missed:
            return Money.zero(claim.currency)
    return rates.reminder_fee(sent_on)


def salaer_for_case(
    claims: Sequence[Claim],
    on: date,
    rates: RateTables,
    *,
    heavy: bool,
    business: bool,
    creditor_vat_registered: bool,
) -> Money:
    """R-CLM-5: the salær of one inkasso case, from the table on the combined principal outstanding ``on``.

    Claims of one debtor that go to inkasso together are one case with one salær (inkassoloven § 17), so that
    costs are not multiplied by splitting what is collected together. No salær is charged when the principal has
    been paid (what is left, fees and interest, is no claim to collect costs on: R-CLM-5).
    """
    combined = Money.sum((c.principal_outstanding for c in claims), claims[0].currency if claims else "NOK")
    if combined.is_zero():
        return combined
    return rates.salaer(combined, on, heavy=heavy, business=business, creditor_vat_registered=creditor_vat_registered)


def claim_standard_compensation(claim: Claim, rates: RateTables) -> Money:
    """R-CLM-11: claim the B2B standard compensation (EUR 40 in NOK for the half-year of the due date) once per
    claim, at its collection notice, after that notice's fee is charged.

    Only what exceeds the costs charged so far is added (to the fees), and the rest of it stays as a set-off
    against later fees and salær, so the debtor owes the larger of the compensation and the costs, not both.
    Returns the amount added now.
    """
    if claim.compensation_state.compensation_claimed:
        return Money.zero(claim.currency)
    amount = rates.standard_compensation(claim.due_date)
    top_up = (amount - claim.fees_charged - claim.salaer_charged).max(Money.zero(claim.currency))
    claim.claim_compensation(top_up)
    return top_up


def set_off_against_compensation(claim: Claim, charge: Money) -> Money:
    """R-CLM-11: a later notice fee or salær is reduced by what the compensation added beyond the costs, until
    that is used up. Returns what of ``charge`` is still added."""
    return claim.set_off(charge)
