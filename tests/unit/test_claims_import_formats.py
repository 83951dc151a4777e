"""The migration file's two formats (docs/migration.md): JSON Lines and CSV say the same, and name every problem
with its line and field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from krav.domain.collection.migrated import MigratedClaim
from krav.domain.errors import ImportRefused
from krav.domain.money import Money
from krav.formats.claims_csv import parse_claims_csv
from krav.formats.claims_import import is_json_lines, parse_claims_jsonl

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "claims.jsonl"

JSONL = b"""# from the earlier service
{"invoice": "1001", "customer": "10001", "stage": "notice", "earlier_id": "AC-1", "principal": "1000.00", "notice_sent": "2025-03-28", "notice_deadline": "2025-04-11", "notice_fee": 35.00, "payments": [{"date": "2025-04-02", "amount": "100.00", "principal": "65.00", "fees": "35.00"}, {"date": "2025-04-09", "amount": "50.00", "principal": "50.00"}]}
{"invoice": "1002", "customer": "10001", "stage": "reminder", "earlier_id": "AC-2", "principal": "500.00", "reminder_sent": "2025-03-21", "reminder_deadline": "2025-03-28", "kid": "900000000019", "letter_amount": "501.20"}
"""

CSV = """invoice;customer;stage;earlier_id;principal;notice_sent;notice_deadline;notice_fee;reminder_sent;reminder_deadline;kid;letter_amount;payment_date;payment_amount;payment_principal;payment_fees
1001;10001;notice;AC-1;1 000,00;28.03.2025;11.04.2025;35,00;;;;;02.04.2025;100,00;65,00;35,00
1001;;;;;;;;;;;;2025-04-09;50,00;50,00;
1002;10001;reminder;AC-2;500,00;;;;2025-03-21;2025-03-28;900000000019;501,20;;;;
""".encode("cp1252")


def _placeless(claims: list[MigratedClaim]) -> list[MigratedClaim]:
    return [replace(c, where="", payments=tuple(replace(p, where=None) for p in c.payments)) for c in claims]


def test_json_lines_and_csv_say_the_same() -> None:
    from_json = parse_claims_jsonl(JSONL, filename="k.jsonl")
    from_csv = parse_claims_csv(CSV, filename="k.csv")
    assert _placeless(from_json) == _placeless(from_csv)
    first = from_json[0]
    assert first.where == "k.jsonl, line 2"
    assert first.notice_fee == Money.of("35.00")
    assert [(p.on, p.principal, p.fees) for p in first.payments] == [
        (date(2025, 4, 2), Money.of("65.00"), Money.of("35.00")),
        (date(2025, 4, 9), Money.of("50.00"), Money.of("0.00")),
    ]
    assert from_csv[0].payments[1].where == "k.csv, line 3, payment 2"


def test_which_format_a_file_is_is_read_from_its_first_line() -> None:
    assert is_json_lines(JSONL)
    assert not is_json_lines(CSV)
    assert is_json_lines(EXAMPLE.read_bytes())


def test_the_example_file_reads() -> None:
    claims = parse_claims_jsonl(EXAMPLE.read_bytes(), filename="claims.jsonl")
    assert [(c.invoice, c.stage) for c in claims] == [("1001", "notice"), ("1002", "reminder")]


@pytest.mark.parametrize(
    ("data", "where", "field", "says"),
    [
        (
            b'{"invoice": "1", "customer": "2", "stage": "notice", "principal": "1.00"}',
            "line 1",
            "earlier_id",
            "required",
        ),
        (b'{"invoice": "1"', "line 1", None, "not valid JSON"),
        (
            b'{"invoice": "1", "customer": "2", "stage": "notice", "earlier_id": "A", "principal": 1e3}',
            "line 1",
            "principal",
            "not an amount",
        ),
        (
            b'{"invoice": "1", "customer": "2", "stage": "notice", "earlier_id": "A", "principal": "1", '
            b'"notice_sent": "28.03.2025"}',
            "line 1",
            "notice_sent",
            "not a date",
        ),
    ],
)
def test_a_bad_json_line_is_named_with_its_line_and_field(
    data: bytes, where: str, field: str | None, says: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        parse_claims_jsonl(b"\n" + data if where == "line 2" else data, filename="k.jsonl")
    [problem] = refused.value.problems
    assert (problem.where, problem.field) == (f"k.jsonl, {where}", field)
    assert says in problem.message


def test_a_bad_csv_row_is_named_with_its_line_and_column() -> None:
    data = CSV.replace(b"1 000,00", b"tusen").replace(b"2025-04-09;50,00", b"2025-04-09;")
    with pytest.raises(ImportRefused) as refused:
        parse_claims_csv(data, filename="k.csv")
    found = [(p.where, p.field) for p in refused.value.problems]
    assert ("k.csv, line 2", "principal") in found
    assert ("k.csv, line 3", "payment_amount") in found


def test_an_invoice_twice_in_csv_is_refused_unless_the_row_holds_a_further_payment() -> None:
    data = CSV + b"1002;10001;notice;AC-3;500,00;;;;;;;;;;;\n"
    with pytest.raises(ImportRefused, match=r"line 5: invoice: 1002 is already on k\.csv, line 4"):
        parse_claims_csv(data, filename="k.csv")
