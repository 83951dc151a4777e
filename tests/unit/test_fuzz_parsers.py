"""Fuzzing the doors: whatever bytes reach a parser, it either reads them or refuses them with Krav's own error
(a :class:`krav.domain.errors.KravError` that names what and where) — never another exception.

Each parser gets random input and mutations of a real file (bytes flipped, inserted, cut, lines swapped): the OCR
giro and camt.054 fixtures of ``../shared/fixtures``, the SAF-T example file, the CSV imports, vouchers as JSON,
scenarios and KIDs. The examples are bounded so the suite runs in well under a minute.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krav.domain.errors import KravError
from krav.domain.kid import KidScheme, check_kid, is_valid_kid
from krav.formats.ledger_csv import parse_customers_csv, parse_invoices_csv
from krav.formats.payments import parse_payment_file
from krav.formats.saft import parse_saft
from krav.formats.scenario import parse_scenario
from krav.formats.voucher_json import parse_batch_json
from tests.conftest import FIXTURES

OCR = (FIXTURES / "ocr" / "netsgiro_ocr_giro_transactions.txt").read_bytes()
CAMT = [(FIXTURES / "camt" / name).read_bytes() for name in ("genkgo_camt054.v2.xml", "genkgo_camt054.v4.xml")]
SAFT_DIR = FIXTURES / "saft"
SAFT = next(SAFT_DIR.glob("ExampleFile*.xml")).read_bytes()

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few random edits: a byte changed, bytes inserted or cut, two lines swapped."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "cut", "swap", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=12))
        elif kind == "cut" and data:
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "swap":
            lines = bytes(data).split(b"\n")
            if len(lines) > 2:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


def reads_or_refuses(parse: object, data: bytes) -> None:
    """The parser returns, or raises a KravError; anything else fails the test with the input shown."""
    with contextlib.suppress(KravError):
        parse(data)  # type: ignore[operator]


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_are_read_or_refused_as_a_payment_file(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_payment_file(d, filename="fuzz.txt"), data)


@FUZZ
@given(mutated(OCR))
def test_a_mutated_ocr_giro_file_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_payment_file(d, filename="ocr.txt"), data)


@FUZZ
@given(st.sampled_from(CAMT).flatmap(mutated))
def test_a_mutated_camt054_file_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_payment_file(d, filename="camt.xml"), data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(SAFT))
def test_a_mutated_saft_file_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_saft(d, filename="saft.xml", schema_dir=SAFT_DIR), data)


_CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@st.composite
def csv_file(draw: st.DrawFn, header: str) -> bytes:
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=10), max_size=6))
    body = "\n".join(";".join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]))
    text = (header + "\n" + body) if draw(st.booleans()) else body
    return text.encode(encoding, errors="replace")


CUSTOMER_HEADER = "number;name;kind;orgno;street;postcode;city;country;email;exempt;payment_terms_days;language"
INVOICE_HEADER = "number;customer;amount;currency;invoice_date;due_date;kid;exempt"


@FUZZ
@given(csv_file(CUSTOMER_HEADER))
def test_a_random_customers_csv_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_customers_csv(d, filename="customers.csv"), data)


@FUZZ
@given(csv_file(INVOICE_HEADER))
def test_a_random_invoices_csv_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_invoices_csv(d, filename="invoices.csv"), data)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20,
)
_VOUCHER_KEYS = ["vouchers", "voucher_type", "date", "text", "lines", "account", "amount", "customer", "item"]


@st.composite
def voucher_json(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.dictionaries(st.sampled_from(_VOUCHER_KEYS), _JSON, max_size=6), max_size=3))
    voucher = draw(st.dictionaries(st.sampled_from(_VOUCHER_KEYS), _JSON, max_size=5)) | {"lines": lines}
    doc = draw(st.sampled_from([{"vouchers": [voucher]}, [voucher], voucher, draw(_JSON)]))
    return json.dumps(doc, allow_nan=True).encode()


@FUZZ
@given(voucher_json() | st.binary(max_size=200))
def test_random_vouchers_as_json_are_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_batch_json(d, filename="vouchers.json"), data)


_SCENARIO = Path(__file__).resolve().parents[2].parent / "shared" / "scenarios" / "a_notice_paid_in_time.yaml"


@FUZZ
@given(mutated(_SCENARIO.read_bytes()))
def test_a_mutated_scenario_is_read_or_refused(data: bytes) -> None:
    reads_or_refuses(lambda d: parse_scenario(d, filename="scenario.yaml"), data)


@FUZZ
@given(st.text(max_size=30), st.sampled_from([None, KidScheme.MOD10, KidScheme.MOD11]))
def test_any_text_as_a_kid_is_valid_or_refused_by_name(text: str, scheme: KidScheme | None) -> None:
    valid = is_valid_kid(text, scheme)
    assert isinstance(valid, bool)
    if valid:
        assert check_kid(text, scheme=scheme)
    else:
        with pytest.raises(KravError, match="KID"):
            check_kid(text, scheme=scheme)


@pytest.mark.parametrize("fixture", [OCR, *CAMT], ids=["ocr", "camt-v2", "camt-v4"])
def test_the_unmutated_fixtures_are_read(fixture: bytes) -> None:
    """A guard against fuzzing nothing: the originals themselves are payment files, with entries read."""
    read = parse_payment_file(fixture, filename="fixture")
    assert read.payments or read.skipped
