"""The minutebook extension file of an OCF package: `minutebook.extension.json`, beside the manifest.

OCF has no place for a minute book's governance record, nor for a few equity facts. An export writes them here
and an import reads them back, so a package from minutebook carries the whole book. The file is not listed in the
manifest (OCF's manifest admits no other files) and is not named `*.ocf.json`, so OCF validators pass it by.

    {
      "format": "minutebook-extension",
      "format_version": 1,
      "events": [                       # in the book's order
        {"type": "BoardActed", "date": "2020-01-02", "bound": "on", "actor": "...",
         "payload": { ... exactly `Body.to_payload()` ... }},
        ...
      ],
      "charter": [                      # the charter's events whole: incorporation, amendments, designations
        {"type": "Incorporated", "date": "2020-01-01", "bound": "on", "actor": "...", "payload": { ... },
         "source": {"path": "documents/charter.txt", "document_id": "d1", "start": 0, "end": 40, "line": 1,
                    "column": 1, "text": "CERTIFICATE OF INCORPORATION"}},   # where it was read, if it was
        ...
      ],
      "supplements": {                  # by OCF security id: what an OCF object has no field for
        "opt-1": {"acceleration": {"double": "1/1"}},
        "note-1": {"maturity_on": "2025-01-01", "cap_basis": "pre"}
      }
    }

`events` holds every event with no OCF form: directors, officers, board size, board acts, meetings (called,
noticed, listed, held), written consents and their notices, bylaws, approvals recorded, class listings, gross
assets, the matters (§§ 144, 220, 122(18), 147, 266), papers drawn, service ended, change of control, repricings
(OCF v1.2.0 has no repricing transaction), and milestones no award waits for. Corrections are not written: the
export is of the corrected history.

`charter` holds the charter's events whole (`Incorporated`, `CharterAmended`, `SeriesDesignated`). Their capital is
in the package's stock classes and authorized-share adjustments too, but OCF has no place for the rest of a charter
(registered office and agent, purpose, provisions, articles, the board's blank-check power, an amendment that changes
no number of shares) nor for a series (a series is exported as a stock class of its own). The import takes the
charter from here when the stock classes and adjustments it gives are the package's own (`ocf.charter_in`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ..core.events import BOUNDS, Event, body_from_payload
from ..core.sources import SourceRef

NAME = "minutebook.extension.json"
FORMAT = "minutebook-extension"


def entry(e: Event) -> dict:
    return {
        "type": e.type,
        "date": e.effective_on.isoformat(),
        "bound": e.bound,
        "actor": e.actor,
        "payload": e.body.to_payload(),
    }


@dataclass(slots=True)
class Extension:
    events: list[tuple[int, Event]] = field(default_factory=list)  # (index in the file, event)
    charter: list[tuple[int, Event]] = field(default_factory=list)  # (index in `charter`, event)
    supplements: dict[str, dict] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read(data: bytes | None) -> Extension:
    """The extension's events and supplements; an entry that cannot be read is a problem (one line)."""
    out = Extension()
    if data is None:
        return out
    try:
        doc = json.loads(data)
    except ValueError as ex:
        out.problems.append(f"not valid JSON: {ex}")
        return out
    except RecursionError:
        out.problems.append("not valid JSON: nested too deeply to read")
        return out
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        out.problems.append(f"not a {FORMAT} document")
        return out
    for key, into in (("events", out.events), ("charter", out.charter)):
        entries = doc.get(key) or ()
        if not isinstance(entries, list):
            out.problems.append(f"{key}: not a list")
            continue
        for i, x in enumerate(entries):
            try:
                bound = x.get("bound") or "on"
                if bound not in BOUNDS:
                    raise ValueError(f"bound {bound!r}")
                body = body_from_payload(x["type"], x["payload"])
                on, src = date.fromisoformat(x["date"]), x.get("source")
                into.append(
                    (i, Event(body, on, bound, x.get("actor"), None if src is None else _source(src)))
                )
            except (AttributeError, KeyError, TypeError, ValueError) as ex:
                out.problems.append(f"{key}[{i}] ({x.get('type') if isinstance(x, dict) else '?'}): {ex}")
    supp = doc.get("supplements") or {}
    out.supplements = supp if isinstance(supp, dict) else {}
    return out


def _source(src: dict) -> SourceRef:
    """A charter event's place in its document, as `charter_entries` wrote it (the path is the package's)."""
    where = [src[k] for k in ("start", "end", "line", "column")]
    if not isinstance(src["path"], str) or not all(type(n) is int and n >= 0 for n in where):
        raise ValueError("source: not a path and four offsets")
    doc = src.get("document_id")
    return SourceRef(doc if isinstance(doc, str) else None, src["path"], *where, str(src.get("text") or ""))
