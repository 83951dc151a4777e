"""A claim to and from its row: each of the aggregate's frozen groups maps field by field onto columns of the
same name (money as ``<name>_ore``); the debtor onto ``debtor_<name>``."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from krav.domain.collection.claims import (
    Balances,
    Claim,
    ClosedReason,
    Compensation,
    Deadlines,
    InkassoCase,
    InterestAccount,
    LettersDue,
    Listing,
    Objection,
    Pause,
    Stage,
    Unsent,
)
from krav.domain.collection.letters import InterestPeriod, Recipient
from krav.domain.frozen import builder
from krav.domain.money import Money

#: The claim's state groups, by the name the claim reads and restores each under.
GROUPS: dict[str, type[Any]] = {
    "balances": Balances,
    "interest": InterestAccount,
    "deadlines": Deadlines,
    "due": LettersDue,
    "listing": Listing,
    "case": InkassoCase,
    "compensation_state": Compensation,
    "pause_state": Pause,
    "objection_state": Objection,
    "unsent_state": Unsent,
}
#: a claim's debtor, each field in a column of its own (``debtor_{field}``), in the order of :class:`Recipient`
DEBTOR_FIELDS = [f.name for f in fields(Recipient)]


def _money_fields(group: type[Any]) -> set[str]:
    return {f.name for f in fields(group) if f.type in ("Money", Money)}


_MONEY = {name: _money_fields(group) for name, group in GROUPS.items()}
#: The interest account's periods (R-CLM-16) are kept as JSON text in one column.
_PERIODS = "booked_periods"


def periods_to_text(periods: tuple[InterestPeriod, ...]) -> str | None:
    """The booked periods as JSON: ``[[start, end, rate, principal øre, interest øre], …]`` (None when none)."""
    if not periods:
        return None
    return json.dumps(
        [[p.start.isoformat(), p.end.isoformat(), str(p.rate), p.principal.ore, p.amount.ore] for p in periods]
    )


def periods_from_text(text: str | None, currency: str) -> tuple[InterestPeriod, ...]:
    """The booked periods back from :func:`periods_to_text`."""
    if not text:
        return ()
    return tuple(
        InterestPeriod(
            date.fromisoformat(start),
            date.fromisoformat(end),
            Decimal(rate),
            Money.from_ore(int(principal), currency),
            Money.from_ore(int(amount), currency),
        )
        for start, end, rate, principal, amount in json.loads(text)
    )


#: Each group's fields as columns, worked out once: (field, column, how the value is stored: money, the booked
#: periods, or as it is).
_MONEY_KIND, _PERIODS_KIND, _PLAIN_KIND = 0, 1, 2
_PLAN: dict[str, tuple[tuple[str, str, int], ...]] = {
    name: tuple(
        (f.name, f"{f.name}_ore", _MONEY_KIND)
        if f.name in _MONEY[name]
        else (f.name, f.name, _PERIODS_KIND if f.name == _PERIODS else _PLAIN_KIND)
        for f in fields(group)
    )
    for name, group in GROUPS.items()
}


def claim_values(claim: Claim) -> dict[str, Any]:
    """The claim's columns (all but its id and company)."""
    values: dict[str, Any] = {
        "collection_id": claim.collection_id,
        "invoice_number": claim.invoice_number,
        "invoice_date": claim.invoice_date,
        "due_date": claim.due_date,
        "currency": claim.currency,
        "principal_ore": claim.principal.ore,
        "submitted_on": claim.submitted_on,
        "rule_set": claim.rule_set,
        "stage": claim.stage.value,
        "closed_reason": claim.closed_reason.value if claim.closed_reason else None,
        "closed_on": claim.closed_on,
        "next_action_on": claim.next_action_on,
    }
    for name in DEBTOR_FIELDS:
        values[f"debtor_{name}"] = getattr(claim.debtor, name)
    for name, plan in _PLAN.items():
        state = getattr(claim, name)
        for field_name, column, kind in plan:
            value = getattr(state, field_name)
            if kind == _MONEY_KIND:
                values[column] = value.ore
            else:
                values[column] = periods_to_text(value) if kind == _PERIODS_KIND else value
    return values


#: How a claim read from storage makes each group: by position, through :func:`krav.domain.frozen.builder` unless
#: the group turns a stored value into its own (``__post_init__``: the objection's answer from its text)
_MAKE: dict[str, Any] = {
    name: group if hasattr(group, "__post_init__") else builder(group) for name, group in GROUPS.items()
}
_RECIPIENT = builder(Recipient)
_DEBTOR_COLUMNS = tuple(f"debtor_{name}" for name in DEBTOR_FIELDS)


def claim_from_row(row: sa.Row[Any]) -> Claim:
    """The claim stored in ``row``."""
    values = row._mapping
    currency = values["currency"]
    from_ore = Money.from_ore
    groups: dict[str, Any] = {}
    for name, plan in _PLAN.items():
        groups[name] = _MAKE[name](
            *[
                from_ore(values[column], currency)
                if kind == _MONEY_KIND
                else periods_from_text(values[column], currency)
                if kind == _PERIODS_KIND
                else values[column]
                for _, column, kind in plan
            ]
        )
    closed_reason = values["closed_reason"]
    due_date: date = values["due_date"]
    return Claim(
        values["company_id"],
        values["collection_id"],
        values["invoice_number"],
        values["invoice_date"],
        due_date,
        from_ore(values["principal_ore"], currency),
        values["submitted_on"],
        _RECIPIENT(*[values[column] for column in _DEBTOR_COLUMNS]),
        rule_set=values["rule_set"],
        id=values["id"],
        stage=Stage(values["stage"]),
        closed_reason=ClosedReason(closed_reason) if closed_reason else None,
        closed_on=values["closed_on"],
        **groups,
    )
