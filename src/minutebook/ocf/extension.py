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
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ..core.events import BOUNDS, Event, body_from_payload

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
    for i, x in enumerate(doc.get("events", ())):
        try:
            bound = x.get("bound") or "on"
            if bound not in BOUNDS:
                raise ValueError(f"bound {bound!r}")
            body = body_from_payload(x["type"], x["payload"])
            out.events.append((i, Event(body, date.fromisoformat(x["date"]), bound, x.get("actor"))))
        except (KeyError, TypeError, ValueError) as ex:
            out.problems.append(f"events[{i}] ({x.get('type') if isinstance(x, dict) else '?'}): {ex}")
    supp = doc.get("supplements") or {}
    out.supplements = supp if isinstance(supp, dict) else {}
    return out
