"""The whole flow as a state machine: invoices posted, days run, letters paid to the client account, direct
payments and credit notes in the books, the creditor's actions, runs killed half-way and run again, in any
order hypothesis draws. After every step: the books balance (R-LED-1, R-LED-3), nothing is owed below zero, no
payment is applied twice (R-BANK-2) and every letter adds up (R-CLM-1).

It runs on the fakes of the ports (tests/fakes), so a few hundred steps take seconds.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from tempfile import mkdtemp

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.domain.collection.interest import interest_outstanding
from krav.domain.errors import KravError
from krav.domain.money import Money
from krav.services import collection, ledger
from krav.services.collection import CreditorDay, StepOutcome
from krav.services.collection.payments import import_payments
from krav.services.daily_run import STEPS, Step, run_business_day
from krav.services.ports import ClaimFilter, Collaborators, PaymentStatus
from tests.builders import FIGURES, ORGNO, SERVICE, consumer, credit_note, invoice, make_company, post
from tests.fakes import FakeMailer, FakeRenderer, FakeUnitOfWork, relayed_unit_of_work

RATES = load_rate_tables()
START = date(2025, 3, 3)
DEBTORS = ("10001", "20001", "30001")


class Killed(BaseException):
    """The run's process dies inside a step (so nothing of that step is kept)."""


def _killed_in(name: str) -> list[Step]:
    def die(uow: object, ctx: CreditorDay) -> StepOutcome:
        raise Killed(name)

    return [Step(s.name, die, s.rule) if s.name == name else s for s in STEPS]


class TheFlow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.uow: FakeUnitOfWork = relayed_unit_of_work(RATES)
        folder = Path(mkdtemp(prefix="krav-flow-"))
        self.collab = Collaborators(
            rates=RATES,
            service=SERVICE,
            renderer=FakeRenderer(),
            mailer=FakeMailer(),
            print_dir=folder / "print",
            remittance_dir=folder / "remittance",
        )
        make_company(self.uow)
        ledger.save_customers(self.uow, ORGNO, [consumer(n, email=f"{n}@example.no") for n in DEBTORS])
        with self.uow:
            agreement = Agreement(
                active=True, activated_on=START, accepted_by="test", collection_list_email="l@example.no"
            )
            self.uow.agreements.save(1, agreement)
            self.uow.commit()
        self.today = START
        self.invoices = 0
        self.files = 0

    # -- what happens ----------------------------------------------------------------------------------------

    @rule(debtor=st.sampled_from(DEBTORS), ore=st.integers(10_000, 500_000), days_ago=st.integers(0, 70))
    def an_invoice_is_posted(self, debtor: str, ore: int, days_ago: int) -> None:
        self.invoices += 1
        issued = self.today - timedelta(days=days_ago)
        amount = str(Money.from_ore(ore).amount)
        post(self.uow, invoice(f"F{self.invoices}", debtor, amount, issued, issued + timedelta(days=14)))

    @rule(days=st.integers(1, 21))
    def days_are_run(self, days: int) -> None:
        for _ in range(days):
            self.today += timedelta(days=1)
            day = run_business_day(self.uow, self.today, self.collab)
            for report in day.creditors:
                for kind in report.letters:
                    event(f"a {kind} was sent")
                assert report.failed is None, report.failed

    @rule(step=st.sampled_from([s.name for s in STEPS]))
    def a_run_is_killed_in_a_step_and_run_again(self, step: str) -> None:
        self.today += timedelta(days=1)
        with contextlib.suppress(Killed):
            run_business_day(self.uow, self.today, self.collab, steps=_killed_in(step))
        run_business_day(self.uow, self.today, self.collab)

    @precondition(lambda self: bool(self._letters()))
    @rule(data=st.data(), share=st.sampled_from(["total", "half", "more", "twice"]))
    def a_letter_is_paid_to_the_client_account(self, data: st.DataObject, share: str) -> None:
        from datetime import UTC, datetime, time

        from krav.formats.camt054_writer import Credit, build_camt054

        letter = data.draw(st.sampled_from([lt for lt in self._letters() if lt.kid]))
        amount = {"total": letter.total, "half": letter.total.allocate([1, 1])[0]}.get(
            share, letter.total + Money.of("100.00")
        )
        self.files += 1
        credit = Credit(f"P{self.files}", amount, self.today, kid=letter.kid, payer_name="debtor")
        file = build_camt054(
            SERVICE.account,
            [credit],
            message_id=f"FLOW-{self.files}",
            created=datetime.combine(self.today, time(6), tzinfo=UTC),
        )
        import_payments(self.uow, file, filename=f"flow-{self.files}.xml")
        if share == "twice":  # the same file again: nothing changes (R-BANK-2)
            import_payments(self.uow, file, filename=f"flow-{self.files}-again.xml")

    @precondition(lambda self: bool(self._open_invoices()))
    @rule(data=st.data(), part=st.sampled_from(["all", "some", "more"]))
    def a_direct_payment_is_posted(self, data: st.DataObject, part: str) -> None:
        number, remaining = data.draw(st.sampled_from(self._open_invoices()))
        amount = {"all": remaining, "some": remaining.allocate([1, 2])[0]}.get(part, remaining + Money.of("50.00"))
        if amount.is_positive():
            ledger.pay_invoice(self.uow, FIGURES, ORGNO, number, amount, on=self.today)

    @precondition(lambda self: bool(self._open_invoices()))
    @rule(data=st.data())
    def a_credit_note_is_posted(self, data: st.DataObject) -> None:
        number, remaining = data.draw(st.sampled_from(self._open_invoices()))
        customer = self._customer_of(number)
        post(self.uow, credit_note(customer, str(remaining.allocate([1, 1])[0].amount), self.today, settles=(number,)))

    @precondition(lambda self: bool(self._claims()))
    @rule(data=st.data(), action=st.sampled_from([Action.PAUSE, Action.RESUME, Action.CLOSE, Action.MESSAGE]))
    def the_creditor_acts(self, data: st.DataObject, action: Action) -> None:
        invoice_number = data.draw(st.sampled_from(sorted(self._claims())))
        # refused as a whole is fine; a refusal per claim is reported by the result
        with contextlib.suppress(KravError):
            collection.act(
                self.uow, ORGNO, [invoice_number], action, on=self.today, by="creditor", rates=RATES, text="Ring meg"
            )

    # -- what always holds -----------------------------------------------------------------------------------

    @invariant()
    def the_books_balance(self) -> None:
        balance = ledger.balance(self.uow, ORGNO)
        assert balance.balanced, (balance.total, balance.subledger_mismatches)

    @invariant()
    def nothing_is_owed_below_zero(self) -> None:
        with self.uow:
            claims = self.uow.collection.claims(1)
        for c in claims:
            for name in ("principal_outstanding", "fees_outstanding", "salaer_outstanding", "overpaid"):
                assert not getattr(c, name).is_negative(), (c, name, getattr(c, name))
            assert not interest_outstanding(c, self.today, RATES).is_negative()
            assert c.principal_outstanding <= c.principal

    @invariant()
    def no_payment_is_applied_twice(self) -> None:
        with self.uow:
            payments = self.uow.collection.payments()
        keys = Counter((p.source, p.reference) for p in payments)
        assert all(n == 1 for n in keys.values()), keys
        applied = [p for p in payments if p.status is PaymentStatus.APPLIED]
        assert len({p.id for p in applied}) == len(applied)

    @invariant()
    def every_letter_adds_up(self) -> None:
        for letter in self._letters():
            assert letter.total == Money.sum((line.total for line in letter.lines), letter.total.currency)
            for line in letter.lines:
                assert line.total == line.principal + line.fee + line.interest + line.salaer
                assert not line.principal.is_negative()
                assert not line.fee.is_negative()
                assert not line.interest.is_negative()

    # -- reading -----------------------------------------------------------------------------------------------

    def _letters(self) -> list:  # type: ignore[type-arg]
        with self.uow:
            return self.uow.collection.letters(1)

    def _claims(self) -> dict[str, object]:
        with self.uow:
            return {c.invoice_number: c for c in self.uow.collection.claims(1, ClaimFilter(open_only=True))}

    def _open_invoices(self) -> list[tuple[str, Money]]:
        return [
            (i.number, i.remaining)
            for i in ledger.open_items(self.uow, ORGNO)
            if i.is_debit and i.remaining.is_positive()
        ]

    def _customer_of(self, number: str) -> str:
        return next(i.customer for i in ledger.open_items(self.uow, ORGNO, open_only=False) if i.number == number)


TheFlow.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_the_flow_keeps_the_books_balanced_and_nothing_counted_twice = TheFlow.TestCase
