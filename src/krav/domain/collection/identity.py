"""The collection service's identity on its letters (R-SVC-1, inkassoloven § 8, god inkassoskikk).

Every letter names the service that sends it so that the debtor can pay, object in writing and call: its name,
organisation number, postal address (street, postcode, city), telephone, e-mail, client account, and the
account's IBAN and BIC for a debtor abroad. No letter is produced while any of them is missing or invalid;
:func:`identity_gaps` says which, one :class:`IdentityGap` per part, in the order above.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.no import kontonr, orgnr

from krav.domain.collection.letters import Sender
from krav.domain.errors import RuleViolation
from krav.domain.party import is_valid_email, is_valid_norwegian_postcode

#: The parts of the identity, in the order a refusal names them.
PARTS = ("name", "orgno", "street", "postcode", "city", "phone", "email", "account", "iban", "bic")

_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{3,24}$")
_MIN_PHONE_DIGITS = 5


@dataclass(frozen=True, slots=True)
class IdentityGap:
    """One part of the identity that is missing (``problem`` is ``"missing"``) or invalid (it says why)."""

    part: str
    problem: str

    @property
    def missing(self) -> bool:
        return self.problem == "missing"


def _problem(part: str, value: str, identity: Sender) -> str | None:
    """Why the given ``value`` of ``part`` is not valid, or None."""
    compact = value.replace(" ", "")
    if part == "orgno" and not orgnr.is_valid(compact):
        return "not a valid Norwegian organisation number"
    if part == "postcode" and not is_valid_norwegian_postcode(value.strip()):
        return "not a Norwegian postcode (four digits)"
    if part == "phone" and not (
        _PHONE.fullmatch(value.strip()) and sum(c.isdigit() for c in value) >= _MIN_PHONE_DIGITS
    ):
        return "not a telephone number"
    if part == "email" and not is_valid_email(value.strip()):
        return "not an e-mail address"
    if part == "account" and not kontonr.is_valid(compact.replace(".", "")):
        return "not a valid Norwegian bank account number (11 digits, MOD11)"
    if part == "iban":
        return _iban_problem(compact, identity)
    if part == "bic":
        if not stdnum_bic.is_valid(compact):
            return "not a valid BIC (SWIFT code)"
        if str(stdnum_bic.compact(compact))[4:6] != "NO":
            return "not the BIC of a Norwegian bank, as the client account's is"
    return None


def _iban_problem(compact: str, identity: Sender) -> str | None:
    """Why ``compact`` is not the IBAN of the client account (a Norwegian one: ``NO``, two check digits, the
    11-digit account number), or None; a client account that is itself missing or invalid is named by its own."""
    if not stdnum_iban.is_valid(compact):
        return "not a valid IBAN"
    iban = str(stdnum_iban.compact(compact))
    if not iban.startswith("NO"):
        return "not a Norwegian IBAN, as the client account's is"
    account = (identity.account or "").replace(" ", "").replace(".", "")
    if kontonr.is_valid(account) and iban[4:] != account:
        return f"not the IBAN of the client account {account}"
    return None


def identity_gaps(identity: Sender) -> tuple[IdentityGap, ...]:
    """R-SVC-1: what of the service's identity is missing or invalid; empty when a letter may name it.

    >>> gaps = identity_gaps(Sender("Krav Inkasso AS", "916000006", None, "0106", "Oslo", "post@krav.example"))
    >>> [(g.part, g.problem) for g in gaps]  # doctest: +NORMALIZE_WHITESPACE
    [('street', 'missing'), ('phone', 'missing'), ('account', 'missing'), ('iban', 'missing'),
     ('bic', 'missing')]
    """
    gaps: list[IdentityGap] = []
    for part in PARTS:
        value = getattr(identity, part)
        if value is None or not str(value).strip():
            gaps.append(IdentityGap(part, "missing"))
            continue
        problem = _problem(part, str(value), identity)
        if problem is not None:
            gaps.append(IdentityGap(part, problem))
    return tuple(gaps)


def identity_complete(identity: Sender) -> bool:
    """R-SVC-1: whether a letter may name ``identity`` (nothing missing or invalid)."""
    return not identity_gaps(identity)


class IdentityIncomplete(RuleViolation):
    """R-SVC-1: the service's identity is incomplete, so no letter may be produced; the message names what to set
    (``name_of`` names each part as the person must set it, e.g. the setting ``KRAV_SERVICE_STREET``)."""

    code = "service_identity_incomplete"

    def __init__(self, gaps: tuple[IdentityGap, ...], name_of: Callable[[str], str] = str) -> None:
        self.gaps = gaps
        missing = [name_of(g.part) for g in gaps if g.missing]
        invalid = [f"{name_of(g.part)} ({g.problem})" for g in gaps if not g.missing]
        what = []
        if missing:
            what.append(f"set {', '.join(missing)}")
        if invalid:
            what.append(f"correct {', '.join(invalid)}")
        super().__init__(f"the collection service's identity is incomplete: {'; '.join(what)}; no letter was produced")


def require_identity(identity: Sender, name_of: Callable[[str], str] = str) -> None:
    """R-SVC-1: raise :class:`IdentityIncomplete` when ``identity`` may not be named on a letter."""
    gaps = identity_gaps(identity)
    if gaps:
        raise IdentityIncomplete(gaps, name_of)
