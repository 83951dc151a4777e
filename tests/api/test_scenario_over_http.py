"""A scenario of ../shared/scenarios driven through the REST API only, from an empty database to the settlement:
the company, its agreement and activation, the customer and the invoice from an ERP's key, each business day
run, the debtor's payment as the client account's camt.054 file, and the outcome read back over HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from krav.domain.access import Role
from krav.domain.money import Money
from krav.formats.camt054_writer import Credit, build_camt054
from krav.services.scenario import differences, read_scenario
from tests.api.conftest import Api, Caller
from tests.conftest import SCENARIOS, SERVICE_SETTINGS


def _scenario() -> Any:
    path = SCENARIOS / "b_reminder_list_inkasso_partial.yaml"
    return read_scenario(path.read_bytes(), filename=path.name)


def _set_up(operator: Caller, s: Any) -> Caller:
    orgno = s.creditor_orgno
    created = operator.post(
        "/companies",
        json={
            "orgno": orgno,
            "name": s.creditor_name,
            "bank_account": s.creditor_account,
            "vat_registered": s.creditor_vat_registered,
        },
    )
    assert created.status_code == 201, created.text
    changes = {**s.agreement, "collection_list_email": f"inkassoliste@{orgno}.example"}
    assert operator.patch(f"/companies/{orgno}/agreement", json={"changes": changes}).status_code == 200
    day = s.start.isoformat()
    terms = operator.get(f"/companies/{orgno}/agreement/terms", params={"on": day}).json()
    activated = operator.post(
        f"/companies/{orgno}/agreement/activate", json={"accepted_terms": terms["fingerprint"], "on": day}
    )
    assert activated.status_code == 200, activated.text
    granted = operator.post(f"/companies/{orgno}/api-clients", json={"name": "ERP", "role": "integration"})
    erp = Caller(operator.client, granted.json()["token"])
    customers = [
        {
            "number": c.id,
            "name": c.name,
            "kind": c.kind,
            "orgno": c.orgno,
            "address": {"street": c.street, "postcode": c.postcode, "city": c.city, "country": c.country},
            "email": c.email,
            "email_for_letters": c.email is not None,
            "exempt": c.exempt,
        }
        for c in s.customers
    ]
    invoices = [
        {
            "number": i.number,
            "customer": i.customer,
            "issued": i.issued.isoformat(),
            "due": i.due.isoformat(),
            "amount": f"{i.amount.amount:.2f}",
        }
        for i in s.invoices
    ]
    sent = erp.post(
        f"/companies/{orgno}/invoices",
        json={"customers": customers, "invoices": invoices},
        headers={"Idempotency-Key": "invoices-1"},
    )
    assert sent.status_code == 201, sent.text
    return erp


def _pay_letter(operator: Caller, orgno: str, event: Any) -> None:
    letters = operator.get(f"/companies/{orgno}/letters", params={"debtor": event.data["debtor"]}).json()["items"]
    (letter,) = [lt for lt in letters if lt["n"] == event.data["letter"]]
    credit = Credit(f"API{event.index:04d}", Money.of(str(event.data["amount"])), event.on, kid=letter["kid"])
    data = build_camt054(
        SERVICE_SETTINGS["KRAV_SERVICE_ACCOUNT"],
        [credit],
        message_id=f"API-{event.on:%Y%m%d}-{event.index}",
        created=datetime.combine(event.on, time(6), tzinfo=UTC),
    )
    uploaded = operator.post(
        "/payment-files",
        params={"filename": f"camt054-{event.on}.xml", "on": event.on.isoformat()},
        content=data,
        headers={"Content-Type": "application/xml", "Idempotency-Key": f"camt-{event.index}"},
    )
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["matched"] == 1


def _outcome(operator: Caller, orgno: str, last: date) -> dict[str, Any]:
    claims = operator.get(f"/companies/{orgno}/claims", params={"on": last.isoformat(), "include_closed": True})
    letters = operator.get(f"/companies/{orgno}/letters").json()["items"]
    items = operator.get(f"/companies/{orgno}/items", params={"include_settled": True}).json()["items"]
    return {
        "claims": [
            {
                "invoice": c["invoice_number"],
                "stage": c["stage"],
                **{
                    k: c[k]
                    for k in (
                        "principal",
                        "principal_outstanding",
                        "fees_charged",
                        "fees_outstanding",
                        "interest_accrued",
                        "interest_outstanding",
                        "salaer_charged",
                        "salaer_outstanding",
                    )
                },
            }
            for c in sorted(claims.json()["items"], key=lambda c: c["invoice_number"])
        ],
        "letters": [
            {
                "debtor": lt["debtor"],
                "n": lt["n"],
                "type": lt["type"],
                "sent": lt["sent_on"],
                "deadline": lt["deadline"],
                "invoices": [line["invoice_number"] for line in lt["lines"]],
                **{
                    k: f"{sum(Decimal(line[k]) for line in lt['lines']):.2f}"
                    for k in ("principal", "fee", "interest", "salaer")
                },
                "total": lt["total"],
            }
            for lt in sorted(letters, key=lambda lt: (lt["sent_on"], lt["debtor"], lt["n"]))
        ],
        "collection_lists": [
            {"date": lst["date"], "invoices": lst["invoices"]}
            for lst in operator.get(f"/companies/{orgno}/collection-lists").json()
        ],
        "settlements": [
            {
                "date": st["settled_on"],
                "principal": st["principal"],
                "fee": st["fee"],
                "interest": st["interest"],
                "overpayment": st["overpaid"],
            }
            for st in operator.get(f"/companies/{orgno}/settlements").json()
        ],
        "ledger": {
            "balanced": operator.get(f"/companies/{orgno}/ledger/balance").json()["balanced"],
            "open_items": [
                {"invoice": i["number"], "remaining": i["remaining"]}
                for i in sorted(items, key=lambda i: i["number"])
                if Decimal(i["amount"]) > 0 and Decimal(i["remaining"]) != 0
            ],
        },
    }


@pytest.mark.slow
def test_scenario_b_through_http_only_ends_as_the_scenario_expects(api: Api):
    s = _scenario()
    operator = api.as_(api.key(Role.OPERATOR))
    _set_up(operator, s)
    events = {e.on: [] for e in s.events}
    for e in s.events:
        events[e.on].append(e)
    day = s.start
    while day <= s.end:
        for event in events.get(day, []):
            assert event.kind == "pay_letter"
            _pay_letter(operator, s.creditor_orgno, event)
        ran = operator.post("/runs", json={"on": day.isoformat()}, params={"company": s.creditor_orgno})
        assert ran.status_code == 200, ran.text
        day += timedelta(days=1)
    actual = _outcome(operator, s.creditor_orgno, s.end)
    expected = {k: v for k, v in s.expect.items() if k != "proposal"}
    assert differences(expected, actual) == []
    # the settlement's files, as the creditor's ERP fetches them
    (settlement,) = operator.get(f"/companies/{s.creditor_orgno}/settlements").json()
    base = f"/companies/{s.creditor_orgno}/settlements/{settlement['reference']}"
    pdf = operator.get(f"{base}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    pain = operator.get(f"{base}/pain001.xml")
    assert pain.headers["content-type"].startswith("application/xml")
    assert f"<CtrlSum>{settlement['total']}</CtrlSum>".encode() in pain.content
    assert operator.get(f"{base}/report.csv").status_code == 200
    postings = operator.get(f"{base}/postings").json()
    assert postings["voucher_type"] == 198
    assert sum(Decimal(line["amount"]) for line in postings["lines"]) == 0
    (bank,) = [line for line in postings["lines"] if line["account"] == "1921"]
    assert bank["amount"] == settlement["total"]
    assert operator.get(f"{base}/nothing.txt").status_code == 422
