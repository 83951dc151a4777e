"""The outbox against a real SMTP server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL (DESIGN.md "Time and
jobs", docs/collection.md "Letters", R-CLM-4, inkassoloven § 10).

The timeline (one creditor, automatic list, no reminder before the notice): debtor 10001 (Ola, with e-mail) owes
1001, 1000.00; debtor 20001 (Kari, without e-mail) owes 2001, 800.00; both issued 28 February and due 14 March
2025. Notices go out on Friday 28 March (deadline 11 April): Ola's by e-mail, Kari's in the day's print batch.
Both are listed on Tuesday 15 April (the list is e-mailed to the agreement's address); Thursday 17 April is
Maundy Thursday, so both go to inkasso on Tuesday 22 April, with payment demands on paper.
"""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import io
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader
from sqlalchemy.engine import Engine

from krav.adapters.mail import SmtpMailer
from krav.adapters.pdf import LetterRenderer
from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.letters import Letter, LetterType
from krav.domain.errors import FieldError
from krav.services import ledger
from krav.services.collection import delivery
from krav.services.ports import Delivery, Document, Mailer, OutgoingMail, StoredLetter
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post, run_day

RATES = load_rate_tables()
LIST_EMAIL = "inkassoliste@eksempel.example"
OLA = "ola@example.no"
START = date(2025, 3, 14)
NOTICE_DAY = date(2025, 3, 28)
LIST_DAY = date(2025, 4, 15)
INKASSO_DAY = date(2025, 4, 22)


# -- a real SMTP server ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message accepted; refuses the recipients in ``refuse`` with a 550 (a 450
    with ``temporary``)."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    temporary: bool = False  # refuse with a 450 (try again later) instead of a 550

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            if self.temporary:
                return f"450 4.2.1 <{address}>: mailbox busy, try again later"
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpServer:
    """An SMTP server on a fixed port of 127.0.0.1 that can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return self.inbox.received

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def mailer(self) -> SmtpMailer:
        return SmtpMailer("127.0.0.1", self.port, timeout=5)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- the creditor, its debtors and the days --------------------------------------------------------------------------


class World:
    def __init__(self, engine: Engine, tmp_path: Path) -> None:
        self.uow = unit_of_work(engine)
        self.print_dir = tmp_path / "print"
        self.renderer = LetterRenderer()
        self.next_day = START
        make_company(self.uow)
        ola = consumer("10001", email=OLA, email_for_letters=True)  # Ola gave his address for letters (R-SVC-2)
        ledger.save_customers(self.uow, ORGNO, [ola, consumer("20001", "Kari Nordmann")])
        issued, due = date(2025, 2, 28), date(2025, 3, 14)
        post(
            self.uow,
            invoice("1001", "10001", "1000.00", issued, due),
            invoice("2001", "20001", "800.00", issued, due),
        )
        with self.uow:
            company = self.uow.companies.get(ORGNO)
            assert company.id is not None
            self.company_id = company.id
            agreement = Agreement(active=True, activated_on=START, accepted_by="test", collection_list_email=LIST_EMAIL)
            self.uow.agreements.save(company.id, agreement)
            self.uow.commit()

    def run_until(self, last: date) -> None:
        while self.next_day <= last:
            run_day(self.uow, ORGNO, self.next_day, rates=RATES, service=SERVICE)
            self.next_day += timedelta(days=1)

    def deliver(self, mailer: Mailer, **kw: Any) -> delivery.OutboxReport:
        """The worker on the last day run (unless ``on`` says another)."""
        kw.setdefault("on", self.next_day - timedelta(days=1))
        return delivery.deliver(
            self.uow, renderer=self.renderer, mailer=mailer, print_dir=self.print_dir, service=SERVICE, **kw
        )

    def letters(self, debtor: str | None = None) -> list[StoredLetter]:
        with self.uow:
            return self.uow.collection.letters(self.company_id, debtor=debtor)

    def letter(self, debtor: str, kind: LetterType) -> StoredLetter:
        found = [lt for lt in self.letters(debtor) if lt.type is kind]
        assert len(found) == 1, found
        return found[0]

    def deliveries(self) -> dict[str, Delivery]:
        with self.uow:
            return {d.delivery_key: d for d in self.uow.deliveries.deliveries()}

    def document(self, kind: str, ref: object) -> Document:
        with self.uow:
            doc = self.uow.deliveries.document(self.company_id, kind, str(ref))
        assert doc is not None, (kind, ref)
        return doc

    def status(self) -> dict[str, int]:
        return delivery.status(self.uow)

    def batch_folder(self, day: date) -> Path:
        return self.print_dir / ORGNO / day.isoformat()


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return World(engine, tmp_path)


@pytest.fixture
def sqlite_world(sqlite_engine: Engine, tmp_path: Path) -> World:
    return World(sqlite_engine, tmp_path)


def text_of(document: bytes) -> str:
    reader = PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    found = []
    for part in message.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_content()
        assert isinstance(payload, bytes)
        found.append((part.get_filename() or "", payload))
    return found


def body_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert isinstance(text, str)
    return text


def manifest(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter=";"))


def batches(folder: Path) -> list[Path]:
    return sorted(folder.glob("utskrift-*.pdf"))


# -- e-mail and print ------------------------------------------------------------------------------------------------


def test_a_notice_is_emailed_with_its_archived_pdf_and_a_debtor_without_email_is_printed(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(NOTICE_DAY)
    ola, kari = world.letter("10001", LetterType.NOTICE), world.letter("20001", LetterType.NOTICE)
    assert world.status() == {"pending": 2}

    report = world.deliver(smtp.mailer())

    assert (report.sent, report.printed, report.failed, report.uncertain, report.errors) == (1, 1, 0, 0, [])
    assert len(smtp.received) == 1
    received = smtp.received[0]
    assert received.mail_from == "post@krav-inkasso.example"
    assert received.rcpt_tos == [OLA]
    message = received.message
    assert message["From"] == "Krav Inkasso <post@krav-inkasso.example>"
    assert message["To"] == OLA
    assert "Inkassovarsel" in message["Subject"]
    assert "Eksempel AS" in message["Subject"]
    assert message["Message-ID"] == f"<letter-{ola.id}@krav>"
    assert message["Date"]

    # the attachment is the archived document, byte for byte
    [(filename, content)] = pdf_attachments(message)
    assert filename == "10001-1-notice.pdf"
    archived = world.document("letter", ola.id)
    assert content == archived.content
    assert hashlib.sha256(content).hexdigest() == archived.sha256
    assert "Inkassovarsel" in text_of(content)
    assert "Ola Nordmann" in text_of(content)

    # the text says what to pay, where, with which KID, by when
    assert ola.kid is not None
    assert ola.deadline == date(2025, 4, 11)
    body = body_of(message)
    assert "1 039,79" in body  # 1000.00 + 35.00 fee + 4.79 interest (14 to 28 March at 12.5 %)
    assert f"KID {ola.kid}" in body
    assert "11.04.2025" in body
    assert "1602.00.00000" in body  # the account as the letter prints it

    # Kari has no address: the day's print batch, with its manifest
    folder = world.batch_folder(NOTICE_DAY)
    [batch] = batches(folder)
    assert batch.name.startswith(f"utskrift-{ORGNO}-{NOTICE_DAY.isoformat()}-")
    text = text_of(batch.read_bytes())
    assert "Kari Nordmann" in text
    assert "Inkassovarsel" in text
    assert "Ola Nordmann" not in text  # e-mailed, not printed
    assert len(PdfReader(batch).pages) == 1
    [row] = manifest(batch.with_suffix(".csv"))
    assert kari.kid is not None
    assert kari.deadline is not None
    assert row == {
        "page_order": "1",
        "letter_id": str(kari.id),
        "debtor": "20001",
        "n": "1",
        "type": "notice",
        "name": "Kari Nordmann",
        "street": "Storgata 1",
        "postcode": "0155",
        "city": "Oslo",
        "country": "NO",
        "total": "838,84",  # 800.00 + 35.00 + 3.84
        "kid": kari.kid,
        "deadline": "2025-04-11",
    }
    # the printed letter is archived too, and the batch as printed
    assert (
        world.document("letter", kari.id).sha256
        == hashlib.sha256(world.document("letter", kari.id).content).hexdigest()
    )
    with world.uow:
        [printed] = world.uow.deliveries.documents(world.company_id, "print_batch")
    assert printed.content == batch.read_bytes()

    deliveries = world.deliveries()
    assert deliveries[f"letter-{ola.id}"].channel == "email"
    assert deliveries[f"letter-{ola.id}"].address == OLA
    assert deliveries[f"letter-{kari.id}"].channel == "print"
    assert all(d.status == "sent" and d.attempts == 1 and d.sent_at is not None for d in deliveries.values())
    assert world.status() == {"sent": 2}

    # a second run of the worker sends nothing more
    files = sorted(p.name for p in folder.iterdir())
    again = world.deliver(smtp.mailer())
    assert (again.sent, again.printed, again.failed, again.uncertain) == (0, 0, 0, 0)
    assert len(smtp.received) == 1
    assert sorted(p.name for p in folder.iterdir()) == files
    assert world.deliveries() == deliveries


def test_payment_demands_go_on_paper_even_to_a_debtor_with_email_inkassoloven_section_10(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(INKASSO_DAY)
    demand = world.letter("10001", LetterType.PAYMENT_DEMAND)
    kari_demand = world.letter("20001", LetterType.PAYMENT_DEMAND)
    assert demand.sent_on == INKASSO_DAY

    world.deliver(smtp.mailer())

    # Ola got his notice by e-mail, the demand only on paper
    to_ola = smtp.to(OLA)
    assert [r.message["Message-ID"] for r in to_ola] == [f"<letter-{world.letter('10001', LetterType.NOTICE).id}@krav>"]
    d = world.deliveries()[f"letter-{demand.id}"]
    assert (d.channel, d.address, d.status) == ("print", None, "sent")
    [batch] = batches(world.batch_folder(INKASSO_DAY))
    rows = manifest(batch.with_suffix(".csv"))
    # Kari's notice waited in the outbox since 28 March (nothing delivered until now): it is printed today too
    assert [(r["letter_id"], r["debtor"], r["type"]) for r in rows] == [
        (str(world.letter("20001", LetterType.NOTICE).id), "20001", "notice"),
        (str(demand.id), "10001", "payment_demand"),
        (str(kari_demand.id), "20001", "payment_demand"),
    ]
    # one letter per page, in the manifest's order
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(batch).pages][1:]
    assert len(pages) == 2
    assert "Ola Nordmann" in pages[0]
    assert "Betalingsoppfordring" in pages[0]
    assert "Kari Nordmann" in pages[1]
    assert "Betalingsoppfordring" in pages[1]
    assert rows[1]["total"] == f"{demand.total.amount:,.2f}".replace(",", " ").replace(".", ",")


def test_the_tuesday_collection_list_is_emailed_to_the_agreements_address_r_clm_4(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(LIST_DAY)
    world.deliver(smtp.mailer())

    [received] = smtp.to(LIST_EMAIL)
    assert received.rcpt_tos == [LIST_EMAIL]
    message = received.message
    assert message["To"] == LIST_EMAIL
    assert "Inkassoliste" in message["Subject"]
    assert message["Message-ID"].startswith("<list-")
    assert message["Message-ID"].endswith("@krav>")
    [(filename, content)] = pdf_attachments(message)
    assert filename == f"inkassoliste-{ORGNO}-{LIST_DAY.isoformat()}.pdf"
    ref = message["Message-ID"].removeprefix("<list-").removesuffix("@krav>")
    archived = world.document("collection_list", ref)
    assert content == archived.content
    assert hashlib.sha256(content).hexdigest() == archived.sha256
    text = text_of(content)
    assert "Inkassoliste" in text
    assert "2 krav" in text
    # one row per claim (customer, collection id, invoice, due date, principal, fee); same due date, so by invoice
    ola_cid = world.letter("10001", LetterType.NOTICE).lines[0].collection_id
    kari_cid = world.letter("20001", LetterType.NOTICE).lines[0].collection_id
    ola_row = f"10001 Ola Nordmann {ola_cid} 1001 14.03.2025 1 000,00 35,00"
    kari_row = f"20001 Kari Nordmann {kari_cid} 2001 14.03.2025 800,00 35,00"
    assert ola_row in text, text
    assert kari_row in text, text
    assert text.index(ola_row) < text.index(kari_row)
    # the list is the creditor's: nothing of it goes to a debtor
    assert len(smtp.to(OLA)) == 1


# -- when things go wrong -------------------------------------------------------------------------------------------


class Killed(BaseException):
    """The worker process dies (SIGKILL, OOM) right after the server accepted the message."""


class KilledAfterSending:
    def __init__(self, inner: Mailer) -> None:
        self.inner = inner
        self.calls = 0

    def send(self, mail: OutgoingMail) -> None:
        self.calls += 1
        self.inner.send(mail)
        raise Killed


def test_a_worker_killed_between_sending_and_marking_sent_never_sends_the_letter_twice(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(NOTICE_DAY)
    ola = world.letter("10001", LetterType.NOTICE)
    key = f"letter-{ola.id}"
    with pytest.raises(Killed):
        world.deliver(KilledAfterSending(smtp.mailer()))
    assert len(smtp.to(OLA)) == 1
    assert world.deliveries()[key].status == "sending"

    # a worker that comes along while the delivery may still be in progress leaves it alone
    early = world.deliver(smtp.mailer())
    assert early.uncertain == 0
    assert early.sent == 0
    assert world.deliveries()[key].status == "sending"
    assert early.printed == 1  # Kari's letter, which the killed worker never reached

    # once stale, it is marked uncertain and reported, never sent again
    report = world.deliver(smtp.mailer(), stale_after=timedelta(0))
    assert (report.uncertain, report.sent) == (1, 0)
    assert len(smtp.to(OLA)) == 1
    d = world.deliveries()[key]
    assert d.status == "uncertain"
    assert d.sent_at is None
    assert d.last_error is not None
    assert "not sent again" in d.last_error
    assert world.status() == {"uncertain": 1, "sent": 1}
    later = world.deliver(smtp.mailer(), stale_after=timedelta(0))
    assert (later.uncertain, later.sent) == (0, 0)
    assert len(smtp.to(OLA)) == 1

    # retry() alone leaves the uncertain one; with uncertain=True (after a person checked) it goes again
    assert delivery.retry(world.uow) == 0
    assert world.deliveries()[key].status == "uncertain"
    assert delivery.retry(world.uow, uncertain=True) == 1
    assert world.deliveries()[key].status == "pending"
    resent = world.deliver(smtp.mailer())
    assert resent.sent == 1
    to_ola = smtp.to(OLA)
    assert len(to_ola) == 2
    # the same Message-ID both times, so the recipient's mail system can drop the duplicate
    assert {r.message["Message-ID"] for r in to_ola} == {f"<{key}@krav>"}
    assert pdf_attachments(to_ola[0].message) == pdf_attachments(to_ola[1].message)
    assert world.status() == {"sent": 2}


class KilledWhileRendering(LetterRenderer):
    """The worker process dies while it makes a letter's PDF."""

    def render_letter(self, letter: Letter) -> bytes:
        raise Killed


class KilledWhilePrinting(LetterRenderer):
    """The worker process dies while it makes the day's print batch (one letter's PDF is made as usual)."""

    def render_letter(self, letter: Letter) -> bytes:
        return super().render_letters([letter])

    def render_letters(self, letters: Sequence[Letter]) -> bytes:
        raise Killed


def test_a_worker_killed_before_the_email_left_is_resumed_at_once_and_sends_it_once(
    world: World, smtp: SmtpServer
) -> None:
    """An e-mail becomes ``sending`` only when it is handed to the server: a worker that dies while making it leaves
    it in line, and the next worker (here the one `krav outbox send` and `krav run` use, holding the run lock)
    sends it at once, without waiting for the uncertain window, and only once."""
    world.run_until(NOTICE_DAY)
    key = f"letter-{world.letter('10001', LetterType.NOTICE).id}"
    world.renderer = KilledWhileRendering()
    with pytest.raises(Killed):
        world.deliver(smtp.mailer())
    assert smtp.to(OLA) == []
    assert world.deliveries()[key].status == "pending"

    world.renderer = LetterRenderer()
    report = world.deliver(smtp.mailer(), resume=True)
    assert (report.sent, report.uncertain, report.failed) == (1, 0, 0)
    assert len(smtp.to(OLA)) == 1
    assert world.deliveries()[key].status == "sent"
    assert world.deliver(smtp.mailer(), resume=True).sent == 0
    assert len(smtp.to(OLA)) == 1


def test_a_print_batch_interrupted_by_a_kill_is_printed_by_the_next_run_without_waiting(
    world: World, smtp: SmtpServer
) -> None:
    """A kill while the day's print batch is made leaves its letters ``sending``; nothing left Krav's print folder,
    so the next worker holding the run lock prints them again at once (not after ten minutes, not ``uncertain``)."""
    world.run_until(NOTICE_DAY)
    kari = f"letter-{world.letter('20001', LetterType.NOTICE).id}"
    world.renderer = KilledWhilePrinting()
    with pytest.raises(Killed):
        world.deliver(smtp.mailer())
    assert world.deliveries()[kari].status == "sending"
    assert batches(world.batch_folder(NOTICE_DAY)) == []

    world.renderer = LetterRenderer()
    early = world.deliver(smtp.mailer())  # a worker without the lock leaves it to a possible other worker
    assert early.printed == 0
    report = world.deliver(smtp.mailer(), resume=True)
    assert (report.printed, report.uncertain, report.failed) == (1, 0, 0)
    assert world.deliveries()[kari].status == "sent"
    (batch,) = batches(world.batch_folder(NOTICE_DAY))
    assert [row["letter_id"] for row in manifest(batch.with_suffix(".csv"))] == [kari.removeprefix("letter-")]


def test_with_the_run_lock_an_email_that_may_have_left_is_uncertain_at_once_and_never_sent_twice(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(NOTICE_DAY)
    key = f"letter-{world.letter('10001', LetterType.NOTICE).id}"
    with pytest.raises(Killed):
        world.deliver(KilledAfterSending(smtp.mailer()))
    report = world.deliver(smtp.mailer(), resume=True)
    assert (report.uncertain, report.sent) == (1, 0)
    assert world.deliveries()[key].status == "uncertain"
    assert len(smtp.to(OLA)) == 1


def test_a_refused_connection_fails_the_delivery_and_it_goes_once_the_server_is_up(
    world: World, smtp: SmtpServer
) -> None:
    world.run_until(NOTICE_DAY)
    ola = world.letter("10001", LetterType.NOTICE)
    key = f"letter-{ola.id}"
    smtp.stop()

    report = world.deliver(smtp.mailer())
    assert (report.failed, report.sent, report.printed) == (1, 0, 1)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(f"{key} by email: ")  # the address stays out of the report
    d = world.deliveries()[key]
    assert (d.status, d.attempts) == ("failed", 1)
    assert d.last_error is not None
    assert d.last_error.startswith("ConnectionRefusedError")
    assert world.status() == {"failed": 1, "sent": 1}

    again = world.deliver(smtp.mailer())
    assert again.failed == 1
    assert (world.deliveries()[key].status, world.deliveries()[key].attempts) == ("failed", 2)

    smtp.start()
    up = world.deliver(smtp.mailer())
    assert (up.sent, up.failed, up.errors) == (1, 0, [])
    d = world.deliveries()[key]
    assert (d.status, d.attempts, d.last_error) == ("sent", 3, None)
    assert [r.message["Message-ID"] for r in smtp.to(OLA)] == [f"<{key}@krav>"]


def test_a_recipient_the_server_refuses_goes_into_the_days_print_batch_at_once_r_svc_2(
    world: World, smtp: SmtpServer
) -> None:
    """A bounce sends the letter on paper: a 5xx reply to RCPT makes the e-mail ``bounced`` and puts the letter in
    the same day's print batch, sent that day; nothing failed, no claim waits."""
    world.run_until(NOTICE_DAY)
    ola = world.letter("10001", LetterType.NOTICE)
    key = f"letter-{ola.id}"
    smtp.inbox.refuse.add(OLA)
    report = world.deliver(smtp.mailer())
    assert (report.sent, report.printed, report.failed, report.bounced, report.held) == (0, 2, 0, 1, 0)
    assert any("550" in note and "on paper instead" in note for note in report.notes)
    d = world.deliveries()[key]
    assert d.status == "bounced"
    assert d.last_error is not None
    assert "550" in d.last_error
    assert OLA in d.last_error
    assert smtp.received == []
    paper = world.deliveries()[f"{key}-paper"]
    assert (paper.channel, paper.status, paper.sent_on) == ("print", "sent", NOTICE_DAY)
    [batch] = batches(world.batch_folder(NOTICE_DAY))
    assert [r["letter_id"] for r in manifest(batch.with_suffix(".csv"))] == [
        str(world.letter("20001", LetterType.NOTICE).id),
        str(ola.id),  # its paper copy joined the batch after the letters already in it
    ]
    again = world.letter("10001", LetterType.NOTICE)
    assert (again.sent, again.channel, again.sent_on, again.deadline) == (True, "print", NOTICE_DAY, ola.deadline)


def test_a_recipient_refused_for_now_is_a_failure_tried_again(world: World, smtp: SmtpServer) -> None:
    """A 4xx reply to RCPT (mailbox busy, greylisting) is no bounce: the e-mail failed and is tried again."""
    world.run_until(NOTICE_DAY)
    key = f"letter-{world.letter('10001', LetterType.NOTICE).id}"
    smtp.inbox.refuse.add(OLA)
    smtp.inbox.temporary = True
    report = world.deliver(smtp.mailer())
    assert (report.failed, report.bounced) == (1, 0)
    d = world.deliveries()[key]
    assert d.status == "failed"
    assert d.last_error is not None
    assert d.last_error.startswith("SMTPRecipientsRefused")
    assert OLA in d.last_error


def test_after_max_attempts_a_failed_delivery_waits_for_retry(sqlite_world: World, smtp: SmtpServer) -> None:
    world = sqlite_world
    world.run_until(NOTICE_DAY)
    key = f"letter-{world.letter('10001', LetterType.NOTICE).id}"
    smtp.stop()
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        assert world.deliver(smtp.mailer()).failed == 1
        assert world.deliveries()[key].attempts == attempt
    smtp.start()
    assert world.deliver(smtp.mailer()).sent == 0  # given up: no sixth attempt
    assert world.deliveries()[key].status == "failed"
    assert smtp.received == []

    assert delivery.retry(world.uow) == 1
    d = world.deliveries()[key]
    assert (d.status, d.attempts) == ("pending", 0)
    assert world.deliver(smtp.mailer()).sent == 1
    assert len(smtp.to(OLA)) == 1


def test_a_print_folder_that_cannot_be_written_fails_the_batch_and_it_is_printed_later(
    sqlite_world: World, smtp: SmtpServer
) -> None:
    world = sqlite_world
    world.run_until(NOTICE_DAY)
    kari = world.letter("20001", LetterType.NOTICE)
    world.print_dir.parent.mkdir(parents=True, exist_ok=True)
    world.print_dir.write_text("not a folder")  # the print share is not mounted

    report = world.deliver(smtp.mailer())
    assert (report.sent, report.printed, report.failed) == (1, 0, 1)
    assert report.errors
    assert report.errors[0].startswith(f"print batch {ORGNO} {NOTICE_DAY}")
    d = world.deliveries()[f"letter-{kari.id}"]
    assert d.status == "failed"
    assert d.last_error is not None
    assert d.last_error.startswith("print batch")

    world.print_dir.unlink()
    later = world.deliver(smtp.mailer())
    assert (later.sent, later.printed, later.failed) == (0, 1, 0)
    [batch] = batches(world.batch_folder(NOTICE_DAY))
    assert [r["letter_id"] for r in manifest(batch.with_suffix(".csv"))] == [str(kari.id)]
    assert len(smtp.received) == 1


# -- bugs ------------------------------------------------------------------------------------------------------------


class RefusesOneDebtor(LetterRenderer):
    """A renderer that cannot render one debtor's letters (say, a creditor's own template that breaks on them)."""

    def __init__(self, debtor: str) -> None:
        super().__init__()
        self.debtor = debtor

    def render_letter(self, letter: Letter) -> bytes:
        if letter.recipient.number == self.debtor:
            raise FieldError("lines", "the template cannot render this letter", where=f"letter to {self.debtor}")
        return super().render_letter(letter)


def test_a_letter_that_cannot_be_rendered_fails_alone_and_the_rest_still_goes(
    sqlite_world: World, smtp: SmtpServer
) -> None:
    world = sqlite_world
    world.run_until(LIST_DAY)  # Ola's notice (e-mail), Kari's notice (print), the list (e-mail)
    world.renderer = RefusesOneDebtor("10001")
    report = world.deliver(smtp.mailer())
    assert report.failed == 1
    assert smtp.to(LIST_EMAIL)
    statuses = {d.kind: d.status for d in world.deliveries().values() if d.channel == "email"}
    assert statuses == {"letter": "failed", "collection_list": "sent"}


def test_deliveries_that_were_given_up_do_not_block_the_queue(sqlite_world: World, smtp: SmtpServer) -> None:
    world = sqlite_world
    world.run_until(NOTICE_DAY)
    ola, kari = world.letter("10001", LetterType.NOTICE), world.letter("20001", LetterType.NOTICE)
    assert ola.id < kari.id
    smtp.stop()
    for _ in range(delivery.MAX_ATTEMPTS):
        world.deliver(smtp.mailer(), limit=1)
    assert world.deliveries()[f"letter-{ola.id}"].attempts == delivery.MAX_ATTEMPTS
    assert world.deliveries()[f"letter-{kari.id}"].status == "pending"
    report = world.deliver(smtp.mailer(), limit=1)
    assert report.printed == 1
    assert world.deliveries()[f"letter-{kari.id}"].status == "sent"


class Slow:
    """A mailer that takes its time, so that two workers overlap."""

    def __init__(self, inner: Mailer) -> None:
        self.inner = inner

    def send(self, mail: OutgoingMail) -> None:
        time.sleep(0.2)
        self.inner.send(mail)


def test_two_workers_at_once_send_each_letter_once(world: World, smtp: SmtpServer) -> None:
    """DESIGN.md: the delivery work may run in several worker processes; each delivery is claimed by one."""
    world.run_until(LIST_DAY)  # Ola's notice and the list by e-mail, Kari's notice on paper
    start = threading.Barrier(2)
    reports: list[delivery.OutboxReport] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            reports.append(
                delivery.deliver(
                    unit_of_work(world.uow.engine),
                    renderer=LetterRenderer(),
                    mailer=Slow(smtp.mailer()),
                    print_dir=world.print_dir,
                    service=SERVICE,
                    on=NOTICE_DAY,
                )
            )
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert failures == []
    assert sum(r.sent for r in reports) == 2
    assert sum(r.printed for r in reports) == 1
    assert sorted(r.message["Message-ID"] for r in smtp.received) == sorted(
        f"<{key}@krav>" for key, d in world.deliveries().items() if d.channel == "email"
    )
    assert world.status() == {"sent": 3}
    assert len(batches(world.batch_folder(NOTICE_DAY))) == 1
