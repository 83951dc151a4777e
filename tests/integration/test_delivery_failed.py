"""R-SVC-2 through whole business days on SQLite and PostgreSQL: a letter counts as sent when it was handed to
print or accepted by the mail server; a claim whose latest letter could not be sent takes no further step until
it has been, and its deadline then counts from the day it went; a bounce sends the letter on paper; e-mail goes
only to an address the debtor gave for letters.

The timeline (one creditor, automatic list, no reminder before the notice): debtor 10001 (Ola, who gave his
address for letters) owes 1001, 1000.00; debtor 20001 (Kari, without e-mail) owes 2001, 800.00; debtor 30001
(Per, whose e-mail is known but was not given for letters) owes 3001, 600.00; all issued 28 February and due
14 March 2025. The run of Friday 28 March submits them and writes each a notice, deadline 11 April. Claims whose
notices went are listed on Tuesday 15 April; Thursday 17 April is Maundy Thursday, so they go to inkasso on
Tuesday 22 April.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from krav.adapters.mail import FolderMailer
from krav.adapters.pdf import LetterRenderer
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.claims import Claim, Stage
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.money import Money
from krav.services import ledger, queries
from krav.services.collection import delivery
from krav.services.daily_run import BOUNCES, BusinessDay, run_business_day
from krav.services.ports import ClaimFilter, Collaborators, Delivery, Mailer, StoredLetter
from tests.builders import ORGNO, RATES, SERVICE, consumer, invoice, make_company, post
from tests.integration.test_outbox_smtp import SmtpServer

NOTICE_DAY = date(2025, 3, 28)
OLD_DEADLINE = date(2025, 4, 11)
LIST_DAY = date(2025, 4, 15)
INKASSO_DAY = date(2025, 4, 22)
OLA, PER = "ola@example.no", "per@example.no"
INVOICE_OF = {"10001": "1001", "20001": "2001", "30001": "3001"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class World:
    """The creditor and its three debtors, and the business days run one after another (inbox, bounces, steps,
    delivery: as `krav run` does)."""

    def __init__(self, engine: Engine, tmp_path: Path, mailer: Mailer | None = None) -> None:
        self.uow = unit_of_work(engine)
        self.home = tmp_path / "home"
        self.collab = Collaborators(
            rates=RATES,
            service=SERVICE,
            renderer=LetterRenderer(),
            mailer=mailer or FolderMailer(self.home / "mail"),
            print_dir=self.home / "print",
            remittance_dir=self.home / "remittance",
            inbox=self.home / "inbox",
        )
        self.next_day = NOTICE_DAY
        make_company(self.uow)
        customers = [
            consumer("10001", email=OLA, email_for_letters=True),  # Ola gave his address for letters
            consumer("20001", "Kari Nordmann"),
            consumer("30001", "Per Hansen", email=PER),  # known, but not given for letters
        ]
        ledger.save_customers(self.uow, ORGNO, customers)
        issued, due = date(2025, 2, 28), date(2025, 3, 14)
        post(
            self.uow,
            invoice("1001", "10001", "1000.00", issued, due),
            invoice("2001", "20001", "800.00", issued, due),
            invoice("3001", "30001", "600.00", issued, due),
        )
        with self.uow:
            company = self.uow.companies.get(ORGNO)
            assert company.id is not None
            self.company_id = company.id
            agreement = Agreement(
                active=True, activated_on=due, accepted_by="test", collection_list_email="liste@eksempel.example"
            )
            self.uow.agreements.save(company.id, agreement)
            self.uow.commit()

    def run_until(self, last: date) -> dict[date, BusinessDay]:
        days: dict[date, BusinessDay] = {}
        while self.next_day <= last:
            days[self.next_day] = run_business_day(self.uow, self.next_day, self.collab)
            self.next_day += timedelta(days=1)
        return days

    def claim(self, debtor: str) -> Claim:
        with self.uow:
            (found,) = self.uow.collection.claims(self.company_id, ClaimFilter(invoice_numbers=[INVOICE_OF[debtor]]))
        return found

    def letters(self, debtor: str) -> list[StoredLetter]:
        with self.uow:
            return self.uow.collection.letters(self.company_id, debtor=debtor)

    def notice(self, debtor: str) -> StoredLetter:
        (found,) = [lt for lt in self.letters(debtor) if lt.type is LetterType.NOTICE]
        return found

    def deliveries(self) -> dict[str, Delivery]:
        with self.uow:
            return {d.delivery_key: d for d in self.uow.deliveries.deliveries()}

    def history(self, debtor: str) -> list[tuple[date, EventKind, str]]:
        claim = self.claim(debtor)
        assert claim.id is not None
        with self.uow:
            return [(e.date, e.kind, e.detail) for e in self.uow.collection.history(self.company_id, claim.id)]

    def break_print(self) -> None:
        """The print share is not mounted: a file stands where the print folder should be."""
        folder = self.collab.print_dir
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.is_dir():
            folder.rename(folder.with_name("print-unmounted"))
        folder.write_text("not mounted")

    def mend_print(self) -> None:
        folder = self.collab.print_dir
        folder.unlink()
        if folder.with_name("print-unmounted").is_dir():
            folder.with_name("print-unmounted").rename(folder)

    def printed_on(self, day: date) -> list[str]:
        """The debtors of the letters in the print batches of ``day``, in order."""
        folder = self.collab.print_dir / ORGNO / day.isoformat()
        rows: list[str] = []
        for manifest in sorted(folder.glob("utskrift-*.csv")):
            rows += [line.split(";")[2] for line in manifest.read_text("utf-8").splitlines()[1:]]
        return rows


@pytest.fixture
def world(engine: Engine, tmp_path: Path) -> World:
    return World(engine, tmp_path)


def _stages(world: World) -> dict[str, Stage]:
    return {debtor: world.claim(debtor).stage for debtor in INVOICE_OF}


# -- a letter that could not be sent ------------------------------------------------------------------------------


def test_a_notice_that_cannot_be_printed_holds_its_claim_and_counts_from_the_day_it_is_printed_r_svc_2(
    world: World,
) -> None:
    world.break_print()
    days = world.run_until(LIST_DAY)

    # every run while the print share is down says the notices were not sent, and exits non-zero
    for on, day in days.items():
        assert day.troubled, on
        assert day.undelivered == 2, on  # Kari's and Per's notices
        assert day.outbox is not None
        assert any(e.startswith(f"print batch {ORGNO} {on}") for e in day.outbox.errors), on
    assert days[NOTICE_DAY].outbox is not None
    assert days[NOTICE_DAY].outbox.held == 2
    kari = world.claim("20001")
    assert kari.letter_unsent
    assert kari.unsent_state.letter_unsent_since == NOTICE_DAY
    assert kari.next_action_on is None
    assert world.notice("20001").sent is False
    assert any(kind is EventKind.DELIVERY and "not sent" in detail for _, kind, detail in world.history("20001"))

    # Ola's notice went by e-mail: his claim is listed after its deadline; Kari's and Per's are not, nor charged
    assert _stages(world) == {"10001": Stage.COLLECTION_LIST, "20001": Stage.NOTICE, "30001": Stage.NOTICE}
    assert world.claim("20001").fees_charged == Money.of("35.00")  # the notice's fee only
    assert [lt.type for lt in world.letters("20001")] == [LetterType.NOTICE]

    # the share is back on Wednesday 16 April: the run prints the notices first, dated that day, each deadline
    # moved by the 19 days they waited
    world.mend_print()
    printed = date(2025, 4, 16)
    day = world.run_until(printed)[printed]
    assert not day.troubled
    assert world.printed_on(printed) == ["20001", "30001"]
    notice = world.notice("20001")
    assert (notice.sent, notice.written, notice.sent_on, notice.deadline) == (
        True,
        NOTICE_DAY,
        printed,
        date(2025, 4, 30),
    )
    assert world.deliveries()[f"letter-{notice.id}"].sent_on == printed
    kari = world.claim("20001")
    assert not kari.letter_unsent
    d = kari.deadlines
    assert (d.first_letter_on, d.notice_sent_on, d.notice_deadline, d.last_deadline) == (
        printed,
        printed,
        date(2025, 4, 30),
        date(2025, 4, 30),
    )
    assert kari.next_action_on == date(2025, 5, 1)
    assert (printed, EventKind.DELIVERY, "notice 1 sent on paper 16.04.2025; deadline 30.04.2025") in world.history(
        "20001"
    )

    # the next step comes on the moved date and not before: not on the lists of 22 and 29 April, on that of 6 May
    world.run_until(date(2025, 4, 29))
    assert _stages(world) == {"10001": Stage.INKASSO, "20001": Stage.NOTICE, "30001": Stage.NOTICE}
    days = world.run_until(date(2025, 5, 6))
    assert not any(day.troubled for day in days.values())
    assert world.claim("20001").listing.listed_on == date(2025, 5, 6)
    assert world.claim("30001").listing.listed_on == date(2025, 5, 6)
    assert world.claim("20001").fees_charged == Money.of("35.00")


def test_an_email_the_server_does_not_take_holds_its_claim_until_a_retry_sends_it_dated_that_day_r_svc_2(
    engine: Engine, tmp_path: Path, smtp: SmtpServer
) -> None:
    world = World(engine, tmp_path, smtp.mailer())
    smtp.stop()
    days = world.run_until(LIST_DAY)
    for on, day in days.items():
        assert day.troubled, on
        assert day.outbox is not None
        assert any(e.startswith(f"letter-{world.notice('10001').id} by email: ") for e in day.outbox.errors), on
    assert world.claim("10001").letter_unsent
    assert _stages(world) == {"10001": Stage.NOTICE, "20001": Stage.COLLECTION_LIST, "30001": Stage.COLLECTION_LIST}
    assert world.notice("10001").status == "failed"

    # the server is up again: `krav outbox retry` on Wednesday 16 April sends it, dated that day
    smtp.start()
    sent_on = date(2025, 4, 16)
    back, report = delivery.retry_and_send(world.uow, world.collab, on=sent_on)
    assert (back, report.sent, report.failed) == (2, 2, 0)  # the notice, and the creditor's list of 15 April
    [mail] = smtp.to(OLA)
    assert mail.message["Message-ID"] == f"<letter-{world.notice('10001').id}@krav>"
    notice = world.notice("10001")
    assert (notice.sent, notice.sent_on, notice.deadline) == (True, sent_on, date(2025, 4, 30))
    ola = world.claim("10001")
    assert not ola.letter_unsent
    assert (ola.deadlines.notice_sent_on, ola.deadlines.last_deadline) == (sent_on, date(2025, 4, 30))

    world.next_day = sent_on
    world.run_until(date(2025, 4, 29))
    assert world.claim("10001").stage is Stage.NOTICE
    world.run_until(date(2025, 5, 6))
    assert world.claim("10001").listing.listed_on == date(2025, 5, 6)


# -- bounces -------------------------------------------------------------------------------------------------------


def dsn(message_id: str, recipient: str) -> bytes:
    """A delivery status notification (RFC 3464) as a mail system sends it back: the recipient failed for good."""
    report = EmailMessage()
    report["From"] = "MAILER-DAEMON@mx.example.no"
    report["To"] = SERVICE.email
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report.set_content("The mail system could not deliver your message.\n")
    report.make_mixed()
    report.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
    status = (
        "Reporting-MTA: dns; mx.example.no\n\n"
        f"Final-Recipient: rfc822; {recipient}\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: mailbox unavailable\n"
    )
    headers = f"From: {SERVICE.email}\nTo: {recipient}\nMessage-ID: {message_id}\nSubject: Inkassovarsel\n"
    head = 'Content-Type: multipart/report; report-type="delivery-status"; boundary="BOUNDARY"\nMIME-Version: 1.0\n'
    body = (
        "--BOUNDARY\nContent-Type: text/plain\n\nThe mail system could not deliver your message.\n"
        f"--BOUNDARY\nContent-Type: message/delivery-status\n\n{status}\n"
        f"--BOUNDARY\nContent-Type: text/rfc822-headers\n\n{headers}\n"
        "--BOUNDARY--\n"
    )
    return f"From: MAILER-DAEMON@mx.example.no\nTo: {SERVICE.email}\nSubject: Undelivered\n{head}\n{body}".encode()


def test_a_bounce_dropped_in_the_inbox_sends_the_notice_on_paper_counted_from_the_day_it_is_printed_r_svc_2(
    world: World,
) -> None:
    world.run_until(date(2025, 3, 31))
    ola = world.notice("10001")
    assert (ola.sent, ola.channel, ola.deadline) == (True, "email", OLD_DEADLINE)
    bounces = world.home / "inbox" / BOUNCES
    bounces.mkdir(parents=True)
    (bounces / "bounce-1.eml").write_bytes(dsn(f"<letter-{ola.id}@krav>", OLA))

    bounced_on = date(2025, 4, 1)
    day = world.run_until(bounced_on)[bounced_on]
    assert [(b.file, b.bounced, b.problem) for b in day.bounces] == [("bounce-1.eml", (f"letter-{ola.id}",), None)]
    assert (bounces / "done" / "bounce-1.eml").is_file()
    assert not day.troubled
    email = world.deliveries()[f"letter-{ola.id}"]
    assert email.status == "bounced"
    assert email.last_error is not None
    assert "5.1.1" in email.last_error
    paper = world.deliveries()[f"letter-{ola.id}-paper"]
    assert (paper.channel, paper.status, paper.sent_on) == ("print", "sent", bounced_on)
    assert world.printed_on(bounced_on) == ["10001"]
    notice = world.notice("10001")
    assert (notice.sent, notice.channel, notice.sent_on, notice.deadline) == (
        True,
        "print",
        bounced_on,
        date(2025, 4, 15),
    )
    claim = world.claim("10001")
    assert not claim.letter_unsent
    assert (claim.deadlines.notice_sent_on, claim.deadlines.last_deadline) == (bounced_on, date(2025, 4, 15))

    # its deadline has not passed by Tuesday 15 April: listed a week later than the others
    world.run_until(LIST_DAY)
    assert _stages(world) == {"10001": Stage.NOTICE, "20001": Stage.COLLECTION_LIST, "30001": Stage.COLLECTION_LIST}
    world.run_until(INKASSO_DAY)
    assert world.claim("10001").listing.listed_on == INKASSO_DAY

    # the same bounce read again changes nothing
    (bounces / "bounce-again.eml").write_bytes(dsn(f"<letter-{ola.id}@krav>", OLA))
    again = world.run_until(date(2025, 4, 23))[date(2025, 4, 23)]
    assert [b.problem for b in again.bounces] == [None]
    assert world.notice("10001").sent_on == bounced_on
    assert world.printed_on(date(2025, 4, 23)) == []


def test_a_bounce_that_names_no_email_of_kravs_is_put_aside_and_the_run_says_so(world: World) -> None:
    world.run_until(NOTICE_DAY)
    bounces = world.home / "inbox" / BOUNCES
    bounces.mkdir(parents=True)
    (bounces / "strange.eml").write_bytes(dsn("<1234@elsewhere.example>", OLA))
    day = world.run_until(date(2025, 3, 29))[date(2025, 3, 29)]
    assert day.troubled
    [result] = day.bounces
    assert result.problem is not None
    assert "names no e-mail Krav sent" in result.problem
    assert (bounces / "refused" / "strange.eml.error").is_file()
    assert world.deliveries()[f"letter-{world.notice('10001').id}"].status == "sent"


def test_a_recorded_bounce_holds_the_claims_until_the_paper_copy_is_printed_r_svc_2(world: World) -> None:
    world.run_until(date(2025, 3, 31))
    ola = world.notice("10001")
    bounced_on = date(2025, 4, 1)
    world.break_print()
    paper = delivery.record_bounce(world.uow, key=f"letter-{ola.id}", on=bounced_on, reason="mailbox unavailable")
    assert (paper.channel, paper.status, paper.claims_held) == ("print", "pending", True)
    claim = world.claim("10001")
    assert claim.letter_unsent
    assert claim.next_action_on is None
    assert world.notice("10001").sent is False
    assert delivery.record_bounce(world.uow, key=f"letter-{ola.id}", on=bounced_on, reason="again").id == paper.id

    days = world.run_until(LIST_DAY)
    assert all(day.troubled for day in days.values())
    assert _stages(world)["10001"] is Stage.NOTICE
    assert world.claim("10001").letter_unsent

    world.mend_print()
    printed = date(2025, 4, 16)
    world.run_until(printed)
    assert world.printed_on(printed) == ["10001"]
    notice = world.notice("10001")
    assert (notice.sent_on, notice.deadline) == (printed, date(2025, 4, 30))
    claim = world.claim("10001")
    assert not claim.letter_unsent
    assert claim.deadlines.last_deadline == date(2025, 4, 30)
    world.run_until(date(2025, 4, 29))
    assert world.claim("10001").stage is Stage.NOTICE


# -- what `krav outbox status` says of the claims that wait ----------------------------------------------------------


def test_outbox_status_lists_the_claims_held_for_a_letter_that_could_not_be_printed_until_it_is_r_svc_2(
    world: World,
) -> None:
    world.break_print()
    world.run_until(date(2025, 3, 31))
    status = queries.outbox_status(world.uow)
    held = [
        (h.creditor, h.claim.invoice_number, h.claim.debtor_number, h.claim.debtor_name, h.claim.since)
        for h in status.held
    ]
    assert held == [
        (ORGNO, "2001", "20001", "Kari Nordmann", NOTICE_DAY),
        (ORGNO, "3001", "30001", "Per Hansen", NOTICE_DAY),
    ]
    kari = status.held[0]
    assert (kari.claim.letter_id, kari.claim.letter_type, kari.claim.letter_n) == (
        world.notice("20001").id,
        LetterType.NOTICE,
        1,
    )
    assert kari.delivery is not None
    assert (kari.delivery.delivery_key, kari.delivery.status, kari.delivery.channel) == (
        f"letter-{world.notice('20001').id}",
        "failed",
        "print",
    )
    assert kari.why is not None
    assert kari.why.startswith(f"print batch {ORGNO} 2025-03-31")  # the latest attempt's error

    world.mend_print()
    world.run_until(date(2025, 4, 1))
    assert queries.outbox_status(world.uow).held == ()


def test_outbox_status_says_a_bounced_letters_claim_waits_for_its_paper_copy_and_why_r_svc_2(world: World) -> None:
    world.run_until(date(2025, 3, 31))
    ola = world.notice("10001")
    paper = delivery.record_bounce(world.uow, key=f"letter-{ola.id}", on=date(2025, 4, 1), reason="mailbox unavailable")
    (held,) = queries.outbox_status(world.uow).held
    assert (held.claim.invoice_number, held.claim.since) == ("1001", date(2025, 4, 1))
    assert held.delivery is not None
    assert (held.delivery.id, held.delivery.status, held.delivery.channel) == (paper.id, "pending", "print")
    assert held.why == "bounced: mailbox unavailable"


# -- e-mail only to an address given for letters ------------------------------------------------------------------


def test_letters_go_by_email_only_to_an_address_the_debtor_gave_for_them_r_svc_2(world: World) -> None:
    world.run_until(NOTICE_DAY)
    deliveries = world.deliveries()
    channels = {
        debtor: (deliveries[f"letter-{world.notice(debtor).id}"].channel, world.notice(debtor).channel)
        for debtor in INVOICE_OF
    }
    assert channels == {"10001": ("email", "email"), "20001": ("print", "print"), "30001": ("print", "print")}
    assert deliveries[f"letter-{world.notice('30001').id}"].address is None
    mails = sorted(p.name for p in (world.home / "mail").glob("letter-*.eml"))
    assert mails == [f"letter-{world.notice('10001').id}.eml"]
    assert world.printed_on(NOTICE_DAY) == ["20001", "30001"]
    assert all(world.notice(debtor).sent_on == NOTICE_DAY for debtor in INVOICE_OF)
