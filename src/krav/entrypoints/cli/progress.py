"""Progress on the long commands (``krav import …``, ``krav run``, ``krav simulate``, ``krav outbox send``,
``krav demo``): a bar drawn with rich on stderr, only when stderr is a terminal a person watches. Piped or
redirected, in the tests and in a cron job, nothing is drawn, so stdout and stderr hold only what the command says.

The work reports per unit that costs something (a creditor's step, an e-mail, a print batch, a simulated day;
:class:`krav.services.ports.outside.Progress`); the bar redraws at most ten times a second however often it is
told, so watching never slows the work down. The bar is gone when the command ends (transient).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from krav.entrypoints import labels

__all__ = ["Bar", "progress"]

#: What the work's tasks are called on the bar (keys of :data:`krav.entrypoints.labels.WORDS`).
_TASKS = {
    "steps": "progress steps",
    "deliveries": "progress deliveries",
    "days": "progress days",
}

#: The shortest time between two redraws, in seconds.
_EVERY = 0.1


class Bar:
    """What the work tells how far it has come: ``bar(task, done, total)``. Quiet where nobody watches."""

    def __init__(self, drawn: Progress | None = None, task: TaskID | None = None) -> None:
        self._drawn = drawn
        self._task = task
        self._last = 0.0
        self._named = ""

    def __call__(self, task: str, done: int, total: int) -> None:
        if self._drawn is None or self._task is None:
            return
        now = time.monotonic()
        if task == self._named and done < total and now - self._last < _EVERY:
            return  # drawn a moment ago: the next call draws it
        self._last, self._named = now, task
        key = _TASKS.get(task)
        what = labels.word(key) if key is not None else task
        self._drawn.update(self._task, description=what, completed=done, total=total)


@contextmanager
def progress(what: str, total: int | None = None, *, stream: TextIO | None = None) -> Iterator[Bar]:
    """A progress bar for the block on ``stream`` (stderr), titled ``what``, of ``total`` units (None: not known
    yet, a pulsing bar); a quiet :class:`Bar` when ``stream`` is not a terminal."""
    stream = sys.stderr if stream is None else stream
    if not stream.isatty():
        yield Bar()
        return
    console = Console(file=stream, force_terminal=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    ) as drawn:
        yield Bar(drawn, drawn.add_task(what, total=total))
