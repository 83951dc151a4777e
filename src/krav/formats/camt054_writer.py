"""Writing ISO 20022 camt.054.001.02 credit notifications: the bank's side of a payment, for what-if timelines
(the scenario runner pays letters through a real file), the demo and tests. Built with lxml, so every value is
escaped; :func:`krav.formats.camt054.parse_camt054` reads the result back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from krav.domain.money import Money
from krav.formats.camt054 import camt054_namespace

VERSION = 2


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit on the account: ``kid`` goes into the structured creditor reference (SCOR), ``text`` into the
    unstructured remittance information (e.g. "Faktura 1001" for a payment without KID); ``ordered_on`` the day
    the payer's bank accepted the order, when it was before the booking."""

    reference: str
    amount: Money
    booked_on: date
    kid: str | None = None
    text: str | None = None
    payer_name: str | None = None
    ordered_on: date | None = None  # the day the payer's bank accepted the order (RltdDts/AccptncDtTm, R-CLM-14)


def build_camt054(account: str, credits: Sequence[Credit], *, message_id: str, created: datetime) -> bytes:
    """A camt.054.001.02 notification of ``credits`` to ``account`` (a BBAN), one entry per credit, with the
    totals a bank declares."""
    ns = camt054_namespace(VERSION)

    def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
        child = etree.SubElement(parent, f"{{{ns}}}{tag}", attrib)
        if text is not None:
            child.text = text
        return child

    currency = credits[0].amount.currency if credits else "NOK"
    total = Money.sum((c.amount for c in credits), currency)
    root = etree.Element(f"{{{ns}}}Document", nsmap={None: ns})  # type: ignore[dict-item]
    body = sub(root, "BkToCstmrDbtCdtNtfctn")
    header = sub(body, "GrpHdr")
    sub(header, "MsgId", message_id)
    sub(header, "CreDtTm", created.isoformat(timespec="seconds"))
    note = sub(body, "Ntfctn")
    sub(note, "Id", f"{message_id}-1")
    sub(note, "CreDtTm", created.isoformat(timespec="seconds"))
    acct = sub(sub(sub(note, "Acct"), "Id"), "Othr")
    sub(acct, "Id", account)
    summary = sub(note, "TxsSummry")
    all_entries = sub(summary, "TtlNtries")
    sub(all_entries, "NbOfNtries", str(len(credits)))
    sub(all_entries, "Sum", str(total.amount))
    credit_entries = sub(summary, "TtlCdtNtries")
    sub(credit_entries, "NbOfNtries", str(len(credits)))
    sub(credit_entries, "Sum", str(total.amount))
    for credit in credits:
        entry = sub(note, "Ntry")
        sub(entry, "Amt", str(credit.amount.amount), Ccy=credit.amount.currency)
        sub(entry, "CdtDbtInd", "CRDT")
        sub(entry, "Sts", "BOOK")
        sub(sub(entry, "BookgDt"), "Dt", credit.booked_on.isoformat())
        sub(sub(entry, "ValDt"), "Dt", credit.booked_on.isoformat())
        sub(entry, "AcctSvcrRef", credit.reference)
        domain = sub(sub(entry, "BkTxCd"), "Domn")
        sub(domain, "Cd", "PMNT")
        family = sub(domain, "Fmly")
        sub(family, "Cd", "RCDT")
        sub(family, "SubFmlyCd", "VCOM" if credit.kid else "DMCT")
        tx = sub(sub(entry, "NtryDtls"), "TxDtls")
        sub(sub(tx, "Refs"), "EndToEndId", credit.reference)
        sub(sub(sub(tx, "AmtDtls"), "TxAmt"), "Amt", str(credit.amount.amount), Ccy=credit.amount.currency)
        if credit.payer_name:
            sub(sub(sub(tx, "RltdPties"), "Dbtr"), "Nm", credit.payer_name[:140])
        if credit.kid or credit.text:
            info = sub(tx, "RmtInf")
            if credit.text:
                sub(info, "Ustrd", credit.text[:140])
            if credit.kid:
                ref = sub(sub(info, "Strd"), "CdtrRefInf")
                sub(sub(sub(ref, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
                sub(ref, "Ref", credit.kid)
        if credit.ordered_on is not None:
            sub(sub(tx, "RltdDts"), "AccptncDtTm", f"{credit.ordered_on.isoformat()}T09:00:00")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
