"""What an ERP developer expects of the resources: ETags with If-Match on what is edited, cursor pages that
cover a list once, filters, money as decimal strings, problems in both languages; `krav keys` and `krav serve`."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

from typer.testing import CliRunner

from krav.domain.access import Role
from krav.domain.money import Money
from krav.entrypoints import cli
from krav.formats.camt054_writer import Credit, build_camt054
from tests.api.conftest import A, Api, customer_body, invoice_body, set_up_company
from tests.conftest import SERVICE_SETTINGS


def test_a_change_sent_with_an_old_etag_is_refused_and_changes_nothing(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    admin = api.as_(api.key(Role.CREDITOR_ADMIN, A))
    read = admin.get(f"/companies/{A}/agreement")
    tag = read.headers["etag"]
    first = admin.patch(
        f"/companies/{A}/agreement", json={"changes": {"reminder_deadline_days": 10}}, headers={"If-Match": tag}
    )
    assert first.status_code == 200, first.text
    assert first.headers["etag"] != tag
    stale = admin.patch(
        f"/companies/{A}/agreement", json={"changes": {"reminder_deadline_days": 12}}, headers={"If-Match": tag}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert admin.get(f"/companies/{A}/agreement").json()["fields"]["reminder_deadline_days"] == "10"
    company = admin.get(f"/companies/{A}")
    renamed = admin.patch(
        f"/companies/{A}", json={"name": "Nytt navn AS"}, headers={"If-Match": company.headers["etag"]}
    )
    assert renamed.status_code == 200
    again = admin.patch(f"/companies/{A}", json={"name": "Tredje AS"}, headers={"If-Match": company.headers["etag"]})
    assert again.status_code == 412
    assert admin.get(f"/companies/{A}").json()["name"] == "Nytt navn AS"


def test_pages_cover_a_list_once_in_order(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    erp = api.as_(api.key(Role.INTEGRATION, A))
    body = {
        "customers": [customer_body("20002")],
        "invoices": [invoice_body(str(3000 + n), "20002", f"{100 + n}.50") for n in range(7)],
    }
    assert erp.post(f"/companies/{A}/invoices", json=body).status_code == 201
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = erp.get(f"/companies/{A}/items", params=params).json()
        seen += [i["number"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(["2001", *(str(3000 + n) for n in range(7))])
    assert len(seen) == len(set(seen))
    amounts = {
        i["number"]: i["amount"] for i in erp.get(f"/companies/{A}/items", params={"limit": 100}).json()["items"]
    }
    assert amounts["3003"] == "103.50"  # a decimal string, never a float
    bad = erp.get(f"/companies/{A}/items", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422


def test_claims_are_filtered_and_found_by_collection_id_or_invoice(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    assert operator.post("/runs", json={"on": "2025-01-10", "to": "2025-01-20"}).status_code == 200
    viewer = api.as_(api.key(Role.VIEWER, A))
    (claim,) = viewer.get(f"/companies/{A}/claims", params={"on": "2025-01-20"}).json()["items"]
    assert claim["stage"] == "reminder"
    assert viewer.get(f"/companies/{A}/claims", params={"stage": "inkasso"}).json()["items"] == []
    assert viewer.get(f"/companies/{A}/claims", params={"q": "nordmann"}).json()["items"][0]["invoice_number"] == "2001"
    assert viewer.get(f"/companies/{A}/claims", params={"q": "zzz"}).json()["items"] == []
    by_id = viewer.get(f"/companies/{A}/claims/{claim['collection_id']}", params={"on": "2025-01-20"}).json()
    by_invoice = viewer.get(f"/companies/{A}/claims/2001", params={"on": "2025-01-20"}).json()
    assert by_id == by_invoice
    assert [lt["type"] for lt in by_id["letters"]] == ["reminder"]
    assert {h["kind"] for h in by_id["history"]} >= {"submitted", "letter"}
    pdf = viewer.get(f"/companies/{A}/letters/{by_id['letters'][0]['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_a_problem_speaks_bokmal_when_asked(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    nb = operator.get(f"/companies/{A}", headers={"Accept-Language": "nb-NO,nb;q=0.9"}).json()
    en = operator.get(f"/companies/{A}").json()
    assert (nb["status"], nb["code"], nb["title"]) == (404, "not_found", "Finnes ikke")
    assert en["title"] == "Not found"
    assert nb["titles"] == {"nb": "Finnes ikke", "en": "Not found"}


def test_keys_are_made_listed_and_revoked_from_the_command_line(krav: CliRunner):
    made = krav.invoke(cli.app, ["keys", "create", "--name", "drift", "--role", "operator"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    assert token.startswith("krav_")
    listed = krav.invoke(cli.app, ["keys", "list", "--json"])
    assert '"drift"' in listed.stdout
    assert token not in listed.stdout
    wrong = krav.invoke(cli.app, ["keys", "create", "--name", "x", "--role", "creditor_admin"])
    assert wrong.exit_code == 2
    assert "give the company" in wrong.output
    assert krav.invoke(cli.app, ["keys", "revoke", "1"]).exit_code == 0
    (revoked,) = json.loads(krav.invoke(cli.app, ["keys", "list", "--json"]).stdout)
    assert revoked["revoked_at"] is not None
    assert krav.invoke(cli.app, ["keys", "revoke", "7"]).exit_code == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_krav_serve_answers_over_http(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "KRAV_HOME": str(tmp_path / "home"), "KRAV_PORT": str(port)}
    krav = str(Path(sys.executable).with_name("krav"))
    token = subprocess.run(
        [krav, "keys", "create", "--name", "ops", "--role", "operator"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([krav, "serve"], env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "krav serve did not answer in 30 s"
                time.sleep(0.3)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/companies", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as r:
            assert r.status == 200
            assert r.read() == b"[]"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
    assert b"Krav API on" in (tmp_path / "serve.log").read_bytes()


def test_the_manual_matching_queue_shows_what_the_payer_wrote_and_suggests_the_claim(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    set_up_company(operator, A, "Kreditor A AS")
    assert operator.post("/runs", json={"on": "2025-01-10", "to": "2025-01-20"}).status_code == 200
    (letter,) = operator.get(f"/companies/{A}/letters").json()["items"]
    kid = letter["kid"]
    wrong = kid[:-2] + kid[-1] + kid[-2] if kid[-1] != kid[-2] else kid[:-1] + str((int(kid[-1]) + 1) % 10)
    credit = Credit("Q1", Money.of(letter["total"]), date(2025, 1, 21), kid=wrong, text="Faktura 2001")
    data = build_camt054(
        SERVICE_SETTINGS["KRAV_SERVICE_ACCOUNT"],
        [credit],
        message_id="Q-1",
        created=datetime(2025, 1, 21, 6, tzinfo=UTC),
    )
    sent = operator.post("/payment-files", params={"filename": "camt-q.xml", "on": "2025-01-21"}, content=data)
    assert sent.status_code == 201, sent.text
    assert sent.json()["unmatched"] == 1
    (queued,) = operator.get("/unmatched-payments").json()
    assert queued["message"] == "Faktura 2001"
    assert queued["filename"] == "camt-q.xml"
    best = queued["suggestions"][0]
    assert (best["invoice_number"], best["kid"]) == ("2001", kid)
    assigned = operator.post(f"/unmatched-payments/{queued['id']}/assign", json={"kid": best["kid"]})
    assert assigned.status_code == 200
    assert operator.get("/unmatched-payments").json() == []


def test_claims_of_an_earlier_service_are_imported_over_http_once(api: Api):
    operator = api.as_(api.key(Role.OPERATOR))
    assert (
        operator.post("/companies", json={"orgno": A, "name": "Eksempel AS", "bank_account": "86011117947"}).status_code
        == 201
    )
    changes = {"collection_list_email": "regnskap@eksempel.no", "reminder_before_notice": True}
    assert (
        operator.patch(f"/companies/{A}/agreement", json={"changes": changes}, params={"on": "2025-03-31"}).status_code
        == 200
    )
    terms = operator.get(f"/companies/{A}/agreement/terms", params={"on": "2025-03-31"}).json()["fingerprint"]
    assert (
        operator.post(
            f"/companies/{A}/agreement/activate", json={"accepted_terms": terms, "on": "2025-03-31"}
        ).status_code
        == 200
    )
    customers = [
        {
            "number": "10001",
            "name": "Ola Nordmann",
            "address": {"street": "Storgata 1", "postcode": "0155", "city": "Oslo"},
        },
        {
            "number": "10002",
            "name": "Kari Nordmann",
            "address": {"street": "Storgata 2", "postcode": "0155", "city": "Oslo"},
        },
    ]
    invoices = [
        {"number": "1001", "customer": "10001", "issued": "2025-02-14", "due": "2025-02-28", "amount": "1250.00"},
        {"number": "1002", "customer": "10002", "issued": "2025-02-20", "due": "2025-03-06", "amount": "800.00"},
    ]
    assert (
        operator.post(f"/companies/{A}/invoices", json={"customers": customers, "invoices": invoices}).status_code
        == 201
    )
    data = (Path(__file__).resolve().parents[2] / "examples" / "claims.jsonl").read_bytes()
    params = {"filename": "claims.jsonl", "on": "2025-04-01"}
    done = operator.post(f"/companies/{A}/claims/import", params=params, content=data)
    assert done.status_code == 201, done.text
    assert [(c["invoice"], c["stage"]) for c in done.json()["claims"]] == [("1001", "notice"), ("1002", "reminder")]
    again = operator.post(f"/companies/{A}/claims/import", params=params, content=data).json()
    assert again["already_imported"] is True
    claim = operator.get(f"/companies/{A}/claims/1001", params={"on": "2025-04-01"}).json()
    assert claim["claim"]["fees_charged"] == "35.00"
    broken = operator.post(
        f"/companies/{A}/claims/import",
        params={"filename": "bad.jsonl", "on": "2025-04-01"},
        content=b'{"invoice": "1001"}\n',
    )
    assert broken.status_code == 422
    assert "bad.jsonl" in broken.json()["detail"]
