"""The charter reader: filed text → documents → facts → dated charter versions, with findings.

    from minutebook.ingest import read
    result = read(["examples/auxer-group-charter.txt"])
    result.charter.at(date(1998, 1, 1)).capital.total_authorized   # 75,000,000

Stages, one module each: `load` (bytes to text; `pdf`, `ocr`, `word` for PDF, scans and .docx), `formats`
(SGML/HTML to mapped text), `clean` (page furniture), `normalize` (layout: marks, flattened and broken
lines), `segment` (documents in a file), `classify`, `parse` with `extract/` (facts), `build` (versions),
`capital` and `defects` (findings); `bulk` reads a corpus file by file. See README.md beside this file.

May import: `core` only (and pypdf, python-docx, the Tesseract command); never law, governance, store or
anything above.
"""

from __future__ import annotations

__all__ = ["read", "read_text", "read_texts", "ReadResult"]

_LAZY = {"read": ".reader", "read_text": ".reader", "read_texts": ".reader", "ReadResult": ".result"}


def __getattr__(name: str):
    """The entry points, imported on first use: a module that needs one stage (`load`, `result`) or a command that
    reads no charter does not compile every stage's patterns (~0.3 s)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
