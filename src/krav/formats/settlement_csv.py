"""The settlement report as CSV (semicolon-separated, UTF-8 with BOM, decimal comma: opens in Norwegian Excel)."""

from __future__ import annotations

import io

from krav.domain.collection.settlement import SettlementReport
from krav.domain.money import Money
from krav.formats.csv_safe import safe_writer

HEADER = (
    "oppgjor",
    "dato",
    "innfordrings_id",
    "fakturanr",
    "kundenr",
    "kunde",
    "hovedstol",
    "gebyr",
    "renter",
    "overbetalt",
    "kostnader",
    "mva_kostnader",
    "utbetalt",
    "salaer_til_inkasso",
)


def _amount(m: Money) -> str:
    return f"{m.amount:.2f}".replace(".", ",")


def settlement_csv(report: SettlementReport) -> bytes:
    """One line per claim and a sum line; amounts to the øre with decimal comma. A name or number that a
    spreadsheet would take for a formula is written as text (:mod:`krav.formats.csv_safe`)."""
    out = io.StringIO()
    writer = safe_writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for line in report.lines:
        writer.writerow(
            (
                report.reference,
                report.settled_on.isoformat(),
                line.collection_id,
                line.invoice_number,
                line.debtor_number,
                line.debtor_name[:200],
                _amount(line.principal),
                _amount(line.fee),
                _amount(line.interest),
                _amount(line.overpayment),
                _amount(line.costs),
                _amount(line.costs_vat),
                _amount(line.remitted),
                _amount(line.salaer),
            )
        )
    total = {
        k: Money.sum(getattr(line, k) for line in report.lines)
        for k in ("principal", "fee", "interest", "overpayment", "costs", "costs_vat", "salaer")
    }
    writer.writerow(
        (
            report.reference,
            report.settled_on.isoformat(),
            "SUM",
            "",
            "",
            "",
            _amount(total["principal"]),
            _amount(total["fee"]),
            _amount(total["interest"]),
            _amount(total["overpayment"]),
            _amount(total["costs"]),
            _amount(total["costs_vat"]),
            _amount(report.total),
            _amount(total["salaer"]),
        )
    )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
