"""Frozen values built many at a time: a constructor of a frozen, slotted dataclass without the per-field cost of
its own ``__init__``.

A frozen dataclass sets each field in ``__init__`` through ``object.__setattr__``, a call per field: on Python
3.11 an :class:`~krav.domain.ledger.open_items.OpenItem` of 17 fields costs five times what plain assignments
would, and a read of a hundred thousand items pays it on every one. :func:`builder` makes a plain twin of the
class with the same slots, builds each value as the twin with plain assignments, and then gives it the frozen
class: from then on the value *is* an instance of that class — frozen, compared and hashed as one.

A builder takes every field by position, in the class's order, and runs no ``__post_init__``: it is for values
already checked (read from storage, or worked out from values that were).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass, make_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A constructor of ``cls`` (a frozen, slotted dataclass deriving from ``object`` alone) taking every field by
    position; a ``TypeError`` for any other class."""
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or params is None or not params.frozen or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    if cls.__bases__ != (object,):
        raise TypeError(f"{cls.__name__} derives from {cls.__bases__}: its twin would not share its layout")
    twin = make_dataclass(
        f"_{cls.__name__}Twin",
        [(f.name, f.type) for f in fields(cls)],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )
    if vars(twin)["__slots__"] != vars(cls)["__slots__"]:
        raise TypeError(f"{cls.__name__} holds slots beyond its fields")

    def build(*values: Any) -> T:
        value: Any = twin(*values)
        value.__class__ = cls
        return value  # type: ignore[no-any-return]

    build.__name__ = build.__qualname__ = f"build_{cls.__name__}"
    build.__doc__ = f"A {cls.__name__} of its fields' values, by position, unchecked (:func:`builder`)."
    return build
