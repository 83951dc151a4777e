"""The fields of a camt.054 element: children found by namespaced paths, and text, amounts and dates read from them.

Every value that cannot be read raises a :class:`FileFormatError` naming the file, the line and the element's
path (``Ntry/Amt``), so that the bank or the user can find it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from krav.domain.errors import FieldError, FileFormatError
from krav.domain.money import ORE, Money
from krav.domain.plausible import read_amount
from krav.formats.camt054_xml import Element, camt054_namespace, line_of

__all__ = ["FieldReader"]

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_NONE: tuple[Element, ...] = ()


class FieldReader:
    """Finds elements and reads values in the namespace of one camt.054 version, for the file ``filename``."""

    def __init__(self, filename: str, version: int) -> None:
        self.filename = filename
        self.version = version
        self.namespace = camt054_namespace(version)
        self.paths: dict[str, tuple[str, ...]] = {}
        # while set: each element's children by tag, made the first time the element is asked about. Only while
        # the elements asked about do not change: for one entry at a time, once the parser has read it whole (an
        # entry is read through some thirty paths, most of them ending at a child it does not have)
        self.children: dict[Element, dict[str, list[Element]]] | None = None

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def error(self, problem: str, element: Element, path: str) -> FileFormatError:
        return FileFormatError(self.filename, problem, line=line_of(element), element=path)

    def q(self, path: str) -> tuple[str, ...]:
        """``path``, steps written ``c:Name``, as a tuple of Clark names (cached)."""
        steps = self.paths.get(path)
        if steps is None:
            steps = tuple(f"{{{self.namespace}}}{step.removeprefix('c:')}" for step in path.split("/"))
            self.paths[path] = steps
        return steps

    def _children(self, element: Element, tag: str) -> Sequence[Element]:
        """``element``'s children named ``tag``, from its index (made the first time it is asked about)."""
        assert self.children is not None
        by_tag = self.children.get(element)
        if by_tag is None:
            by_tag = self.children[element] = {}
            for child in element.iterchildren():
                by_tag.setdefault(child.tag, []).append(child)
        return by_tag.get(tag, _NONE)

    def node(self, element: Element, path: str) -> Element | None:
        """The first element at ``path`` below ``element``, following the first match at each step.

        ``iterchildren`` with a tag filters in C and is about twice as fast as ``find`` with a path, which counts
        on a file of 100 000 entries; while :attr:`children` is set, a child is found in its parent's index.
        """
        found = element
        for tag in self.q(path):
            if self.children is None:
                child = next(found.iterchildren(tag), None)
                if child is None:
                    return None
                found = child
            else:
                children = self._children(found, tag)
                if not children:
                    return None
                found = children[0]
        return found

    def nodes(self, element: Element, path: str) -> list[Element]:
        """Every element at ``path`` below ``element``, in document order."""
        found = [element]
        for tag in self.q(path):
            if self.children is None:
                found = [child for parent in found for child in parent.iterchildren(tag)]
            else:
                found = [child for parent in found for child in self._children(parent, tag)]
        return found

    def text(self, element: Element, path: str) -> str | None:
        node = self.node(element, path)
        value = node.text if node is not None else None
        if value is None:
            return None
        value = value.strip()
        return value or None

    def texts(self, element: Element, path: str) -> list[str]:
        return [text for text in ((e.text or "").strip() for e in self.nodes(element, path)) if text]

    def first(self, element: Element, *paths: str) -> str | None:
        for path in paths:
            value = self.text(element, path)
            if value is not None:
                return value
        return None

    def decimal(self, text: str | None, element: Element, path: str) -> Decimal:
        value = (text or "").strip()
        try:  # plain digits within the bounds of krav.domain.plausible: no exponent, no 29-digit amount
            number = read_amount(value, field=path)
        except FieldError as exc:
            raise self.error(exc.problem, element, path) from None
        if number < 0:
            raise self.error(f"{value!r} is not an amount", element, path)
        return number

    def amount(self, element: Element, path: str, name: str) -> Money:
        node = self.node(element, path)
        if node is None:
            raise self.error(f"{name.rsplit('/', 1)[-1]} is missing", element, name)
        number = self.decimal(node.text, node, name)
        if number != number.quantize(ORE):
            raise self.error(f"{number} has more than two decimals", node, name)
        currency = (node.get("Ccy") or "").strip()
        if not _CURRENCY.match(currency):
            raise self.error(f"the currency (Ccy) is {currency!r}, not an ISO 4217 code", node, name)
        return Money(number.quantize(ORE), currency)

    def parse_date(self, text: str, element: Element, path: str) -> date:
        try:
            return date.fromisoformat(text.strip()[:10])
        except ValueError as exc:
            raise self.error(f"{text!r} is not a date", element, path) from exc

    def booked_on(self, entry: Element) -> date | None:
        for name in ("BookgDt", "ValDt"):
            holder = self.node(entry, f"c:{name}")
            if holder is None:
                continue
            text = self.text(holder, "c:Dt") or self.text(holder, "c:DtTm")
            if text is not None:
                return self.parse_date(text, holder, f"Ntry/{name}")
        return None
