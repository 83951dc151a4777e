"""What every command group shares: the options, the business date, the wired app, and errors as exit codes.

Exit codes: 0 done, 1 refused by a rule (or a scenario that does not match), 2 bad input.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterable
from datetime import date, datetime
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

import typer

from krav.bootstrap import App, bootstrap, max_file_bytes
from krav.domain.errors import InputError, KravError
from krav.domain.plausible import check_date, check_file_size
from krav.entrypoints.output import dumps

P = ParamSpec("P")
R = TypeVar("R")

CompanyOpt = Annotated[str, typer.Option("--company", "-c", help="The creditor's organisation number.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="The business date (YYYY-MM-DD); today in Europe/Oslo if left out."),
]
ItemsOpt = Annotated[list[int] | None, typer.Option("--items", "-i", help="Item ids (repeat the option).")]


def business_date(value: str | None) -> date:
    """The business date given (from 1990-01-01 to 2099-12-31), or today's date in Europe/Oslo (R-TIME-1: the
    clock is read only here)."""
    if value:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InputError(f"--date: {value!r} is not a date (YYYY-MM-DD)") from None
        return check_date(day, field="--date")
    return datetime.now(ZoneInfo("Europe/Oslo")).date()


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn Krav's errors into a message on stderr and an exit code; nothing else is caught."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(str(exc), 2)
        except KravError as exc:
            fail(str(exc), 1)

    return wrapper


def echo(lines: Iterable[str], *, err: bool = False) -> None:
    """Print lines of text, one after the other."""
    for line in lines:
        typer.echo(line, err=err)


def echo_json(value: Any) -> None:
    typer.echo(dumps(value))


_app: App | None = None


def reset_app() -> None:
    """Forget the wired app (tests switch databases between commands)."""
    global _app
    if _app is not None:
        _app.close()
    _app = None


def get_app() -> App:
    """Krav wired to the configured database, once per process."""
    global _app
    if _app is None:
        _app = bootstrap()
    return _app


def read_file(path: Path) -> bytes:
    """The bytes of ``path``; a file larger than ``KRAV_MAX_FILE_MB`` is refused, naming its size, before it is
    read whole."""
    limit = max_file_bytes()
    try:
        with path.open("rb") as file:
            check_file_size(os.fstat(file.fileno()).st_size, file=str(path), limit=limit)
            data = file.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror})") from None
    check_file_size(len(data), file=str(path), limit=limit)  # not a regular file, or it grew while being read
    return data


def who() -> str:
    """Who is at the keyboard: the user name recorded with a change, or ``unknown``."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name on this system
        return "unknown"
