"""The business day on the fakes of the ports (R-TIME-1, R-TIME-5, R-CLM-1, R-CLM-3, R-ACT-4).

One creditor whose agreement sends the notice as the first letter, interest at 12.50 % in 2025 H1. Debtor 10001
(with an e-mail address) owes 1001 (1000.00) and 1002 (500.00), debtor 20001 owes 2001 (800.00), all issued
1 March and due 14 March 2025. The run of Friday 28 March submits the three items and sends each debtor one
notice: 1001 carries the fee 35.00 and interest 1000 × 0.125 × 14 / 365 = 4.79; 1002 interest 2.40; 2001 the fee
35.00 and interest 3.84, so letter 20001/1 totals 838.84. Its deadline is 11 April.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from krav.adapters.ratefile import load_rate_tables
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action, Refusal
from krav.domain.collection.claims import Claim, ClosedReason, Stage
from krav.domain.collection.events import EventKind
from krav.domain.collection.letters import LetterType
from krav.domain.money import Money
from krav.services import collection, ledger
from krav.services.collection import CreditorDay, StepOutcome
from krav.services.daily_run import STEPS, Step, run_business_day, run_creditor_day, run_days
from krav.services.ports import ClaimFilter, Collaborators, HistoryEntry, StoredLetter, UnitOfWork
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post
from tests.fakes import FakeMailer, FakeRenderer, FakeUnitOfWork, relayed_unit_of_work

RATES = load_rate_tables()
NOTICE_DAY = date(2025, 3, 28)
STEP_NAMES = [step.name for step in STEPS]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    unit = relayed_unit_of_work(RATES)
    make_company(unit)
    ola = consumer("10001", email="ola@example.no", email_for_letters=True)  # gave the address for letters
    ledger.save_customers(unit, ORGNO, [ola, consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 3, 1), date(2025, 3, 14)
    post(
        unit,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    with unit:
        unit.agreements.save(
            1, Agreement(active=True, activated_on=NOTICE_DAY, accepted_by="test", collection_list_email="l@example.no")
        )
        unit.commit()
    return unit


@pytest.fixture
def collab(tmp_path: Path) -> Collaborators:
    return Collaborators(
        rates=RATES,
        service=SERVICE,
        renderer=FakeRenderer(),
        mailer=FakeMailer(),
        print_dir=tmp_path / "print",
        remittance_dir=tmp_path / "remittance",
    )


def _letters(uow: FakeUnitOfWork) -> list[StoredLetter]:
    with uow:
        return uow.collection.letters(1)


def _claims(uow: FakeUnitOfWork) -> dict[str, Claim]:
    with uow:
        return {c.invoice_number: c for c in uow.collection.claims(1)}


def _history(uow: FakeUnitOfWork, invoice_number: str) -> list[HistoryEntry]:
    with uow:
        (claim,) = uow.collection.claims(1, ClaimFilter(invoice_numbers=[invoice_number]))
        assert claim.id is not None
        return uow.collection.history(1, claim.id)


def _failing(name: str) -> list[Step]:
    """The day's steps with step ``name`` failing after its work, before its transaction commits."""

    def fail_after(step: Step) -> Step:
        def run(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
            step(uow, ctx)
            raise RuntimeError(f"{step.name} failed")

        return Step(step.name, run, step.rule)

    return [fail_after(s) if s.name == name else s for s in STEPS]


# -- the notice day ----------------------------------------------------------------------------------------------


def test_a_notice_day_auto_transfers_and_sends_one_notice_per_debtor_with_the_fee_on_the_first_claim_r_clm_1_r_clm_3(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    report = run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    assert report.submitted == 3
    assert report.letters == Counter({LetterType.NOTICE: 2})
    summary = [
        (lt.debtor, lt.n, lt.type, [(x.invoice_number, x.fee, x.interest) for x in lt.lines]) for lt in _letters(uow)
    ]
    assert summary == [
        (
            "10001",
            1,
            LetterType.NOTICE,
            [("1001", Money.of("35.00"), Money.of("4.79")), ("1002", Money.of("0.00"), Money.of("2.40"))],
        ),
        ("20001", 1, LetterType.NOTICE, [("2001", Money.of("35.00"), Money.of("3.84"))]),
    ]
    notice = _letters(uow)[1]
    assert (notice.total, notice.deadline, notice.account) == (Money.of("838.84"), date(2025, 4, 11), SERVICE.account)
    assert notice.kid is not None
    claims = _claims(uow)
    assert {n: (c.stage, c.fees_charged) for n, c in claims.items()} == {
        "1001": (Stage.NOTICE, Money.of("35.00")),
        "1002": (Stage.NOTICE, Money.of("0.00")),
        "2001": (Stage.NOTICE, Money.of("35.00")),
    }


def test_every_step_of_the_day_runs_in_order_and_leaves_its_done_record_r_time_5(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    report = run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    assert report.steps_run == STEP_NAMES
    with uow:
        assert [uow.collection.step_done(1, NOTICE_DAY, name) for name in STEP_NAMES] == [True] * len(STEPS)
        assert not uow.collection.step_done(1, date(2025, 3, 31), "letters")


def test_running_the_same_date_again_runs_no_step_and_changes_nothing_r_time_1(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    before, commits = copy.deepcopy(uow.committed), uow.commits
    again = run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    assert (again.steps_run, again.steps_skipped) == ([], STEP_NAMES)
    assert (again.submitted, sum(again.letters.values())) == (0, 0)
    assert uow.commits == commits
    assert uow.committed == before


def test_a_step_that_fails_leaves_nothing_of_itself_and_the_rerun_does_it_once(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    stopped = run_creditor_day(uow, ORGNO, NOTICE_DAY, collab, steps=_failing("letters"))
    # the failure is reported and the day stops there: the steps after it wait for the next run
    assert stopped.failed is not None
    assert stopped.failed.startswith("letters: RuntimeError:")
    assert "letters failed" in stopped.failed
    assert stopped.troubled
    assert stopped.steps_run == STEP_NAMES[: STEP_NAMES.index("letters")]
    # the steps before it stand; the failed one left no letter, no fee, no event and no done-record
    assert len(_claims(uow)) == 3
    assert _letters(uow) == []
    assert _claims(uow)["1001"].fees_charged == Money.of("0.00")
    assert [e.kind for e in _history(uow, "1001")] == [EventKind.SUBMITTED]
    with uow:
        assert uow.collection.step_done(1, NOTICE_DAY, "auto_transfer")
        assert not uow.collection.step_done(1, NOTICE_DAY, "letters")

    rerun = run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    assert rerun.steps_skipped == STEP_NAMES[: STEP_NAMES.index("letters")]
    assert rerun.letters == Counter({LetterType.NOTICE: 2})
    assert [(lt.debtor, lt.n) for lt in _letters(uow)] == [("10001", 1), ("20001", 1)]
    assert _claims(uow)["1001"].fees_charged == Money.of("35.00")
    assert Counter(e.kind for e in _history(uow, "1001"))[EventKind.FEE] == 1


# -- delivery ----------------------------------------------------------------------------------------------------


def test_the_days_notices_go_once_by_email_where_the_debtor_gave_an_address_for_letters_and_else_to_print_r_svc_2(
    uow: FakeUnitOfWork, collab: Collaborators, tmp_path: Path
) -> None:
    day = run_business_day(uow, NOTICE_DAY, collab)
    assert day.outbox is not None
    assert (day.outbox.sent, day.outbox.printed, day.outbox.failed) == (1, 1, 0)
    mailer = collab.mailer
    assert isinstance(mailer, FakeMailer)
    (mail,) = mailer.sent
    assert mail.to == "ola@example.no"
    assert [a.content for a in mail.attachments] == [b"%PDF-fake notice 10001/1"]
    printed = sorted(p.name for p in (tmp_path / "print" / ORGNO / NOTICE_DAY.isoformat()).iterdir())
    assert [name.rsplit(".", 1)[1] for name in printed] == ["csv", "pdf"]

    again = run_business_day(uow, NOTICE_DAY, collab)
    assert again.outbox is not None
    assert (again.outbox.sent, again.outbox.printed) == (0, 0)
    assert len(mailer.sent) == 1


# -- the creditor's actions --------------------------------------------------------------------------------------


def test_a_claim_before_inkasso_can_be_paused_once_and_resumed_once_r_act_1(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    on = date(2025, 4, 1)

    def act(action: Action) -> list[tuple[bool, Refusal | None]]:
        return [
            (r.accepted, r.reason) for r in collection.act(uow, ORGNO, ["1001"], action, on=on, by="c", rates=RATES)
        ]

    assert act(Action.PAUSE) == [(True, None)]
    assert _claims(uow)["1001"].paused
    assert act(Action.PAUSE) == [(False, Refusal.ALREADY_PAUSED)]
    assert act(Action.RESUME) == [(True, None)]
    assert not _claims(uow)["1001"].paused
    assert act(Action.RESUME) == [(False, Refusal.NOT_PAUSED)]


def test_a_claim_in_inkasso_refuses_pause_and_resume_and_takes_a_message_and_close_r_act_4(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    """Listed on Tuesday 15 April; its Thursday is Maundy Thursday, so inkasso on Tuesday 22 April (R-TIME-3)."""
    run_days(uow, NOTICE_DAY, date(2025, 4, 22), collab, deliver_letters=False)
    assert {c.stage for c in _claims(uow).values()} == {Stage.INKASSO}
    on = date(2025, 4, 23)

    def act(action: Action, text: str | None = None) -> list[tuple[str, bool, Refusal | None]]:
        results = collection.act(uow, ORGNO, ["1001", "1002"], action, on=on, by="creditor", rates=RATES, text=text)
        return [(r.invoice_number, r.accepted, r.reason) for r in results]

    refused = Refusal.CLAIM_IN_INKASSO
    assert act(Action.PAUSE) == [("1001", False, refused), ("1002", False, refused)]
    assert act(Action.RESUME) == [("1001", False, refused), ("1002", False, refused)]
    assert not any(c.paused for c in _claims(uow).values())
    # a refused action is no event on the claim: its history is what happened to it (R-ACT-5)
    assert [e.kind for e in _history(uow, "1001") if e.date == on] == []

    assert act(Action.MESSAGE, "Ring meg") == [("1001", True, None), ("1002", True, None)]
    assert act(Action.CLOSE) == [("1001", True, None), ("1002", True, None)]
    claims = _claims(uow)
    assert {n: (c.stage, c.closed_reason, c.closed_on) for n, c in claims.items() if n != "2001"} == {
        "1001": (Stage.CLOSED, ClosedReason.CLOSED_BY_CREDITOR, on),
        "1002": (Stage.CLOSED, ClosedReason.CLOSED_BY_CREDITOR, on),
    }
    assert act(Action.PAUSE) == [("1001", False, Refusal.CLAIM_CLOSED), ("1002", False, Refusal.CLAIM_CLOSED)]


# -- a day the rate table does not know (DOMAIN.md section 8) ------------------------------------------------------

UNKNOWN_DAY = date(2027, 2, 1)  # the built-in table ends 31 December 2026


def test_a_real_run_holds_a_day_whose_rates_are_unknown_and_names_the_table_to_load(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    report = run_creditor_day(uow, ORGNO, UNKNOWN_DAY, collab)
    assert report.troubled
    assert report.failed is not None
    assert report.failed.startswith("held: the rate table ends 31.12.2026")
    assert "the half-year from 01.01.2027 with `krav rates load FILE`" in report.failed
    assert report.steps_run == []
    with uow:
        assert uow.collection.claims(1) == []  # not even the auto-transfer: the day runs in full once loaded
        assert not uow.collection.step_done(1, UNKNOWN_DAY, "money_in")


def test_a_what_if_assumes_the_last_known_rates_and_says_so(uow: FakeUnitOfWork, collab: Collaborators) -> None:
    report = run_creditor_day(uow, ORGNO, UNKNOWN_DAY, replace(collab, what_if=True))
    assert report.failed is None
    assert report.steps_run == STEP_NAMES
    (note,) = report.notes
    assert note.startswith("what-if: no rates are known for 2027-02-01 (the rate table ends 2026-12-31)")
    assert report.letters == Counter({LetterType.NOTICE: 2})


def test_a_day_before_the_creditors_last_run_is_not_run_and_the_report_says_why(
    uow: FakeUnitOfWork, collab: Collaborators
) -> None:
    """The business days go forward: the claims have lived past an earlier day, so it is skipped, with a word."""
    run_creditor_day(uow, ORGNO, NOTICE_DAY, collab)
    before, commits = copy.deepcopy(uow.committed), uow.commits
    report = run_creditor_day(uow, ORGNO, date(2025, 3, 27), collab)
    assert report.steps_run == []
    assert not report.troubled
    assert report.notes == [
        "skipped: Eksempel AS's last run was 28.03.2025; an earlier day is not run, as its claims have moved past "
        "it (to see what a day would do, use `krav simulate` or `krav run --dry-run`)"
    ]
    assert (uow.committed, uow.commits) == (before, commits)
    later = run_creditor_day(uow, ORGNO, date(2025, 3, 31), collab)
    assert later.steps_run == STEP_NAMES
