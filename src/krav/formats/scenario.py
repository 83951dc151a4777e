"""Conformance scenarios (../shared/scenarios/FORMAT.md): YAML in, a checked :class:`Scenario` out.

Values are read as YAML 1.2 reads them (ruamel.yaml), so ``NO`` stays a string; where a string belongs a
boolean is refused with the field named, as are unknown fields and missing required ones.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import Money
from krav.domain.plausible import check_amount, check_date, read_amount

AGREEMENT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "reminder_before_notice": bool,
    "reminder_deadline_days": int,
    "days_before_transfer": (int, type(None)),
    "auto_transfer": bool,
    "automatic_collection_list": bool,
    "charge_interest": bool,
    "claim_standard_compensation": bool,
    "kid_scheme": str,
    "kid_length": int,
    "minimum_amount": str,
    "require_email": bool,
    "collection_list_email": str,
    "dunning_flow": str,
    "allocation_order": str,
}
EVENT_KINDS = ("pay_letter", "pay_direct", "credit", "write_off", "action", "approve")
#: The fields of each kind of event, and those it cannot do without.
EVENT_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "pay_letter": ({"debtor", "letter", "amount", "paid_on"}, {"debtor", "letter", "amount"}),
    "pay_direct": ({"invoice", "amount"}, {"invoice", "amount"}),
    "credit": ({"invoice", "amount"}, {"invoice", "amount"}),
    "write_off": ({"invoice"}, {"invoice"}),
    "action": ({"invoices", "do", "text"}, {"invoices", "do"}),
    "approve": ({"invoices"}, {"invoices"}),
}
ACTIONS = ("pause", "resume", "close", "message", "dispute", "reject", "uphold")
#: Actions that need a text: a message, and the objection and its answers (R-CLM-15).
TEXT_ACTIONS = ("message", "dispute", "reject", "uphold")
#: What ``expect`` may name: the outcome's parts, and the fields of each entry of a list.
EXPECT_FIELDS: dict[str, set[str] | None] = {
    "proposal": {"invoice", "valid", "reasons"},
    "claims": {
        "invoice",
        "stage",
        "closed_reason",
        "paused",
        "disputed",
        "principal",
        "principal_outstanding",
        "fees_charged",
        "fees_outstanding",
        "interest_accrued",
        "interest_outstanding",
        "salaer_charged",
        "salaer_outstanding",
    },
    "actions": {"date", "invoice", "do", "result", "reason"},
    "letters": {
        "debtor",
        "n",
        "type",
        "sent",
        "deadline",
        "invoices",
        "principal",
        "fee",
        "interest",
        "salaer",
        "total",
    },
    "collection_lists": {"date", "invoices"},
    "settlements": {"date", "principal", "fee", "interest", "overpayment"},
    "ledger": None,
}
LEDGER_FIELDS = {"balanced", "open_items"}


@dataclass(frozen=True, slots=True)
class ScenarioCustomer:
    id: str
    name: str
    kind: str
    orgno: str | None
    street: str | None
    postcode: str | None
    city: str | None
    country: str
    email: str | None
    exempt: bool
    language: str = "nb"


@dataclass(frozen=True, slots=True)
class ScenarioInvoice:
    number: str
    customer: str
    issued: date
    due: date | None
    amount: Money
    voucher_type: int = 11
    exempt: bool = False


@dataclass(frozen=True, slots=True)
class ScenarioEvent:
    on: date
    kind: str
    data: dict[str, Any]
    index: int


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    creditor_name: str
    creditor_orgno: str
    creditor_account: str | None
    creditor_vat_registered: bool
    agreement: dict[str, Any]
    customers: tuple[ScenarioCustomer, ...]
    invoices: tuple[ScenarioInvoice, ...]
    events: tuple[ScenarioEvent, ...]
    start: date
    end: date
    expect: dict[str, Any] | None = field(default=None)


class _Reader:
    def __init__(self, filename: str) -> None:
        self.filename = filename

    def fail(self, path: str, problem: str) -> FieldError:
        return FieldError(path, problem, where=self.filename)

    def mapping(self, value: Any, path: str, allowed: set[str] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "must be a mapping")
        if allowed is not None:
            unknown = sorted(str(k) for k in value if k not in allowed)
            if unknown:
                raise self.fail(
                    f"{path}.{unknown[0]}" if path else unknown[0],
                    f"unknown field (allowed: {', '.join(sorted(allowed))})",
                )
        return dict(value)

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required")
            return None
        if isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f'must be a string, not the boolean {value} (quote it: "{value}")')
        if isinstance(value, int | float | Decimal):
            raise self.fail(f"{path}.{key}", f"must be a quoted string, not the number {value}")
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", "must be a string")
        return value

    def day(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required")
            return None
        written = value
        if isinstance(value, str):
            try:
                written = date.fromisoformat(value)
            except ValueError:
                raise self.fail(f"{path}.{key}", f"{value!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(written, date):
            raise self.fail(f"{path}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
        return check_date(written, field=f"{path}.{key}", where=self.filename)

    def boolean(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", "must be true or false")
        return value

    def money(self, data: dict[str, Any], key: str, path: str) -> Money:
        """A decimal string (``"1000.00"``) or a whole number; an unquoted ``1000.50`` or ``1E+3`` is a YAML float,
        refused, as are 0 and amounts beyond :data:`krav.domain.plausible.MAX_AMOUNT`."""
        value = data.get(key)
        if isinstance(value, bool) or value is None:
            raise self.fail(f"{path}.{key}", 'is required, a decimal string such as "1000.00"')
        if not isinstance(value, str | int):
            raise self.fail(f"{path}.{key}", f'{value!r} is not an amount: quote it, e.g. "1000.00"')
        number = read_amount(str(value), field=f"{path}.{key}", where=self.filename)
        check_amount(number, field=f"{path}.{key}", where=self.filename)
        return Money.of(number)


def parse_scenario(data: bytes, *, filename: str) -> Scenario:
    """A scenario from YAML; a malformed one raises :class:`FieldError` or :class:`FileFormatError` naming the
    field (e.g. ``customers[2].address.country``) and what is wrong."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    try:
        doc = yaml.load(io.BytesIO(data))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FileFormatError(
            filename, f"not valid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None
        ) from None
    r = _Reader(filename)
    top = r.mapping(doc, "", {"name", "creditor", "agreement", "customers", "invoices", "events", "run", "expect"})
    creditor = r.mapping(top.get("creditor"), "creditor", {"name", "orgno", "account", "vat_registered"})
    agreement = r.mapping(top.get("agreement") or {}, "agreement", set(AGREEMENT_FIELDS))
    for key, value in agreement.items():
        kinds = AGREEMENT_FIELDS[key]
        if isinstance(value, bool) and kinds is int:
            raise r.fail(f"agreement.{key}", "must be a number")
        if not isinstance(value, kinds):
            raise r.fail(f"agreement.{key}", f"has the wrong type ({type(value).__name__})")
    customers = []
    raw_customers = top.get("customers") or []
    if not isinstance(raw_customers, list):
        raise r.fail("customers", "must be a list")
    for n, raw in enumerate(raw_customers):
        path = f"customers[{n}]"
        c = r.mapping(raw, path, {"id", "name", "kind", "orgno", "address", "email", "exempt", "language"})
        address = r.mapping(c.get("address") or {}, f"{path}.address", {"street", "postcode", "city", "country"})
        kind = r.text(c, "kind", path, required=False) or "consumer"
        if kind not in ("consumer", "business"):
            raise r.fail(f"{path}.kind", "must be consumer or business")
        customers.append(
            ScenarioCustomer(
                id=r.text(c, "id", path) or "",
                name=r.text(c, "name", path, required=False) or "",
                kind=kind,
                orgno=r.text(c, "orgno", path, required=False),
                street=r.text(address, "street", f"{path}.address", required=False),
                postcode=r.text(address, "postcode", f"{path}.address", required=False),
                city=r.text(address, "city", f"{path}.address", required=False),
                country=r.text(address, "country", f"{path}.address", required=False) or "NO",
                email=r.text(c, "email", path, required=False),
                exempt=r.boolean(c, "exempt", path, False),
                language=r.text(c, "language", path, required=False) or "nb",
            )
        )
    ids = [c.id for c in customers]
    invoices = []
    for n, raw in enumerate(top.get("invoices") or []):
        path = f"invoices[{n}]"
        i = r.mapping(
            raw, path, {"number", "customer", "issued", "due", "amount", "currency", "voucher_type", "exempt"}
        )
        customer = r.text(i, "customer", path) or ""
        if customer not in ids:
            raise r.fail(f"{path}.customer", f"unknown customer {customer!r}")
        currency = r.text(i, "currency", path, required=False) or "NOK"
        amount = r.money(i, "amount", path)
        vtype = i.get("voucher_type", 11)
        if isinstance(vtype, bool) or not isinstance(vtype, int):
            raise r.fail(f"{path}.voucher_type", "must be a number")
        issued = r.day(i, "issued", path)
        assert issued is not None
        invoices.append(
            ScenarioInvoice(
                number=r.text(i, "number", path) or "",
                customer=customer,
                issued=issued,
                due=r.day(i, "due", path, required=False),
                amount=Money(amount.amount, currency),
                voucher_type=vtype,
                exempt=r.boolean(i, "exempt", path, False),
            )
        )
    events = []
    for n, raw in enumerate(top.get("events") or []):
        path = f"events[{n}]"
        e = r.mapping(raw, path, {"date", *EVENT_KINDS})
        present = [k for k in EVENT_KINDS if k in e]
        if len(present) != 1:
            raise r.fail(path, f"needs exactly one of {', '.join(EVENT_KINDS)}")
        on = r.day(e, "date", path)
        assert on is not None
        kind = present[0]
        events.append(ScenarioEvent(on, kind, _event_body(r, e[kind], f"{path}.{kind}", kind), n))
    run = r.mapping(top.get("run"), "run", {"from", "to"})
    start, end = r.day(run, "from", "run"), r.day(run, "to", "run")
    assert start is not None
    assert end is not None
    if end < start:
        raise r.fail("run.to", "is before run.from")
    expect = top.get("expect")
    if expect is not None:
        _check_expect(r, expect)
    return Scenario(
        name=str(top.get("name") or filename),
        creditor_name=r.text(creditor, "name", "creditor") or "",
        creditor_orgno=r.text(creditor, "orgno", "creditor") or "",
        creditor_account=r.text(creditor, "account", "creditor", required=False),
        creditor_vat_registered=r.boolean(creditor, "vat_registered", "creditor", True),
        agreement=agreement,
        customers=tuple(customers),
        invoices=tuple(invoices),
        events=tuple(events),
        start=start,
        end=end,
        expect=expect,
    )


def _event_body(r: _Reader, raw: Any, path: str, kind: str) -> dict[str, Any]:
    """An event's fields checked: no unknown one, the required ones there, each of its kind."""
    allowed, required = EVENT_FIELDS[kind]
    body = r.mapping(raw, path, allowed)
    for key in sorted(required - set(body)):
        raise r.fail(f"{path}.{key}", "is required")
    if "amount" in body and body["amount"] != "letter_total":
        r.money(body, "amount", path)
    if "paid_on" in body:
        body["paid_on"] = r.day(body, "paid_on", path)
    for key in ("debtor", "invoice"):
        if key in body:
            r.text(body, key, path)
    if "letter" in body and (isinstance(body["letter"], bool) or not isinstance(body["letter"], int)):
        raise r.fail(f"{path}.letter", "must be the number of the debtor's letter (1, 2, …)")
    if "invoices" in body:
        invoices = body["invoices"]
        if not isinstance(invoices, list) or not invoices:
            raise r.fail(f"{path}.invoices", "must be a list of invoice numbers")
        for n, number in enumerate(invoices):
            if isinstance(number, bool) or not isinstance(number, str):
                raise r.fail(f"{path}.invoices[{n}]", 'must be a quoted string (e.g. "1001")')
    if kind == "action":
        do = body.get("do")
        if do not in ACTIONS:
            raise r.fail(f"{path}.do", f"must be one of {', '.join(ACTIONS)}")
        if do in TEXT_ACTIONS:
            text = r.text(body, "text", path)
            if not (text or "").strip():
                raise r.fail(f"{path}.text", f"{do} needs a text")
        elif "text" in body:
            r.text(body, "text", path)
    return body


def _check_expect(r: _Reader, expect: Any) -> None:
    """``expect`` names only what the outcome has (FORMAT.md): an unknown key is an error, never ignored."""
    r.mapping(expect, "expect", set(EXPECT_FIELDS))
    for key, fields in EXPECT_FIELDS.items():
        if key not in expect:
            continue
        value = expect[key]
        if key == "ledger":
            ledger = r.mapping(value, "expect.ledger", LEDGER_FIELDS)
            for n, item in enumerate(ledger.get("open_items") or []):
                r.mapping(item, f"expect.ledger.open_items[{n}]", {"invoice", "remaining"})
            continue
        if not isinstance(value, list):
            raise r.fail(f"expect.{key}", "must be a list")
        for n, entry in enumerate(value):
            r.mapping(entry, f"expect.{key}[{n}]", fields)
