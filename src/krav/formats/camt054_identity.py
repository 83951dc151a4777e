"""The identity of a camt.054 payment: the bank's transaction, the same in every file that reports it (R-BANK-2).

The rules are those of :mod:`krav.formats.camt054` (its section "Identity"). Every identity starts with the
account credited (spaces removed, upper case; ``-`` when the file names none), the booking date and the
direction (``CRDT`` for a payment, ``RVSL`` for the reversal of one)::

    camt054:16020000000:2025-04-01:CRDT:tx:REF        the transaction's TxDtls/Refs/AcctSvcrRef
    camt054:16020000000:2025-04-01:CRDT:ntry:REF      the entry's AcctSvcrRef (``/n`` for its n-th transaction
                                                      when it has several)
    camt054:16020000000:2025-04-01:CRDT:ref:REF       the entry's NtryRef, likewise
    camt054:16020000000:2025-04-01:CRDT:x:DIGEST#k    no reference at all: the k-th payment in the file with
                                                      the same amount, currency, KID, end-to-end id, payer's
                                                      account and payer's name (DIGEST: 32 hex digits of
                                                      their SHA-256)
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from krav.formats.payments import IncomingPayment

__all__ = ["CompositeKeys", "EntryIdentity"]


def _account(account: str | None) -> str:
    return "".join((account or "").split()).upper() or "-"


@dataclass(frozen=True, slots=True)
class EntryIdentity:
    """What an entry (``Ntry``) gives the identity of each of its payments: the booking date, the direction and
    the entry's own references (``AcctSvcrRef``, ``NtryRef``)."""

    booked: date
    reversal: bool
    servicer_reference: str | None
    entry_reference: str | None

    def prefix(self, account: str | None) -> str:
        """The part every identity of this entry starts with: the account credited, the date and the direction."""
        direction = "RVSL" if self.reversal else "CRDT"
        return f"camt054:{_account(account)}:{self.booked.isoformat()}:{direction}"

    def referenced(self, account: str | None, transaction_reference: str | None, position: int | None) -> str:
        """The identity from the bank's reference of the transaction, else of the entry (with the transaction's
        ``position`` in an entry of several); empty when the bank gives none (then :class:`CompositeKeys`)."""
        if transaction_reference:
            return f"{self.prefix(account)}:tx:{transaction_reference}"
        if self.servicer_reference:
            reference = f"ntry:{self.servicer_reference}"
        elif self.entry_reference:
            reference = f"ref:{self.entry_reference}"
        else:
            return ""
        suffix = f"/{position}" if position is not None else ""
        return f"{self.prefix(account)}:{reference}{suffix}"


class CompositeKeys:
    """Identities for the payments of one file that carry no bank reference: the same content on the same day
    and account, counted in document order. Payments that agree in every field are interchangeable, so the
    count gives the same identities whatever order the entries come in."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def key(self, payment: IncomingPayment, identity: EntryIdentity) -> str:
        parts = (
            str(payment.amount.amount),
            payment.amount.currency,
            payment.kid or "",
            payment.end_to_end_id or "",
            _account(payment.payer_account) if payment.payer_account else "",
            " ".join((payment.payer_name or "").split()),
        )
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
        base = f"{identity.prefix(payment.creditor_account)}:x:{digest}"
        self.seen[base] += 1
        return f"{base}#{self.seen[base]}"
