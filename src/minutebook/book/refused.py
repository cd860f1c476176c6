"""What an import could not place, kept as a durable record the book keeps reporting: the stored document
`ocf/refused.json` a lenient OCF import writes (`ocf.refused` writes it), read back here as error findings
(`MB-OCF-REFUSED-ITEM`) that `Book.check` lists for as long as the book lasts.

    {"format": "minutebook-ocf-refused", "format_version": 1, "package": "...",
     "items": [{"file": "...", "item": "TX_STOCK_ISSUANCE i1", "path": "$.items[0]", "code": "...",
                "message": "stakeholder 'ghost' is not in the package", "object": {...}}]}
"""

from __future__ import annotations

import json

from ..core.findings import Finding, Severity

DOC = "ocf/refused.json"
FORMAT = "minutebook-ocf-refused"
CODE = "MB-OCF-REFUSED-ITEM"


def line(x: dict) -> str:
    return f"{x['file']}: item {x['item']}: {x['message']}"


def from_documents(rows) -> list[Finding]:
    """Error findings from every `ocf/refused.json` among a book's stored documents (rows of name, content)."""
    out = []
    for r in rows:
        if r.name != DOC:
            continue
        try:
            doc = json.loads(r.content)
        except (ValueError, TypeError):
            out.append(
                Finding(Severity.ERROR, CODE, f"{DOC}: the record of refused OCF items cannot be read")
            )
            continue
        if doc.get("format") != FORMAT:
            continue
        for x in doc.get("items", ()):
            out.append(
                Finding(
                    Severity.ERROR,
                    CODE,
                    f"not imported from the OCF package: {line(x)} (fix the package and import it again, or "
                    "record the act by hand)",
                )
            )
    return out
