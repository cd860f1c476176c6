"""Charter versions to and from plain JSON (for events and the export), exactly and reversibly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .charter import Article, Capital, CharterVersion, Provision, Series, StockClass


def version_to_dict(v: CharterVersion) -> dict:
    cap = v.capital
    return {
        "effective_on": v.effective_on.isoformat() if v.effective_on else None,
        "name": v.name,
        "jurisdiction": v.jurisdiction,
        "registered_office": v.registered_office,
        "registered_agent": v.registered_agent,
        "purpose": v.purpose,
        "document_kind": v.document_kind,
        "statute": v.statute,
        "date_basis": v.date_basis,
        "capital": None
        if cap is None
        else {
            "total_authorized": cap.total_authorized,
            "blank_check_holder": cap.blank_check_holder,
            "classes": [
                {
                    "key": c.key,
                    "name": c.name,
                    "kind": c.kind,
                    "authorized": c.authorized,
                    "par_value": None if c.par_value is None else str(c.par_value),
                    "no_par": c.no_par,
                    "votes_per_share": c.votes_per_share,
                    "series": [{"key": s.key, "name": s.name, "authorized": s.authorized} for s in c.series],
                }
                for c in cap.classes
            ],
        },
        "provisions": [
            {
                "article": p.article,
                "paragraph": p.paragraph,
                "kind": p.kind,
                "params": {
                    k: (val if isinstance(val, (str, int, bool)) or val is None else str(val))
                    for k, val in p.params
                },
            }
            for p in v.provisions
        ],
        "articles": [{"number": a.number, "heading": a.heading, "text": a.text} for a in v.articles],
    }


def version_from_dict(d: dict) -> CharterVersion:
    cap = d.get("capital")
    capital = None
    if cap is not None:
        classes = tuple(
            StockClass(
                c["key"],
                c["name"],
                c["kind"],
                c.get("authorized"),
                None if c.get("par_value") is None else Decimal(c["par_value"]),
                bool(c.get("no_par")),
                c.get("votes_per_share"),
                tuple(
                    Series(s["key"], c["key"], s["name"], s.get("authorized")) for s in c.get("series", ())
                ),
            )
            for c in cap.get("classes", ())
        )
        capital = Capital(cap.get("total_authorized"), classes, cap.get("blank_check_holder"))
    return CharterVersion(
        effective_on=date.fromisoformat(d["effective_on"]) if d.get("effective_on") else None,
        name=d.get("name"),
        registered_office=d.get("registered_office"),
        registered_agent=d.get("registered_agent"),
        purpose=d.get("purpose"),
        capital=capital,
        provisions=tuple(
            Provision(p["article"], p.get("paragraph"), p["kind"], tuple(p.get("params", {}).items()))
            for p in d.get("provisions", ())
        ),
        articles=tuple(Article(a["number"], a["heading"], a["text"]) for a in d.get("articles", ())),
        document_kind=d.get("document_kind"),
        statute=d.get("statute"),
        date_basis=d.get("date_basis", "filed"),
        jurisdiction=d.get("jurisdiction"),
    )
