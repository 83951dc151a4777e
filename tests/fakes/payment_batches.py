"""The fake collection store's bulk methods for payment files: each the one-at-a-time method in turn."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from krav.domain.collection.allocation import Applied
from krav.services.ports import (
    AllocationChannel,
    ClientPayment,
    LetterOfKid,
    PaymentApplication,
    PaymentStatus,
    StoredLetter,
)


class PaymentBatches:
    """Mixed into :class:`tests.fakes.collection.FakeCollection`, which has the one-at-a-time methods."""

    def letter_by_kid(self, kid: str) -> StoredLetter | None:
        raise NotImplementedError

    def payment_by_bank_id(self, bank_id: str) -> ClientPayment | None:
        raise NotImplementedError

    def add_payment(self, payment: ClientPayment) -> int | None:
        raise NotImplementedError

    def add_duplicate(self, payment: ClientPayment, *, first_id: int) -> int | None:
        raise NotImplementedError

    def set_payment_status(
        self,
        payment_id: int,
        status: PaymentStatus,
        *,
        on: date | None = None,
        reason: str | None = None,
        letter: tuple[int, int] | None = None,
    ) -> None:
        raise NotImplementedError

    def add_allocations(
        self,
        company_id: int,
        claim_ids: dict[str, int],
        applied: Sequence[Applied],
        *,
        on: date,
        channel: AllocationChannel,
        payment_id: int | None,
    ) -> None:
        raise NotImplementedError

    def letters_of_kids(self, kids: Iterable[str]) -> dict[str, LetterOfKid]:
        found: dict[str, LetterOfKid] = {}
        for kid in set(kids):
            letter = self.letter_by_kid(kid)
            if letter is not None:
                found[kid] = LetterOfKid(letter.id, letter.company_id, letter.debtor, letter.n, letter.written)
        return found

    def payments_by_bank_id(self, bank_ids: Iterable[str]) -> dict[str, ClientPayment]:
        return {p.bank_id: p for p in map(self.payment_by_bank_id, set(bank_ids)) if p is not None}

    def add_payments(self, payments: Sequence[ClientPayment]) -> list[int | None]:
        return [self.add_payment(p) for p in payments]

    def add_duplicates(self, sightings: Sequence[tuple[ClientPayment, int]]) -> list[int | None]:
        return [self.add_duplicate(p, first_id=first_id) for p, first_id in sightings]

    def record_applied_payments(
        self, company_id: int, applications: Sequence[PaymentApplication], *, applied_on: date
    ) -> None:
        channel = AllocationChannel.CLIENT_ACCOUNT
        for a in applications:
            self.add_allocations(company_id, a.claim_ids, a.applied, on=a.on, channel=channel, payment_id=a.payment_id)
        for a in applications:
            self.set_payment_status(a.payment_id, PaymentStatus.APPLIED, on=applied_on)
