"""Messages as JSON text for the message table: dates as ISO strings, money as decimal strings with currency."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from krav.domain import messages
from krav.domain.money import Money

_KINDS: dict[str, type[Any]] = {}
for _name in dir(messages):
    _cls = getattr(messages, _name)
    if dataclasses.is_dataclass(_cls) and isinstance(_cls, type):
        kind_field = {f.name: f for f in dataclasses.fields(_cls)}.get("kind")
        if kind_field is not None and isinstance(kind_field.default, str):
            _KINDS[kind_field.default] = _cls


def _encode(value: Any) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def encode_message(message: Any) -> str:
    """JSON text of a message dataclass."""
    return json.dumps(_encode(message), ensure_ascii=False, sort_keys=True)


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(args[0], value)
    if tp is Money:
        return Money(Decimal(value["amount"]), value["currency"])
    if tp is date:
        return date.fromisoformat(value)
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return tuple(_decode(inner, v) for v in value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _build(tp, value)
    return value


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(cls, vars(messages))
    # a field added to a message after it was written takes its default (DebtorData.email_for_letters)
    kwargs = {
        f.name: _decode(hints[f.name], data.get(f.name))
        for f in dataclasses.fields(cls)
        if f.init and (f.name in data or not _has_default(f))
    }
    return cls(**kwargs)


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def decode_message(text: str) -> Any:
    """The message dataclass back from :func:`encode_message` text."""
    data = json.loads(text)
    cls = _KINDS[data["kind"]]
    return _build(cls, data)
