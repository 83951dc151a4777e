"""Nothing stops the night: one claim that cannot be decided is held with its reason while the others go on, one
creditor whose day fails never stops another, and a payment that cannot be applied goes to the manual queue
(DESIGN.md "Time and jobs": "one creditor that fails, or one claim that cannot be decided, is held with its
reason; the rest of the run goes on"). On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.services import ledger
from krav.services.collection import CreditorDay, StepOutcome
from krav.services.daily_run import Step, run_business_day
from krav.services.ports import ClaimFilter, ClientPayment, PaymentStatus, UnitOfWork
from tests.builders import collaborators, consumer, invoice, make_company, post, run_day
from tests.e2e.runner import run

A, B = "923609016", "974760673"  # A is run first (by organisation number)
NOTICE_DAY = date(2025, 3, 28)


def _creditor(uow: UnitOfWork, orgno: str, *invoices: tuple[str, str, date]) -> None:
    make_company(uow, orgno, name=f"Kreditor {orgno}")
    ledger.save_customers(uow, orgno, [consumer(customer) for _, customer, _ in invoices])
    post(
        uow,
        *(
            invoice(number, customer, "1000.00", due - (date(2025, 3, 14) - date(2025, 2, 28)), due)
            for number, customer, due in invoices
        ),
        orgno=orgno,
    )
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        uow.agreements.save(
            company.id,
            Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no"),
        )
        uow.commit()


def _claims(uow: UnitOfWork, orgno: str) -> dict[str, object]:
    with uow:
        company = uow.companies.get(orgno)
        assert company.id is not None
        return {c.invoice_number: c for c in uow.collection.claims(company.id)}


def test_a_claim_due_before_the_rate_table_is_held_and_the_others_go_on(engine: Engine) -> None:
    """An invoice due 2 December 2014, before the forsinkelsesrente table starts (2015), cannot have its interest
    worked out: its claim is held with the reason, its debtor's other claim and the other creditor go on."""
    uow = unit_of_work(engine)
    _creditor(uow, A, ("1001", "10001", date(2014, 12, 2)), ("1002", "20001", date(2025, 3, 14)))
    _creditor(uow, B, ("2001", "30001", date(2025, 3, 14)))

    day = run_business_day(uow, NOTICE_DAY, collaborators())
    first, second = day.creditors
    assert day.troubled
    assert (first.company, first.failed, second.company, second.failed) == (A, None, B, None)
    assert [(h.invoice_number, h.step) for h in first.held] == [("1001", "letters")]
    assert "no forsinkelsesrente is known for" in first.held[0].reason
    assert first.letters[LetterType.NOTICE] == 1  # 1002 got its notice
    assert second.letters[LetterType.NOTICE] == 1  # and the other creditor's day ran
    claims = _claims(uow, A)
    assert claims["1001"].stage.value == "new"  # type: ignore[attr-defined]
    assert claims["1002"].stage.value == "notice"  # type: ignore[attr-defined]
    with uow:
        held = claims["1001"]
        history = uow.collection.history(1, held.id)  # type: ignore[attr-defined]
    assert [(e.kind, e.detail.split(":")[0]) for e in history][-1] == (EventKind.HELD, "letters")


def test_krav_run_names_the_held_claim_and_exits_1(tmp_path: object, krav: CliRunner) -> None:
    uow = cli.get_app().uow()
    _creditor(uow, A, ("1001", "10001", date(2014, 12, 2)), ("1002", "20001", date(2025, 3, 14)))
    out = run(krav, "run", "--date", NOTICE_DAY.isoformat(), code=1)
    assert "held: invoice 1001 (K1-" in out
    assert "in letters: no forsinkelsesrente is known for" in out
    assert "1 inkassovarsel" in out


def test_a_creditor_whose_day_fails_is_reported_and_the_next_creditor_runs(engine: Engine) -> None:
    uow = unit_of_work(engine)
    _creditor(uow, A, ("1001", "10001", date(2025, 3, 14)))
    _creditor(uow, B, ("2001", "30001", date(2025, 3, 14)))

    def broken(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
        if ctx.company.orgno == A:
            raise RuntimeError("the disk is full")
        return StepOutcome()

    collab = collaborators()
    from krav.services.daily_run import STEPS

    steps = [Step(s.name, broken, s.rule) if s.name == "inkasso" else s for s in STEPS]
    day = run_business_day(uow, NOTICE_DAY, collab, steps=steps)
    first, second = day.creditors
    assert first.failed == "inkasso: RuntimeError: the disk is full"
    assert first.letters[LetterType.NOTICE] == 1  # the steps before it stand
    assert second.failed is None
    assert second.letters[LetterType.NOTICE] == 1
    assert day.troubled


def test_a_zero_payment_goes_to_the_manual_queue_and_the_run_goes_on(engine: Engine) -> None:
    """A payment of 0,00 matched to a letter cannot be applied: it waits in the manual queue with the reason,
    instead of stopping every later run (R-CLM-7)."""
    uow = unit_of_work(engine)
    _creditor(uow, A, ("1001", "10001", date(2025, 3, 14)))
    run_day(uow, A, NOTICE_DAY)
    with uow:
        (letter,) = uow.collection.letters(1)
        uow.collection.add_payment(
            ClientPayment(
                received_on=date(2025, 3, 31),
                amount=Money.of("0.00"),
                reference="ZERO",
                source="test",
                kid=letter.kid,
                company_id=1,
                letter_id=letter.id,
            )
        )
        uow.commit()
    report = run_day(uow, A, date(2025, 3, 31))
    assert report.failed is None
    assert report.payments_applied == 0
    with uow:
        (payment,) = uow.collection.payments()
        (claim,) = uow.collection.claims(1, ClaimFilter(invoice_numbers=["1001"]))
    assert payment.status is PaymentStatus.UNMATCHED
    assert payment.reason == "the amount is 0.00: a payment must be more than 0.00"
    assert claim.principal_outstanding == Money.of("1000.00")
    assert run_day(uow, A, date(2025, 4, 1)).failed is None
