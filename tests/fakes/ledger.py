"""Fakes of the ledger side's repositories (companies, the ledger, the agreement, the import log) and of the
message table between the two sides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from krav.domain.errors import NotFound
from krav.domain.ledger.accounts import Account
from krav.domain.ledger.matching import Allocation
from krav.domain.ledger.open_items import OpenItem, SettledStatus
from krav.domain.ledger.voucher_types import CollectionVoucherType, VoucherType, appears_in_proposal
from krav.domain.ledger.vouchers import PostedVoucher, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Company, Customer, carry_consent
from krav.domain.validation import Candidate
from krav.services.ports import (
    ItemFilter,
    LedgerChange,
    LikelyValid,
    NewItem,
    PostedBankPayment,
    StoredChain,
)
from tests.fakes.chains import seal_voucher, voucher_chain
from tests.fakes.store import BatchRow, FakeStore, ItemMatchRow, _now, _refuse_duplicate


class FakeCompanies:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    def add(self, company: Company) -> Company:
        _refuse_duplicate(any(c.orgno == company.orgno for c in self.s.companies.values()), f"company {company.orgno}")
        stored = replace(company, id=self.s.new_id("company"))
        assert stored.id is not None
        self.s.companies[stored.id] = stored
        return stored

    def update(self, company: Company) -> Company:
        assert company.id is not None
        current = self.by_id(company.id)
        self.s.companies[company.id] = replace(company, orgno=current.orgno)  # the organisation number stays
        return self.by_id(company.id)

    def find(self, orgno: str) -> Company | None:
        return next((c for c in self.s.companies.values() if c.orgno == orgno), None)

    def get(self, orgno: str) -> Company:
        found = self.find(orgno)
        if found is None:
            raise NotFound(f"no company with organisation number {orgno}; create it with `krav company create`")
        return found

    def by_id(self, company_id: int) -> Company:
        if company_id not in self.s.companies:
            raise NotFound(f"no company with id {company_id}")
        return self.s.companies[company_id]

    def all(self) -> list[Company]:
        return sorted(self.s.companies.values(), key=lambda c: c.orgno)


def _as_read_back(line: VoucherLine) -> VoucherLine:
    """A voucher line as storage returns it: the original amount and the exemption live on the open item."""
    return VoucherLine(
        line.account,
        line.amount,
        line.customer,
        line.item,
        line.settles,
        line.due_date,
        line.kid,
        line.reference,
        line.text,
    )


def _due_order(item: OpenItem) -> tuple[bool, date]:
    """Ascending by due date with the items without one first, as SQLite sorts NULL (PostgreSQL puts them last)."""
    return (item.due_date is not None, item.due_date or date.min)


class FakeLedger:
    def __init__(self, store: FakeStore) -> None:
        self.s = store

    # -- chart and voucher types -----------------------------------------------------------------------------

    def add_accounts(self, company_id: int, accounts: Iterable[Account]) -> None:
        chart = self.s.accounts.setdefault(company_id, {})
        for account in accounts:
            _refuse_duplicate(account.number in chart, f"account {account.number}")
            chart[account.number] = account

    def accounts(self, company_id: int) -> dict[str, Account]:
        return dict(self.s.accounts.get(company_id, {}))

    def save_voucher_type(self, company_id: int, voucher_type: VoucherType) -> None:
        self.s.voucher_types.setdefault(company_id, {})[voucher_type.code] = voucher_type

    def voucher_types(self, company_id: int) -> dict[int, VoucherType]:
        return dict(self.s.voucher_types.get(company_id, {}))

    # -- customers -------------------------------------------------------------------------------------------

    def save_customer(self, company_id: int, customer: Customer) -> str:
        """Insert or update by customer number; returns ``created``, ``updated`` or ``unchanged``."""
        known = self.s.customers.setdefault(company_id, {})
        found = known.get(customer.number)
        customer = replace(customer, email_for_letters=carry_consent(customer, found))
        if found is not None:  # restriction and erasure are not the register's to change (as in the SQL store)
            customer = replace(customer, restricted_on=found.restricted_on, erased_on=found.erased_on)
        if found is None:
            known[customer.number] = replace(customer, id=self.s.new_id("customer"))
            return "created"
        if replace(customer, id=found.id) == found:
            return "unchanged"
        known[customer.number] = replace(customer, id=found.id)
        return "updated"

    def save_customers(self, company_id: int, customers: Sequence[Customer]) -> list[str]:
        return [self.save_customer(company_id, c) for c in customers]

    def customers(self, company_id: int, numbers: Iterable[str] | None = None) -> dict[str, Customer]:
        known = self.s.customers.get(company_id, {})
        wanted = sorted(known) if numbers is None else sorted(set(numbers) & set(known))
        return {number: known[number] for number in wanted}

    def _require_customer(self, company_id: int, number: str) -> None:
        if number not in self.s.customers.get(company_id, {}):
            raise NotFound(f"unknown customer {number!r}")

    # -- numbering -------------------------------------------------------------------------------------------

    def next_number(self, company_id: int, counter: str) -> int:
        return self.s.next_values(company_id, counter, 1)[0]

    def next_numbers(self, company_id: int, counter: str, count: int) -> range:
        return self.s.next_values(company_id, counter, count)

    # -- vouchers --------------------------------------------------------------------------------------------

    def add_batch(self, company_id: int, text: str, source: str) -> int:
        batch_id = self.s.new_id("batch")
        self.s.batches[batch_id] = BatchRow(company_id, text, source, _now())
        return batch_id

    def add_voucher(self, company_id: int, batch_id: int, number: int, voucher: Voucher) -> PostedVoucher:
        posted = self.s.vouchers.setdefault(company_id, {})
        _refuse_duplicate(any(v.number == number for v in posted.values()), f"voucher number {number}")
        for line in voucher.lines:
            if line.customer:
                self._require_customer(company_id, line.customer)
        voucher_id = self.s.new_id("voucher")
        stored = PostedVoucher(
            id=voucher_id,
            number=number,
            voucher_type=voucher.voucher_type,
            date=voucher.date,
            lines=voucher.lines,
            text=voucher.text,
            batch_id=batch_id,
            reverses=voucher.reverses,
        )
        posted[voucher_id] = replace(stored, lines=tuple(_as_read_back(line) for line in voucher.lines))
        seal_voucher(self.s, company_id, posted[voucher_id])
        return stored

    def add_vouchers(
        self, company_id: int, batch_id: int, numbers: Sequence[int], vouchers: Sequence[Voucher]
    ) -> list[PostedVoucher]:
        return [self.add_voucher(company_id, batch_id, n, v) for n, v in zip(numbers, vouchers, strict=True)]

    def voucher_chain(self, company_id: int) -> StoredChain:
        return voucher_chain(self.s, company_id)

    def voucher(self, company_id: int, voucher_id: int) -> PostedVoucher:
        found = self.s.vouchers.get(company_id, {}).get(voucher_id)
        if found is None:
            raise NotFound(f"no voucher with id {voucher_id}")
        return found

    def vouchers(
        self, company_id: int, *, voucher_type: int | None = None, text: str | None = None
    ) -> list[PostedVoucher]:
        return sorted(
            (
                v
                for v in self.s.vouchers.get(company_id, {}).values()
                if (voucher_type is None or v.voucher_type == voucher_type) and (text is None or v.text == text)
            ),
            key=lambda v: v.number,
        )

    # -- open items ------------------------------------------------------------------------------------------

    def add_items(self, company_id: int, items: Sequence[NewItem]) -> list[OpenItem]:
        known = self.s.items.setdefault(company_id, {})
        created: list[OpenItem] = []
        for new in items:
            self._require_customer(company_id, new.customer)
            voucher = self.voucher(company_id, new.voucher_id)
            if not 1 <= new.voucher_line_no <= len(voucher.lines):
                raise NotFound(f"voucher {new.voucher_id} has no line {new.voucher_line_no}")
            if new.amount.is_positive():
                _refuse_duplicate(
                    any(i.number == new.number and i.is_debit for i in known.values()),
                    f"invoice number {new.number}",
                )
            zero = Money.zero(new.amount.currency)
            item = OpenItem(
                id=self.s.new_id("open_item"),
                customer=new.customer,
                number=new.number,
                voucher_type=new.voucher_type,
                amount=new.amount,
                remaining=new.remaining,
                invoice_date=new.invoice_date,
                due_date=new.due_date,
                exempt=new.exempt,
                fee_outstanding=zero,
                interest_outstanding=zero,
                kid=new.kid,
                reference=new.reference,
                voucher_id=new.voucher_id,
            )
            known[item.id] = item
            created.append(item)
        return created

    def _ordered(self, company_id: int) -> list[OpenItem]:
        found = self.s.items.get(company_id, {}).values()
        return sorted(found, key=lambda i: (i.customer, *_due_order(i), i.number, i.id))

    def items(self, company_id: int, where: ItemFilter | None = None) -> list[OpenItem]:
        """Open items as ``where`` narrows them, by customer, due date and number."""
        f = where or ItemFilter()
        customer, open_only, ids, numbers, collection_ids = f.customer, f.open_only, f.ids, f.numbers, f.collection_ids
        rows = [
            i
            for i in self._ordered(company_id)
            if (customer is None or i.customer == customer)
            and not (open_only and i.status is SettledStatus.SETTLED)
            and not (f.debits_only and not i.is_debit)
        ]
        # every key given narrows, as in the SQL adapter
        if collection_ids is not None:
            wanted_cids = set(collection_ids)
            rows = [i for i in rows if i.collection_id in wanted_cids]
        if ids is not None:
            wanted_ids = set(ids)
            rows = [i for i in rows if i.id in wanted_ids]
        if numbers is not None:
            wanted_numbers = set(numbers)
            rows = [i for i in rows if i.number in wanted_numbers]
        return rows

    def existing_invoice_numbers(self, company_id: int, numbers: Iterable[str]) -> set[str]:
        wanted = set(numbers)
        return {i.number for i in self.s.items.get(company_id, {}).values() if i.is_debit and i.number in wanted}

    def candidates(
        self,
        company_id: int,
        *,
        today: date,
        ids: Iterable[int] | None = None,
        customer: str | None = None,
        likely_valid: LikelyValid | None = None,
    ) -> list[Candidate]:
        """Items to validate, with their customer and facts (R-VAL-1, R-VAL-2), selected as the SQL adapter does.

        Without ``ids``: the proposal — every open item not yet submitted that is past due on ``today`` (or has
        no due date), of an *invoice* voucher type or an unmapped one, by due date and number. With ``ids``:
        exactly those items. ``likely_valid`` only narrows; the rules themselves decide.
        """
        items = list(self.s.items.get(company_id, {}).values())
        customers = {c.number: c for c in self.s.customers.get(company_id, {}).values()}
        types = self.s.voucher_types.get(company_id, {})
        # customers with unmatched payments or credit notes
        unmatched = {i.customer for i in items if i.amount.is_negative() and not i.remaining.is_zero()}

        def collection_type(item: OpenItem) -> CollectionVoucherType | None:
            found = types.get(item.voucher_type)
            return found.collection_type if found is not None else None

        def narrowed(item: OpenItem) -> bool:
            if likely_valid is None:
                return True
            return (
                not item.exempt
                and not customers[item.customer].exempt
                and item.amount.is_positive()
                and item.currency == "NOK"
                and item.reminder_count == 0
                and item.reminded_on is None
                and item.due_date is not None
                and item.due_date <= likely_valid.due_by
                and item.remaining.ore >= likely_valid.minimum_ore
                and item.customer not in unmatched
            )

        def in_proposal(item: OpenItem) -> bool:
            kind = collection_type(item)
            return (
                item.status is not SettledStatus.SETTLED
                and item.collection_id is None
                and (item.due_date is None or item.due_date < today)
                and kind in (CollectionVoucherType.INVOICE, None)
            )

        chosen = [i for i in items if (customer is None or i.customer == customer) and narrowed(i)]
        if ids is None:
            chosen = sorted((i for i in chosen if in_proposal(i)), key=lambda i: (*_due_order(i), i.number))
        else:
            wanted = set(ids)
            chosen = sorted((i for i in chosen if i.id in wanted), key=lambda i: i.id)
        return [
            Candidate(
                item=i,
                customer=customers[i.customer],
                voucher_type_mapped=appears_in_proposal(collection_type(i)),
                customer_has_unmatched_entries=i.customer in unmatched,
            )
            for i in chosen
        ]

    def _replace_items(self, company_id: int, changed: Iterable[OpenItem]) -> None:
        known = self.s.items.setdefault(company_id, {})
        for item in changed:
            known[item.id] = item

    def set_collection_ids(self, company_id: int, wanted: Mapping[int, str]) -> set[int]:
        """Mark items submitted with their collection IDs, each only if it is not already (R-VAL-3); returns the
        ids of the items that took theirs."""
        known = self.s.items.get(company_id, {})
        taken = {i.collection_id for items in self.s.items.values() for i in items.values() if i.collection_id}
        took: set[int] = set()
        for item_id, cid in wanted.items():
            item = known.get(item_id)
            if item is None or item.collection_id is not None:
                continue
            _refuse_duplicate(cid in taken, f"collection ID {cid}")
            taken.add(cid)
            known[item_id] = replace(item, collection_id=cid)
            took.add(item_id)
        return took

    def mark_reminded(self, company_id: int, item_ids: Iterable[int], on: date) -> None:
        known = self.s.items.get(company_id, {})
        self._replace_items(
            company_id,
            [
                replace(known[i], reminder_count=known[i].reminder_count + 1, reminded_on=on)
                for i in set(item_ids)
                if i in known
            ],
        )

    def set_item_exempt(self, company_id: int, item_id: int, exempt: bool) -> bool:
        item = self.s.items.get(company_id, {}).get(item_id)
        if item is None:
            return False
        self._replace_items(company_id, [replace(item, exempt=exempt)])
        return True

    def set_item_due_date(self, company_id: int, item_id: int, due_date: date) -> None:
        item = self.s.items.get(company_id, {}).get(item_id)
        if item is None:
            raise NotFound(f"no open item with id {item_id}")
        self._replace_items(company_id, [replace(item, due_date=due_date)])

    def set_customer_exempt(self, company_id: int, number: str, exempt: bool) -> None:
        self._require_customer(company_id, number)
        known = self.s.customers[company_id]
        known[number] = replace(known[number], exempt=exempt)

    def record_change(self, company_id: int, change: LedgerChange) -> None:
        self.s.ledger_changes.setdefault(company_id, []).append(change)

    def changes(self, company_id: int) -> list[LedgerChange]:
        return list(self.s.ledger_changes.get(company_id, []))

    def update_collection_amounts(self, company_id: int, figures: Mapping[str, tuple[Money, Money]]) -> None:
        """R-LED-3: each item's outstanding (fee, interest) by its collection ID."""
        self._replace_items(
            company_id,
            [
                replace(
                    i, fee_outstanding=figures[i.collection_id][0], interest_outstanding=figures[i.collection_id][1]
                )
                for i in self.s.items.get(company_id, {}).values()
                if i.collection_id is not None and i.collection_id in figures
            ],
        )

    def save_remaining(self, company_id: int, items: Iterable[OpenItem]) -> None:
        known = self.s.items.get(company_id, {})
        self._replace_items(company_id, [replace(known[i.id], remaining=i.remaining) for i in items if i.id in known])

    def record_allocations(
        self,
        company_id: int,
        allocations: Iterable[Allocation],
        *,
        method: str,
        on: date,
        voucher_id: int | None,
    ) -> None:
        self.s.item_matches.extend(ItemMatchRow(company_id, a, method, on, voucher_id) for a in allocations)

    def record_posting_allocations(
        self, company_id: int, posted: Sequence[tuple[int, date, Sequence[Allocation]]]
    ) -> None:
        for voucher_id, on, allocations in posted:
            self.record_allocations(company_id, allocations, method="posting", on=on, voucher_id=voucher_id)

    def voucher_number_of_item(self, company_id: int, item_id: int) -> int:
        item = self.s.items.get(company_id, {}).get(item_id)
        if item is None or item.voucher_id is None:
            raise NotFound(f"no open item with id {item_id}")
        return self.voucher(company_id, item.voucher_id).number

    # -- payments of the creditor's own bank files ------------------------------------------------------------

    def posted_bank_payment(self, company_id: int, bank_id: str) -> PostedBankPayment | None:
        return self.s.bank_payments.get((company_id, bank_id))

    def add_posted_bank_payment(self, company_id: int, payment: PostedBankPayment) -> None:
        key = (company_id, payment.bank_id)
        _refuse_duplicate(key in self.s.bank_payments, f"bank payment {payment.bank_id}")
        self.s.bank_payments[key] = payment

    # -- balances --------------------------------------------------------------------------------------------

    def _lines(self, company_id: int) -> list[VoucherLine]:
        return [line for v in self.s.vouchers.get(company_id, {}).values() for line in v.lines]

    def trial_balance(self, company_id: int) -> dict[str, Money]:
        """Per account and currency, the sum of every posted line (``"1500 NOK"``)."""
        totals: dict[tuple[str, str], Money] = {}
        for line in self._lines(company_id):
            key = (line.account, line.amount.currency)
            totals[key] = totals.get(key, Money.zero(line.amount.currency)) + line.amount
        return {f"{account} {currency}": totals[(account, currency)] for account, currency in sorted(totals)}

    def receivables_by_customer(self, company_id: int) -> dict[str, Money]:
        """What the receivables accounts say each customer owes (NOK lines), from the general ledger."""
        chart = self.s.accounts.get(company_id, {})
        totals: dict[str, Money] = {}
        for line in self._lines(company_id):
            account = chart.get(line.account)
            if account is None or not account.receivable or line.customer is None or line.amount.currency != "NOK":
                continue
            totals[line.customer] = totals.get(line.customer, Money.zero()) + line.amount
        return totals

    def subledger_by_customer(self, company_id: int) -> dict[str, Money]:
        """What the open items say each customer owes (NOK): the sum of their remaining amounts."""
        totals: dict[str, Money] = {}
        for item in self.s.items.get(company_id, {}).values():
            if item.currency == "NOK":
                totals[item.customer] = totals.get(item.customer, Money.zero()) + item.remaining
        return totals
