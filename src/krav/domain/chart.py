"""The NS 4102 account numbers Krav posts to: the shared vocabulary of the ledger's chart
(:mod:`krav.domain.ledger.accounts`) and the agreement's accounting section (DOMAIN.md section 4)."""

from __future__ import annotations

RECEIVABLES = "1500"
BANK = "1920"
COLLECTION_INTERMEDIARY = "1921"
OPENING_BALANCE = "2050"
OUTPUT_VAT = "2700"
INPUT_VAT = "2710"
SALES = "3000"
FEE_INCOME = "3900"
COLLECTION_COSTS = "6790"
LOSS_ON_RECEIVABLES = "7830"
INTEREST_INCOME = "8040"
ROUNDING = "7770"
