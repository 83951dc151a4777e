"""The manual-matching queue with suggestions: each payment that found no letter by itself, with the open claims it
most likely pays, why, and the KID to assign it with (R-CLM-7, R-BANK-1).

The weighing is :mod:`krav.domain.collection.suggestions`; this reads what it needs in a fixed number of queries
however long the queue and however many claims: the queue, the open claims with their letters' KIDs and totals,
the creditors, and each creditor's agreement (whether it charges interest, for the balance on the day paid).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from krav.domain.collection.allocation import owed
from krav.domain.collection.suggestions import ClaimIndex, OpenClaim, PaymentToMatch
from krav.domain.money import Money
from krav.domain.rates import RateTables
from krav.services.ports import ClaimToMatch, ClientPayment, PaymentStatus, UnitOfWork

#: How many claims are suggested for one payment at most.
SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class SuggestedClaim:
    """A claim a payment of the queue may pay: its creditor (organisation number), the claim and its debtor, its
    balance on the day the payment was made, the KID to assign the payment with (``krav payments assign ID --kid
    KID``), and the points and reasons (Norwegian) of the suggestion."""

    creditor: str
    collection_id: str
    invoice_number: str
    debtor_number: str
    debtor_name: str
    balance: Money
    kid: str
    points: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueuedPayment:
    """A payment waiting for a person, with the claims it most likely pays, best first (none when nothing points
    at a claim)."""

    payment: ClientPayment
    suggestions: tuple[SuggestedClaim, ...]


def paid_on(payment: ClientPayment) -> date:
    """The day the payment was made: the day the debtor's bank got the order where the file says (R-CLM-14), else
    the day it was booked."""
    return payment.ordered_on or payment.received_on


def open_claim(match: ClaimToMatch, owed_at_most: Money) -> OpenClaim:
    """What the weighing reads of a claim: its numbers, its debtor, what it owes before interest and at most
    (``owed_at_most``: on the latest day a payment of the queue was made), and its letters."""
    c = match.claim
    return OpenClaim(
        company_id=c.company_id,
        collection_id=c.collection_id,
        invoice_number=c.invoice_number,
        debtor_number=c.debtor.number,
        debtor_name=c.debtor.name,
        principal=c.principal,
        owed_before_interest=c.principal_outstanding + c.fees_outstanding + c.salaer_outstanding,
        owed_at_most=owed_at_most,
        letters=match.letters,
    )


def manual_matching(uow: UnitOfWork, *, rates: RateTables, limit: int = SUGGESTIONS) -> list[QueuedPayment]:
    """The manual-matching queue, each payment with at most ``limit`` claims it most likely pays, best first: by
    its KID one digit off a letter's, its amount, what its message names, and the payer's name (see
    :mod:`krav.domain.collection.suggestions`)."""
    with uow:
        queue = uow.collection.payments(status=PaymentStatus.UNMATCHED)
        if not queue:
            return []
        matches = uow.collection.claims_to_match()
        creditors = {c.id: c.orgno for c in uow.companies.all()}
        interest = {cid: uow.agreements.get(cid).charge_interest for cid in {m.claim.company_id for m in matches}}
    claims = {m.claim.collection_id: m.claim for m in matches}
    latest = max(paid_on(p) for p in queue)  # a balance never falls as days pass: the most a claim owes then
    index = ClaimIndex(
        open_claim(m, owed(m.claim, latest, rates, charge_interest=interest[m.claim.company_id])) for m in matches
    )
    balances: dict[tuple[str, date], Money] = {}

    def balance_on(day: date) -> Callable[[OpenClaim], Money]:
        def balance(claim: OpenClaim) -> Money:
            key = (claim.collection_id, day)
            if key not in balances:
                found = claims[claim.collection_id]
                balances[key] = owed(found, day, rates, charge_interest=interest[found.company_id])
            return balances[key]

        return balance

    queued: list[QueuedPayment] = []
    for payment in queue:
        balance = balance_on(paid_on(payment))
        what = PaymentToMatch(payment.amount, payment.kid, payment.message, payment.payer)
        found = index.suggest(what, balance=balance, limit=limit)
        suggested = tuple(
            SuggestedClaim(
                creditor=creditors[s.claim.company_id],
                collection_id=s.claim.collection_id,
                invoice_number=s.claim.invoice_number,
                debtor_number=s.claim.debtor_number,
                debtor_name=s.claim.debtor_name,
                balance=balance(s.claim),
                kid=s.kid,
                points=s.points,
                reasons=s.reasons,
            )
            for s in found
        )
        queued.append(QueuedPayment(payment, suggested))
    return queued
