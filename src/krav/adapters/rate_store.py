"""The rate table Krav uses, and a newer one loaded and kept (DOMAIN.md section 8: updatable without a release).

The table in use is the first of:

1. ``KRAV_RATES_FILE`` (``Settings.rates_file``): an operator's own file, used as it is;
2. the table stored by ``krav rates load`` in ``$KRAV_HOME/rates/current.toml``, as long as it still keeps every
   entry of this release's built-in table and can be read (else, e.g. after an upgrade whose built-in table is
   newer, it is set aside and :attr:`RatesInUse.set_aside` says why);
3. the built-in ``krav/data/rates.toml``.

A table is loaded whole or not at all: it is parsed (:func:`~krav.domain.rates.parse_rate_tables`), checked
against the table in use and the built-in one (:func:`~krav.domain.rates.check_update`), and only then written,
to a temporary file renamed over ``current.toml``; the table it replaces is kept in ``$KRAV_HOME/rates/replaced/``.
The stored file is the loaded file's text under three comment lines saying where it came from and when::

    # krav-loaded-from = "/home/kari/rates-2027.toml"
    # krav-loaded-at = 2026-12-18T09:30:00+01:00
    # krav-note = "stored by `krav rates load` …"

so it stays a rates file like any other; :attr:`RatesInUse.text` is the text without them, to export and edit.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import replace
from datetime import datetime
from functools import cached_property, lru_cache
from importlib.resources import files
from pathlib import Path

from krav.domain.errors import Conflict, FileFormatError, Problem
from krav.domain.rate_source import RateOrigin, RatesInUse, RatesLoaded
from krav.domain.rates import RateTableRefused, RateTables, check_update, parse_rate_tables

__all__ = ["BUILT_IN_NAME", "RateStore"]

BUILT_IN_NAME = "krav/data/rates.toml"
_HEADER = "# krav-"
_NOTE = "stored by `krav rates load`; do not edit it here: `krav rates export FILE`, edit FILE, `krav rates load FILE`"


class RateStore:
    """The rate table of one Krav home (``$KRAV_HOME``), or the file ``KRAV_RATES_FILE`` names
    (:class:`~krav.domain.rate_source.RatesInUse`)."""

    def __init__(self, home: Path, configured: Path | None = None) -> None:
        self.home = home
        self.configured = configured

    @cached_property
    def stored_path(self) -> Path:
        """Where a loaded table is kept: ``$KRAV_HOME/rates/current.toml`` (looked at on every read of the rates:
        made once)."""
        return self.home / "rates" / "current.toml"

    @property
    def replaced_dir(self) -> Path:
        """Where each table a load replaced is kept, named by when it was replaced."""
        return self.home / "rates" / "replaced"

    def in_use(self) -> RatesInUse:
        """The table every command uses now (a file is read again only when it changed); its ``text`` is without
        the lines Krav adds when it stores a table, ready to export, edit and load again."""
        if self.configured is not None:
            path = self.configured.resolve()
            text, tables = _read(path, *_identity(path, configured=True))
            return RatesInUse(tables, text, RateOrigin.CONFIGURED, path=str(path))
        built_in = _built_in()
        path = self.stored_path
        try:
            identity = _identity(path)
        except FileNotFoundError:
            return built_in
        except FileFormatError as exc:
            return replace(built_in, set_aside=str(exc))
        try:
            text, tables = _read(path, *identity)
        except FileFormatError as exc:
            return replace(built_in, set_aside=f"the loaded table is damaged: {exc}")
        stale = _stale(path, *identity)
        if stale is not None:
            return replace(built_in, set_aside=stale)
        loaded_from, loaded_at = _header(text)
        return RatesInUse(tables, _body(text), RateOrigin.LOADED, str(path), loaded_from, loaded_at)

    def load(self, data: bytes, *, file: str, now: datetime) -> RatesLoaded:
        """Check ``data`` (the text of the rates file ``file``) whole and, when every check passes, store it as the
        table every command uses from now on; else raise and change nothing.

        Refused with :class:`Conflict` while ``KRAV_RATES_FILE`` is set (it would still win); else with
        :class:`RateTableRefused`, naming the table, entry and field: a file that is not UTF-8 or does not parse
        (:func:`~krav.domain.rates.parse_rate_tables`), or one that may not replace the table in use or this
        release's built-in table (every problem, :func:`~krav.domain.rates.check_update`).
        """
        if self.configured is not None:
            raise Conflict(
                f"KRAV_RATES_FILE is set ({self.configured}) and would still be used instead of a loaded table; "
                f"unset it to load {file}, or put the newer rates in that file"
            )
        try:
            text = _body(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problem = Problem("the file", None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            raise RateTableRefused(file, [problem]) from None
        try:
            new = parse_rate_tables(text, file=file)
        except FileFormatError as exc:
            raise RateTableRefused(file, [Problem(exc.element or "the file", None, exc.problem)]) from exc
        current = self.in_use()
        built_in = current.origin is RateOrigin.BUILT_IN
        update = check_update(new, current.tables, old_name="the built-in table" if built_in else "the table in use")
        problems = list(update.problems)
        if not built_in:
            seen = {(p.where, p.field) for p in problems}
            against_release = check_update(new, _built_in().tables, old_name="the built-in table").problems
            problems += [p for p in against_release if (p.where, p.field) not in seen]
        if problems:
            raise RateTableRefused(file, problems)
        replaced = self._keep_replaced(now)
        _write_atomically(self.stored_path, _stored_text(text, file, now))
        return RatesLoaded(self.in_use(), update, replaced)

    def _keep_replaced(self, now: datetime) -> str | None:
        if not self.stored_path.exists():
            return None
        stamp = now.strftime("%Y%m%dT%H%M%S")
        target = self.replaced_dir / f"replaced-{stamp}.toml"
        n = 2
        while target.exists():
            target = self.replaced_dir / f"replaced-{stamp}-{n}.toml"
            n += 1
        _write_atomically(target, self.stored_path.read_text(encoding="utf-8"))
        return str(target)


def _identity(path: Path, *, configured: bool = False) -> tuple[int, int, int]:
    """What tells a changed file from the one read before: inode, size and modification time."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        if not configured:
            raise
        raise FileFormatError(str(path), "cannot read the rates file (KRAV_RATES_FILE): it does not exist") from None
    except OSError as exc:
        raise FileFormatError(str(path), f"cannot read the rates file: {exc.strerror}") from None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=16)
def _read(path: Path, inode: int, size: int, mtime_ns: int) -> tuple[str, RateTables]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileFormatError(str(path), f"cannot read the rates file: {exc}") from exc
    return text, parse_rate_tables(text, file=str(path))


@lru_cache(maxsize=16)
def _stale(path: Path, inode: int, size: int, mtime_ns: int) -> str | None:
    """Why the stored table may not be used with this release's built-in table, or ``None``."""
    _, tables = _read(path, inode, size, mtime_ns)
    problems = check_update(tables, _built_in().tables, old_name="this release's built-in table").problems
    if not problems:
        return None
    shown = "; ".join(str(p) for p in problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
    return f"the table loaded in {path} does not keep this release's built-in table ({shown}); load a newer table"


@lru_cache(maxsize=1)
def _built_in() -> RatesInUse:
    text = files("krav").joinpath("data", "rates.toml").read_text(encoding="utf-8")
    return RatesInUse(parse_rate_tables(text, file=BUILT_IN_NAME), text, RateOrigin.BUILT_IN)


def _stored_text(text: str, file: str, now: datetime) -> str:
    loaded_at = now.replace(microsecond=0).isoformat()
    header = [
        f"{_HEADER}loaded-from = {json.dumps(str(Path(file).resolve()))}",
        f"{_HEADER}loaded-at = {loaded_at}",
        f"{_HEADER}note = {json.dumps(_NOTE)}",
    ]
    return "\n".join(header) + "\n" + text


def _header(text: str) -> tuple[str | None, datetime | None]:
    """The file a stored table was loaded from and when, from its first lines."""
    values: dict[str, object] = {}
    for line in text.splitlines():
        if not line.startswith(_HEADER):
            break
        try:
            values.update(tomllib.loads(line[len("# ") :]))
        except tomllib.TOMLDecodeError:
            continue
    loaded_from, loaded_at = values.get("krav-loaded-from"), values.get("krav-loaded-at")
    return (
        loaded_from if isinstance(loaded_from, str) else None,
        loaded_at if isinstance(loaded_at, datetime) else None,
    )


def _body(text: str) -> str:
    """The text without the lines Krav put on top when it stored it."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith(_HEADER):
        n += 1
    return "".join(lines[n:])


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, synced, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
