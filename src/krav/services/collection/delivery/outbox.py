"""The outbox: a delivery job written in the same transaction as the letter, list or settlement it sends
(DESIGN.md "Time and jobs"); the worker (:mod:`krav.services.collection.delivery.worker`) delivers it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from krav.domain.collection.letters import LetterType, Recipient
from krav.domain.party import is_valid_email
from krav.services.ports import Channel, Delivery, DeliveryKind, NewDelivery, StoredLetter, UnitOfWork

#: inkassoloven § 10: the payment demand goes on paper (docs/collection.md "Letters"); the notice of legal
#: collection follows it. The debtor's consent to letters by e-mail (R-SVC-2) does not change this.
ON_PAPER = frozenset({LetterType.PAYMENT_DEMAND, LetterType.LEGAL_NOTICE})


def by_email(kind: LetterType, recipient: Recipient) -> str | None:
    """R-SVC-2: the address a letter of ``kind`` goes to by e-mail: only one the debtor gave for letters, and
    never for a payment demand or a notice of legal collection (:data:`ON_PAPER`); None: on paper."""
    if kind in ON_PAPER or not recipient.email_for_letters or not is_valid_email(recipient.email):
        return None
    return recipient.email


def letter_delivery(letter: StoredLetter, recipient: Recipient) -> NewDelivery:
    """The delivery job of a letter just stored: e-mail to an address the debtor gave for letters, else the print
    batch (:func:`by_email`)."""
    email = by_email(letter.type, recipient)
    return NewDelivery(
        letter.company_id,
        DeliveryKind.LETTER,
        letter.id,
        letter.sent_on,
        Channel.EMAIL if email else Channel.PRINT,
        email,
        f"letter-{letter.id}",
    )


def enqueue_letters(uow: UnitOfWork, letters: Sequence[tuple[StoredLetter, Recipient]]) -> None:
    """The delivery jobs of letters just stored, written in bulk (see :func:`letter_delivery`)."""
    uow.deliveries.enqueue([letter_delivery(letter, recipient) for letter, recipient in letters])


def enqueue_list(uow: UnitOfWork, company_id: int, list_id: int, list_date: date, email: str | None) -> None:
    """R-CLM-4: the Tuesday collection list goes as a PDF by e-mail to the agreement's address."""
    channel = Channel.EMAIL if is_valid_email(email) else Channel.PRINT
    uow.deliveries.enqueue(
        [NewDelivery(company_id, DeliveryKind.COLLECTION_LIST, list_id, list_date, channel, email, f"list-{list_id}")]
    )


def enqueue_settlement(uow: UnitOfWork, company_id: int, settlement_id: int, on: date, email: str | None) -> None:
    """R-BANK-3: the settlement report (PDF and CSV) to the creditor, and the pain.001 remittance file."""
    channel = Channel.EMAIL if is_valid_email(email) else Channel.PRINT
    uow.deliveries.enqueue(
        [
            NewDelivery(
                company_id, DeliveryKind.SETTLEMENT, settlement_id, on, channel, email, f"settlement-{settlement_id}"
            )
        ]
    )


def paper_copy(d: Delivery, on: date, *, claims_held: bool = False) -> NewDelivery:
    """R-SVC-2: a bounce sends the letter on paper: the delivery of ``d``'s letter (or list) in the print batch of
    ``on``; ``claims_held`` when its claims wait for it (a bounce reported after the e-mail had gone)."""
    return NewDelivery(d.company_id, d.kind, d.ref_id, on, Channel.PRINT, None, f"{d.delivery_key}-paper", claims_held)
