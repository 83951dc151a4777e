"""A realistic demo creditor: Norwegian customers (consumers and businesses) and a mix of overdue invoices.

Generated deterministically from a seed and the business date, so `make run` shows the same picture each day.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from krav.domain.access import Role
from krav.domain.ledger import accounts as acc
from krav.domain.ledger import voucher_types as vt
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.party import Address, Company, Customer, CustomerKind
from krav.services import agreements, ledger, users
from krav.services.collection.delivery import letter_document
from krav.services.daily_run import BusinessDay, run_days
from krav.services.ports import Collaborators, SecretHasher, Service, UnitOfWork

#: R-SVC-1: the complete identity of a collection service that does not exist, for the demo and the what-ifs
#: (scenarios, simulations); every page of its letters says it is a demo. A real run never uses it.
DEMO_SERVICE = Service(
    name="Krav Inkasso (demo)",
    orgno="916000006",
    account="16020000000",
    email="post@krav-inkasso.example",
    phone="22 00 00 00",
    street="Demoveien 1",
    postcode="0150",
    city="Oslo",
    iban="NO3916020000000",
    bic="DNBANOKKXXX",
    demo=True,
)

DEMO_ORGNO = "921605900"
#: the demo creditor's user of the portal (a creditor admin), made by `krav demo`; its log-in is printed for
#: everyone to use, so the password is nothing secret
DEMO_USER = "demo@fjellbekk-ror.example"
DEMO_PASSWORD = "fjellbekk-demo"  # nosec B105
DEMO_COMPANY = Company(
    orgno=DEMO_ORGNO,
    name="Fjellbekk Rørleggerservice AS",
    bank_account="15037412349",
    vat_registered=True,
    address=Address("Industriveien 14", "2020", "Skedsmokorset"),
    email="regnskap@fjellbekk-ror.example",
    phone="63 87 45 10",
)

_FIRST = [
    "Ola",
    "Kari",
    "Nils",
    "Ingrid",
    "Lars",
    "Sofie",
    "Henrik",
    "Nora",
    "Magnus",
    "Emma",
    "Jonas",
    "Thea",
    "Sindre",
    "Marte",
    "Eirik",
    "Silje",
    "Håkon",
    "Ragnhild",
    "Øystein",
    "Åse",
    "Bjørn",
    "Solveig",
]
_LAST = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Eriksen",
    "Dahl",
    "Lie",
    "Bakken",
    "Sæther",
    "Løken",
    "Strøm",
]
_BUSINESS = [
    "Bygg",
    "Elektro",
    "Transport",
    "Eiendom",
    "Regnskap",
    "Maskin",
    "Tre",
    "Data",
    "Bakeri",
    "Marine",
]
_PLACE = ["Fjord", "Nord", "Vest", "Berg", "Dal", "Lia", "Vik", "Nes", "Sand", "Holm"]
_STREETS = [
    "Storgata",
    "Kirkegata",
    "Parkveien",
    "Skolegata",
    "Sjøgata",
    "Bakkeveien",
    "Granveien",
    "Solbergveien",
    "Elvegata",
    "Torggata",
    "Bjørkeveien",
    "Fjellveien",
]
_PLACES = [
    ("0155", "Oslo"),
    ("0350", "Oslo"),
    ("5003", "Bergen"),
    ("7011", "Trondheim"),
    ("4006", "Stavanger"),
    ("9008", "Tromsø"),
    ("8006", "Bodø"),
    ("2000", "Lillestrøm"),
    ("3015", "Drammen"),
    ("1606", "Fredrikstad"),
    ("4614", "Kristiansand"),
    ("6003", "Ålesund"),
    ("2317", "Hamar"),
    ("3616", "Kongsberg"),
]
_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def _orgno(rng: random.Random) -> str:
    """A random organisation number that passes MOD11 (first digit 8 or 9, as Brønnøysund issues them)."""
    while True:
        digits = [rng.choice((8, 9))] + [rng.randrange(10) for _ in range(7)]
        check = 11 - sum(d * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
        if check == 10:
            continue
        return "".join(map(str, digits)) + str(0 if check == 11 else check)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    orgno: str
    customers: int
    invoices: int
    payments: int


def _customers(rng: random.Random, count: int) -> list[Customer]:
    customers: list[Customer] = []
    for n in range(count):
        number = str(10001 + n)
        postcode, city = rng.choice(_PLACES)
        street = f"{rng.choice(_STREETS)} {rng.randint(1, 120)}"
        if n % 4 == 3:
            name = f"{rng.choice(_PLACE)} {rng.choice(_BUSINESS)} AS"
            kind, orgno = CustomerKind.BUSINESS, _orgno(rng)
            email = f"faktura@{name.removesuffix(' AS').replace(' ', '').lower()}.example"
        else:
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            name, kind, orgno = f"{first} {last}", CustomerKind.CONSUMER, None
            email = f"{first.lower()}.{last.lower()}@example.no".replace("ø", "o").replace("å", "a").replace("æ", "ae")
            if rng.random() < 0.4:
                email = None
        address = Address(street, postcode, city)
        if n == 7:  # a customer whose postcode is missing: the proposal will say so
            address = Address(street, None, city)
        customers.append(
            Customer(
                number=number,
                name=name,
                kind=kind,
                orgno=orgno,
                address=address,
                email=email,
                exempt=(n == 11),
                payment_terms_days=14 if kind is CustomerKind.CONSUMER else 30,
                # R-SVC-2: some gave their address for letters (e-mailed), the others get theirs on paper
                email_for_letters=email is not None and n % 2 == 0,
            )
        )
    return customers


def load_demo(uow: UnitOfWork, *, today: date, seed: int = 2025, customers: int = 24) -> DemoSummary:
    """Create the demo creditor with customers, invoices from the last 90 days and some payments."""
    rng = random.Random(seed)
    ledger.create_company(uow, DEMO_COMPANY)
    people = _customers(rng, customers)
    ledger.save_customers(uow, DEMO_ORGNO, people)

    drafts: list[tuple[date, Customer, Money]] = []
    for customer in people:
        for _ in range(rng.randint(1, 4)):
            issued = today - timedelta(days=rng.randint(5, 95))
            drafts.append((issued, customer, Money.of(Decimal(rng.randint(15_000, 2_500_000)) / 100)))
    drafts.sort(key=lambda d: (d[0], d[1].number))
    vouchers: list[Voucher] = []
    invoices: list[tuple[str, str, Money, date]] = []
    for n, (issued, customer, amount) in enumerate(drafts):
        number = str(issued.year * 10000 + n + 1)
        due = issued + timedelta(days=customer.payment_terms_days or 14)
        vouchers.append(
            Voucher(
                voucher_type=vt.OUTGOING_INVOICE,
                date=issued,
                text=f"Faktura {number} rørleggerarbeid",
                lines=(
                    VoucherLine(acc.RECEIVABLES, amount, customer=customer.number, item=number, due_date=due),
                    VoucherLine(acc.SALES, -amount, text="Rørleggerarbeid"),
                ),
            )
        )
        invoices.append((number, customer.number, amount, due))
    ledger.post_batch(uow, DEMO_ORGNO, Batch(tuple(vouchers), text="Utgående fakturaer (demo)", source="demo"))

    payments: list[Voucher] = []
    for number, customer_no, amount, due in invoices:
        roll = rng.random()
        paid_on = due - timedelta(days=rng.randint(0, 5))
        if roll < 0.30 and paid_on <= today:
            paid = amount
        elif roll < 0.40 and paid_on <= today:
            paid = amount.allocate([1, 1])[0]
        else:
            continue
        payments.append(
            Voucher(
                voucher_type=vt.BANK,
                date=paid_on,
                text=f"Innbetaling faktura {number}",
                lines=(
                    VoucherLine(acc.BANK, paid),
                    VoucherLine(acc.RECEIVABLES, -paid, customer=customer_no, settles=(number,)),
                ),
            )
        )
    payments.sort(key=lambda v: v.date)
    if payments:
        ledger.post_batch(uow, DEMO_ORGNO, Batch(tuple(payments), text="Innbetalinger (demo)", source="demo"))
    return DemoSummary(DEMO_ORGNO, len(people), len(invoices), len(payments))


def debtor_payments_file(uow: UnitOfWork, on: date, *, account: str, seed: int = 7) -> bytes | None:
    """A camt.054 file of the client account with the demo debtors who pay on ``on``: some pay a letter sent five
    days before in full, a few pay part of it. Deterministic for a date."""
    from datetime import UTC, time

    from krav.formats.camt054_writer import Credit, build_camt054

    rng = random.Random(seed * 100_000 + on.toordinal())
    with uow:
        company = uow.companies.find(DEMO_ORGNO)
        if company is None or company.id is None:
            return None
        letters = [lt for lt in uow.collection.letters(company.id) if lt.kid and lt.sent_on == on - timedelta(days=5)]
    credits = []
    for letter in letters:
        roll = rng.random()
        if roll < 0.25:
            amount = letter.total
        elif roll < 0.32:
            amount = letter.total.allocate([1, 2])[0]
        else:
            continue
        assert letter.kid is not None
        credits.append(Credit(f"DEMO{letter.id:06d}", amount, on, kid=letter.kid, payer_name=f"kunde {letter.debtor}"))
    if not credits:
        return None
    return build_camt054(
        account, credits, message_id=f"DEMO-{on:%Y%m%d}", created=datetime.combine(on, time(6), tzinfo=UTC)
    )


def run_demo(
    uow: UnitOfWork,
    collab: Collaborators,
    *,
    today: date,
    days: int = 45,
    after_day: Callable[[BusinessDay], None] | None = None,
) -> DemoSummary | None:
    """Load the demo creditor (once) and run the last ``days`` days of collection up to ``today`` through the
    daily run, the demo debtors' payments arriving in the inbox as camt.054 files. None when the demo creditor
    exists already (nothing is run again)."""
    with uow:
        if uow.companies.find(DEMO_ORGNO) is not None:
            return None
    summary = load_demo(uow, today=today)
    start = today - timedelta(days=days)
    agreements.change(
        uow,
        DEMO_ORGNO,
        {"collection_list_email": "inkassoliste@fjellbekk-ror.example", "reminder_before_notice": "true"},
        by="demo",
        on=start,
    )
    agreements.activate(uow, DEMO_ORGNO, by="demo", on=start, accept_terms=True)
    inbox = collab.inbox

    def payments_arrive(on: date) -> None:
        paid = debtor_payments_file(uow, on, account=collab.service.account)
        if paid is not None and inbox is not None:
            inbox.mkdir(parents=True, exist_ok=True)
            (inbox / f"demo-camt054-{on}.xml").write_bytes(paid)

    run_days(uow, start, today, collab, company=DEMO_ORGNO, before_day=payments_arrive, after_day=after_day)
    return summary


def demo_user(uow: UnitOfWork, hasher: SecretHasher, *, now: datetime) -> bool:
    """The demo creditor's portal user (:data:`DEMO_USER`, a creditor admin), made once; False when it exists."""
    with uow:
        if uow.access.user_by_email(DEMO_USER) is not None:
            return False
    made = users.create_user(
        uow, hasher, email=DEMO_USER, name="Demo (Fjellbekk)", password=DEMO_PASSWORD, by="demo", now=now
    )
    users.grant(uow, made.email, Role.CREDITOR_ADMIN, DEMO_ORGNO, by="demo", now=now)
    return True


def export_letters(uow: UnitOfWork, collab: Collaborators, folder: Path) -> int:
    """Write the PDF of every demo letter into ``folder`` (the archived bytes); returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    with uow:
        company = uow.companies.get(DEMO_ORGNO)
        assert company.id is not None
        stored = uow.collection.letters(company.id)
        for letter in stored:
            doc = letter_document(uow, company, letter, collab.service, collab.renderer)
            (folder / doc.filename).write_bytes(doc.content)
        uow.commit()
    return len(stored)
