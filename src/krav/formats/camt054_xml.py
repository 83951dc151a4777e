"""camt.054 as XML, read safely: the namespace of each version, the version of a file, and the streaming parser.

A DOCTYPE is refused three times over: a byte search of the prolog before any parser sees the file, parser
options that resolve no entities, load no DTD and read no network, and a look at the parsed document's docinfo.
The parser streams (``iterparse``) and keeps libxml2's size limits; :func:`forget` frees each entry once read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from krav.domain.errors import FileFormatError

__all__ = [
    "CAMT054_NAMESPACE",
    "SUPPORTED_VERSIONS",
    "Element",
    "camt054_namespace",
    "forget",
    "iterparse",
    "line_of",
    "read_version",
    "refuse_doctype",
    "syntax_error",
]

CAMT054_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.{version:02d}"
SUPPORTED_VERSIONS = tuple(range(2, 9))
_ISO_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.001\.(\d{2})$")
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DOCTYPE_REFUSED = (
    "the file carries a DOCTYPE (a DTD or entity declarations); camt.054 files have none and Krav refuses "
    "them, as entities can expand without limit or read other files"
)
Element = etree._Element


def camt054_namespace(version: int) -> str:
    """The namespace of camt.054.001.0``version``."""
    return CAMT054_NAMESPACE.format(version=version)


def iterparse(data: bytes, **options: Any) -> Iterator[tuple[str, Element]]:
    """The events of ``data`` from a parser that resolves no entities, loads no DTD and reads no network."""
    parse: Any = etree.iterparse  # lxml-stubs do not know these keyword arguments
    events: Iterator[tuple[str, Element]] = parse(
        io.BytesIO(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        **options,
    )
    return events


def refuse_doctype(data: bytes, filename: str) -> None:
    """Raise :class:`FileFormatError` when the prolog of ``data`` carries a DOCTYPE, before any parsing."""
    # First line of defence: a byte search before the parser sees anything (UTF-16 decoded first). The parser
    # options and the docinfo check in read_version are the second and third.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:65536].decode("utf-16", errors="ignore").encode("utf-8")
    else:
        head = data[:65536] if len(data) > 65536 else data
    root_start = _ROOT_START.search(head)
    prolog = head[: root_start.start()] if root_start else head
    if b"<!DOCTYPE" in prolog.upper():
        line = prolog[: prolog.upper().index(b"<!DOCTYPE")].count(b"\n") + 1
        raise FileFormatError(filename, _DOCTYPE_REFUSED, line=line)


def syntax_error(exc: etree.XMLSyntaxError, filename: str) -> FileFormatError:
    """The parser's complaint as a :class:`FileFormatError` naming ``filename`` and the line."""
    line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
    return FileFormatError(filename, f"not well-formed XML: {exc.msg}", line=line)


def read_version(data: bytes, filename: str) -> int:
    """The camt.054 version of the root element, read from the first start event only."""
    try:
        root = next((element for _, element in iterparse(data, events=("start",))), None)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc, filename) from exc
    if root is None:
        raise FileFormatError(filename, "not a payment file: no XML element in the file")
    docinfo: Any = root.getroottree().docinfo  # lxml-stubs lag behind lxml here
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise FileFormatError(filename, _DOCTYPE_REFUSED)
    qname = etree.QName(root)
    match = _ISO_NAMESPACE.match(qname.namespace or "")
    line = line_of(root)
    if qname.localname != "Document" or match is None:
        raise FileFormatError(
            filename,
            f"not a payment file: XML whose root element is {root.tag}, not an ISO 20022 camt.054 Document "
            f"(namespace {camt054_namespace(2)} to …{SUPPORTED_VERSIONS[-1]:02d})",
            line=line,
        )
    message, version = match.group(1), int(match.group(2))
    if message != "camt.054":
        raise FileFormatError(
            filename,
            f"not a payment file: an ISO 20022 {message}.001.{version:02d} message; Krav reads the bank's "
            "debit/credit notification camt.054",
            line=line,
        )
    if version not in SUPPORTED_VERSIONS:
        raise FileFormatError(
            filename,
            f"camt.054.001.{version:02d} is not supported: Krav reads versions .001.02 to "
            f".001.{SUPPORTED_VERSIONS[-1]:02d}",
            line=line,
        )
    return version


def forget(entry: Element) -> None:
    """Free an entry once read, and the entries before it, so the tree does not grow with the file."""
    entry.clear()
    parent = entry.getparent()
    previous = entry.getprevious()
    while parent is not None and previous is not None and previous.tag == entry.tag:
        parent.remove(previous)
        previous = entry.getprevious()


def line_of(element: Element) -> int | None:
    """The line ``element`` starts on, when the parser knows it."""
    line: object = element.sourceline
    return line if isinstance(line, int) else None
