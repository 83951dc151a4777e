"""What a payment or credit covers, to the øre (R-CLM-7, R-CLM-9, R-CLM-10, R-CLM-12, R-CLM-14).

A payment to the client account covers the claims of the letter whose KID it carries, oldest due date first,
each claim's costs (fees, then salær), then interest, then principal (or another order the agreement sets).
Paying at least a letter's total by its deadline settles its claims in full, waiving interest after the
letter's date (R-CLM-12); "by its deadline" is the day the debtor's bank got the order, if the money reached
the client account at most five bank days after the deadline (R-CLM-14), and then the fees and salær charged
after the letter's date are waived too. A direct payment reported by the ledger covers principal, then fees, then interest.
Whatever is left is an overpayment, kept for refund. Every function here returns what it applied, and the
parts always add up to the amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from krav.domain.agreement import AllocationOrder
from krav.domain.calendar import add_bank_days
from krav.domain.collection.claims import Claim, ClosedReason, Stage, letter_order
from krav.domain.collection.interest import close_segment, interest_outstanding
from krav.domain.money import Money
from krav.domain.rates import RateTables


@dataclass(frozen=True, slots=True)
class Applied:
    """What one payment (or credit) did to one claim."""

    collection_id: str
    principal: Money
    fee: Money
    interest: Money
    salaer: Money
    overpaid: Money
    waived_interest: Money
    waived_costs: Money | None = None  # fees and salær charged after a letter paid in time (R-CLM-14)

    @property
    def total(self) -> Money:
        """What of the payment this claim took (the waiver is no money)."""
        return self.principal + self.fee + self.interest + self.salaer + self.overpaid

    @property
    def reached(self) -> bool:
        """Whether the payment did anything to the claim: took money for it, moved some between its parts (interest
        paid beyond a letter's, counted as principal) or waived some of it. A payment spent on the letter's
        earlier claims does not reach the later ones (R-CLM-7)."""
        parts = (self.principal, self.fee, self.interest, self.salaer, self.overpaid, self.waived_interest)
        return any(not p.is_zero() for p in parts) or (
            self.waived_costs is not None and not self.waived_costs.is_zero()
        )


@dataclass(frozen=True, slots=True)
class LetterTerms:
    """What R-CLM-12 needs of the letter a payment refers to."""

    sent_on: date
    deadline: date | None
    total: Money
    interest_by_claim: dict[str, Money]  # the interest each claim pays in all when the letter is paid in full
    # what each claim had been charged by the letter's date (fees, salær): beyond it is waived (R-CLM-14)
    charged_by_claim: dict[str, tuple[Money, Money]] | None = None


#: R-CLM-14: a payment ordered by the deadline counts as in time if it reaches the client account at most this
#: many bank days after the deadline.
BANK_DAYS_IN_TRANSIT = 5


def paid_by_deadline(deadline: date | None, received_on: date, ordered_on: date | None = None) -> bool:
    """R-CLM-14: whether a payment counts as made by ``deadline``: the day the debtor's bank received the order
    (``ordered_on``; else the day it was booked, ``received_on``) is on or before the deadline, and the money
    reached the client account at most five bank days after it. A letter without a deadline is paid in time.

    >>> from datetime import date
    >>> paid_by_deadline(date(2025, 5, 30), date(2025, 6, 3), date(2025, 5, 30))  # ordered Friday, booked Tuesday
    True
    >>> paid_by_deadline(date(2025, 5, 30), date(2025, 6, 3), date(2025, 6, 2))  # ordered after the deadline
    False
    >>> paid_by_deadline(date(2025, 5, 30), date(2025, 6, 3))  # no order date: the booking date counts
    False
    """
    if deadline is None:
        return True
    made_on = received_on if ordered_on is None else min(ordered_on, received_on)
    return made_on <= deadline and received_on <= add_bank_days(deadline, BANK_DAYS_IN_TRANSIT)


def waive_charges_after_letter(claim: Claim, fees_then: Money, salaer_then: Money) -> tuple[Money, Money]:
    """R-CLM-14: a letter paid in time: the fees and salær the claim was charged after the letter's date (beyond
    ``fees_then`` and ``salaer_then``, what it had been charged by then) are not owed, as far as they are still
    outstanding. Returns what was waived (fees, salær)."""
    zero = Money.zero(claim.currency)
    fees = (claim.fees_charged - fees_then).max(zero).min(claim.fees_outstanding)
    salaer = (claim.salaer_charged - salaer_then).max(zero).min(claim.salaer_outstanding)
    if fees.is_positive() or salaer.is_positive():
        claim.waive_charges(fees, salaer)
    return fees, salaer


class _Take:
    """Takes from what is left of a payment."""

    def __init__(self, amount: Money) -> None:
        self.left = amount

    def up_to(self, owed: Money) -> Money:
        taken = self.left.min(owed.max(Money.zero(owed.currency)))
        self.left = self.left - taken
        return taken


def _pay_principal(claim: Claim, taken: Money, on: date, rates: RateTables, charge_interest: bool) -> None:
    """The principal changes: the open interest segment is booked first (R-CLM-6)."""
    if taken.is_zero():
        return
    close_segment(claim, on, rates, charge_interest=charge_interest)
    claim.pay(principal=taken)


def _cover(
    claim: Claim,
    take: _Take,
    on: date,
    rates: RateTables,
    *,
    order: AllocationOrder,
    charge_interest: bool,
    interest_total: Money | None = None,
) -> tuple[Money, Money, Money, Money, Money]:
    """Cover one claim from ``take`` in ``order``; returns (principal, fee, interest, salær, waived interest).

    With ``interest_total`` (R-CLM-12: a letter paid in full by its deadline) the claim pays that much interest
    in all, what it paid before included; interest beyond it is waived, and interest an earlier part payment
    paid beyond it counts as principal instead, so the outcome does not depend on the order payments arrive in.
    """
    zero = Money.zero(claim.currency)
    if interest_total is None and take.left.is_zero():  # the payment is spent: this claim gets nothing of it
        return zero, zero, zero, zero, zero
    moved = zero
    if interest_total is not None and claim.interest_paid > interest_total:
        moved = (claim.interest_paid - interest_total).min(claim.principal_outstanding)
        claim.pay(interest=-moved)
        _pay_principal(claim, moved, on, rates, charge_interest)
    interest_owed = interest_outstanding(claim, on, rates, charge_interest=charge_interest)
    waived = zero
    if interest_total is not None:
        due = (interest_total - claim.interest_paid).max(zero)
        if interest_owed > due:
            waived = interest_owed - due
            interest_owed = due
    fee = salaer = interest = principal = zero
    if order is AllocationOrder.COSTS_INTEREST_PRINCIPAL:
        fee = take.up_to(claim.fees_outstanding)
        salaer = take.up_to(claim.salaer_outstanding)
        interest = take.up_to(interest_owed)
        principal = take.up_to(claim.principal_outstanding)
    else:
        principal = take.up_to(claim.principal_outstanding)
        interest = take.up_to(interest_owed)
        fee = take.up_to(claim.fees_outstanding)
        salaer = take.up_to(claim.salaer_outstanding)
    claim.pay(fee=fee, salaer=salaer, interest=interest)
    _pay_principal(claim, principal, on, rates, charge_interest)
    if not waived.is_zero() and claim.principal_outstanding.is_zero():
        claim.waive_interest(waived)
    else:
        waived = zero
    return principal + moved, fee, interest - moved, salaer, waived


def allocate_client_payment(
    claims: Sequence[Claim],
    amount: Money,
    on: date,
    rates: RateTables,
    *,
    order: AllocationOrder = AllocationOrder.COSTS_INTEREST_PRINCIPAL,
    charge_interest: bool = True,
    letter: LetterTerms | None = None,
    ordered_on: date | None = None,
) -> list[Applied]:
    """R-CLM-7, R-CLM-12 and R-CLM-14: apply a client-account payment to the open claims of its letter, as of
    ``on``, the day it reached the client account.

    When ``letter`` is given, the payment is at least its total and was made by its deadline
    (:func:`paid_by_deadline`, with ``ordered_on``, the day the debtor's bank got the order), the fees and salær
    charged after the letter's date are waived, each claim's interest is capped at what the letter stated and the
    rest is waived, so the claims settle in full. What is left over is the last claim's overpayment.
    """
    if not amount.is_positive():
        raise ValueError(f"a payment must be positive: {amount}")
    ordered = sorted((c for c in claims if c.is_open), key=letter_order)
    settles_letter = letter is not None and amount >= letter.total and paid_by_deadline(letter.deadline, on, ordered_on)
    waived_costs: dict[str, Money] = {}
    if settles_letter and letter is not None and letter.charged_by_claim:
        for claim in ordered:
            then = letter.charged_by_claim.get(claim.collection_id)
            if then is not None:
                fees, salaer = waive_charges_after_letter(claim, *then)
                waived_costs[claim.collection_id] = fees + salaer
    take = _Take(amount)
    applied: list[Applied] = []
    for claim in ordered:
        total = letter.interest_by_claim.get(claim.collection_id) if settles_letter and letter is not None else None
        principal, fee, interest, salaer, waived = _cover(
            claim, take, on, rates, order=order, charge_interest=charge_interest, interest_total=total
        )
        applied.append(
            Applied(
                claim.collection_id,
                principal,
                fee,
                interest,
                salaer,
                Money.zero(amount.currency),
                waived,
                waived_costs.get(claim.collection_id),
            )
        )
    if not take.left.is_zero() and applied:
        last = applied[-1]
        target = next(c for c in ordered if c.collection_id == last.collection_id)
        target.keep_overpayment(take.left)
        applied[-1] = replace(last, overpaid=take.left)
    return applied


def allocate_direct_payment(
    claim: Claim, amount: Money, on: date, rates: RateTables, *, charge_interest: bool = True
) -> Applied:
    """R-CLM-7: a direct payment reported by the ledger covers principal, then fees, then interest; the rest is
    an overpayment (the lines of R-LED-6)."""
    if not amount.is_positive():
        raise ValueError(f"a payment must be positive: {amount}")
    take = _Take(amount)
    principal = take.up_to(claim.principal_outstanding)
    _pay_principal(claim, principal, on, rates, charge_interest)
    fee = take.up_to(claim.fees_outstanding)
    claim.pay(fee=fee)
    interest = take.up_to(interest_outstanding(claim, on, rates, charge_interest=charge_interest))
    claim.pay(interest=interest)
    overpaid = take.left
    claim.keep_overpayment(overpaid)
    zero = Money.zero(amount.currency)
    return Applied(claim.collection_id, principal, fee, interest, zero, overpaid, zero)


def apply_credit(claim: Claim, amount: Money, on: date, rates: RateTables, *, charge_interest: bool = True) -> Applied:
    """R-CLM-10: a credit note reduces the principal; fully credited, the claim closes as credited and nothing
    else is demanded for it (outstanding fees, salær and interest are waived)."""
    if not amount.is_positive():
        raise ValueError(f"a credit must be positive: {amount}")
    credited = amount.min(claim.principal_outstanding)
    _pay_principal(claim, credited, on, rates, charge_interest)
    zero = Money.zero(amount.currency)
    waived = zero
    if claim.principal_outstanding.is_zero() and claim.is_open:
        waived = interest_outstanding(claim, on, rates, charge_interest=charge_interest)
        claim.waive_interest(waived)
        claim.waive_costs()
        claim.close(ClosedReason.CREDITED, on)
    return Applied(claim.collection_id, credited, zero, zero, zero, zero, waived)


def keep_for_refund(claim: Claim, amount: Money) -> Applied:
    """R-CLM-9: a payment to a letter whose claims are all closed already is kept, all of it, for refund; it is
    booked as the claim's overpayment."""
    claim.keep_overpayment(amount)
    zero = Money.zero(amount.currency)
    return Applied(claim.collection_id, zero, zero, zero, zero, amount, zero)


def owed(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> Money:
    """Everything the claim still owes on ``on``."""
    return (
        claim.principal_outstanding
        + claim.fees_outstanding
        + claim.salaer_outstanding
        + interest_outstanding(claim, on, rates, charge_interest=charge_interest)
    )


def settle_if_paid(claim: Claim, on: date, rates: RateTables, *, charge_interest: bool = True) -> bool:
    """R-CLM-9 and R-CLM-8 after money came in: paid in full closes the claim as paid with a confirmation due;
    principal paid with fees or interest left in stage reminder or notice makes an interest note due."""
    if not claim.is_open:
        return False
    # interest outstanding is never below zero: while principal, fees or salær are owed the claim is not paid
    owes_more = (claim.principal_outstanding + claim.fees_outstanding + claim.salaer_outstanding).is_positive()
    if not owes_more and owed(claim, on, rates, charge_interest=charge_interest).is_zero():
        claim.close_paid(on)
        return True
    if (
        claim.principal_outstanding.is_zero()
        and claim.stage in (Stage.NEW, Stage.REMINDER, Stage.NOTICE)
        and claim.deadlines.interest_note_on is None
    ):
        claim.owe_interest_note()
    return False
