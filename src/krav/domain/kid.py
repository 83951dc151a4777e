"""KID: the customer identification number a debtor pays with (R-BANK-1).

A KID is 2–25 characters: digits, the last one a check digit computed over all the others, either MOD10
(Luhn) or MOD11 (weights 2, 3, 4, 5, 6, 7, 2, 3, … from the right; check = 11 − sum mod 11, where 11 gives
``0`` and 10 gives ``-``), as the Nets OCR giro system specification defines them. MOD10 is computed by
``stdnum.luhn``.

Krav generates a KID per letter with the agreement's scheme (:func:`make_kid`). An incoming KID that fails its
check is not refused: the payment goes to manual matching (:func:`is_valid_kid`). Configuration and other
input that must hold a valid KID goes through :func:`check_kid`, which names what is wrong.

>>> make_kid("1234", KidScheme.MOD10, 7)
'0012344'
>>> make_kid("1234", KidScheme.MOD11, 7)
'0012343'
>>> is_valid_kid("0012344"), kid_scheme_of("0012343")
(True, <KidScheme.MOD11: 'MOD11'>)
"""

from __future__ import annotations

from enum import StrEnum

from stdnum import luhn

from krav.domain.errors import FieldError

MIN_LENGTH = 2
MAX_LENGTH = 25
_MOD11_WEIGHTS = (2, 3, 4, 5, 6, 7)


class KidScheme(StrEnum):
    """The check-digit algorithm of a KID (R-BANK-1)."""

    MOD10 = "MOD10"
    MOD11 = "MOD11"


def _require_digits(digits: str, field: str) -> None:
    if not digits:
        raise FieldError(field, "is empty; give at least one digit")
    if not (digits.isascii() and digits.isdigit()):
        bad = next(c for c in digits if not (c.isascii() and c.isdigit()))
        raise FieldError(field, f"{digits!r} must be digits only (found {bad!r})")


def mod10_check_digit(digits: str) -> str:
    """The MOD10 (Luhn) check digit for ``digits`` (R-BANK-1).

    >>> mod10_check_digit("7992739871")
    '3'
    """
    _require_digits(digits, "KID base")
    return str(luhn.calc_check_digit(digits))


def mod11_check_digit(digits: str) -> str:
    """The MOD11 check digit for ``digits`` (R-BANK-1): weights 2–7 repeating from the right,
    11 − (sum mod 11), with 11 → ``"0"`` and 10 → ``"-"``.

    >>> mod11_check_digit("0000053"), mod11_check_digit("0"), mod11_check_digit("6")
    ('1', '0', '-')
    """
    _require_digits(digits, "KID base")
    total = sum(int(c) * _MOD11_WEIGHTS[i % 6] for i, c in enumerate(reversed(digits)))
    check = 11 - total % 11
    if check == 11:
        return "0"
    if check == 10:
        return "-"
    return str(check)


def _check_digit(digits: str, scheme: KidScheme) -> str:
    return mod10_check_digit(digits) if scheme is KidScheme.MOD10 else mod11_check_digit(digits)


def make_kid(base: str, scheme: KidScheme, length: int) -> str:
    """A KID of ``length`` characters: ``base`` left-padded with zeros to ``length − 1``, then the check digit
    of ``scheme`` (R-BANK-1).

    A MOD11 KID may end in ``-`` (see the module docstring). Raises :class:`FieldError` when ``base`` is not
    digits, or is too long for ``length``, or ``length`` is outside 2–25.

    >>> make_kid("42", KidScheme.MOD10, 2)
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: KID base: '42' has 2 digits; a KID of length 2 has room for 1
    """
    if isinstance(length, bool) or not isinstance(length, int) or not MIN_LENGTH <= length <= MAX_LENGTH:
        raise FieldError("KID length", f"must be {MIN_LENGTH} to {MAX_LENGTH}, got {length!r}")
    _require_digits(base, "KID base")
    room = length - 1
    if len(base) > room:
        raise FieldError("KID base", f"{base!r} has {len(base)} digits; a KID of length {length} has room for {room}")
    body = base.rjust(room, "0")
    return body + _check_digit(body, scheme)


def _well_formed(kid: str) -> bool:
    body, last = kid[:-1], kid[-1:]
    return (
        MIN_LENGTH <= len(kid) <= MAX_LENGTH
        and body.isascii()
        and body.isdigit()
        and (last == "-" or (last.isascii() and last.isdigit()))
    )


def is_valid_kid(kid: str, scheme: KidScheme | None = None) -> bool:
    """Whether ``kid`` is a well-formed KID whose check digit holds under ``scheme`` (R-BANK-1).

    With ``scheme=None`` a KID valid under either scheme is valid. Never raises: an invalid incoming KID sends
    its payment to manual matching.

    >>> is_valid_kid("0012344"), is_valid_kid("0012344", KidScheme.MOD11), is_valid_kid("12 34")
    (True, False, False)
    """
    if not isinstance(kid, str) or not _well_formed(kid):
        return False
    schemes = (scheme,) if scheme is not None else tuple(KidScheme)
    return any(_check_digit(kid[:-1], s) == kid[-1] for s in schemes)


def kid_scheme_of(kid: str) -> KidScheme | None:
    """The scheme whose check ``kid`` passes, or ``None`` when it passes neither (R-BANK-1).

    About one MOD10 KID in eleven also passes MOD11 (and vice versa); such a KID is reported as MOD10, the
    scheme tried first. Where the agreement's scheme is known, ask :func:`is_valid_kid` with it instead.

    >>> kid_scheme_of("02311291038304"), kid_scheme_of("0000531"), kid_scheme_of("0000532")
    (<KidScheme.MOD10: 'MOD10'>, <KidScheme.MOD11: 'MOD11'>, None)
    """
    for scheme in KidScheme:
        if is_valid_kid(kid, scheme):
            return scheme
    return None


def check_kid(kid: str, *, scheme: KidScheme | None = None, where: str | None = None, field: str = "KID") -> str:
    """``kid`` without surrounding blanks if it is a valid KID under ``scheme`` (either when ``None``), else
    :class:`FieldError` naming ``where``, the ``field`` and what is wrong (R-BANK-1).

    >>> check_kid(" 0012344 ")
    '0012344'
    >>> check_kid("0012345", where="agreement 7")
    Traceback (most recent call last):
    ...
    krav.domain.errors.FieldError: agreement 7: KID: '0012345' fails its check digit (neither MOD10 nor MOD11)
    """
    compact = kid.strip()
    if not compact:
        raise FieldError(field, "is empty; a KID has 2 to 25 digits", where=where)
    if not MIN_LENGTH <= len(compact) <= MAX_LENGTH:
        raise FieldError(
            field,
            f"{compact!r} has {len(compact)} characters; a KID has {MIN_LENGTH} to {MAX_LENGTH}",
            where=where,
        )
    if not _well_formed(compact):
        position, bad = next(
            (i, c)
            for i, c in enumerate(compact, start=1)
            if not (c.isascii() and c.isdigit()) and not (c == "-" and i == len(compact))
        )
        raise FieldError(
            field,
            f"{compact!r} has {bad!r} at position {position}; a KID is digits only (a MOD11 KID may end in '-')",
            where=where,
        )
    if not is_valid_kid(compact, scheme):
        which = scheme.value if scheme is not None else "neither MOD10 nor MOD11"
        raise FieldError(field, f"{compact!r} fails its check digit ({which})", where=where)
    return compact
