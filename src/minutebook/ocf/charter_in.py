"""The charter of an imported package, from the extension's `charter` (`ocf.extension`): the book's own
`Incorporated`, `CharterAmended` and `SeriesDesignated` events, which minutebook's export writes whole.

OCF holds a charter's capital only: stock classes with their authorized shares, and adjustments. It has no place for
the registered office and agent, the purpose, the provisions and articles, the board's power to fix a series' terms
(§ 151(a)), an amendment that changes no number of shares, or a series (exported as a stock class of its own, named in
a comment as a series of its class). Read from the stock classes alone, an exported book came back with a bare
charter, its series as classes authorized at incorporation and no designation.

The extension's charter is taken only where it agrees with the package: the stock classes, the adjustments and the
issuer that minutebook's exporter makes of it (`exporter.charter_objects`, `exporter.issuer_object`) must be the
package's own, item for item. A package edited by another tool since fails that test, and its charter is read from
the stock classes as before (the importer says so). The events are taken as written: what OCF says of a class that
minutebook has no field for is already under the class's `"ocf"` key where the book came from OCF, and the
issuer's id under the charter's `"ocf"` (the export writes it there), so the book imported exports the same package.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from ..core.events import CHARTER_TYPES, CharterAmended, Event, Incorporated, SeriesDesignated
from ..core.replay import _Build
from ..core.replay import apply as fold
from ..core.sources import SourceRef
from .approvals import Approvals
from .exporter import charter_objects, issuer_object
from .package import Package
from .schemas import ADJUSTMENTS


@dataclass(frozen=True, slots=True)
class Charter:
    events: list[
        tuple[Event, bool]
    ]  # in the book's order, the incorporation first; with whether it raises a class
    keys: dict[str, str]  # OCF stock class id -> class key; a series' id -> a key of its own (`series`)
    series: dict[str, tuple[str, str]]  # a series' own key -> (class key, series key)


def series_key(cls: str, series: str) -> str:
    """The key a series' stock class has while the package is read (not a slug, so never a class's key)."""
    return f"{cls} series {series}"


def read(
    pkg: Package,
    entries: list[Event],
    approvals: Approvals,
    source: Callable[[str, str, str], SourceRef],
) -> tuple[Charter | None, str | None]:
    """(the charter, None); (None, None) when the extension has none; (None, why) when it cannot be taken."""
    if not entries:
        return None, None
    bad = next((e for e in entries if not isinstance(e.body, CHARTER_TYPES)), None)
    if bad is not None:
        return None, f"its charter holds a {bad.type} event"
    if not isinstance(entries[0].body, Incorporated) or any(
        isinstance(e.body, Incorporated) for e in entries[1:]
    ):
        return None, "its charter does not begin with the one incorporation"
    issuer = pkg.manifest["issuer"]
    classes = {it.data["id"]: it for it in pkg.of("stock_classes_files")}
    adjustments = [it for it in pkg.of("transactions_files") if it.type in ADJUSTMENTS]
    as_of = _as_of(pkg, entries)

    build, raised = _fold(entries)
    raw = [e for e in entries if isinstance(e.body, (Incorporated, CharterAmended))]
    made, adjusted, ids = charter_objects(raw, entries, tuple(build.versions), approvals, as_of)
    mine, theirs = {c["id"]: c for c in made}, {oid: it.data for oid, it in classes.items()}
    if mine != theirs:
        differs = next((it for oid, it in classes.items() if mine.get(oid) != it.data), None)
        return None, (
            f"{differs.file}: item {differs.label} is not the stock class its charter gives"
            if differs is not None
            else "its charter gives stock classes the package does not have"
        )
    if sorted(adjusted, key=lambda a: a["id"]) != sorted(
        (it.data for it in adjustments), key=lambda d: d["id"]
    ):
        return None, "its charter gives other authorized-share adjustments than the package's"
    if issuer_object("", entries[0], build.name, tuple(build.versions)) != issuer:
        return None, "its charter gives another issuer than the manifest's"

    keys, series = {}, {}
    for (cls, s), oid in ids.items():
        if s is None:
            keys[oid] = cls
        else:
            keys[oid] = series_key(cls, s)
            series[keys[oid]] = (cls, s)
    by_date: dict[str, object] = {}
    for it in adjustments:
        by_date.setdefault(it.data["date"], it)
    out: list[tuple[Event, bool]] = []
    for e, up in zip(entries, raised, strict=True):
        b = e.body
        if e.source is not None and (
            path := _stored(e.source.path)
        ):  # read from a charter document it carries
            ref = replace(e.source, path=path)
        elif isinstance(b, Incorporated):
            ref = source(pkg.manifest_file, issuer["id"], "ISSUER")
        elif isinstance(b, SeriesDesignated):
            it = classes.get(ids.get((b.class_key, b.series_key)))
            ref = source(it.file, it.id, it.label) if it is not None else None
        else:
            it = by_date.get(e.effective_on.isoformat())
            ref = source(it.file, it.id, it.label) if it is not None else None
        out.append((replace(e, source=ref), up))
    return Charter(out, keys, series), None


def _stored(path: str) -> str | None:
    """The name the import stores a document of the package under (`ocf/<path>`), for a path inside the package."""
    rel = posixpath.normpath(path)
    return None if rel.startswith(("../", "/")) or rel in (".", "..") else f"ocf/{rel}"


def _as_of(pkg: Package, entries: list[Event]) -> date:
    try:
        return date.fromisoformat(pkg.manifest["as_of"])
    except (KeyError, TypeError, ValueError):
        return max(e.effective_on for e in entries)


def _fold(events: list[Event]) -> tuple[_Build, list[bool]]:
    """The charter's events folded, and whether each raises the authorized shares of a class or series (or adds one):
    it then goes before the stock transactions of its day."""
    build, before, raised = _Build(), {}, []
    for e in events:
        fold(build, e)
        now = _authorized(build.versions[-1]) if build.versions else {}
        raised.append(
            isinstance(e.body, SeriesDesignated)
            or any(
                k not in before or (n is None) != (before[k] is None) or (n is not None and n > before[k])
                for k, n in now.items()
            )
        )
        before = now
    return build, raised


def _authorized(v) -> dict[tuple[str, str | None], int | None]:
    out: dict[tuple[str, str | None], int | None] = {}
    for c in v.capital.classes if v.capital else ():
        out[(c.key, None)] = c.authorized
        for s in c.series:
            out[(c.key, s.key)] = s.authorized
    return out
