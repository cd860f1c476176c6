"""Large graphs of objects: made without the cyclic collector walking them again and again, and pickled fast.

A book's fold holds hundreds of thousands of small frozen dataclasses (certificates, awards, the equity events it
keeps), and a large import makes millions of objects that live until it ends. Two costs come with them in CPython:

- The cyclic collector walks every tracked object of a generation at each of its passes, and a graph being built
  triggers passes over what is built so far, again and again: opening a 210,000-event equity book from its snapshot
  spent more time in the collector than in unpickling. `quiet()` keeps it off while such a graph is made, and then
  makes one pass.
- A frozen dataclass with slots is pickled by `dataclasses`' own `__getstate__`/`__setstate__`, which call
  `dataclasses.fields()` for every object. `fast_pickling` gives a module's frozen slotted dataclasses a state of
  the same shape (the fields' values, in order) whose field list is worked out once per class.
- The same day read from many texts (each event's date, and the awards, certificates and ledger moves that keep
  it) is as many `date` objects, each pickled on its own in a fold's snapshot. `day` makes one object per day.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from operator import attrgetter


@contextmanager
def quiet() -> Iterator[None]:
    """No cyclic collection while the block runs; then, where the block made a large graph (`LARGE` objects tracked
    or more), one full pass at once. While a graph is built the collector's passes walk what is built so far again and
    again; after the block, one pass walks it once, and it also sets the collector's measure of the long-lived heap,
    without which its next full pass would come soon, at whatever the process does next (a first cap table of 60 ms
    taking 960). A small block is left to the usual young-generation passes. Inside a block that already turned the
    collector off (or with it off anyway) it does nothing."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        if gc.get_count()[0] >= LARGE:
            gc.collect()


LARGE = 100_000
"""Objects made (net of those freed) in a `quiet` block from which its end makes a full pass."""


def fast_pickling(namespace: dict) -> None:
    """Give each frozen dataclass with slots defined in the module whose globals are `namespace` the fast state
    (`state_of`): call it at the end of the module, `fast_pickling(globals())`."""
    name = namespace["__name__"]
    for cls in list(namespace.values()):
        if isinstance(cls, type) and cls.__module__ == name and _frozen_slotted(cls):
            get, put = state_of(cls)
            cls.__getstate__ = get  # type: ignore[method-assign]
            cls.__setstate__ = put  # type: ignore[method-assign]


def _frozen_slotted(cls: type) -> bool:
    return dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen and "__slots__" in cls.__dict__  # type: ignore[attr-defined]


def state_of(cls: type) -> tuple[Callable[[object], tuple], Callable[[object, tuple], None]]:
    """(`__getstate__`, `__setstate__`) for a frozen dataclass with slots: the state is the fields' values in the
    order of `dataclasses.fields`, as `dataclasses` makes it, restored through the slots' own descriptors (which a
    frozen class's `__setattr__` does not stand in front of)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    puts = tuple(getattr(cls, n).__set__ for n in names)
    if len(names) > 1:
        values = attrgetter(*names)
    elif names:
        one = attrgetter(names[0])

        def values(obj: object) -> tuple:
            return (one(obj),)
    else:

        def values(obj: object) -> tuple:
            return ()

    def __getstate__(self: object) -> tuple:
        return values(self)

    def __setstate__(self: object, state: tuple) -> None:
        for put, value in zip(puts, state, strict=True):
            put(self, value)

    return __getstate__, __setstate__


def day(text: str) -> date:
    """`date.fromisoformat(text)`, one object per day: a large book's events, and the awards, certificates and moves
    of its fold that keep their dates, then share them, and its snapshot pickles each day once (pickle keeps what
    objects share). Up to `DAYS` days are kept (all of them for 270 years), after which the next are made anew."""
    d = _DAYS.get(text) if type(text) is str else None
    if d is None:
        d = date.fromisoformat(text)  # raises what it raises
        if len(_DAYS) < DAYS:
            _DAYS[text] = d
    return d


DAYS = 100_000
_DAYS: dict[str, date] = {}
