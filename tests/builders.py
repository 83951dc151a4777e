"""Small builders for tests: a company with customers and invoices in a few lines."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from tempfile import mkdtemp
from typing import Any

from krav.adapters.mail import FolderMailer
from krav.adapters.pdf import LetterRenderer
from krav.adapters.ratefile import load_rate_tables
from krav.domain.collection.claims import (
    Balances,
    Claim,
    Compensation,
    Deadlines,
    InkassoCase,
    InterestAccount,
    LettersDue,
    Listing,
    Objection,
    Pause,
    Unsent,
)
from krav.domain.ledger import accounts as acc
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.domain.rates import RateTables
from krav.services import ledger
from krav.services.collection import ServiceFigures
from krav.services.daily_run import DayReport, run_creditor_day
from krav.services.ports import Collaborators, Service, UnitOfWork

ORGNO = "974760673"
RATES = load_rate_tables()
#: The collection service of the tests: a complete identity (R-SVC-1), not marked as a demo; the `krav` command in
#: the tests has it from the settings (tests/conftest.py).
SERVICE = Service(
    name="Krav Inkasso",
    orgno="916000006",
    account="16020000000",
    email="post@krav-inkasso.example",
    phone="22 33 44 55",
    street="Postboks 123 Sentrum",
    postcode="0104",
    city="Oslo",
    iban="NO3916020000000",
    bic="DNBANOKKXXX",
)
FIGURES = ServiceFigures(RATES)


def collaborators(
    rates: RateTables = RATES, service: Service = SERVICE, folder: Path | None = None, *, inbox: bool = False
) -> Collaborators:
    """What the daily run works with in a test: files and mail in ``folder`` (a new temporary one if None)."""
    home = folder or Path(mkdtemp(prefix="krav-test-"))
    return Collaborators(
        rates=rates,
        service=service,
        renderer=LetterRenderer(),
        mailer=FolderMailer(home / "mail"),
        print_dir=home / "print",
        remittance_dir=home / "remittance",
        inbox=home / "inbox" if inbox else None,
    )


def run_day(
    uow: UnitOfWork, orgno: str, day: date, *, rates: RateTables = RATES, service: Service = SERVICE
) -> DayReport:
    """One creditor's business day (its steps, without the inbox and the delivery)."""
    return run_creditor_day(uow, orgno, day, collaborators(rates, service))


def make_company(uow: UnitOfWork, orgno: str = ORGNO, name: str = "Eksempel AS") -> Company:
    return ledger.create_company(uow, Company(orgno=orgno, name=name, bank_account="86011117947"))


def consumer(number: str, name: str = "Ola Nordmann", **kw: object) -> Customer:
    return Customer(
        number=number,
        name=name,
        kind=CustomerKind.CONSUMER,
        address=Address("Storgata 1", "0155", "Oslo"),
        **kw,  # type: ignore[arg-type]
    )


def invoice(number: str, customer: str, amount: str, issued: date, due: date) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vt.OUTGOING_INVOICE,
        date=issued,
        text=f"Faktura {number}",
        lines=(
            VoucherLine(acc.RECEIVABLES, money, customer=customer, item=number, due_date=due),
            VoucherLine(acc.SALES, -money),
        ),
    )


def payment(customer: str, amount: str, on: date, settles: tuple[str, ...] = (), vtype: int = vt.BANK) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vtype,
        date=on,
        text="Innbetaling",
        lines=(
            VoucherLine(acc.BANK, money),
            VoucherLine(acc.RECEIVABLES, -money, customer=customer, settles=settles),
        ),
    )


def credit_note(customer: str, amount: str, on: date, settles: tuple[str, ...] = ()) -> Voucher:
    money = Money.of(amount)
    return Voucher(
        voucher_type=vt.OUTGOING_CREDIT_NOTE,
        date=on,
        text="Kreditnota",
        lines=(
            VoucherLine(acc.SALES, money),
            VoucherLine(acc.RECEIVABLES, -money, customer=customer, settles=settles),
        ),
    )


def post(uow: UnitOfWork, *vouchers: Voucher, orgno: str = ORGNO) -> ledger.PostingResult:
    return ledger.post_batch(uow, orgno, Batch(tuple(vouchers)))


_GROUPS: dict[str, type[Any]] = {
    "balances": Balances,
    "interest": InterestAccount,
    "deadlines": Deadlines,
    "due": LettersDue,
    "listing": Listing,
    "case": InkassoCase,
    "compensation_state": Compensation,
    "pause_state": Pause,
    "objection_state": Objection,
    "unsent_state": Unsent,
}
_WHOLE = ("stage", "closed_reason", "closed_on", "id")


def in_state(claim: Claim, **state: Any) -> Claim:
    """``claim`` as storage would restore it in another state, for unit tests of the rules: ``state`` names
    fields of the claim's groups (``fees_outstanding=...``, ``transfer_on=...``) or its ``stage``,
    ``closed_reason``, ``closed_on``."""
    where = {f.name: name for name, group in _GROUPS.items() for f in fields(group)}
    unknown = sorted(set(state) - set(where) - set(_WHOLE))
    assert not unknown, f"no such claim field: {unknown}"
    groups = {
        name: replace(getattr(claim, name), **{k: v for k, v in state.items() if where.get(k) == name})
        for name in _GROUPS
    }
    return Claim(
        claim.company_id,
        claim.collection_id,
        claim.invoice_number,
        claim.invoice_date,
        claim.due_date,
        claim.principal,
        claim.submitted_on,
        claim.debtor,
        rule_set=claim.rule_set,
        id=state.get("id", claim.id),
        stage=state.get("stage", claim.stage),
        closed_reason=state.get("closed_reason", claim.closed_reason),
        closed_on=state.get("closed_on", claim.closed_on),
        **groups,
    )
