"""Random creditor timelines run through the scenario runner: whatever happens, the books balance, nothing is
owed below zero, a claim closed as paid owes nothing, every letter adds up and carries a valid KID."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from krav.bootstrap import sandbox
from krav.domain.errors import FieldError
from krav.domain.kid import is_valid_kid
from krav.domain.money import Money
from krav.formats.scenario import parse_scenario
from krav.services import scenario as scenarios
from krav.services.ports import UnitOfWork

START = date(2025, 1, 6)
DAYS = 110


def _yaml(data: dict[str, Any]) -> bytes:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


@st.composite
def timelines(draw: st.DrawFn) -> dict[str, Any]:
    customers = []
    for n in range(draw(st.integers(1, 3))):
        business = draw(st.booleans())
        customers.append(
            {
                "id": f"{n + 1:03d}",
                "name": f"Kunde {n + 1}",
                "kind": "business" if business else "consumer",
                "orgno": "974760673" if business else None,
                "address": {"street": "Gate 1", "postcode": "0155", "city": "Oslo", "country": "NO"},
                "email": draw(st.sampled_from([None, "kunde@example.no"])),
            }
        )
    invoices = []
    for n in range(draw(st.integers(1, 4))):
        issued = START + timedelta(days=draw(st.integers(0, 20)))
        invoices.append(
            {
                "number": f"{n + 1:04d}",
                "customer": draw(st.sampled_from([c["id"] for c in customers])),
                "issued": issued,
                "due": issued + timedelta(days=14),
                "amount": str(Decimal(draw(st.integers(10_000, 5_000_000))) / 100),
            }
        )
    events = []
    for _ in range(draw(st.integers(0, 5))):
        when = START + timedelta(days=draw(st.integers(20, DAYS - 1)))
        invoice = draw(st.sampled_from([i["number"] for i in invoices]))
        kind = draw(st.sampled_from(["pay_direct", "credit", "write_off", "action", "pay_letter", "approve"]))
        if kind == "pay_direct":
            body: dict[str, Any] = {"invoice": invoice, "amount": str(Decimal(draw(st.integers(100, 3_000_000))) / 100)}
        elif kind == "credit":
            body = {"invoice": invoice, "amount": str(Decimal(draw(st.integers(100, 500_000))) / 100)}
        elif kind == "write_off":
            body = {"invoice": invoice}
        elif kind == "action":
            body = {
                "invoices": [invoice],
                "do": draw(st.sampled_from(["pause", "resume", "close", "message"])),
                "text": "hei",
            }
        elif kind == "approve":
            body = {"invoices": [invoice]}
        else:
            debtor = next(i["customer"] for i in invoices if i["number"] == invoice)
            body = {
                "debtor": debtor,
                "letter": 1,
                "amount": draw(st.sampled_from(["letter_total", "100.00", "5000.00"])),
            }
        events.append({"date": when, kind: body})
    events.sort(key=lambda e: e["date"])
    return {
        "name": "random",
        "creditor": {
            "name": "Tilfeldig AS",
            "orgno": "974760673",
            "account": "86011117947",
            "vat_registered": draw(st.booleans()),
        },
        "agreement": {
            "reminder_before_notice": draw(st.booleans()),
            "automatic_collection_list": draw(st.booleans()),
            "charge_interest": draw(st.booleans()),
            "claim_standard_compensation": draw(st.booleans()),
            "kid_scheme": draw(st.sampled_from(["MOD10", "MOD11"])),
        },
        "customers": customers,
        "invoices": invoices,
        "events": events,
        "run": {"from": START, "to": START + timedelta(days=DAYS)},
    }


def _check(uow: UnitOfWork, outcome: dict[str, Any]) -> None:
    assert outcome["ledger"]["balanced"], "the books must balance"
    zero = "0.00"
    for claim in outcome["claims"]:
        for key in ("principal_outstanding", "fees_outstanding", "interest_outstanding", "salaer_outstanding"):
            assert Decimal(claim[key]) >= 0, (claim["invoice"], key, claim[key])
        if claim["closed_reason"] == "paid":
            assert (
                claim["principal_outstanding"],
                claim["fees_outstanding"],
                claim["salaer_outstanding"],
                claim["interest_outstanding"],
            ) == (zero, zero, zero, zero)
        assert Decimal(claim["fees_outstanding"]) <= Decimal(claim["fees_charged"])
        assert Decimal(claim["salaer_outstanding"]) <= Decimal(claim["salaer_charged"])
        assert Decimal(claim["principal_outstanding"]) <= Decimal(claim["principal"])
    for letter in outcome["letters"]:
        parts = sum(Decimal(letter[k]) for k in ("principal", "fee", "interest", "salaer"))
        assert parts == Decimal(letter["total"])
    with uow:
        for stored in uow.collection.letters(1):
            if stored.deadline is not None:
                assert stored.kid is not None, stored
                assert is_valid_kid(stored.kid), stored
            assert stored.total == Money.sum(line.total for line in stored.lines)
    for settlement in outcome["settlements"]:
        assert all(Decimal(settlement[k]) >= 0 for k in ("principal", "fee", "interest", "overpayment"))


@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a failing timeline is reported as drawn, unshrunk
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(timelines())
def test_any_timeline_keeps_the_books_balanced_and_the_claims_sound(data: dict[str, Any]) -> None:
    scenario = parse_scenario(_yaml(data), filename="random.yaml")
    with sandbox() as app:
        try:
            outcome = scenarios.run_scenario(app.uow(), scenario, collab=app.collaborators(), figures=app.figures)
        except FieldError as exc:
            # an event that cannot happen as drawn (a letter never sent, an invoice settled already, no claim yet)
            assume(not str(exc).startswith("events["))
            raise
        _check(app.uow(), outcome)
