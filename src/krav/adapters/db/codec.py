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


_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _encode(value: Any) -> Any:
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _NAMES.get(type(value))
        if names is None:  # read once per class
            names = _NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
        return {name: _encode(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


def encode_message(message: Any) -> str:
    """JSON text of a message dataclass."""
    return json.dumps(_encode(message), ensure_ascii=False, sort_keys=True)


_MONEY, _DATE, _TUPLE, _DATACLASS, _PLAIN = range(5)
_PLANS: dict[Any, tuple[int, Any]] = {}


def _plan(tp: Any) -> tuple[int, Any]:
    """How a value of type ``tp`` is decoded, and the type inside it (worked out once per type)."""
    found = _PLANS.get(tp)
    if found is None:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            found = _plan(next(a for a in typing.get_args(tp) if a is not type(None)))
        elif tp is Money:
            found = (_MONEY, None)
        elif tp is date:
            found = (_DATE, None)
        elif origin is tuple:
            found = (_TUPLE, typing.get_args(tp)[0])
        elif dataclasses.is_dataclass(tp) and isinstance(tp, type):
            found = (_DATACLASS, tp)
        else:
            found = (_PLAIN, None)
        _PLANS[tp] = found
    return found


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    how, inner = _plan(tp)
    if how == _MONEY:
        return Money(Decimal(value["amount"]), value["currency"])
    if how == _DATE:
        return date.fromisoformat(value)
    if how == _TUPLE:
        return tuple(_decode(inner, v) for v in value)
    if how == _DATACLASS:
        return _build(inner, value)
    return value


_FIELDS: dict[type[Any], tuple[tuple[str, Any, bool], ...]] = {}


def _fields(cls: type[Any]) -> tuple[tuple[str, Any, bool], ...]:
    """The message class's fields made at construction: name, type and whether it has a default (read once per
    class: resolving type hints costs more than decoding a message)."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls, vars(messages))
        found = tuple((f.name, hints[f.name], _has_default(f)) for f in dataclasses.fields(cls) if f.init)
        _FIELDS[cls] = found
    return found


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    # a field added to a message after it was written takes its default (DebtorData.email_for_letters)
    kwargs = {
        name: _decode(tp, data.get(name)) for name, tp, has_default in _fields(cls) if name in data or not has_default
    }
    return cls(**kwargs)


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def decode_message(text: str) -> Any:
    """The message dataclass back from :func:`encode_message` text."""
    data = json.loads(text)
    cls = _KINDS[data["kind"]]
    return _build(cls, data)
