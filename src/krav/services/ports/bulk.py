"""Work over many objects at once, on both sides of the ports: a day's claims, a proposal of a hundred thousand
items."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def many_objects() -> Iterator[None]:
    """Build many small objects from rows (domain values of a whole query) with the cyclic garbage collector
    paused: they hold no cycles, and the collector would otherwise walk them again and again as they grow.

    On the way out what was built is handed to the oldest generation at once (``gc.freeze`` then
    ``gc.unfreeze``, unless something else keeps objects frozen): left in the youngest, the first allocations
    after would walk all of it, then the middle generation again, for objects that only the caller holds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
