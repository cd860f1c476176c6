"""The kinds of paper minutebook draws, and what each is drawn for.

A `Kind` names a document (``board-minutes``, ``certificate-of-amendment`` …), the template that lays it out,
and its builder: a function of the book and a target — the act it is drawn for (`--for`: a board action,
resolution, meeting, consent, certificate or holder id, or ``event N``) and/or a date (`--as-of`) — that returns
a `Paper`: the template's context, filled only from the book's events and state. Nothing in a paper is typed by
hand: the builders read names, dates, share counts, tallies and article text from the book.

Builders raise `NotFoundError` for an act that is not in the book and `InputError` for an act the kind does not
apply to (a §228 consent drawn for a board action), naming the kinds that do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core.errors import InputError, NotFoundError


@dataclass(frozen=True, slots=True)
class Paper:
    """One document ready to render: its kind, title, template and context, and what it was drawn for."""

    kind: str
    title: str
    template: str
    context: dict[str, Any]
    act: str | None = None  # the act's id (or "event N") it was drawn for
    as_of: date | None = None
    on: date | None = None  # the date the document bears
    cites: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """A file name for it, without extension: kind and act or date ("board-minutes-B-1999-1")."""
        tail = self.act or (self.as_of.isoformat() if self.as_of else "")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(tail)).strip("-")
        return f"{self.kind}-{safe}" if safe else self.kind


Builder = Callable[..., Paper]


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of document: `target` says in a few words what `--for` names; `needs` is "act" (a `--for` is
    required), "date" (an `--as-of` is required) or "either" (an act, else a date)."""

    name: str
    title: str
    group: str  # board | stockholders | filings | cure | stock | tax
    target: str
    needs: str
    build: Builder = field(repr=False, compare=False)
    cites: tuple[str, ...] = ()
    template: str = ""


KINDS: dict[str, Kind] = {}


def kind(name: str, title: str, group: str, target: str, needs: str = "act", cites: tuple[str, ...] = ()):
    """Register a builder `fn(book, act: str | None, as_of: date | None) -> Paper` as kind `name`."""

    def register(fn: Builder) -> Builder:
        if name in KINDS:
            raise ValueError(f"document kind {name!r} registered twice")
        KINDS[name] = Kind(name, title, group, target, needs, fn, cites, f"{name}.html.j2")
        return fn

    return register


def get(name: str) -> Kind:
    """The kind named `name` (case and underscores forgiven), or an `InputError` listing the kinds."""
    key = str(name or "").strip().lower().replace("_", "-")
    if key in KINDS:
        return KINDS[key]
    raise InputError(f"no document kind {name!r}; the kinds are: {', '.join(sorted(KINDS))}")


def build(book, name: str, act: str | None = None, as_of: date | None = None) -> Paper:
    """The paper of kind `name` for `act` and/or `as_of`, from the book."""
    k = get(name)
    act = str(act).strip() if act is not None and str(act).strip() else None
    if k.needs == "act" and act is None:
        raise InputError(f"{k.name}: name what it is drawn for with --for ({k.target})")
    if k.needs == "date" and as_of is None:
        raise InputError(f"{k.name}: give the date it speaks as of with --as-of")
    if k.needs == "either" and act is None and as_of is None:
        raise InputError(f"{k.name}: give --for ({k.target}) or --as-of DATE")
    return k.build(book, act, as_of)


def not_for(kind_name: str, act: str, what: str, others: tuple[str, ...] = ()) -> InputError:
    """The error for an act a kind does not apply to, naming the kinds that do."""
    k = KINDS.get(kind_name)
    need = f" — {kind_name} is drawn for {k.target}" if k else ""
    hint = f"; draw it as {' or '.join(others)}" if others else ""
    return InputError(f"{kind_name} does not apply to {act!r}: it is {what}{need}{hint}")


def no_such(what: str, act: str, known: list[str]) -> NotFoundError:
    shown = ", ".join(sorted(known)[:12]) or "none"
    more = f" (and {len(known) - 12} more)" if len(known) > 12 else ""
    return NotFoundError(f"no {what} {act!r} in the book (known: {shown}{more})")
