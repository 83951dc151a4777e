"""Closing a claim in inkasso invoices its costs to the creditor (R-ACT-2); messages and answers stay in the
claim's history (R-ACT-3). On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine

from krav.adapters.ratefile import load_rate_tables
from krav.bootstrap import unit_of_work
from krav.domain.agreement import Agreement
from krav.domain.collection.actions import Action
from krav.domain.collection.claims import ClosedReason, Stage
from krav.domain.money import Money
from krav.services import collection, ledger
from krav.services.ports import ClaimFilter, UnitOfWork
from tests.builders import ORGNO, SERVICE, consumer, invoice, make_company, post, run_day

RATES = load_rate_tables()


def _setup(engine: Engine, *, invoice_costs: bool) -> UnitOfWork:
    uow = unit_of_work(engine)
    make_company(uow)
    ledger.save_customers(uow, ORGNO, [consumer("10001")])
    post(uow, invoice("1001", "10001", "1000.00", date(2025, 3, 1), date(2025, 3, 14)))
    with uow:
        uow.agreements.save(
            1,
            replace(
                Agreement(collection_list_email="liste@eksempel.no"),
                active=True,
                activated_on=date(2025, 3, 1),
                invoice_inkasso_costs_on_close=invoice_costs,
            ),
        )
        uow.commit()
    return uow


def _run(uow: UnitOfWork, first: date, last: date) -> None:
    day = first
    while day <= last:
        run_day(uow, ORGNO, day, rates=RATES, service=SERVICE)
        day += timedelta(days=1)


def _claim(uow: UnitOfWork):  # type: ignore[no-untyped-def]
    with uow:
        return uow.collection.claims(1, ClaimFilter(invoice_numbers=["1001"]))[0]


def test_closing_a_claim_in_inkasso_invoices_its_costs_with_vat_in_the_next_settlement_r_act_2(engine: Engine) -> None:
    """Notice 28.03, listed Tuesday 15.04; the Thursday is Maundy Thursday and the next bank day after Easter is
    22.04, when it goes to inkasso with light salær 0.35 × 700 = 245.00. Closed on 23.04, the 245.00 salær goes to
    the creditor with 25 % VAT, 61.25, and the day's settlement is −306.25, posted against 6790 and 2710 with the
    intermediary account."""
    uow = _setup(engine, invoice_costs=True)
    _run(uow, date(2025, 3, 14), date(2025, 4, 22))
    assert _claim(uow).stage is Stage.INKASSO
    assert collection.closing_costs(uow, ORGNO, ["1001"]) == {"1001": Money.of("245.00")}
    (result,) = collection.act(uow, ORGNO, ["1001"], Action.CLOSE, on=date(2025, 4, 23), by="kari", rates=RATES)
    assert result.accepted
    assert result.costs_invoiced == Money.of("245.00")
    claim = _claim(uow)
    assert (claim.stage, claim.closed_reason) == (Stage.CLOSED, ClosedReason.CLOSED_BY_CREDITOR)
    _run(uow, date(2025, 4, 23), date(2025, 4, 23))
    with uow:
        (settlement,) = uow.collection.settlements(1)
    assert (settlement.costs, settlement.costs_vat) == (Money.of("245.00"), Money.of("61.25"))
    assert settlement.total == Money.of("-306.25")
    trial = ledger.balance(uow, ORGNO)
    assert trial.balanced
    assert trial.trial_balance["6790 NOK"] == Money.of("245.00")
    assert trial.trial_balance["2710 NOK"] == Money.of("61.25")
    assert trial.trial_balance["1921 NOK"] == Money.of("-306.25")


def test_without_the_agreement_saying_so_closing_in_inkasso_invoices_nothing_r_act_2(engine: Engine) -> None:
    uow = _setup(engine, invoice_costs=False)
    _run(uow, date(2025, 3, 14), date(2025, 4, 22))
    assert _claim(uow).stage is Stage.INKASSO
    assert collection.closing_costs(uow, ORGNO, ["1001"]) == {}
    (result,) = collection.act(uow, ORGNO, ["1001"], Action.CLOSE, on=date(2025, 4, 23), by="kari", rates=RATES)
    assert result.accepted
    assert result.costs_invoiced is None
    _run(uow, date(2025, 4, 23), date(2025, 4, 23))
    with uow:
        assert uow.collection.settlements(1) == []


def test_closing_before_inkasso_invoices_nothing_r_act_2(engine: Engine) -> None:
    uow = _setup(engine, invoice_costs=True)
    _run(uow, date(2025, 3, 14), date(2025, 3, 31))
    assert _claim(uow).stage is Stage.NOTICE
    (result,) = collection.act(uow, ORGNO, ["1001"], Action.CLOSE, on=date(2025, 4, 1), by="kari", rates=RATES)
    assert result.accepted
    assert result.costs_invoiced is None


def test_a_message_and_the_handlers_answer_are_kept_in_the_claims_history_r_act_3(engine: Engine) -> None:
    uow = _setup(engine, invoice_costs=True)
    _run(uow, date(2025, 3, 14), date(2025, 3, 28))
    (result,) = collection.act(
        uow,
        ORGNO,
        ["1001"],
        Action.MESSAGE,
        on=date(2025, 3, 31),
        by="kari",
        rates=RATES,
        text="Kunden sier fakturaen er betalt til feil konto.",
    )
    assert result.accepted
    collection.answer(uow, ORGNO, "1001", "Vi ber om kvittering fra kunden.", on=date(2025, 4, 1), by="handler")
    claim = _claim(uow)
    with uow:
        history = uow.collection.history(1, claim.id)
    said = [(e.kind, e.by, e.detail) for e in history if e.kind in ("message", "answer")]
    assert said == [
        ("message", "kari", "Kunden sier fakturaen er betalt til feil konto."),
        ("answer", "handler", "Vi ber om kvittering fra kunden."),
    ]
    assert claim.stage is Stage.NOTICE  # a message changes nothing else


def test_a_message_needs_a_text_r_act_3(engine: Engine) -> None:
    from krav.domain.errors import FieldError

    uow = _setup(engine, invoice_costs=True)
    _run(uow, date(2025, 3, 14), date(2025, 3, 28))
    with pytest.raises(FieldError, match="text"):
        collection.act(uow, ORGNO, ["1001"], Action.MESSAGE, on=date(2025, 3, 31), by="kari", rates=RATES, text=" ")
    with pytest.raises(FieldError, match="text"):
        collection.answer(uow, ORGNO, "1001", "  ", on=date(2025, 3, 31), by="handler")
