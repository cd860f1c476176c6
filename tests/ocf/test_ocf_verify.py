"""An imported OCF package verifies, and the log vouches for the package's files it stores: the first event read
from each file records its SHA-256, so a stored file rewritten with its hash recomputed is named by that event."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from ocfhelp import TOOLS_SAMPLES, need

from minutebook.ocf.importer import import_package

ACME = next((p for p in TOOLS_SAMPLES if p.name == "acme_holdings_limited"), None)


def test_an_imported_package_verifies_and_its_files_are_anchored(tmp_path):
    book = import_package(str(tmp_path / "mb.db"), need(ACME), lenient=True).book()
    assert book.verify() == []
    stored = {r.name: r.sha256 for r in book.documents()}
    recorded = [(e.source.document_id, e.source.sha256) for e in book.log if e.source and e.source.sha256]
    assert recorded and all(stored[name] == sha for name, sha in recorded)
    assert len({name for name, _ in recorded}) == len(recorded)  # once per file: one record is enough
    name = recorded[0][0]
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'mb.db'}")
    with engine.begin() as conn:
        text = conn.execute(sa.text("SELECT content FROM documents WHERE name = :n"), {"n": name}).scalar()
        forged = text.replace('"', "'", 1)
        conn.execute(
            sa.text("UPDATE documents SET content = :c, sha256 = :h WHERE name = :n"),
            {"c": forged, "h": hashlib.sha256(forged.encode()).hexdigest(), "n": name},
        )
    engine.dispose()
    problems = book.verify()
    assert [p for p in problems if p.startswith(f"document {name!r}: the log records sha256")], problems
