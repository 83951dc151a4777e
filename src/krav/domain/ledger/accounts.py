"""The chart of accounts (kontoplan), seeded with the NS 4102 accounts Krav posts to.

A creditor may add accounts; the accounting section of the collection agreement (DOMAIN.md section 4) points
at these numbers. The receivables account is the control account of the customer sub-ledger: every line on it
names a customer and becomes an open item (R-LED-3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from krav.domain.chart import (  # re-exported: the chart's numbers are shared with the agreement
    BANK,
    COLLECTION_COSTS,
    COLLECTION_INTERMEDIARY,
    FEE_INCOME,
    INPUT_VAT,
    INTEREST_INCOME,
    LOSS_ON_RECEIVABLES,
    OPENING_BALANCE,
    OUTPUT_VAT,
    RECEIVABLES,
    ROUNDING,
    SALES,
)
from krav.domain.errors import FieldError

__all__ = [
    "BANK",
    "COLLECTION_COSTS",
    "COLLECTION_INTERMEDIARY",
    "FEE_INCOME",
    "INPUT_VAT",
    "INTEREST_INCOME",
    "LOSS_ON_RECEIVABLES",
    "OPENING_BALANCE",
    "OUTPUT_VAT",
    "RECEIVABLES",
    "ROUNDING",
    "SALES",
    "STANDARD_CHART",
    "Account",
    "AccountKind",
    "check_account_number",
]

_ACCOUNT_NUMBER = re.compile(r"^\d{4,8}$")


class AccountKind(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


@dataclass(frozen=True, slots=True)
class Account:
    """One account of the chart. ``receivable`` marks a customer sub-ledger control account."""

    number: str
    name: str
    kind: AccountKind
    receivable: bool = False


def check_account_number(number: str, *, where: str | None = None) -> str:
    """An account number is 4 to 8 digits (NS 4102 uses four)."""
    if not _ACCOUNT_NUMBER.match(number):
        raise FieldError("account", f"{number!r} is not an account number (4 to 8 digits)", where=where)
    return number


#: The accounts a new company starts with (NS 4102 numbering). Names are Norwegian, as in the books.
STANDARD_CHART: tuple[Account, ...] = (
    Account(RECEIVABLES, "Kundefordringer", AccountKind.ASSET, receivable=True),
    Account(BANK, "Bankinnskudd", AccountKind.ASSET),
    Account(COLLECTION_INTERMEDIARY, "Mellomværende innfordring", AccountKind.ASSET),
    Account(OPENING_BALANCE, "Annen egenkapital (inngående balanse)", AccountKind.EQUITY),
    Account(OUTPUT_VAT, "Utgående merverdiavgift", AccountKind.LIABILITY),
    Account(INPUT_VAT, "Inngående merverdiavgift", AccountKind.ASSET),
    Account(SALES, "Salgsinntekt, avgiftspliktig", AccountKind.INCOME),
    Account(FEE_INCOME, "Purre- og inkassogebyr", AccountKind.INCOME),
    Account(COLLECTION_COSTS, "Annen fremmedtjeneste (innfordring)", AccountKind.EXPENSE),
    Account(ROUNDING, "Øreavrunding", AccountKind.EXPENSE),
    Account(LOSS_ON_RECEIVABLES, "Tap på fordringer", AccountKind.EXPENSE),
    Account(INTEREST_INCOME, "Renteinntekt, forsinkelsesrente", AccountKind.INCOME),
)
