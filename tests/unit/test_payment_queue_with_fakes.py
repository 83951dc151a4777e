"""What waits for a person, on the fakes of the ports: the manual-matching queue with its suggestions (R-CLM-7)
and the claims held for a letter that could not be sent (R-SVC-2), as the SQL adapters give them (see
``tests/integration/test_payment_queue.py`` and ``test_delivery_failed.py``).

One creditor, interest at 12.50 % in 2025 H1. Debtor 10001 (Ola, who gave his e-mail for letters) owes 1001
(1000.00), debtor 20001 (Kari Nordmann, on paper) owes 2001 (800.00), both due 14 March 2025; the run of Friday
28 March sends each a notice: Kari's is 800.00 + 35.00 fee + 3.84 interest = 838.84.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.letters import LetterType
from krav.domain.money import Money
from krav.services import ledger, queries
from krav.services.daily_run import run_business_day
from krav.services.ports import ClientPayment, Collaborators, PaymentStatus
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post
from tests.fakes import FakeMailer, FakeRenderer, FakeUnitOfWork, relayed_unit_of_work

RATES = load_rate_tables()
NOTICE_DAY = date(2025, 3, 28)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ola = consumer("10001", email="ola@example.no", email_for_letters=True)
    ledger.save_customers(unit, ORGNO, [ola, consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(unit, invoice("1001", "10001", "1000.00", issued, due), invoice("2001", "20001", "800.00", issued, due))
    with unit:
        unit.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no")
        )
        unit.commit()
    return unit


def _collab(tmp_path: Path, mailer: FakeMailer) -> Collaborators:
    return Collaborators(
        rates=RATES,
        service=SERVICE,
        renderer=FakeRenderer(),
        mailer=mailer,
        print_dir=tmp_path / "print",
        remittance_dir=tmp_path / "remittance",
    )


def test_a_payment_of_the_queue_is_suggested_the_claim_its_message_and_amount_point_at(
    uow: FakeUnitOfWork, tmp_path: Path
) -> None:
    run_business_day(uow, NOTICE_DAY, _collab(tmp_path, FakeMailer()))
    with uow:
        (kari,) = uow.collection.letters(1, debtor="20001")
        uow.collection.add_payment(
            ClientPayment(
                date(2025, 4, 1),
                Money.of("838.84"),
                "W1",
                "test",
                kid="12345678903",
                payer="Kari Nordmann",
                status=PaymentStatus.UNMATCHED,
                reason="no letter with KID 12345678903",
                message="Faktura 2001",
            )
        )
        uow.commit()
    (queued,) = queries.manual_matching(uow, rates=RATES)
    assert queued.payment.message == "Faktura 2001"
    (only,) = queued.suggestions
    assert (only.invoice_number, only.kid, only.balance) == ("2001", kari.kid, Money.of("839.93"))
    assert only.reasons == ("meldingen nevner faktura 2001", "beløpet er lik brevets sum", "navnet ligner skyldneren")


def test_the_claim_of_a_letter_the_mail_server_refused_is_held_with_why_until_it_goes(
    uow: FakeUnitOfWork, tmp_path: Path
) -> None:
    mailer = FakeMailer(refuse=ConnectionRefusedError("the mail server is down"))
    run_business_day(uow, NOTICE_DAY, _collab(tmp_path, mailer))
    (held,) = queries.outbox_status(uow).held
    assert (held.creditor, held.claim.invoice_number, held.claim.debtor_number, held.claim.since) == (
        ORGNO,
        "1001",
        "10001",
        NOTICE_DAY,
    )
    assert (held.claim.letter_type, held.claim.letter_n) == (LetterType.NOTICE, 1)
    assert held.delivery is not None
    assert (held.delivery.status, held.delivery.channel) == ("failed", "email")
    assert held.why is not None
    assert "the mail server is down" in held.why

    mailer.refuse = None
    run_business_day(uow, date(2025, 3, 31), _collab(tmp_path, mailer))
    assert queries.outbox_status(uow).held == ()
