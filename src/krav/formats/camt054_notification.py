"""A camt.054 notification (``Ntfctn``) as it is read: its account, the sums of its entries, and the check of
its ``TxsSummry`` against them.

The summary is optional; where given, each of ``TtlNtries``, ``TtlCdtNtries`` and ``TtlDbtNtries`` must match
the entries in count (``NbOfNtries``) and sum (``Sum``), and the net amount (``TtlNetNtryAmt`` in .02,
``TtlNetNtry`` from .03) must be the credits less the debits. A mismatch refuses the file whole (R-BANK-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from krav.formats.camt054_fields import FieldReader
from krav.formats.camt054_xml import Element

__all__ = ["Notification", "Totals", "check_summary"]


@dataclass(slots=True)
class Totals:
    """The count and sum of the entries of one kind seen so far."""

    count: int = 0
    total: Decimal = field(default_factory=Decimal)

    def add(self, amount: Decimal) -> None:
        self.count += 1
        self.total += amount


@dataclass(slots=True)
class Notification:
    """The notification being read: where it starts, its account (read once) and the sums of its entries."""

    line: int | None
    account: str | None = None
    account_read: bool = False
    all: Totals = field(default_factory=Totals)
    credits: Totals = field(default_factory=Totals)
    debits: Totals = field(default_factory=Totals)


def check_summary(fields: FieldReader, summary: Element, sums: Notification) -> None:
    """Raise :class:`FileFormatError` where the ``TxsSummry`` of a notification does not match its entries."""
    for name, found in (("TtlNtries", sums.all), ("TtlCdtNtries", sums.credits), ("TtlDbtNtries", sums.debits)):
        part = fields.node(summary, f"c:{name}")
        if part is None:
            continue
        _check_declared(fields, part, f"Ntfctn/TxsSummry/{name}", found)
    total = fields.node(summary, "c:TtlNtries")
    if total is None:
        return
    net = sums.credits.total - sums.debits.total
    amount = fields.node(total, "c:TtlNetNtryAmt")  # .02
    indicator_path = "c:CdtDbtInd"
    path = "Ntfctn/TxsSummry/TtlNtries/TtlNetNtryAmt"
    if amount is None:  # .03 on
        amount = fields.node(total, "c:TtlNetNtry/c:Amt")
        indicator_path = "c:TtlNetNtry/c:CdtDbtInd"
        path = "Ntfctn/TxsSummry/TtlNtries/TtlNetNtry/Amt"
    if amount is None:
        return
    declared = fields.decimal(amount.text, amount, path)
    if fields.text(total, indicator_path) == "DBIT":
        declared = -declared
    if declared != net:
        raise fields.error(
            f"the notification declares a net amount of {declared}; its entries net {net} (credits "
            f"{sums.credits.total} less debits {sums.debits.total}): the file is refused whole",
            amount,
            path,
        )


def _check_declared(fields: FieldReader, part: Element, path: str, found: Totals) -> None:
    count = fields.node(part, "c:NbOfNtries")
    if count is not None:
        text = (count.text or "").strip()
        if not text.isdigit() or int(text) != found.count:
            raise fields.error(
                f"the notification declares {text!r} entries here; it holds {found.count}: the file is refused whole",
                count,
                f"{path}/NbOfNtries",
            )
    total = fields.node(part, "c:Sum")
    if total is not None:
        declared = fields.decimal(total.text, total, f"{path}/Sum")
        if declared != found.total:
            raise fields.error(
                f"the notification declares a sum of {declared}; its entries sum to {found.total}: the file is "
                "refused whole",
                total,
                f"{path}/Sum",
            )
