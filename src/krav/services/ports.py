"""The ports the services need: repositories and the unit of work. Adapters implement them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any, Protocol, Self

from krav.domain.agreement import Agreement
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem
from krav.domain.ledger.voucher_types import VoucherType
from krav.domain.ledger.vouchers import PostedVoucher, Voucher
from krav.domain.messages import LedgerReport
from krav.domain.money import Money
from krav.domain.party import Company, Customer


@dataclass(frozen=True, slots=True)
class NewItem:
    """An open item to create from a posted receivables line."""

    customer: str
    number: str
    voucher_type: int
    amount: Money
    remaining: Money
    invoice_date: date
    due_date: date | None
    voucher_id: int
    voucher_line_no: int
    kid: str | None = None
    reference: str | None = None
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class ImportRecord:
    kind: str
    sha256: str
    filename: str
    imported_on: str
    summary: str


@dataclass(frozen=True, slots=True)
class AgreementChange:
    """One field of the agreement changed: who, when, old → new."""

    field: str
    old: str | None
    new: str | None
    by: str = ""
    on: date | None = None
    at: str | None = None


class CompanyRepository(Protocol):
    def add(self, company: Company) -> Company: ...
    def find(self, orgno: str) -> Company | None: ...
    def get(self, orgno: str) -> Company: ...
    def all(self) -> list[Company]: ...


class LedgerRepository(Protocol):
    # chart and voucher types
    def add_accounts(self, company_id: int, accounts: Iterable[Account]) -> None: ...
    def accounts(self, company_id: int) -> dict[str, Account]: ...
    def save_voucher_type(self, company_id: int, voucher_type: VoucherType) -> None: ...
    def voucher_types(self, company_id: int) -> dict[int, VoucherType]: ...

    # customers
    def save_customer(self, company_id: int, customer: Customer) -> str: ...
    def customers(self, company_id: int, numbers: Iterable[str] | None = None) -> dict[str, Customer]: ...

    # vouchers and items
    def next_number(self, company_id: int, counter: str) -> int: ...
    def add_batch(self, company_id: int, text: str, source: str) -> int: ...
    def add_voucher(self, company_id: int, batch_id: int, number: int, voucher: Voucher) -> PostedVoucher: ...
    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher: ...
    def vouchers(self, company_id: int) -> list[PostedVoucher]: ...
    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]: ...
    def items(
        self,
        company_id: int,
        *,
        ids: Iterable[int] | None = None,
        numbers: Iterable[str] | None = None,
        customer: str | None = None,
        open_only: bool = False,
    ) -> list[OpenItem]: ...
    def existing_invoice_numbers(self, company_id: int, numbers: Iterable[str]) -> set[str]: ...
    def save_remaining(self, company_id: int, items: Iterable[OpenItem]) -> None: ...
    def record_allocations(
        self,
        company_id: int,
        allocations: Iterable[Allocation],
        *,
        method: str,
        on: date,
        voucher_id: int | None,
    ) -> None: ...
    def voucher_number_of_item(self, company_id: int, item_id: int) -> int: ...
    def trial_balance(self, company_id: int) -> dict[str, Money]: ...
    def receivables_by_customer(self, company_id: int) -> dict[str, Money]: ...
    def subledger_by_customer(self, company_id: int) -> dict[str, Money]: ...


class MessageOutbox(Protocol):
    def add_reports(self, company_id: int, reports: Iterable[LedgerReport]) -> None: ...
    def reports(self, company_id: int) -> list[LedgerReport]: ...
    def add(self, company_id: int, message: Any, *, direction: str, on: date, handled: bool) -> None: ...


class AgreementRepository(Protocol):
    def get(self, company_id: int) -> Agreement: ...
    def save(self, company_id: int, agreement: Agreement) -> None: ...
    def record_changes(self, company_id: int, changes: list[AgreementChange], *, by: str, on: date) -> None: ...
    def history(self, company_id: int) -> list[AgreementChange]: ...


class ImportLog(Protocol):
    def find(self, company_id: int, kind: str, sha256: str) -> ImportRecord | None: ...
    def record(self, company_id: int, kind: str, sha256: str, filename: str, summary: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: everything a use case writes is committed together, or nothing is."""

    @property
    def companies(self) -> CompanyRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def outbox(self) -> MessageOutbox: ...
    @property
    def imports(self) -> ImportLog: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
