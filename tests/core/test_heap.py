"""`core.heap`: the collector kept quiet while a large graph is made, and the fast pickling of frozen dataclasses."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import pickle
import pkgutil
import weakref
from datetime import date
from decimal import Decimal

import pytest

import minutebook.core
from minutebook.core import heap
from minutebook.core.events import Event, SharesIssued
from minutebook.core.sources import SourceRef


def _core_classes():
    for info in pkgutil.iter_modules(minutebook.core.__path__, "minutebook.core."):
        mod = importlib.import_module(info.name)
        for cls in vars(mod).values():
            if isinstance(cls, type) and cls.__module__ == mod.__name__ and dataclasses.is_dataclass(cls):
                yield cls


def test_every_frozen_slotted_dataclass_of_core_pickles_fast():
    """A new module or class in core that a fold holds must not fall back on `dataclasses`' own state, which calls
    `fields()` for every object unpickled (most of a large book's opening from its snapshot)."""
    slow = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _core_classes()
        if cls.__dataclass_params__.frozen
        and "__slots__" in cls.__dict__
        and getattr(cls.__setstate__, "__qualname__", "") != "state_of.<locals>.__setstate__"
    ]
    assert slow == []


def test_a_pickled_event_comes_back_equal():
    src = SourceRef(None, "Transactions.ocf.json", 120, 180, 12, 3, "{...}")
    issued = SharesIssued("h-1", "common", 1_000, Decimal("0.0001"), Decimal("0.1000"), "cash")
    events = [
        Event(issued, date(2021, 3, 1), "on", "ocf-import", src, 7),
        Event(issued, date(2021, 3, 2)),  # defaults: no seq, no source
    ]
    for e in events:
        back = pickle.loads(pickle.dumps(e))
        assert back == e and type(back.body) is SharesIssued and back.source == e.source
    assert e.__getstate__() == tuple(getattr(e, f.name) for f in dataclasses.fields(Event))


def test_every_core_class_that_makes_one_round_trips():
    """Each frozen slotted class of core made with its defaults (where it has them all) comes back equal."""
    made = 0
    for cls in _core_classes():
        if not (cls.__dataclass_params__.frozen and "__slots__" in cls.__dict__):
            continue
        try:
            obj = cls()
        except TypeError:  # required fields: covered by the events above and by the snapshot tests
            continue
        made += 1
        assert pickle.loads(pickle.dumps(obj)) == obj, cls
    assert made > 0


def test_a_state_of_another_length_is_refused():
    with pytest.raises(ValueError):
        Event.__new__(Event).__setstate__((None, date(2021, 1, 1)))


def test_quiet_turns_the_collector_off_and_back_on():
    assert gc.isenabled()
    with heap.quiet():
        assert not gc.isenabled()
        with heap.quiet():  # nested: the outer block turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


class _Node:
    pass


def _cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_a_small_block_leaves_its_garbage_to_the_usual_passes():
    with heap.quiet():
        ref = _cycle()
    assert ref() is not None  # a cycle: only the collector frees it, at its next pass
    gc.collect()
    assert ref() is None


def test_a_large_block_ends_with_one_full_pass():
    """A large graph made in the block is walked once at its end: its cyclic garbage is gone at once, and the young
    generation's count starts again from nothing (no pass left pending for whatever runs next)."""
    with heap.quiet():
        ref = _cycle()
        kept = [[] for _ in range(heap.LARGE + 1000)]
    assert ref() is None
    assert gc.get_count()[0] < 1000
    assert len(kept) > heap.LARGE


def test_quiet_leaves_frozen_objects_frozen():
    """In a forked child whose inherited heap is frozen (`book.parallel`), the block does not thaw it."""
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with heap.quiet():
            [[] for _ in range(100)]
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_quiet_leaves_a_collector_turned_off_off():
    gc.disable()
    try:
        with heap.quiet():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_day_is_one_object_and_the_date_fromisoformat_makes():
    a, b = heap.day("2021-03-04"), heap.day("2021-03-04")
    assert a is b and a == date(2021, 3, 4) == date.fromisoformat("2021-03-04")
    assert heap.day("2021-03-05") == date(2021, 3, 5)


@pytest.mark.parametrize("bad", ["2021-02-30", "next tuesday", "", None, 20210304])
def test_a_text_that_is_no_day_raises_what_fromisoformat_raises(bad):
    with pytest.raises(Exception) as ours:
        heap.day(bad)
    with pytest.raises(Exception) as theirs:
        date.fromisoformat(bad)
    assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)


def test_past_its_limit_day_makes_each_date_anew_and_still_right(monkeypatch):
    monkeypatch.setattr(heap, "_DAYS", {})
    monkeypatch.setattr(heap, "DAYS", 2)
    kept = [heap.day(f"1999-01-0{i}") for i in range(1, 4)]
    assert kept == [date(1999, 1, i) for i in range(1, 4)] and len(heap._DAYS) == 2
    assert heap.day("1999-01-03") == date(1999, 1, 3) and heap.day("1999-01-03") is not kept[2]
