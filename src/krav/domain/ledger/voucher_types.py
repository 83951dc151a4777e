"""Voucher types (bilagsarter) and the collection voucher type each carries (R-LED-2).

The collection voucher type decides what the collection service hears about a posting: *payment* and *credit*
postings that settle an item with a collection ID are reported (R-LED-5); *none* is never reported; only items
of an *invoice* type appear in the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CollectionVoucherType(StrEnum):
    """What a voucher type means to the collection service (innfordring-bilagsart)."""

    INVOICE = "invoice"
    PAYMENT = "payment"
    CREDIT = "credit"
    INTEREST_AND_FEES = "interest_and_fees"
    SETTLEMENT = "settlement"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class VoucherType:
    code: int
    name: str
    collection_type: CollectionVoucherType


BANK = 1
WRITE_OFF = 2
OUTGOING_INVOICE = 11
OUTGOING_CREDIT_NOTE = 12
INTEREST = 17
FEE = 18
COLLECTION_SETTLEMENT = 198

#: R-LED-2 defaults; a company may edit them and add its own.
DEFAULT_VOUCHER_TYPES: tuple[VoucherType, ...] = (
    VoucherType(BANK, "Bank", CollectionVoucherType.PAYMENT),
    VoucherType(WRITE_OFF, "Tapsføring / korrigering", CollectionVoucherType.NONE),
    VoucherType(OUTGOING_INVOICE, "Utgående faktura", CollectionVoucherType.INVOICE),
    VoucherType(OUTGOING_CREDIT_NOTE, "Utgående kreditnota", CollectionVoucherType.CREDIT),
    VoucherType(INTEREST, "Renter", CollectionVoucherType.INTEREST_AND_FEES),
    VoucherType(FEE, "Gebyr", CollectionVoucherType.INTEREST_AND_FEES),
    VoucherType(COLLECTION_SETTLEMENT, "Inkassooppgjør", CollectionVoucherType.SETTLEMENT),
)


def appears_in_proposal(collection_type: CollectionVoucherType | None) -> bool:
    """R-LED-2: only items whose voucher type maps to *invoice* appear in the proposal."""
    return collection_type is CollectionVoucherType.INVOICE
