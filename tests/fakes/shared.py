"""Fakes of what both sides read and write: the message table between them, the agreement and the import log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from krav.domain.agreement import Agreement
from krav.domain.messages import (
    CreditReported,
    Direction,
    DirectPaymentReported,
    LedgerReport,
    Message,
    MessageKind,
    direction_of,
)
from krav.services.ports import (
    AgreementChange,
    ImportRecord,
    PendingMessage,
)
from tests.fakes.store import FakeStore, MessageRow, _now, _refuse_duplicate


class FakeOutbox:
    """The message table between the two sides."""

    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def add(self, company_id: int, message: Message, *, on: date, handled: bool = False) -> None:
        message_id = self.s.new_id("message")
        self.s.messages[message_id] = MessageRow(
            message_id, company_id, direction_of(message.kind), message, on, _now() if handled else None
        )

    def add_many(self, company_id: int, messages: Sequence[Message], *, on: date) -> None:
        for message in messages:
            self.add(company_id, message, on=on)

    def pending(self, kinds: Iterable[MessageKind]) -> list[PendingMessage]:
        """Messages of these kinds not applied yet, of every creditor, in the order they were written."""
        wanted = set(kinds)
        return [
            PendingMessage(m.id, m.company_id, m.message)
            for m in sorted(self.s.messages.values(), key=lambda m: m.id)
            if m.handled_at is None and m.message.kind in wanted
        ]

    def _reports(self, company_id: int) -> list[tuple[MessageRow, LedgerReport]]:
        return [
            (m, m.message)
            for m in sorted(self.s.messages.values(), key=lambda m: m.id)
            if m.company_id == company_id
            and m.direction is Direction.TO_SERVICE
            and isinstance(m.message, DirectPaymentReported | CreditReported)
        ]

    def pending_reports(self, company_id: int, up_to: date) -> list[tuple[int, LedgerReport]]:
        """Direct payments and credits the ledger reported that the service has not applied yet (R-LED-5), by
        the day they count from, then as written."""
        found = [(m, r) for m, r in self._reports(company_id) if m.handled_at is None and m.on <= up_to]
        return [(m.id, r) for m, r in sorted(found, key=lambda pair: (pair[0].on, pair[0].id))]

    def mark_handled(self, message_ids: Iterable[int]) -> None:
        now = _now()
        for message_id in set(message_ids):
            if message_id in self.s.messages:
                self.s.messages[message_id] = replace(self.s.messages[message_id], handled_at=now)

    def reports(self, company_id: int) -> list[LedgerReport]:
        return [r for _, r in self._reports(company_id)]


class FakeAgreements:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def get(self, company_id: int) -> Agreement:
        """The company's agreement; a company that has none yet has the defaults (inactive)."""
        return self.s.agreements.get(company_id, Agreement())

    def save(self, company_id: int, agreement: Agreement) -> None:
        self.s.agreements[company_id] = agreement

    def record_changes(self, company_id: int, changes: list[AgreementChange], *, by: str, on: date) -> None:
        at = _now().isoformat()
        self.s.agreement_changes.setdefault(company_id, []).extend(
            AgreementChange(c.field, c.old, c.new, by, on, at) for c in changes
        )

    def history(self, company_id: int) -> list[AgreementChange]:
        return list(self.s.agreement_changes.get(company_id, []))


class FakeImportLog:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None:
        return self.s.imports.get((company_id, kind, sha256))

    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None:
        key = (company_id, kind, sha256)
        _refuse_duplicate(key in self.s.imports, f"imported file {kind} {sha256}")
        self.s.imports[key] = ImportRecord(kind, sha256, filename, _now().isoformat(), summary)
