"""ISO 20022 pain.001.001.03: the credit transfer file of a remittance to creditors (R-BANK-3).

One message per remittance: ``GrpHdr`` (``MsgId``, ``CreDtTm``, ``NbOfTxs``, ``CtrlSum``, the initiating party
with its organisation number), then one ``PmtInf`` per requested execution date (``PmtMtd`` TRF, its own
``NbOfTxs`` and ``CtrlSum``, the debtor, the debtor's account in NOK and its bank), each payment a
``CdtTrfTxInf`` (``EndToEndId``, ``InstdAmt Ccy="NOK"``, creditor name and account, ``RmtInf/Ustrd``).

Accounts are Norwegian domestic: a BBAN (11 digits, MOD11, ``stdnum.no.kontonr``) is written as
``Othr/Id`` with ``SchmeNm/Cd`` BBAN; an IBAN (``stdnum.iban``) as ``IBAN``. The organisation number is
written as ``OrgId/Othr/Id`` with ``SchmeNm/Cd`` CUST, as Norwegian banks' guidelines ask for the customer's
organisation number; banks differ here, so check yours. Without a BIC the debtor's bank is named by country
(``FinInstnId/PstlAdr/Ctry`` NO), which the schema allows and the BBAN makes sufficient at home.

Nothing is cut short: a name over 70 characters, an id over 35, a text over 140 is refused with a
:class:`FieldError` naming the field, as is a bad account, a payment not in NOK or not positive, or an
``EndToEndId`` used twice. ``CtrlSum`` is computed here from the same amounts that are written, so it equals
their sum to the øre. :func:`validate_remittance` checks a file against the official XSD.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from lxml import etree
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.no import kontonr

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import Money
from krav.domain.party import validate_orgno

__all__ = [
    "PAIN001_NAMESPACE",
    "PainParty",
    "PainPayment",
    "build_remittance",
    "validate_remittance",
]

PAIN001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CURRENCY = "NOK"
_MAX_NAME = 70  # Max140Text in the schema; the EPC and Norwegian bank guidelines keep names to 70
_MAX_ID = 35
_MAX_TEXT = 140
_MAX_GROUPS = 999
_E = f"{{{PAIN001_NAMESPACE}}}"


@dataclass(frozen=True, slots=True)
class PainParty:
    """The party that pays out (the collection agency's client account): name, organisation number, account
    (BBAN or IBAN) and, optionally, its bank's BIC."""

    name: str
    orgno: str
    account: str
    bic: str | None = None


@dataclass(frozen=True, slots=True)
class PainPayment:
    """One credit transfer to a creditor (R-BANK-3)."""

    end_to_end_id: str
    amount: Money
    creditor_name: str
    creditor_account: str
    remittance_text: str
    requested_date: date


@dataclass(frozen=True, slots=True)
class _Account:
    scheme: str  # "IBAN" or "BBAN"
    number: str


@dataclass(frozen=True, slots=True)
class _Transfer:
    """A payment as checked and written."""

    end_to_end_id: str
    amount: Money
    creditor_name: str
    creditor_account: _Account
    remittance_text: str
    requested_date: date


def build_remittance(payer: PainParty, payments: Sequence[PainPayment], *, message_id: str, created: datetime) -> bytes:
    """A pain.001.001.03 message paying ``payments`` from ``payer``'s account (R-BANK-3), UTF-8 bytes.

    ``NbOfTxs`` and ``CtrlSum`` of the group header and of each ``PmtInf`` (one per requested date, earliest
    first) are the count and the sum, to the øre, of the payments written. Raises :class:`FieldError` naming the
    field (and the payment) for anything a bank would refuse: see the module docstring.
    """
    message_id = _text(message_id, "message_id", _MAX_ID)
    if not payments:
        raise FieldError("payments", "a remittance needs at least one payment")
    payer_name = _text(payer.name, "payer name", _MAX_NAME)
    orgno = validate_orgno(payer.orgno, field_name="payer orgno")
    payer_account = _account(payer.account, "payer account")
    bic = _bic(payer.bic) if payer.bic is not None else None
    checked = [_payment(p, i) for i, p in enumerate(payments, start=1)]
    seen: dict[str, int] = {}
    for i, payment in enumerate(checked, start=1):
        if payment.end_to_end_id in seen:
            raise FieldError(
                "end_to_end_id",
                f"{payment.end_to_end_id!r} is already used by payment {seen[payment.end_to_end_id]}",
                where=f"payment {i}",
            )
        seen[payment.end_to_end_id] = i
    by_date: dict[date, list[_Transfer]] = {}
    for payment in checked:
        by_date.setdefault(payment.requested_date, []).append(payment)
    if len(by_date) > _MAX_GROUPS:
        raise FieldError("payments", f"{len(by_date)} execution dates; one remittance holds at most {_MAX_GROUPS}")

    nsmap: Any = {None: PAIN001_NAMESPACE}  # the default namespace; lxml-stubs want str keys
    root = etree.Element(f"{_E}Document", nsmap=nsmap)
    initiation = _sub(root, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", str(len(checked)))
    _sub(header, "CtrlSum", _decimal(Money.sum(p.amount for p in checked)))
    _party(_sub(header, "InitgPty"), payer_name, orgno)
    for number, requested in enumerate(sorted(by_date), start=1):
        group = by_date[requested]
        info = _sub(initiation, "PmtInf")
        _sub(info, "PmtInfId", f"{message_id[: _MAX_ID - 4]}-{number:03d}")
        _sub(info, "PmtMtd", "TRF")
        _sub(info, "NbOfTxs", str(len(group)))
        _sub(info, "CtrlSum", _decimal(Money.sum(p.amount for p in group)))
        _sub(info, "ReqdExctnDt", requested.isoformat())
        _party(_sub(info, "Dbtr"), payer_name, orgno)
        debtor_account = _sub(info, "DbtrAcct")
        _account_id(_sub(debtor_account, "Id"), payer_account)
        _sub(debtor_account, "Ccy", CURRENCY)
        institution = _sub(_sub(info, "DbtrAgt"), "FinInstnId")
        if bic is not None:
            _sub(institution, "BIC", bic)
        else:
            _sub(_sub(institution, "PstlAdr"), "Ctry", "NO")
        for payment in group:
            _transfer(_sub(info, "CdtTrfTxInf"), payment)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def validate_remittance(data: bytes, *, schema_path: Path) -> None:
    """Check a pain.001.001.03 file against the official XSD at ``schema_path`` (R-BANK-3).

    Raises :class:`FileFormatError` naming the first schema error and its line.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    schema = etree.XMLSchema(etree.parse(str(schema_path), parser))
    document = etree.fromstring(data, parser)
    if not schema.validate(document):
        log: Any = schema.error_log  # lxml-stubs do not declare it iterable
        errors = list(log)
        first = errors[0] if errors else None
        raise FileFormatError(
            "pain.001",
            f"does not follow the pain.001.001.03 schema: {first.message if first else 'unknown error'}",
            line=first.line if first is not None and first.line > 0 else None,
        )


# -- checks ---------------------------------------------------------------------------------------------------


def _text(value: str, field: str, limit: int, *, where: str | None = None, required: bool = True) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if required and not text:
        raise FieldError(field, "is empty", where=where)
    if len(text) > limit:
        raise FieldError(field, f"has {len(text)} characters; at most {limit} fit", where=where)
    return text


def _account(value: str, field: str, *, where: str | None = None) -> _Account:
    compact = "".join(ch for ch in value if ch not in " .-") if isinstance(value, str) else ""
    if compact[:2].isalpha():
        try:
            return _Account("IBAN", str(stdnum_iban.validate(compact)))
        except StdnumValidationError as exc:
            raise FieldError(field, f"{value!r} is not a valid IBAN ({exc})", where=where) from exc
    try:
        number = str(kontonr.validate(compact))
    except StdnumValidationError as exc:
        raise FieldError(
            field, f"{value!r} is not a valid Norwegian account number (BBAN) ({exc})", where=where
        ) from exc
    if len(number) != 11:
        raise FieldError(field, f"{value!r} is not an 11-digit Norwegian account number (BBAN)", where=where)
    return _Account("BBAN", number)


def _bic(value: str) -> str:
    try:
        return str(stdnum_bic.validate(value))
    except StdnumValidationError as exc:
        raise FieldError("payer bic", f"{value!r} is not a valid BIC ({exc})") from exc


def _payment(payment: PainPayment, number: int) -> _Transfer:
    where = f"payment {number}"
    amount = payment.amount
    if not isinstance(amount, Money):
        raise FieldError("amount", f"must be Money, got {type(amount).__name__}", where=where)
    if amount.currency != CURRENCY:
        raise FieldError("amount", f"is in {amount.currency}; a domestic remittance pays NOK", where=where)
    if not amount.is_positive():
        raise FieldError("amount", f"{amount} is not positive", where=where)
    if not isinstance(payment.requested_date, date) or isinstance(payment.requested_date, datetime):
        raise FieldError("requested_date", "must be a date", where=where)
    account = _account(payment.creditor_account, "creditor_account", where=where)
    return _Transfer(
        end_to_end_id=_text(payment.end_to_end_id, "end_to_end_id", _MAX_ID, where=where),
        amount=amount,
        creditor_name=_text(payment.creditor_name, "creditor_name", _MAX_NAME, where=where),
        creditor_account=account,
        remittance_text=_text(payment.remittance_text, "remittance_text", _MAX_TEXT, where=where, required=False),
        requested_date=payment.requested_date,
    )


# -- writing --------------------------------------------------------------------------------------------------


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{_E}{name}")
    if text is not None:
        element.text = text
    return element


def _decimal(money: Money) -> str:
    return f"{money.amount:.2f}"


def _party(element: etree._Element, name: str, orgno: str) -> None:
    _sub(element, "Nm", name)
    other = _sub(_sub(_sub(element, "Id"), "OrgId"), "Othr")
    _sub(other, "Id", orgno)
    _sub(_sub(other, "SchmeNm"), "Cd", "CUST")


def _account_id(element: etree._Element, account: _Account) -> None:
    if account.scheme == "IBAN":
        _sub(element, "IBAN", account.number)
        return
    other = _sub(element, "Othr")
    _sub(other, "Id", account.number)
    _sub(_sub(other, "SchmeNm"), "Cd", "BBAN")


def _transfer(element: etree._Element, payment: _Transfer) -> None:
    _sub(_sub(element, "PmtId"), "EndToEndId", payment.end_to_end_id)
    amount = _sub(_sub(element, "Amt"), "InstdAmt", _decimal(payment.amount))
    amount.set("Ccy", CURRENCY)
    _sub(_sub(element, "Cdtr"), "Nm", payment.creditor_name)
    _account_id(_sub(_sub(element, "CdtrAcct"), "Id"), payment.creditor_account)
    if payment.remittance_text:
        _sub(_sub(element, "RmtInf"), "Ustrd", payment.remittance_text)
