"""The same camt.054 notification written again as a bank or a person might: other line endings, another
indentation, the entries in another order, divided into several notifications (each with its own summary), or
without the bank's references. The payments stay the same payments; only the bytes change."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from decimal import Decimal

from lxml import etree

from krav.formats.camt054 import camt054_namespace

NS = {"c": camt054_namespace(2)}


def _tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True))


def _bytes(root: etree._Element, *, indent: str | None = "  ") -> bytes:
    if indent is not None:
        etree.indent(root, space=indent)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=indent is not None))


def with_crlf(data: bytes) -> bytes:
    """Every line ending written CRLF."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def reindented(data: bytes, indent: str | None = "\t") -> bytes:
    """The same XML indented with ``indent`` (a tab, say), or on one line when ``indent`` is None."""
    return _bytes(_tree(data), indent=indent)


def regrouped(data: bytes, groups: Sequence[Sequence[int]], *, message_id: str | None = None) -> bytes:
    """The notification's entries divided into one notification per group (``groups`` lists entry indexes, in
    the order they are written; an index may appear in more than one group, to repeat an entry), each with its
    own summary. ``message_id`` replaces the group header's ``MsgId`` (a new file from the bank)."""
    root = _tree(data)
    body = root.find("c:BkToCstmrDbtCdtNtfctn", NS)
    assert body is not None
    notifications = body.findall("c:Ntfctn", NS)
    found = [entry for n in notifications for entry in n.findall("c:Ntry", NS)]
    template = copy.deepcopy(notifications[0])
    for old in template.findall("c:Ntry", NS):
        template.remove(old)
    for n in notifications:
        body.remove(n)
    if message_id is not None:
        header_id = body.find("c:GrpHdr/c:MsgId", NS)
        assert header_id is not None
        header_id.text = message_id
    for k, group in enumerate(groups, start=1):
        notification = copy.deepcopy(template)
        ident = notification.find("c:Id", NS)
        if ident is not None:
            ident.text = f"{ident.text}-{k}"
        chosen = [copy.deepcopy(found[i]) for i in group]
        for entry in chosen:
            notification.append(entry)
        _summarise(notification, chosen)
        body.append(notification)
    return _bytes(root)


def _summarise(notification: etree._Element, chosen: list[etree._Element]) -> None:
    """The notification's TxsSummry set to its entries (all credits, as the writer makes them)."""
    summary = notification.find("c:TxsSummry", NS)
    if summary is None:
        return
    total = sum((Decimal(e.findtext("c:Amt", namespaces=NS) or "0") for e in chosen), Decimal("0.00"))
    for part in ("c:TtlNtries", "c:TtlCdtNtries"):
        count = summary.find(f"{part}/c:NbOfNtries", NS)
        amount = summary.find(f"{part}/c:Sum", NS)
        if count is not None:
            count.text = str(len(chosen))
        if amount is not None:
            amount.text = str(total)


def without_references(data: bytes) -> bytes:
    """The notification as a bank that gives no reference writes it: no AcctSvcrRef, NtryRef or Refs."""
    root = _tree(data)
    for path in (".//c:Ntry/c:AcctSvcrRef", ".//c:Ntry/c:NtryRef", ".//c:TxDtls/c:Refs"):
        for element in root.findall(path, NS):
            parent = element.getparent()
            assert parent is not None
            parent.remove(element)
    return _bytes(root)
