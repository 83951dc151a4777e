"""A camt.054 entry (``Ntry``) turned into payments: which entries are payments, the split into transactions
(``NtryDtls/TxDtls``), and each transaction's KID, payer, free text, end-to-end id and identity (R-BANK-1,
R-BANK-2).

The table of directions and reversals, and the rules of identity, are in :mod:`krav.formats.camt054`.
"""

from __future__ import annotations

from datetime import date

from krav.domain.money import Money
from krav.formats.camt054_fields import FieldReader
from krav.formats.camt054_identity import EntryIdentity
from krav.formats.camt054_xml import Element, line_of
from krav.formats.payments import IncomingPayment

__all__ = ["entry_payments", "skip_reason"]


def skip_reason(status: str | None, direction: str, reversal: bool) -> str | None:
    """Why an entry is no payment to the account, or ``None`` when it is one (a credit, or a debit reversing
    an earlier credit) and booked (R-BANK-2)."""
    if status != "BOOK":
        return f"entry status {status or 'missing'}: not booked"
    if direction == "DBIT" and not reversal:
        return "a debit entry: money out of the account, no payment to it"
    if direction == "CRDT" and reversal:
        return "a credit reversing an earlier debit (RvslInd true): money back to the account, no debtor's payment"
    return None


def entry_payments(
    fields: FieldReader,
    entry: Element,
    amount: Money,
    direction: str,
    booked: date,
    base: str,
    creditor: str | None,
    identity: EntryIdentity,
) -> list[IncomingPayment]:
    """The payments of a payment entry, one per transaction, each referenced ``base/n`` (or one payment of
    the whole entry, referenced ``base``, when it lists no transactions).

    Each payment's ``bank_id`` is made by ``identity`` from the bank's references; it is empty when the entry
    and the transaction carry none, and the caller, who sees the whole file, makes the composite key.

    Raises :class:`FileFormatError` when the transactions do not sum to the entry's ``Amt``, are in another
    currency or direction than the entry, or cannot be split because one has no amount.
    """
    transactions: list[Element] = []
    for details in fields.nodes(entry, "c:NtryDtls"):
        found = fields.nodes(details, "c:TxDtls")
        batch = fields.node(details, "c:Btch/c:NbOfTxs")
        if batch is not None and found and (batch.text or "").strip() != str(len(found)):
            raise fields.error(
                f"the batch declares {(batch.text or '').strip()!r} transactions; the entry lists {len(found)}",
                batch,
                "Ntry/NtryDtls/Btch/NbOfTxs",
            )
        transactions.extend(found)
    entry_text = fields.text(entry, "c:AddtlNtryInf")
    if not transactions:
        return [
            IncomingPayment(
                reference=base,
                amount=amount,
                paid_on=booked,
                kid=None,
                bank_id=identity.referenced(creditor, None, None),
                free_text=entry_text,
                creditor_account=creditor,
                source_line=line_of(entry),
            )
        ]
    amounts: list[Money] = []
    for transaction in transactions:
        if fields.node(transaction, "c:CdtDbtInd") is not None and fields.text(transaction, "c:CdtDbtInd") != direction:
            raise fields.error(
                f"a transaction whose CdtDbtInd is not the entry's ({direction})",
                transaction,
                "Ntry/NtryDtls/TxDtls/CdtDbtInd",
            )
        if fields.node(transaction, "c:Amt") is not None:
            amounts.append(fields.amount(transaction, "c:Amt", "Ntry/NtryDtls/TxDtls/Amt"))
        elif fields.node(transaction, "c:AmtDtls/c:TxAmt/c:Amt") is not None:
            amounts.append(
                fields.amount(transaction, "c:AmtDtls/c:TxAmt/c:Amt", "Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt")
            )
        elif len(transactions) == 1:
            amounts.append(amount)
        else:
            raise fields.error(
                f"one of the entry's {len(transactions)} transactions has no amount (Amt or AmtDtls/TxAmt/Amt): "
                "the entry cannot be split",
                transaction,
                "Ntry/NtryDtls/TxDtls",
            )
    currencies = {a.currency for a in amounts}
    if currencies != {amount.currency}:
        raise fields.error(
            f"the transactions are in {', '.join(sorted(currencies))}, the entry in {amount.currency}",
            entry,
            "Ntry/NtryDtls/TxDtls",
        )
    total = Money.sum(amounts, amount.currency)
    if total != amount:
        raise fields.error(
            f"the entry's {len(transactions)} transactions sum to {total.amount}; the entry's Amt is "
            f"{amount.amount}: the file is refused whole",
            entry,
            "Ntry/NtryDtls/TxDtls",
        )
    several = len(transactions) > 1
    return [
        _transaction_payment(
            fields, transaction, part, booked, f"{base}/{n}", creditor, entry_text, identity, n if several else None
        )
        for n, (transaction, part) in enumerate(zip(transactions, amounts, strict=True), start=1)
    ]


def _transaction_payment(
    fields: FieldReader,
    tx: Element,
    amount: Money,
    booked: date,
    reference: str,
    creditor: str | None,
    entry_text: str | None,
    identity: EntryIdentity,
    position: int | None,
) -> IncomingPayment:
    payer_name = payer_account = None
    parties = fields.node(tx, "c:RltdPties")
    if parties is not None:
        payer_name = fields.first(
            parties, "c:Dbtr/c:Nm", "c:Dbtr/c:Pty/c:Nm", "c:UltmtDbtr/c:Nm", "c:UltmtDbtr/c:Pty/c:Nm"
        )
        payer_account = fields.first(parties, "c:DbtrAcct/c:Id/c:IBAN", "c:DbtrAcct/c:Id/c:Othr/c:Id")
        creditor = creditor or fields.first(parties, "c:CdtrAcct/c:Id/c:IBAN", "c:CdtrAcct/c:Id/c:Othr/c:Id")
    kids: list[str] = []
    texts: list[str] = []
    remittance = fields.node(tx, "c:RmtInf")
    if remittance is not None:
        kids = _kids(fields, remittance)
        texts = fields.texts(remittance, "c:Ustrd") or fields.texts(remittance, "c:Strd/c:AddtlRmtInf")
    free_text = " ".join(texts) or fields.text(tx, "c:AddtlTxInf") or entry_text
    if len(kids) > 1:
        free_text = " ".join(p for p in (f"KIDs: {', '.join(kids)}.", free_text) if p)
    end_to_end = fields.text(tx, "c:Refs/c:EndToEndId")
    return IncomingPayment(
        reference=reference,
        amount=amount,
        paid_on=booked,
        kid=kids[0] if len(kids) == 1 else None,
        bank_id=identity.referenced(creditor, fields.text(tx, "c:Refs/c:AcctSvcrRef"), position),
        payer_name=payer_name,
        payer_account=payer_account,
        free_text=free_text,
        creditor_account=creditor,
        source_line=line_of(tx),
        end_to_end_id=None if end_to_end == "NOTPROVIDED" else end_to_end,
        ordered_on=_accepted_on(fields, tx),
    )


def _accepted_on(fields: FieldReader, tx: Element) -> date | None:
    """R-CLM-14: the day the debtor's bank accepted the order (``RltdDts/AccptncDtTm``, its date part), if given."""
    text = fields.text(tx, "c:RltdDts/c:AccptncDtTm")
    return None if text is None else fields.parse_date(text, tx, "Ntry/NtryDtls/TxDtls/RltdDts/AccptncDtTm")


def _kids(fields: FieldReader, remittance: Element) -> list[str]:
    """The distinct KIDs of a transaction's ``RmtInf``: creditor references typed SCOR, or untyped
    (R-BANK-1, R-BANK-2)."""
    kids: list[str] = []
    for reference in fields.nodes(remittance, "c:Strd/c:CdtrRefInf"):
        value = fields.text(reference, "c:Ref")
        typed = fields.node(reference, "c:Tp") is not None
        if value is None or (typed and fields.text(reference, "c:Tp/c:CdOrPrtry/c:Cd") != "SCOR"):
            continue
        kid = "".join(value.split())
        if kid not in kids:
            kids.append(kid)
    return kids
