"""Export and import: the book as readable files and back, byte for byte; tampered exports are refused.

Every test taking `db_url` (tests/store/conftest.py) runs on SQLite and on PostgreSQL; `other_url` is a
second, empty database on the same back end.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from storehelp import INCORPORATED, R_ISSUE, approve_issues

from minutebook.book import Book, create, export_book, import_book
from minutebook.core.errors import InputError
from minutebook.store import db
from minutebook.store.export import dump_yaml, load_yaml
from minutebook.store.schema import corporations, events

AUXER = Path(__file__).resolve().parents[2] / "examples" / "auxer-group-charter.txt"
DATES = [date(1997, 7, 31), date(1999, 1, 1), date(2000, 6, 30), date(2003, 1, 1), date(2010, 1, 1), None]


@pytest.fixture
def other_url(backend, tmp_path, request) -> str:
    if backend == "sqlite":
        return str(tmp_path / "other.db")
    return request.getfixturevalue("pg_database")()


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def busy_book(book: Book) -> Book:
    """Holders (with names YAML 1.1 would misread), the board's approval of issuances, issuances,
    transfers, a repurchase, a resale from treasury, a cancellation, a split, a back-dated issuance and a
    historical over-issue."""
    for hid, name in [
        ("alice", "Alice Ng"),
        ("bob", "Bob\nand Co.\n"),  # multi-line, with a trailing newline
        ("on", "yes"),
        ("2021-01-01", "null"),
        ("0x1F", "Zoë Ünicode ✓"),
        ("fund", "Fund  I, L.P.  "),  # inner and trailing spaces
    ]:
        assert not book.add_holder(hid, name).refused
    approve_issues(book, INCORPORATED)
    steps = [
        book.issue(
            "alice",
            "common",
            5_000_000,
            on=date(1998, 1, 5),
            price_per_share=Decimal("0.001"),
            approved_by=R_ISSUE,
        ),
        book.issue(
            "bob",
            "common",
            2_000_000,
            on=date(1998, 2, 1),
            price_per_share=Decimal("0.0100"),
            certificate="C-1",
            legends=("Securities Act legend", "on"),
            approved_by=R_ISSUE,
        ),
        book.issue(
            "on",
            "preferred",
            1_000_000,
            on=date(1999, 6, 1),
            price_per_share=Decimal("1.50"),
            approved_by=R_ISSUE,
        ),
        book.transfer("alice", "2021-01-01", "common", 1_000_000, on=date(2000, 1, 3)),
        book.transfer(
            "bob",
            "fund",
            "common",
            500_000,
            on=date(2000, 3, 1),
            certificate="C-1",
            new_certificate="C-2",
            balance_certificate="C-3",
            price_per_share=Decimal("0.25"),
        ),
        book.repurchase(
            "alice",
            "common",
            500_000,
            on=date(2001, 1, 2),
            price_per_share=Decimal("0.02"),
            approved_by="R-BUY",
        ),
        book.issue(
            "0x1F",
            "common",
            200_000,
            on=date(2001, 6, 1),
            price_per_share=Decimal("0.0005"),
            from_treasury=True,
            approved_by=R_ISSUE,
        ),
        book.cancel("2021-01-01", "common", 100_000, on=date(2002, 1, 1), reason="forfeited\nunder the plan"),
        book.split("common", 1, 2, on=date(2003, 1, 1), historical=True),
        book.issue(
            "fund",
            "common",
            3_000_000,
            on=date(2000, 2, 1),
            price_per_share=Decimal("0.001"),
            approved_by=R_ISSUE,
        ),  # back-dated
        book.issue(
            "alice",
            "common",
            400_000_000,
            on=date(2004, 1, 1),
            price_per_share=Decimal("0.001"),
            historical=True,
            approved_by=R_ISSUE,
        ),
    ]
    for r in steps:
        assert not r.refused, r.findings
    return book


def seq_of(book: Book, type_: str, n: int = 0) -> int:
    """The sequence of the book's `n`-th (from 0) event of type `type_`."""
    return [e.seq for e in book.events if e.type == type_][n]


def event_file(book: Book, seq: int) -> str:
    """An event's file name in an export: `000042-SharesIssued.yaml`."""
    return f"{seq:06d}-{book.events[seq - 1].type}.yaml"


@pytest.fixture
def busy(book) -> Book:
    return busy_book(book)


def test_export_import_export_is_byte_identical(busy, other_url, tmp_path):
    first = tmp_path / "first"
    written = export_book(busy, first)
    assert written[0] == first / "book.yaml"
    assert {p.relative_to(first).parts[0] for p in written} == {"book.yaml", "events", "documents"}
    assert len([p for p in written if p.parent.name == "events"]) == len(busy.events)

    imported = import_book(other_url, first)
    second = tmp_path / "second"
    export_book(imported, second)
    a, b = tree(first), tree(second)
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name

    assert imported.verify() == []
    assert imported.slug == busy.slug and imported.name == busy.name
    for d in DATES:
        assert imported.cap_table(d) == busy.cap_table(d), d
    assert [(e.seq, e.recorded_at, e.body) for e in imported.events] == [
        (e.seq, e.recorded_at, e.body) for e in busy.events
    ]
    with db.read(busy.engine) as c1, db.read(imported.engine) as c2:
        h1 = c1.execute(sa.select(events.c.seq, events.c.hash).order_by(events.c.seq)).all()
        h2 = c2.execute(sa.select(events.c.seq, events.c.hash).order_by(events.c.seq)).all()
        assert h1 == h2
        head = c2.execute(sa.select(corporations.c.head_seq, corporations.c.head_hash)).one()
        assert tuple(head) == h1[-1]


def test_the_files_read_as_plain_values(busy, tmp_path):
    export_book(busy, tmp_path / "x")
    meta = yaml.safe_load((tmp_path / "x" / "book.yaml").read_text())
    assert meta["format_version"] == 1
    assert meta["corporation"] == {"slug": busy.slug, "name": busy.name}
    assert meta["head"]["seq"] == len(busy.events)
    files = sorted((tmp_path / "x" / "events").iterdir())
    assert files[0].name == "000001-Incorporated.yaml"
    issued = next(f for f in files if f.name.endswith("-SharesIssued.yaml"))
    text = issued.read_text()
    assert "effective_on: '1998-01-05'" in text  # a date as a quoted string, not a YAML timestamp
    ev = yaml.safe_load(text)
    assert ev["payload"]["price_per_share"] == "0.001"  # Decimals as strings, exactly as stored
    assert ev["payload"]["shares"] == 5_000_000
    holder = (tmp_path / "x" / "events" / "000006-StakeholderAdded.yaml").read_text()
    assert "holder_id: 'on'" in holder and "name: 'yes'" in holder
    sums = (tmp_path / "x" / "documents" / "SHA256SUMS").read_text()
    doc = tmp_path / "x" / "documents" / AUXER.name
    assert sums == f"{hashlib.sha256(doc.read_bytes()).hexdigest()}  {AUXER.name}\n"
    assert doc.read_bytes() == AUXER.read_bytes()


@pytest.mark.parametrize(
    "value",
    ["on", "off", "yes", "no", "y", "n", "null", "~", "true", "2021-01-01", "2021-01-01 10:00:00", "012", "1e3",
     "0x1F", "1_000", ".inf", "- a", "a: b", "#x", " lead", "trail ", "multi\nline", "multi\nline\n",
     "tab\there", "ünï", "", "'", '"', "12:30", "=", "<<"],
)  # fmt: skip
def test_yaml_keeps_strings_strings(value):
    obj = {"v": value, "n": [value, 1, None, True, "1.50"]}
    assert load_yaml(dump_yaml(obj), "x") == obj
    assert yaml.safe_load(dump_yaml(obj)) == obj  # any YAML 1.1 reader gets the same values


def test_the_libyaml_and_pure_python_emitters_write_the_same_bytes(busy, tmp_path):
    """An export is the same bytes whether or not PyYAML has libyaml."""
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml: only the pure-Python emitter is used")
    export_book(busy, tmp_path / "x")
    files = [tmp_path / "x" / "book.yaml", *sorted((tmp_path / "x" / "events").iterdir())]
    for f in files:
        assert dump_yaml(load_yaml(f.read_bytes(), f.name), pure=True) == f.read_bytes(), f.name
    tricky = {"v": ["on", "multi\nline\n", "trail ", "ünï ✓", "x" * 300, "a " * 200, "tab\there", "- a"]}
    assert dump_yaml(tricky) == dump_yaml(tricky, pure=True)


def test_a_hand_written_date_or_on_stays_a_string():
    assert load_yaml(b"a: 2021-01-01\nb: on\nc: true\n", "x") == {"a": "2021-01-01", "b": "on", "c": True}


def _one_line_refusal(url, folder, *needles):
    with pytest.raises(InputError) as exc:
        import_book(url, folder)
    msg = str(exc.value)
    assert "\n" not in msg
    for n in needles:
        assert n in msg, msg
    return msg


def _nothing_written(url):
    engine, _ = db.open_engine(url)
    with db.read(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(corporations)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(events)).scalar() == 0
    engine.dispose()


def test_an_edited_event_payload_is_refused_naming_the_file(busy, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    f = next(p for p in sorted((out / "events").iterdir()) if p.name.endswith("-SharesIssued.yaml"))
    f.write_text(f.read_text().replace("shares: 5000000", "shares: 6000000"))
    _one_line_refusal(other_url, out, f"events/{f.name}", "does not match its hash")
    _nothing_written(other_url)


def test_an_edited_recorded_at_or_slug_is_refused(busy, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    f = out / "events" / "000007-StakeholderAdded.yaml"
    text = f.read_text()
    f.write_text(text.replace("+00:00", "+01:00"))

    _one_line_refusal(other_url, out, "events/000007-StakeholderAdded.yaml")
    f.write_text(text)
    book_yaml = out / "book.yaml"
    book_yaml.write_text(book_yaml.read_text().replace(f"slug: {busy.slug}", "slug: someone-else"))
    _one_line_refusal(other_url, out, "events/000001-Incorporated.yaml", "does not match its hash")


def test_a_rewritten_chain_is_refused(busy, other_url, tmp_path):
    """An edited event whose hash was recomputed still breaks the next event's prev_hash."""
    out = tmp_path / "x"
    export_book(busy, out)
    t = seq_of(busy, "SharesTransferred")  # the first transfer
    f = out / "events" / event_file(busy, t)
    ev = load_yaml(f.read_bytes(), "x")
    ev["payload"]["shares"] = 1
    from minutebook.store.export import _row
    from minutebook.store.log import row_hash

    ev["hash"] = row_hash(busy.slug, _row(ev))
    f.write_bytes(dump_yaml(ev))
    _one_line_refusal(other_url, out, f"events/{t + 1:06d}-", "prev_hash")


def test_a_deleted_or_added_event_file_is_refused(busy, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    files = sorted((out / "events").iterdir())
    last = files[-1]
    data = last.read_bytes()
    last.unlink()
    _one_line_refusal(other_url, out, "book.yaml", "head")
    last.write_bytes(data)
    files[4].unlink()
    _one_line_refusal(other_url, out, "events/", "where event 5 belongs")


def test_an_edited_document_is_refused_naming_the_file(busy, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    doc = out / "documents" / AUXER.name
    doc.write_text(doc.read_text().replace("20,000,000", "90,000,000", 1))
    _one_line_refusal(other_url, out, f"documents/{AUXER.name}", "SHA256SUMS")
    _nothing_written(other_url)


def test_a_stray_or_missing_document_is_refused(busy, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    (out / "documents" / "extra.txt").write_text("not in the book")
    _one_line_refusal(other_url, out, "documents/extra.txt", "not listed")
    (out / "documents" / "extra.txt").unlink()
    (out / "documents" / AUXER.name).unlink()
    _one_line_refusal(other_url, out, f"documents/{AUXER.name}", "missing")


def test_importing_into_a_database_holding_the_corporation_is_refused(busy, db_url, other_url, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    msg = _one_line_refusal(db_url, out, busy.slug, "already holds")
    assert "import into another database" in msg
    import_book(other_url, out)
    _one_line_refusal(other_url, out, "already holds")


def test_import_beside_another_corporation(busy, other_url, auxer_read, tmp_path):
    create(other_url, auxer_read, [AUXER], slug="auxer-two")
    out = tmp_path / "x"
    export_book(busy, out)
    imported = import_book(other_url, out)
    assert imported.verify() == [] and imported.cap_table() == busy.cap_table()
    export_book(imported, tmp_path / "y")
    assert tree(out) == tree(tmp_path / "y")


def test_not_an_export_and_newer_format_are_refused(busy, other_url, tmp_path):
    (tmp_path / "empty").mkdir()
    _one_line_refusal(other_url, tmp_path / "empty", "not a minutebook export")
    _one_line_refusal(other_url, tmp_path / "nowhere", "not a directory")
    out = tmp_path / "x"
    export_book(busy, out)
    meta = out / "book.yaml"
    meta.write_text(meta.read_text().replace("format_version: 1", "format_version: 9"))
    _one_line_refusal(other_url, out, "book.yaml", "newer")
    meta.write_text("a: [")
    _one_line_refusal(other_url, out, "book.yaml", "not valid YAML")


def test_export_refreshes_an_earlier_export_in_place(busy, tmp_path):
    out = tmp_path / "x"
    export_book(busy, out)
    (out / "events" / "999999-Stale.yaml").write_text("stale")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = tree(out)
    assert not busy.add_holder("carol", "Carol", on=date(2005, 1, 1)).refused
    export_book(busy, out)
    after = tree(out)
    assert "events/999999-Stale.yaml" not in after
    assert after[".git/HEAD"] == before[".git/HEAD"]
    new = sorted(set(after) - set(before))
    assert new == [f"events/{len(busy.events):06d}-StakeholderAdded.yaml"]


def test_export_refuses_a_foreign_or_unrelated_directory(busy, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    with pytest.raises(InputError, match="not empty and not a minutebook export"):
        export_book(busy, tmp_path / "notes")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "book.yaml").write_text("corporation: {slug: acme, name: Acme}\n")
    with pytest.raises(InputError, match="holds the export of 'acme'"):
        export_book(busy, tmp_path / "other")


def test_export_refuses_a_tampered_database(busy, raw, tmp_path):
    issued = seq_of(busy, "SharesIssued")  # the first issuance
    lift = (
        "DROP TRIGGER events_no_update"
        if raw.dialect.name == "sqlite"
        else "ALTER TABLE events DISABLE TRIGGER events_append_only"
    )
    with raw.begin() as conn:
        conn.exec_driver_sql(lift)
        conn.execute(events.update().where(events.c.seq == issued).values(actor="mallory"))
    export_book(busy, tmp_path / "x", check=False)
    before = tree(tmp_path / "x")
    with pytest.raises(InputError, match=f"event {issued}"):
        export_book(busy, tmp_path / "x")
    assert tree(tmp_path / "x") == before  # a refused export writes nothing
    written = export_book(busy, tmp_path / "y", check=False)  # a damaged book can still be written out
    assert (tmp_path / "y" / "events" / event_file(busy, issued)) in written
