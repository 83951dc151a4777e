"""The daily run on SQLite and PostgreSQL: reruns change nothing, a killed run recovers exactly (R-TIME-1,
R-TIME-5), and every claim keeps an append-only history (R-ACT-5).

The timeline (one creditor, automatic list, no reminder before the notice):

* debtor 10001 owes 1001 (1000.00) and 1002 (500.00), both due 14 March 2025. Notice 28 March (deadline
  11 April); 1001 paused 1 April and resumed 7 April; 1002 credited 100.00 on 2 May; listed Tuesday 15 April;
  Thursday 17 April is Maundy Thursday, so inkasso on Tuesday 22 April (demand deadline 6 May); 100.00 paid on
  the demand 12 May; notice of legal collection 4 June (29 days after 6 May), deadline 18 June; legal 19 June.
* debtor 20001 owes 2001 (800.00), due 14 March: notice 28 March, whose total is paid on Saturday 5 April;
  the claim closes that day, but its confirmation and the remittance wait for Monday 7 April (R-TIME-3).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from krav.adapters.db import tables as t
from krav.adapters.db.engine import make_engine
from krav.adapters.db.migrate import upgrade
from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.domain.money import Money
from krav.formats.scenario import Scenario
from krav.services import collection, ledger
from krav.services.collection import CreditorDay, StepOutcome
from krav.services.daily_run import STEPS, DayReport, Step, run_creditor_day
from krav.services.ports import ClientPayment, UnitOfWork
from krav.services.scenario import outcome
from tests.builders import ORGNO, SERVICE, collaborators, consumer, credit_note, invoice, make_company, post

RATES = load_rate_tables()
START = date(2025, 3, 28)
END = date(2025, 6, 19)
SCENARIO = Scenario(
    name="daily run",
    creditor_name="Eksempel AS",
    creditor_orgno=ORGNO,
    creditor_account="86011117947",
    creditor_vat_registered=True,
    agreement={},
    customers=(),
    invoices=(),
    events=(),
    start=START,
    end=END,
)


def _setup(uow: UnitOfWork) -> None:
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001"), consumer("20001", "Kari Nordmann")])
    issued, due = date(2025, 2, 28), date(2025, 3, 14)
    post(
        uow,
        invoice("1001", "10001", "1000.00", issued, due),
        invoice("1002", "10001", "500.00", issued, due),
        invoice("2001", "20001", "800.00", issued, due),
    )
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        agreement = Agreement(
            active=True, activated_on=START, accepted_by="test", collection_list_email="liste@example.no"
        )
        uow.agreements.save(company.id, agreement)
        uow.commit()


def _pay_letter(uow: UnitOfWork, debtor: str, n: int, amount: Money | None, on: date) -> None:
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        letter = next(lt for lt in uow.collection.letters(company.id, debtor=debtor) if lt.n == n)
        uow.collection.add_payment(
            ClientPayment(
                received_on=on,
                amount=amount or letter.total,
                reference=f"{on.isoformat()}-{debtor}-{n}",
                source="test",
                kid=letter.kid,
                company_id=company.id,
                letter_id=letter.id,
            )
        )
        uow.commit()


def _before(uow: UnitOfWork, day: date) -> None:
    """What happens outside the service on ``day``, before the day's run."""
    if day == date(2025, 4, 1):
        collection.act(uow, ORGNO, ["1001"], Action.PAUSE, on=day, by="creditor", rates=RATES)
    elif day == date(2025, 4, 5):
        _pay_letter(uow, "20001", 1, None, day)  # the letter total: 800.00 + 35.00 + 3.84 = 838.84
    elif day == date(2025, 4, 7):
        collection.act(uow, ORGNO, ["1001"], Action.RESUME, on=day, by="creditor", rates=RATES)
    elif day == date(2025, 5, 2):
        post(uow, credit_note("10001", "100.00", day, settles=("1002",)))
    elif day == date(2025, 5, 12):
        _pay_letter(uow, "10001", 2, Money.of("100.00"), day)
    elif day == date(2025, 5, 13):
        collection.act(uow, ORGNO, ["1001"], Action.MESSAGE, on=day, by="creditor", rates=RATES, text="Ring meg")


def _days() -> Iterator[date]:
    day = START
    while day <= END:
        yield day
        day += timedelta(days=1)


class Stopped(BaseException):
    """A run stopped on purpose, as if the process had been killed there (so no error the run isolates)."""


def _stopped_at(where: str) -> list[Step]:
    """The day's steps with one of them stopped: ``"before X"`` stops before step X does anything (a run killed
    right after the step before it committed), ``"during X"`` after X's work, before its transaction commits."""
    when, name = where.split()

    def stopping(step: Step) -> Step:
        def run(uow: UnitOfWork, ctx: CreditorDay) -> StepOutcome:
            if when == "before":
                raise Stopped(where)
            step(uow, ctx)
            raise Stopped(where)

        return Step(step.name, run, step.rule)

    return [stopping(s) if s.name == name else s for s in STEPS]


def _run(uow: UnitOfWork, day: date, stop: str | None = None) -> DayReport:
    steps = STEPS if stop is None else _stopped_at(stop)
    return run_creditor_day(uow, ORGNO, day, collaborators(RATES, SERVICE), steps=steps)


def _histories(uow: UnitOfWork) -> dict[str, list[tuple[Any, ...]]]:
    """Each claim's history without the wall-clock time it was written."""
    with uow:
        company = uow.companies.get(ORGNO)
        assert company.id is not None
        claims = uow.collection.claims(company.id)
        return {
            c.invoice_number: [
                (e.date, e.kind, e.by, e.amount, e.detail) for e in uow.collection.history(company.id, c.id or 0)
            ]
            for c in claims
        }


def _state(uow: UnitOfWork) -> tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]:
    return outcome(uow, SCENARIO, rates=RATES, actions=[]), _histories(uow)


def _run_timeline(uow: UnitOfWork, stop: str | None = None) -> int:
    """Run every day of the timeline; with ``stop``, each day is first stopped there (see :func:`_stopped_at`)
    and then run again. Returns how many runs were stopped."""
    stopped = 0
    for day in _days():
        _before(uow, day)
        if stop is not None:
            with pytest.raises(Stopped, match=stop):
                _run(uow, day, stop)
            stopped += 1
        _run(uow, day)
    return stopped


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]:
    """The state after an uninterrupted run of the timeline (the state is the same on either backend)."""
    path: Path = tmp_path_factory.mktemp("reference") / "krav.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    try:
        uow = unit_of_work(engine)
        _setup(uow)
        _run_timeline(uow)
        return _state(uow)
    finally:
        engine.dispose()


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    unit = unit_of_work(engine)
    _setup(unit)
    return unit


def _letter_summary(state: dict[str, Any]) -> list[tuple[str, str, str, list[str]]]:
    return [(lt["sent"], lt["debtor"], lt["type"], lt["invoices"]) for lt in state["letters"]]


def test_the_reference_timeline_is_what_the_rules_say(
    reference: tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]],
) -> None:
    """R-CLM-3, R-CLM-4, R-CLM-5, R-CLM-9, R-CLM-12, R-CLM-13, R-TIME-3: the timeline the other tests compare."""
    state, _ = reference
    assert _letter_summary(state) == [
        ("2025-03-28", "10001", "notice", ["1001", "1002"]),
        ("2025-03-28", "20001", "notice", ["2001"]),
        ("2025-04-07", "20001", "paid_confirmation", ["2001"]),  # paid Saturday 5 April
        ("2025-04-22", "10001", "payment_demand", ["1001", "1002"]),
        ("2025-06-04", "10001", "legal_notice", ["1001", "1002"]),
    ]
    assert state["collection_lists"] == [{"date": "2025-04-15", "invoices": ["1001", "1002"]}]
    # 800.00 × 0.125 × 14 / 365 = 3.8356… → 3.84 on the notice; the payment of its total settles the claim in full
    assert state["settlements"] == [
        {"date": "2025-04-07", "principal": "800.00", "fee": "35.00", "interest": "3.84", "overpayment": "0.00"},
        # 100.00 on the payment demand: 1001's fee 35.00, then 65.00 of its salær (the service's, not remitted)
        {"date": "2025-05-12", "principal": "0.00", "fee": "35.00", "interest": "0.00", "overpayment": "0.00"},
    ]
    stages = {c["invoice"]: (c["stage"], c["closed_reason"]) for c in state["claims"]}
    assert stages == {"1001": ("legal", None), "1002": ("legal", None), "2001": ("closed", "paid")}
    by_invoice = {c["invoice"]: c for c in state["claims"]}
    # light salær on 1000.00 + 500.00 = 1500.00: 0.40 × 700 = 280.00; heavy on 1000.00 + 400.00 (after the credit)
    # = 1400.00: 2 × 0.40 × 700 = 560.00 — carried by the first claim
    assert (by_invoice["1001"]["salaer_charged"], by_invoice["1002"]["salaer_charged"]) == ("560.00", "0.00")
    assert by_invoice["1002"]["principal_outstanding"] == "400.00"


def test_rerunning_any_past_date_changes_nothing_r_time_1(
    uow: UnitOfWork, reference: tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]
) -> None:
    _run_timeline(uow)
    assert _state(uow) == reference
    for day in _days():
        report = _run(uow, day)
        assert report.steps_run == []
        assert report.steps_skipped == [step.name for step in STEPS]
        assert sum(report.letters.values()) == 0
    assert _state(uow) == reference


@pytest.mark.parametrize("stop", [f"{when} {s.name}" for s in STEPS for when in ("before", "during")])
def test_a_run_stopped_at_any_step_and_run_again_ends_as_an_uninterrupted_run_r_time_5(
    uow: UnitOfWork, stop: str, reference: tuple[dict[str, Any], dict[str, list[tuple[Any, ...]]]]
) -> None:
    stopped = _run_timeline(uow, stop)
    assert stopped == (END - START).days + 1
    state, histories = _state(uow)
    assert state == reference[0]
    assert histories == reference[1]
    assert {k: Counter(e[1] for e in v) for k, v in histories.items()} == {
        k: Counter(e[1] for e in v) for k, v in reference[1].items()
    }
    per_claim_and_type = Counter((inv, lt["type"]) for lt in state["letters"] for inv in lt["invoices"])
    assert set(per_claim_and_type.values()) == {1}


def test_a_claims_history_holds_its_events_in_order_r_act_5(uow: UnitOfWork) -> None:
    _run_timeline(uow)
    history = _histories(uow)["1001"]
    kinds = [(kind, detail) for _, kind, _, _, detail in history]
    expected_in_order = [
        ("submitted", None),
        ("fee", "notice fee"),
        ("letter", "notice"),
        ("stage", "notice"),
        ("action", "pause"),
        ("action", "resume"),
        ("stage", "collection_list"),
        ("stage", "inkasso"),
        ("letter", "payment_demand"),
        ("payment", None),
        ("message", "Ring meg"),
        ("letter", "legal_notice"),
        ("stage", "legal"),
    ]
    position = 0
    for kind, detail in kinds:
        want_kind, want_detail = expected_in_order[position]
        if kind == want_kind and (want_detail is None or detail == want_detail):
            position += 1
            if position == len(expected_in_order):
                break
    assert position == len(expected_in_order), f"stopped before {expected_in_order[position]} in {kinds}"
    dates = [d for d, *_ in history]
    assert dates == sorted(dates)
    fee = next(e for e in history if e[1] == "fee")
    assert fee[3] == Money.of("35.00")
    assert next(e for e in history if e[1] == "action")[2] == "creditor"
    credit = next(e for e in _histories(uow)["1002"] if e[1] == "credit")
    assert (credit[0], credit[3]) == (date(2025, 5, 2), Money.of("100.00"))


@pytest.mark.parametrize(
    "statement",
    [t.claim_event.update().values(detail="changed"), t.claim_event.delete()],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_or_delete_a_claim_event_r_act_5(
    engine: Engine, uow: UnitOfWork, statement: sa.Executable
) -> None:
    _run(uow, START)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(t.claim_event)).scalar_one() > 0
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(statement)
    with engine.connect() as conn:
        assert (
            conn.execute(
                sa.select(sa.func.count()).select_from(t.claim_event).where(t.claim_event.c.detail == "changed")
            ).scalar_one()
            == 0
        )


def test_the_first_letter_goes_out_in_the_run_that_submits_the_claim_r_clm_2(uow: UnitOfWork) -> None:
    report = _run(uow, START)
    assert report.submitted == 3
    assert report.letters == Counter({"notice": 2})
