"""Letter texts: the words of each letter type and language, kept in template files a creditor can adapt.

Every letter's wording lives in ``templates/<language>/<letter type>.j2`` (Jinja2) and its fixed labels (table
headings, "Dato", "KID", …) in ``templates/<language>/labels.toml``. A creditor adapts a letter by putting a file
of the same name in a directory of its own and passing that directory to :class:`LetterTexts`; files it does
not override come from the packaged set, and labels are merged key by key.

A template renders to a tiny line-based markup, so the PDF code never interprets markup from data:

- ``# text``  the letter's headline (exactly one; it also names the PDF);
- ``## text`` a sub-heading; ``! text`` a paragraph in bold; ``- text`` a bullet;
- any other lines form paragraphs, separated by a blank line.

Debtor-supplied text (names, addresses, invoice numbers) reaches a template only as *values*, cleaned by
:func:`clean` first: control, format and bidi-override characters removed, whitespace collapsed, length cut
with an ellipsis. Jinja2 never evaluates a value, so ``{{ 7*7 }}`` in a customer name prints as written;
templates run in Jinja2's immutable sandbox, since a creditor's template must not reach into Python.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from stdnum import iban as stdnum_iban
from stdnum.no import kontonr, orgnr

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import format_amount
from krav.domain.party import validate_bank_account

PACKAGED_TEMPLATES = Path(__file__).with_name("templates")
LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
ELLIPSIS = "…"
#: Longest debtor-supplied text kept before layout cuts it to the space it has (names of up to ~120
#: characters exist in the business register; 10 000 characters are an attack, not a name).
TEXT_LIMIT = 160

# Unicode categories dropped from data: controls, format characters (bidi overrides such as U+202E, zero-width
# joiners, soft hyphens), surrogates, private use and unassigned code points.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


# -- cleaning and formatting --------------------------------------------------------------------------------


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when it was longer.

    >>> cut("Ola Nordmann", 8)
    'Ola Nor…'
    """
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def clean(value: object, limit: int = TEXT_LIMIT) -> str:
    """Text from outside made safe to print: one line, no control or bidi characters, at most ``limit`` long.

    >>> clean("Ola\\n\\u202eNordmann\\x07  AS")
    'Ola Nordmann AS'
    >>> clean("<b>{{ 7*7 }}</b>")
    '<b>{{ 7*7 }}</b>'
    """
    if value is None:
        return ""
    raw = str(value)[: limit * 4 + 16]  # bound the work on hostile input before looking at each character
    if raw.isascii() and raw.isprintable():
        return cut(" ".join(raw.split()), limit)
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", raw):
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in _DROPPED_CATEGORIES:
            kept.append(char)
    return cut(" ".join("".join(kept).split()), limit)


def format_date(day: date) -> str:
    """A date as Norwegian letters print it: ``10.02.2025``."""
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def format_rate(rate: Decimal) -> str:
    """An annual interest rate in percent, two decimals: ``12,50``."""
    return format_amount(rate)


def format_account(account: str, *, where: str | None = None) -> str:
    """A Norwegian bank account as ``1234.56.78903``; one that is not 11 digits with a valid MOD11 check digit is
    refused with a :class:`FieldError`, since a letter must not send money to a mistyped account.

    >>> format_account("12345678903")
    '1234.56.78903'
    """
    compact = validate_bank_account(account, where=where)
    if len(compact) != 11:
        raise FieldError("account", f"{compact!r} is not an 11-digit Norwegian account number", where=where)
    return str(kontonr.format(compact))


@lru_cache(maxsize=256)
def format_iban(value: str | None) -> str:
    """An IBAN in groups of four, as printed: ``NO39 1602 0000 000`` (as given when it is not an IBAN). Kept for
    the values seen: every letter prints the same few, and checking one costs more than drawing it.

    >>> format_iban("NO3916020000000")
    'NO39 1602 0000 000'
    """
    text = clean(value, 40)
    return str(stdnum_iban.format(text)) if stdnum_iban.is_valid(text) else text


def format_orgno(value: str | None) -> str:
    """An organisation number grouped as ``974 760 673`` (printed as given when it is not nine digits)."""
    text = clean(value, 40)
    digits = text.replace(" ", "")
    return str(orgnr.format(digits)) if len(digits) == 9 and digits.isdigit() else text


# -- templates ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of a letter's text: ``kind`` is title, heading, text, bold or bullet."""

    kind: str
    text: str


def parse_markup(text: str) -> list[Block]:
    """The blocks of a rendered template (see the module docstring for the markup)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    kind = "text"

    def flush() -> None:
        nonlocal kind
        if paragraph:
            blocks.append(Block(kind, " ".join(paragraph)))
            paragraph.clear()
        kind = "text"

    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(Block("heading", line[3:]))
        elif line.startswith("# "):
            flush()
            blocks.append(Block("title", line[2:]))
        elif line.startswith("- "):
            flush()
            kind = "bullet"
            paragraph.append(line[2:])
        elif line.startswith("! ") and not paragraph:
            kind = "bold"
            paragraph.append(line[2:])
        else:
            paragraph.append(line)
    flush()
    return blocks


def _finalize(value: object) -> object:
    # every {{ value }} a template prints goes through clean(): one line, no control characters
    if isinstance(value, str):
        return clean(value, 400)
    return value


class LetterTexts:
    """The letter templates and labels, looked up in ``directories`` first and then in the packaged set."""

    def __init__(self, directories: Sequence[Path | str] = ()) -> None:
        self._directories = (*(Path(d) for d in directories), PACKAGED_TEMPLATES)
        self._env = ImmutableSandboxedEnvironment(
            loader=FileSystemLoader(self._directories),
            undefined=StrictUndefined,
            autoescape=False,  # the output is our line markup, drawn as plain text, never HTML or XML
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            finalize=_finalize,
        )
        self._labels: dict[str, Mapping[str, str]] = {}

    @staticmethod
    def language_of(requested: str | None) -> str:
        """The language a letter is written in: the recipient's when Krav has texts for it, else bokmål."""
        code = (requested or "").strip().lower()
        return code if code in LANGUAGES else DEFAULT_LANGUAGE

    def labels(self, language: str) -> Mapping[str, str]:
        """The fixed labels of ``language``: the packaged file, overridden key by key by a creditor's file."""
        found = self._labels.get(language)
        if found is None:
            merged: dict[str, str] = {}
            for directory in reversed(self._directories):
                path = directory / language / "labels.toml"
                if path.is_file():
                    merged.update(_read_labels(path))
            if not merged:
                raise FileFormatError(f"{language}/labels.toml", "no labels file for this language")
            found = self._labels[language] = merged
        return found

    def render(self, name: str, language: str, context: Mapping[str, object]) -> list[Block]:
        """The blocks of template ``<language>/<name>.j2`` rendered with ``context``."""
        template_name = f"{language}/{name}.j2"
        try:
            text = self._env.get_template(template_name).render(context)
        except TemplateError as exc:
            raise FileFormatError(template_name, f"the letter template cannot be used: {exc}") from exc
        return parse_markup(text)


def _read_labels(path: Path) -> dict[str, str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FileFormatError(str(path), f"cannot read the labels: {exc}") from exc
    bad = sorted(key for key, value in data.items() if not isinstance(value, str))
    if bad:
        raise FileFormatError(str(path), f"labels must be text; not text: {', '.join(bad)}")
    return {key: str(value) for key, value in data.items()}


@cache
def packaged_texts() -> LetterTexts:
    """The texts that ship with Krav (one shared instance: compiled templates are cached in it)."""
    return LetterTexts()
