"""The collection agreement (innfordringsavtale): one per creditor (DOMAIN.md section 4, R-AGR-1, R-AGR-2).

The agreement is a value; changing it makes a new value, and the service records who changed which field from
what to what. :func:`agreement_problems` says what is wrong with a value; :func:`missing_for_activation` what
must be filled in before the creditor admin can accept the terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from krav.domain import chart as std
from krav.domain.errors import FieldError
from krav.domain.kid import KidScheme
from krav.domain.money import Money
from krav.domain.party import is_valid_email

#: R-AGR-1: the earliest transfer, in days after the due date, with and without a reminder before the notice.
MIN_DAYS_WITH_REMINDER = 7
MIN_DAYS_WITHOUT_REMINDER = 14
#: a minimum amount above this is a typo, not a policy
MAX_MINIMUM_AMOUNT = Money.of("1000000.00")


class DunningFlow(StrEnum):
    """Where the debtor pays: the service's client account with its KID (the default), or the creditor's."""

    CLIENT_ACCOUNT = "client_account"
    CREDITOR_ACCOUNT = "creditor_account"


class AllocationOrder(StrEnum):
    """R-CLM-7: what a payment to the client account covers first, within each claim."""

    COSTS_INTEREST_PRINCIPAL = "costs_interest_principal"
    PRINCIPAL_INTEREST_COSTS = "principal_interest_costs"


@dataclass(frozen=True, slots=True)
class AccountingSection:
    """The accounts the ledger posts collection to (R-LED-6, R-LED-7)."""

    receivables: str = std.RECEIVABLES
    fee_income: str = std.FEE_INCOME
    interest_income: str = std.INTEREST_INCOME
    overpayment: str = std.RECEIVABLES
    loss: str = std.LOSS_ON_RECEIVABLES
    intermediary_bank: str = std.COLLECTION_INTERMEDIARY
    collection_costs: str = std.COLLECTION_COSTS
    input_vat: str = std.INPUT_VAT
    posting_type: str = "4"
    vat_code: str | None = "1"


@dataclass(frozen=True, slots=True)
class Agreement:
    """Every setting of DOMAIN.md section 4, with the defaults a new creditor starts from."""

    active: bool = False
    activated_on: date | None = None
    accepted_by: str | None = None
    days_before_transfer: int | None = None  # None: the minimum of R-AGR-1
    reminder_before_notice: bool = False
    reminder_deadline_days: int = 7
    auto_transfer: bool = True
    automatic_collection_list: bool = True
    collection_list_email: str | None = None
    dunning_flow: DunningFlow = DunningFlow.CLIENT_ACCOUNT
    charge_interest: bool = True
    claim_standard_compensation: bool = False
    minimum_amount: Money = field(default_factory=Money.zero)
    allocation_order: AllocationOrder = AllocationOrder.COSTS_INTEREST_PRINCIPAL
    kid_scheme: KidScheme = KidScheme.MOD10
    kid_length: int = 12
    require_email: bool = False
    invoice_inkasso_costs_on_close: bool = False  # R-ACT-2: opt in
    accounting: AccountingSection = field(default_factory=AccountingSection)


def minimum_days_before_transfer(reminder_before_notice: bool) -> int:
    """R-AGR-1: 7 days after the due date with a reminder before the notice, else 14."""
    return MIN_DAYS_WITH_REMINDER if reminder_before_notice else MIN_DAYS_WITHOUT_REMINDER


def effective_days_before_transfer(agreement: Agreement) -> int:
    """R-AGR-1: the agreement's days before transfer, never fewer than the minimum (None means the minimum)."""
    minimum = minimum_days_before_transfer(agreement.reminder_before_notice)
    if agreement.days_before_transfer is None:
        return minimum
    return max(agreement.days_before_transfer, minimum)


def sendable_from(due_date: date | None, agreement: Agreement) -> date | None:
    """R-AGR-1: the first day an item due on ``due_date`` may be sent to collection as far as the days before
    transfer go ("kan sendes fra"): the due date plus the agreement's days; None without a due date."""
    if due_date is None:
        return None
    return due_date + timedelta(days=effective_days_before_transfer(agreement))


def ledger_sends_reminders(agreement: Agreement) -> bool:
    """R-AGR-2: while the agreement is active the ledger sends no reminders of its own."""
    return not agreement.active


def agreement_problems(agreement: Agreement) -> list[FieldError]:
    """Everything out of range in an agreement value, each naming its field (R-AGR-1 among them)."""
    problems: list[FieldError] = []
    minimum = minimum_days_before_transfer(agreement.reminder_before_notice)
    if agreement.days_before_transfer is not None and agreement.days_before_transfer < minimum:
        why = "with" if agreement.reminder_before_notice else "without"
        problems.append(  # R-AGR-1
            FieldError(
                "days_before_transfer",
                f"at least {minimum} days {why} a reminder before the notice, not {agreement.days_before_transfer}",
            )
        )
    if agreement.days_before_transfer is not None and agreement.days_before_transfer > 365:
        problems.append(FieldError("days_before_transfer", "at most 365 days"))
    if not 7 <= agreement.reminder_deadline_days <= 60:
        problems.append(FieldError("reminder_deadline_days", "between 7 and 60 days"))
    if (
        agreement.minimum_amount.is_negative()
        or agreement.minimum_amount.currency != "NOK"
        or agreement.minimum_amount > MAX_MINIMUM_AMOUNT
    ):
        problems.append(
            FieldError("minimum_amount", f"a NOK amount of 0.00 or more, at most {MAX_MINIMUM_AMOUNT.amount}")
        )
    if not 2 <= agreement.kid_length <= 25:
        problems.append(FieldError("kid_length", "a KID is 2 to 25 digits"))  # R-BANK-1
    if agreement.collection_list_email and not is_valid_email(agreement.collection_list_email):
        problems.append(
            FieldError("collection_list_email", f"{agreement.collection_list_email!r} is not an e-mail address")
        )
    return problems


def missing_for_activation(agreement: Agreement, *, creditor_bank_account: str | None, chart: set[str]) -> list[str]:
    """What must be in place before the agreement can be activated (DOMAIN.md section 10)."""
    missing: list[str] = []
    if not agreement.collection_list_email:
        missing.append("collection_list_email: the address the Tuesday collection list is e-mailed to")
    if not creditor_bank_account:
        missing.append("the company's bank account (where collected money is remitted)")
    for name in ("receivables", "fee_income", "interest_income", "overpayment", "loss", "intermediary_bank"):
        number = getattr(agreement.accounting, name)
        if number not in chart:
            missing.append(f"accounting.{name}: account {number} is not in the chart of accounts")
    return missing


# -- reading and writing agreement fields by name (CLI, API, history) --------------------------------------------

_BOOL_TRUE = {"true", "yes", "ja", "1", "on"}
_BOOL_FALSE = {"false", "no", "nei", "0", "off"}
SETTABLE = (
    "days_before_transfer",
    "reminder_before_notice",
    "reminder_deadline_days",
    "auto_transfer",
    "automatic_collection_list",
    "collection_list_email",
    "dunning_flow",
    "charge_interest",
    "claim_standard_compensation",
    "minimum_amount",
    "allocation_order",
    "kid_scheme",
    "kid_length",
    "require_email",
    "invoice_inkasso_costs_on_close",
)
ACCOUNTING_FIELDS = tuple(f.name for f in fields(AccountingSection))


def _parse(name: str, current: Any, text: str | None) -> Any:
    if name in ("days_before_transfer",) and (text is None or text.strip().lower() in ("", "null", "none", "min")):
        return None
    if name == "collection_list_email" and (text is None or not text.strip()):
        return None
    if text is None:
        raise FieldError(name, "needs a value")
    value = text.strip()
    if isinstance(current, bool):
        if value.lower() in _BOOL_TRUE:
            return True
        if value.lower() in _BOOL_FALSE:
            return False
        raise FieldError(name, f"{text!r} is not yes/no (true/false)")
    if isinstance(current, Money):
        try:
            return Money.of(value)
        except (ValueError, ArithmeticError):
            raise FieldError(name, f"{text!r} is not an amount") from None
    if isinstance(current, StrEnum):
        try:
            return type(current)(value)
        except ValueError:
            allowed = ", ".join(m.value for m in type(current))
            raise FieldError(name, f"{text!r} is not one of {allowed}") from None
    if name in ("days_before_transfer", "reminder_deadline_days", "kid_length"):
        if not re.fullmatch(r"-?[0-9]+", value):
            raise FieldError(
                name, f"{text!r} is not a whole number of days" if "days" in name else f"{text!r} is not a number"
            )
        return int(value)
    return value


def with_changes(agreement: Agreement, changes: dict[str, str | None]) -> Agreement:
    """A new agreement with fields set from text (``accounting.fee_income`` for the accounting section).

    Unknown fields and bad values are refused with the field named; the result is checked as a whole.
    """
    plain: dict[str, Any] = {}
    accounting: dict[str, Any] = {}
    for name, text in changes.items():
        if name.startswith("accounting."):
            sub = name.removeprefix("accounting.")
            if sub not in ACCOUNTING_FIELDS:
                raise FieldError(name, f"unknown field; the accounting section has {', '.join(ACCOUNTING_FIELDS)}")
            accounting[sub] = None if (text is None or not text.strip()) and sub == "vat_code" else (text or "").strip()
            if sub != "vat_code" and not accounting[sub]:
                raise FieldError(name, "needs an account number")
        elif name in SETTABLE:
            plain[name] = _parse(name, getattr(agreement, name), text)
        elif name in ("active", "activated_on", "accepted_by"):
            raise FieldError(name, "is set by activating the agreement (krav agreement activate), not directly")
        else:
            raise FieldError(
                name, f"unknown field; settable: {', '.join(SETTABLE)}, accounting.<{'|'.join(ACCOUNTING_FIELDS)}>"
            )
    new = replace(agreement, **plain)
    if accounting:
        new = replace(new, accounting=replace(new.accounting, **accounting))
    problems = agreement_problems(new)
    if problems:
        raise problems[0]
    return new


def field_values(agreement: Agreement) -> dict[str, str | None]:
    """Every field as text, for showing and for the change history."""
    out: dict[str, str | None] = {}
    for f in fields(agreement):
        value = getattr(agreement, f.name)
        if f.name == "accounting":
            for sub in fields(value):
                sub_value = getattr(value, sub.name)
                out[f"accounting.{sub.name}"] = None if sub_value is None else str(sub_value)
            continue
        if value is None:
            out[f.name] = None
        elif isinstance(value, bool):
            out[f.name] = "true" if value else "false"
        elif isinstance(value, Money):
            out[f.name] = str(value.amount)
        elif isinstance(value, date):
            out[f.name] = value.isoformat()
        else:
            out[f.name] = str(value)
    return out
