"""The reader's answer: documents, charter versions and findings, as objects and as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.charter import Charter, CharterVersion, Document
from ..core.findings import Finding


@dataclass(frozen=True, slots=True)
class ReadResult:
    corporation: str | None
    jurisdiction: str | None
    documents: tuple[Document, ...]  # file order, one per filing (duplicate copies merged)
    charter: Charter
    findings: tuple[Finding, ...]
    errors: tuple[str, ...] = ()  # one line per file that could not be read
    paths: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.charter.versions) or bool(self.documents)

    def to_json(self, as_of: date | None = None) -> dict:
        out = {
            "corporation": {"name": self.corporation, "jurisdiction": self.jurisdiction},
            "documents": [_document(d) for d in self.documents],
            "versions": [
                {
                    **version_json(v),
                    "changes": [c.to_json() for c in self.charter.diff(i - 1, i)] if i else [],
                }
                for i, v in enumerate(self.charter.versions)
            ],
            "findings": [f.to_json() for f in self.findings],
        }
        if as_of is not None:
            v = self.charter.at(as_of)
            out["as_of"] = as_of.isoformat()
            out["in_force"] = version_json(v, full=True) if v else None
        if self.errors:
            out["errors"] = list(self.errors)
        return out


def _document(d: Document) -> dict:
    src = d.source
    return {
        "id": d.id,
        "kind": d.kind,
        "statute": d.statute,
        "signed_on": d.signed_on.isoformat() if d.signed_on else None,
        "filed_on": d.filed_on.isoformat() if d.filed_on else None,
        "effective_on": d.effective_on.isoformat() if d.effective_on else None,
        "title": d.title,
        "jurisdiction": d.jurisdiction,
        "signatories": [{"name": s.name, "capacity": s.capacity} for s in d.signatories],
        "sha256": d.sha256,
        "source": {"path": src.path, "line": src.line} if src else None,
        "copies": [{"path": c.path, "line": c.line} for c in d.copies],
        "citations": [
            {
                "section": c.value.removeprefix("other:"),
                "dgcl": not c.value.startswith("other:"),
                "source": c.source.to_json() if c.source else None,
            }
            for c in d.citations
        ],
    }


def version_json(v: CharterVersion, full: bool = False) -> dict:
    cap = v.capital
    out = {
        "effective_on": v.effective_on.isoformat() if v.effective_on else None,
        "date_basis": v.date_basis,
        "document": v.document_id,
        "document_kind": v.document_kind,
        "statute": v.statute,
        "name": v.name,
        "total_authorized": cap.total_authorized if cap else None,
        "classes": [
            {
                "key": c.key,
                "name": c.name,
                "kind": c.kind,
                "authorized": c.authorized,
                "par_value": c.par_text(),
                "votes_per_share": c.votes_per_share,
                "series": [{"name": s.name, "authorized": s.authorized} for s in c.series],
            }
            for c in (cap.classes if cap else ())
        ]
        + [
            {
                "key": s.key,
                "name": s.name,
                "kind": "series",
                "of": c.key,
                "authorized": s.authorized,
                "par_value": _series_par(s, c),
                "votes_per_share": None,
                "series": [],
            }
            for c in (cap.classes if cap else ())
            for s in c.series
        ],
        "preferred_terms_fixed_by": cap.blank_check_holder if cap else None,
        "partial": v.partial,
        "unknown": list(v.unknown),
        "splits": [
            {
                "class": p.param("class"),
                "from": p.param("from"),
                "to": p.param("to"),
                "kind": p.param("kind"),
                "article": p.article or None,
            }
            for p in v.provisions_of("stock_split")
            if p.param("from") is not None
        ],
    }
    if full:
        out.update(
            {
                "registered_office": v.registered_office,
                "registered_agent": v.registered_agent,
                "purpose": v.purpose,
                "provisions": [
                    {
                        "article": p.article,
                        "paragraph": p.paragraph,
                        "kind": p.kind,
                        "params": {
                            k: (val if isinstance(val, (str, int, bool)) or val is None else str(val))
                            for k, val in p.params
                        },
                        "source": p.source.to_json() if p.source else None,
                    }
                    for p in v.provisions
                ],
                "articles": [{"number": a.number, "heading": a.heading, "text": a.text} for a in v.articles],
            }
        )
    return out


def _series_par(s, c) -> str | None:
    """A series' par value: as its designation states it, else its class's."""
    terms = dict(s.terms)
    if "par_value" in terms:
        return terms["par_value"]
    if terms.get("no_par"):
        return "no par"
    return c.par_text()
