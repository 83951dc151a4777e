"""R-SVC-2: a bounce sends the letter on paper. An e-mail the mail server accepted may still come back: a delivery
status notification (RFC 3464, :mod:`krav.formats.dsn`) dropped in the bounce folder, or a person who records
it (``krav outbox bounce``). The e-mail is then no longer sent: its claims wait again, and a paper copy goes in
the next print batch, sent (and counted from) the day it is printed.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from krav.domain.errors import FileFormatError, InputError, NotFound
from krav.formats.dsn import parse_dsn
from krav.services.collection.delivery import waiting
from krav.services.collection.delivery.mail_text import delivery_key_of
from krav.services.collection.delivery.outbox import paper_copy
from krav.services.ports import Channel, Delivery, DeliveryKind, DeliveryStatus, UnitOfWork

DONE, REFUSED = "done", "refused"
#: the largest bounce file read (a DSN quoting a letter with its PDF is some hundred kB)
MAX_BOUNCE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class BounceResult:
    """What a bounce file did: the deliveries it sent on paper, or why it was put aside."""

    file: str
    bounced: tuple[str, ...] = ()
    problem: str | None = None


def record_bounce(
    uow: UnitOfWork, *, on: date, reason: str, delivery_id: int | None = None, key: str | None = None
) -> Delivery:
    """Record that the e-mail of a delivery (by id or key) bounced on ``on``: its letter's claims wait again and
    a paper copy goes in the next print batch. Recording the same bounce again changes nothing. Returns the paper
    copy's delivery. NotFound for an unknown delivery; InputError for one that went on paper or never went."""
    with uow:
        d = uow.deliveries.find(delivery_id=delivery_id, key=key)
        if d is None:
            raise NotFound(f"no delivery {delivery_id if delivery_id is not None else key}")
        if d.channel is not Channel.EMAIL:
            raise InputError(f"delivery {d.id} ({d.delivery_key}) went on paper: a bounce is for an e-mail")
        copy = paper_copy(d, on)
        if d.status is DeliveryStatus.BOUNCED:
            found = uow.deliveries.find(key=copy.key)
            if found is not None:
                return found
        elif d.status not in (DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN):
            raise InputError(
                f"delivery {d.id} ({d.delivery_key}) is {d.status.value}: only an e-mail that went can bounce"
            )
        uow.deliveries.set_status(d.id, DeliveryStatus.BOUNCED, error=f"bounced: {reason}"[:1000], expect=d.status)
        held = 0
        if d.kind is DeliveryKind.LETTER:
            letters = uow.collection.letters(d.company_id, letter_ids=[d.ref_id])
            if letters:
                held = waiting.hold(uow, d, letters[0], on, f"the e-mail bounced: {reason}"[:200])
        uow.deliveries.enqueue([paper_copy(d, on, claims_held=held > 0)])
        paper = uow.deliveries.find(key=copy.key)
        uow.commit()
    assert paper is not None
    return paper


def read_bounces(uow: UnitOfWork, folder: Path, *, on: date) -> list[BounceResult]:
    """Read the delivery status notifications in ``folder`` (``$KRAV_HOME/inbox/bounces``): each bounce of an
    e-mail Krav sent is recorded (:func:`record_bounce`); the file moves to ``done/``, or, when it is no DSN or
    names no delivery of Krav's, to ``refused/`` with a ``.error`` file saying why."""
    results: list[BounceResult] = []
    if not folder.is_dir():
        return results
    for path in sorted(
        p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    ):
        try:
            if path.stat().st_size > MAX_BOUNCE_BYTES:
                raise FileFormatError(path.name, f"larger than {MAX_BOUNCE_BYTES} bytes: not read")
            bounces = parse_dsn(path.read_bytes(), filename=path.name)
            keys = sorted({k for b in bounces if b.message_id and (k := delivery_key_of(b.message_id))})
            if bounces and not keys:
                raise FileFormatError(path.name, "the bounce names no e-mail Krav sent (no Message-ID of Krav's)")
            reason = "; ".join(filter(None, (bounces[0].status, bounces[0].diagnostic))) if bounces else ""
            for key in keys:
                record_bounce(uow, on=on, reason=reason or "delivery status notification", key=key)
        except (InputError, NotFound, OSError) as exc:
            results.append(BounceResult(path.name, problem=str(exc)))
            _move(path, folder / REFUSED, note=str(exc))
            continue
        results.append(BounceResult(path.name, tuple(keys)))
        _move(path, folder / DONE)
    return results


def _move(path: Path, to: Path, *, note: str | None = None) -> None:
    """Move a read file aside, never over another of the same name."""
    to.mkdir(exist_ok=True)
    target, n = to / path.name, 1
    while target.exists():
        n += 1
        target = to / f"{path.stem}-{n}{path.suffix}"
    shutil.move(str(path), target)
    if note is not None:
        target.with_name(target.name + ".error").write_text(note + "\n", "utf-8")
