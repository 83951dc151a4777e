"""Claims from an earlier collection service, as JSON Lines: one claim per line (docs/migration.md).

Each line is one JSON object; blank lines and lines starting with ``#`` are skipped. Amounts are strings or JSON
numbers read as decimals (never floats), dates ``YYYY-MM-DD``::

    {"invoice": "1001", "customer": "10001", "stage": "notice", "earlier_id": "AC-77", "kid": "0000100010",
     "principal": "1000.00", "notice_sent": "2025-03-28", "notice_deadline": "2025-04-11", "notice_fee": "35.00",
     "interest_to": "2025-03-14", "interest": "0.00",
     "payments": [{"date": "2025-04-02", "amount": "100.00", "principal": "65.00", "fees": "35.00"}]}

Fields: ``invoice``, ``customer``, ``stage`` (reminder, notice, collection_list, inkasso, legal), ``earlier_id``
and ``principal`` are required; the letters' dates ``reminder_sent``/``reminder_deadline``/``reminder_fee``,
``notice_sent``/``notice_deadline``/``notice_fee``, ``listed_on``, ``demand_sent``/``demand_deadline``,
``salaer``, ``legal_notice_sent``/``legal_deadline``; ``interest_to`` and ``interest``; ``payments`` (each with
``date``, ``amount`` and its parts ``principal``, ``fees``, ``salaer``, ``interest``, a missing part 0.00);
``kid``, ``paused_on`` and ``disputed_on``; ``currency`` (default NOK).

Every problem of the file is named with its line and field, and the file is refused whole.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from krav.domain.collection.migrated import MigratedClaim, MigratedPayment
from krav.domain.errors import FieldError, FileFormatError, ImportRefused, Problem
from krav.domain.money import Money
from krav.domain.plausible import check_date, read_amount

DATES = (
    "reminder_sent",
    "reminder_deadline",
    "notice_sent",
    "notice_deadline",
    "listed_on",
    "demand_sent",
    "demand_deadline",
    "legal_notice_sent",
    "legal_deadline",
    "interest_to",
    "paused_on",
    "disputed_on",
)
AMOUNTS = ("reminder_fee", "notice_fee", "salaer", "interest", "letter_amount")
TEXTS = ("invoice", "customer", "stage", "earlier_id")
FIELDS = frozenset({*TEXTS, *DATES, *AMOUNTS, "principal", "kid", "payments", "currency"})
_PAYMENT_FIELDS = frozenset({"date", "amount", "principal", "fees", "salaer", "interest"})


class _Number(str):
    """A JSON number as written: read as an amount by :func:`read_amount`, never a float."""


def _text(data: dict[str, Any], name: str, where: str, *, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise FieldError(name, "is required", where=where)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, _Number) or not isinstance(value, str):
        raise FieldError(name, f"must be a string, got {json.dumps(value, default=str)}", where=where)
    return value.strip()


def _date(data: dict[str, Any], name: str, where: str, *, required: bool = False) -> date | None:
    text = _text(data, name, where, required=required)
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FieldError(name, f"{text!r} is not a date (YYYY-MM-DD)", where=where) from None
    return check_date(day, field=name, where=where)


def _money(data: dict[str, Any], name: str, currency: str, where: str, *, default: bool = False) -> Money | None:
    value = data.get(name)
    if value is None:
        if default:
            return Money.zero(currency)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FieldError(name, f"{value!r} is not an amount", where=where)
    try:
        return Money.of(read_amount(str(value), field=name, where=where), currency)
    except ValueError as exc:
        raise FieldError("currency", str(exc), where=where) from None


def _unknown(data: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise FieldError(extra[0], "unknown field (docs/migration.md lists them)", where=where)


def _payment(data: Any, currency: str, where: str) -> MigratedPayment:
    if not isinstance(data, dict):
        raise FieldError("payments", "each payment must be an object", where=where)
    _unknown(data, _PAYMENT_FIELDS, where)
    on = _date(data, "date", where, required=True)
    amount = _money(data, "amount", currency, where)
    if on is None or amount is None:
        raise FieldError("amount", "is required", where=where)

    def part(name: str) -> Money:
        value = _money(data, name, currency, where, default=True)
        assert value is not None
        return value

    return MigratedPayment(on, amount, part("principal"), part("fees"), part("salaer"), part("interest"), where=where)


def _claim(data: Any, where: str) -> MigratedClaim:
    if not isinstance(data, dict):
        raise FieldError("claim", "each line must be a JSON object", where=where)
    _unknown(data, FIELDS, where)
    currency = _text(data, "currency", where) or "NOK"
    texts: dict[str, Any] = {name: _text(data, name, where, required=True) or "" for name in TEXTS}
    principal = _money(data, "principal", currency, where)
    if principal is None:
        raise FieldError("principal", "is required", where=where)
    payments = data.get("payments") or []
    if not isinstance(payments, list):
        raise FieldError("payments", "must be a list of payments", where=where)
    dates: dict[str, Any] = {name: _date(data, name, where) for name in DATES}
    amounts: dict[str, Any] = {name: _money(data, name, currency, where) for name in AMOUNTS}
    return MigratedClaim(
        where=where,
        principal=principal,
        kid=_text(data, "kid", where),
        payments=tuple(_payment(p, currency, f"{where}, payments[{n}]") for n, p in enumerate(payments)),
        **texts,
        **dates,
        **amounts,
    )


def _integer(text: str) -> int:
    if len(text) > 50:
        raise ValueError(f"a number of {len(text)} digits")
    return int(text)


def _read(line: str, where: str, out: list[MigratedClaim], problems: list[Problem]) -> None:
    try:
        out.append(_claim(json.loads(line, parse_float=_Number, parse_int=_integer), where))
    except json.JSONDecodeError as exc:
        problems.append(Problem(where, None, f"not valid JSON: {exc.msg}"))
    except FieldError as exc:
        problems.append(Problem(where, exc.field, exc.problem))
    except ValueError as exc:
        problems.append(Problem(where, None, str(exc)))


def parse_claims_jsonl(data: bytes, *, filename: str) -> list[MigratedClaim]:
    """The claims of a migration file, each with its line; every malformed line and field refuses the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError(filename, f"not UTF-8 text ({exc.reason})") from None
    claims: list[MigratedClaim] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            _read(line, f"{filename}, line {n}", claims, problems)
    if problems:
        raise ImportRefused(filename, problems)
    if not claims:
        raise FileFormatError(filename, "no claims: one JSON object per line expected")
    return claims


def is_json_lines(data: bytes) -> bool:
    """Whether a migration file is JSON Lines (its first line that is not blank or a comment is an object), not
    CSV."""
    for line in data.decode("utf-8-sig", errors="replace").splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped.startswith("{")
    return False
