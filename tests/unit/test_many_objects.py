"""Many objects built with the cyclic garbage collector paused (``krav.services.ports.many_objects``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from krav.services.ports import batch_collector, bulk, freeze_for_life, lasting_collector, many_objects
from krav.services.ports.bulk import FULL_ROUND_EVERY


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_the_collector_is_paused_inside_and_enabled_after(collector: None) -> None:
    with many_objects():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled(collector: None) -> None:
    gc.disable()
    with many_objects():
        built = [[n] for n in range(1_000)]
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert built[-1] == [999]


def test_what_was_built_goes_to_the_oldest_generation_without_a_walk(collector: None) -> None:
    with many_objects():
        built = [[n] for n in range(50_000)]
    # nothing counted towards the youngest generation's next walk, and the objects are in the oldest one
    assert gc.get_count()[0] < 700
    assert gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(built[0]) in oldest
    assert id(built[-1]) in oldest


def test_the_start_frozen_for_life_stays_frozen(collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_frozen_for_life", False)
    try:
        freeze_for_life()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with many_objects():
            built = [[n] for n in range(1_000)]
        assert gc.get_freeze_count() == frozen
        assert built[0] == [0]
    finally:
        gc.unfreeze()


def test_leaving_does_not_count_the_frozen_objects(collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """``gc.get_freeze_count`` walks every frozen object (11 ms for a started Krav): never on a read of rows."""

    def walk() -> int:
        raise AssertionError("gc.get_freeze_count called")

    monkeypatch.setattr(gc, "get_freeze_count", walk)
    for frozen in (False, True):
        monkeypatch.setattr(bulk, "_frozen_for_life", frozen)
        with many_objects():
            built = [[n] for n in range(1_000)]
        assert gc.isenabled()
        assert built[-1] == [999]


def test_the_collector_is_enabled_again_after_an_error(collector: None) -> None:
    with pytest.raises(RuntimeError), many_objects():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_batch_commands_collector_makes_full_rounds_a_hundred_times_rarer_and_a_server_as_python_does() -> None:
    before = gc.get_threshold()
    try:
        batch_collector()
        assert gc.get_threshold() == (before[0], before[1], FULL_ROUND_EVERY)
        assert FULL_ROUND_EVERY >= 100 * 10  # a hundred times Python's default of 10
        lasting_collector()
        assert gc.get_threshold() == bulk._PYTHONS_THRESHOLDS
    finally:
        gc.set_threshold(*before)
