"""Vouchers from JSON, for ``krav ledger post`` and the API.

The format (amounts as strings or JSON numbers, read as decimals — never floats, never with an exponent — within
the bounds of :mod:`krav.domain.plausible`; debit positive, credit negative)::

    {"text": "Innbetalinger 3. mars",
     "vouchers": [
       {"type": 1, "date": "2025-03-03", "text": "Innbetaling faktura 1001",
        "lines": [
          {"account": "1920", "amount": "1000.00"},
          {"account": "1500", "amount": "-1000.00", "customer": "10001", "settles": ["1001"]}
        ]}
     ]}

A line may also carry ``currency`` (default NOK), ``item`` (the open item's number: the invoice number of a
debit), ``due_date``, ``kid``, ``reference`` and ``text``. A single voucher object without the ``vouchers``
wrapper is accepted too.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.ledger.vouchers import Batch, Voucher, VoucherLine
from krav.domain.money import Money
from krav.domain.plausible import check_date, read_amount

_VOUCHER_KEYS = {"type", "date", "text", "lines"}
_LINE_KEYS = {
    "account",
    "amount",
    "currency",
    "customer",
    "item",
    "settles",
    "due_date",
    "kid",
    "reference",
    "text",
}


class _Number(str):
    """A JSON number as written (``1000.00``, ``1E+3``): read as an amount by :func:`read_amount`, never a float."""


def _text(value: Any, field: str, where: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise FieldError(field, "is required", where=where)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, _Number) or not isinstance(value, str):
        raise FieldError(field, f"must be a string, got {json.dumps(value, default=str)}", where=where)
    value = value.strip()
    if required and not value:
        raise FieldError(field, "is required", where=where)
    return value or None


def _date(value: Any, field: str, where: str, *, required: bool = False) -> date | None:
    text = _text(value, field, where, required=required)
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FieldError(field, f"{text!r} is not a date (YYYY-MM-DD)", where=where) from None
    return check_date(day, field=field, where=where)


def _money(value: Any, currency: str, where: str) -> Money:
    if isinstance(value, bool) or value is None:
        raise FieldError("amount", "is required and must be a number", where=where)
    if isinstance(value, int):
        number = read_amount(str(value), field="amount", where=where)
    elif isinstance(value, str):  # a string, or a JSON number as written (_Number)
        number = read_amount(value, field="amount", where=where)
    else:
        raise FieldError("amount", f"{value!r} is not an amount", where=where)
    try:
        return Money.of(number, currency)
    except ValueError as exc:
        raise FieldError("currency", str(exc), where=where) from None


def _unknown(data: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise FieldError(extra[0], f"unknown field (allowed: {', '.join(sorted(allowed))})", where=where)


def _line(data: Any, where: str) -> VoucherLine:
    if not isinstance(data, dict):
        raise FieldError("lines", "each line must be an object", where=where)
    _unknown(data, _LINE_KEYS, where)
    currency = _text(data.get("currency"), "currency", where) or "NOK"
    settles = data.get("settles") or []
    if isinstance(settles, str):
        settles = [settles]
    if not isinstance(settles, list) or not all(isinstance(s, str | int) for s in settles):
        raise FieldError("settles", "must be a list of invoice numbers", where=where)
    account = _text(data.get("account"), "account", where, required=True)
    assert account is not None
    return VoucherLine(
        account=account,
        amount=_money(data.get("amount"), currency, where),
        customer=_text(data.get("customer"), "customer", where),
        item=_text(data.get("item"), "item", where),
        settles=tuple(str(s) for s in settles),
        due_date=_date(data.get("due_date"), "due_date", where),
        kid=_text(data.get("kid"), "kid", where),
        reference=_text(data.get("reference"), "reference", where),
        text=_text(data.get("text"), "text", where) or "",
    )


def _voucher(data: Any, where: str) -> Voucher:
    if not isinstance(data, dict):
        raise FieldError("vouchers", "each voucher must be an object", where=where)
    _unknown(data, _VOUCHER_KEYS, where)
    kind = data.get("type")
    if isinstance(kind, bool) or not isinstance(kind, int):
        raise FieldError(
            "type",
            "the voucher type is required, as a number (e.g. 1 Bank, 11 Outgoing invoice)",
            where=where,
        )
    day = _date(data.get("date"), "date", where, required=True)
    assert day is not None
    lines = data.get("lines")
    if not isinstance(lines, list) or not lines:
        raise FieldError("lines", "a voucher needs a list of lines", where=where)
    return Voucher(
        voucher_type=kind,
        date=day,
        text=_text(data.get("text"), "text", where) or "",
        lines=tuple(_line(line, f"{where}, line {n}") for n, line in enumerate(lines, start=1)),
    )


class _TooLong(Exception):
    def __init__(self, digits: int) -> None:
        self.digits = digits


def _integer(text: str) -> int:
    # Python reads no int of more than 4 300 digits (a ValueError that json.loads lets through); no field needs
    # more than a few, and the fields' own checks bound the rest
    if len(text) > 50:
        raise _TooLong(len(text.lstrip("-")))
    return int(text)


def parse_batch_json(data: bytes, *, filename: str) -> Batch:
    """A batch of vouchers from JSON text; errors name the file, the voucher, the line and the field."""
    try:
        document = json.loads(data.decode("utf-8-sig"), parse_float=_Number, parse_int=_integer)
    except UnicodeDecodeError as exc:
        raise FileFormatError(filename, f"not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise FileFormatError(filename, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
    except _TooLong as exc:
        raise FileFormatError(filename, f"a number of {exc.digits} digits: no field holds one") from None
    if isinstance(document, dict) and "vouchers" not in document and "lines" in document:
        document = {"vouchers": [document]}
    if not isinstance(document, dict) or not isinstance(document.get("vouchers"), list):
        raise FileFormatError(filename, 'expected an object with a "vouchers" list')
    _unknown(document, {"vouchers", "text"}, filename)
    vouchers = tuple(_voucher(v, f"{filename}, voucher {n}") for n, v in enumerate(document["vouchers"], start=1))
    return Batch(vouchers=vouchers, text=_text(document.get("text"), "text", filename) or filename, source="json")
