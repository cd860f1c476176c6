"""`verify` checks every row it vouches for (issue 17, item 6): the dated ledger entries row by row (a date moved
changes a historical cap table with every balance still adding up), the stored documents against their SHA-256
and against the hash the log records for them, the holders' and the corporation's names, the charter versions, and
the schema's own protections (the append-only triggers, the unique sequence). Each tamper is done behind
minutebook's back, after dropping whatever protection stands in the way, as anyone holding the database can; each
passed `verify` before, and each is named now, with where it is."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa
from storehelp import HOLDER_BOB, ISSUE_ALICE, ISSUE_BOB, TRANSFER, rows, scalar, sql

from minutebook.book import Book, export_book, open_book
from minutebook.core.errors import InputError


def schema_problems(problems: list[str]) -> list[str]:
    return [p for p in problems if p.startswith("schema: ")]


def starting(problems: list[str], prefix: str) -> list[str]:
    return [p for p in problems if p.startswith(prefix)]


# --- the dated ledger entries: every column a query reads ---------------------------------------------------


def test_a_ledger_entry_moved_in_time_is_named(ledger: Book, raw, db_url):
    """Bob's issuance (1998-02-02) moved to 1997-12-01: every balance still adds up, but the cap table of
    1997-12-31 now shows shares that were not issued until February."""
    assert ledger.cap_table(date(1997, 12, 31)).holder_totals().get("bob", 0) == 0
    sql(raw, "UPDATE ledger_entries SET effective_on = '1997-12-01' WHERE seq = :s", s=ISSUE_BOB)
    again = open_book(db_url)
    assert again.cap_table(date(1997, 12, 31)).holder_totals().get("bob") == 2_000  # silently altered
    problems = again.verify()
    hit = starting(problems, f"projection: the dated ledger entries: event {ISSUE_BOB}")
    assert hit and "1997-12-01" in hit[0] and "1998-02-02" in hit[0] and "bob" in hit[0], problems
    assert all(p.startswith("projection: ") for p in problems), problems  # the log itself is intact
    again.rebuild()
    assert again.verify() == []
    assert again.cap_table(date(1997, 12, 31)).holder_totals().get("bob", 0) == 0


@pytest.mark.parametrize(
    "statement,seq",
    [
        # the two sides of the transfer swap holders: each holder's total is unchanged, the entries are not
        (
            f"UPDATE ledger_entries SET holder_id = CASE holder_id WHEN 'bob' THEN 'carol' ELSE 'bob' END "
            f"WHERE seq = {TRANSFER}",
            TRANSFER,
        ),
        (f"UPDATE ledger_entries SET seq = {ISSUE_BOB} WHERE seq = {ISSUE_ALICE}", ISSUE_ALICE),
        (f"UPDATE ledger_entries SET series_key = 'x' WHERE seq = {ISSUE_ALICE}", ISSUE_ALICE),
    ],
    ids=["holders-swapped", "seq", "series"],
)
def test_other_ledger_entry_edits_are_named(ledger: Book, raw, statement, seq):
    sql(raw, statement)
    problems = ledger.verify()
    assert starting(problems, f"projection: the dated ledger entries: event {seq}"), problems


# --- the stored documents ----------------------------------------------------------------------------------


def test_a_document_edited_in_place_is_named(ledger: Book, raw, tmp_path):
    (doc_id, name, content) = rows(raw, "SELECT id, name, content FROM documents")[0]
    assert "25,000,000" in content
    sql(raw, "UPDATE documents SET content = :c", c=content.replace("25,000,000", "95,000,000"))
    problems = ledger.verify()
    hit = starting(problems, f"document {name!r} (row {doc_id}): its content no longer matches its sha256")
    assert hit and starting(problems, "document ") == hit, problems  # named once, not again against the log
    with pytest.raises(InputError, match="no longer matches"):  # what the export already refused
        export_book(ledger, tmp_path / "out")


def test_a_document_rewritten_with_its_hash_is_named_against_the_log(ledger: Book, raw):
    """The content and its stored SHA-256 both rewritten: the events read from the document record its hash."""
    (name, sha, content) = rows(raw, "SELECT name, sha256, content FROM documents")[0]
    forged = content.replace("25,000,000", "95,000,000")
    sql(
        raw,
        "UPDATE documents SET content = :c, sha256 = :h",
        c=forged,
        h=hashlib.sha256(forged.encode()).hexdigest(),
    )
    problems = ledger.verify()
    hit = starting(problems, f"document {name!r}: the log records sha256 {sha[:12]}")
    assert hit and "events 1, 2, 3" in hit[0] and "holds no document with that hash" in hit[0], problems


def test_a_deleted_document_is_named(ledger: Book, raw):
    name = scalar(raw, "SELECT name FROM documents")
    sql(raw, "DELETE FROM documents")
    problems = ledger.verify()
    assert starting(problems, f"document {name!r}: the log records sha256"), problems


def test_the_events_read_from_a_document_record_its_hash(ledger: Book, raw):
    sha = scalar(raw, "SELECT sha256 FROM documents")
    assert all(e.source is not None and e.source.sha256 == sha for e in ledger.log[:3])
    assert all(f'"sha256":"{sha}"' in s for (s,) in rows(raw, "SELECT source FROM events WHERE seq <= 3"))


# --- holders, the corporation, the charter versions -----------------------------------------------------------


@pytest.mark.parametrize(
    "column,value", [("name", "Mallory"), ("kind", "entity"), ("email", "mallory@example.com")]
)
def test_a_holder_edited_is_named(ledger: Book, raw, column, value):
    sql(raw, f"UPDATE holders SET {column} = :v WHERE holder_id = 'bob'", v=value)
    problems = ledger.verify()
    hit = starting(problems, "projection: holders: bob")
    assert hit and column in hit[0] and value in hit[0], problems


def test_a_holder_inserted_is_named(ledger: Book, raw):
    cid = scalar(raw, "SELECT id FROM corporations")
    sql(raw, "INSERT INTO holders VALUES (:c, 'mallory', 'Mallory', 'individual', NULL)", c=cid)
    problems = ledger.verify()
    assert starting(problems, "projection: holders: mallory"), problems


def test_the_corporation_renamed_is_named(ledger: Book, raw):
    sql(raw, "UPDATE corporations SET name = 'Evil Corp'")
    problems = ledger.verify()
    assert starting(problems, "corporation: its name 'Evil Corp'"), problems


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE charter_versions SET data = replace(data, '20000000', '90000000') WHERE seq = 1",
        "UPDATE charter_versions SET effective_on = '1997-01-01' WHERE seq = 2",
    ],
    ids=["data", "date"],
)
def test_a_charter_version_edited_is_named(ledger: Book, raw, statement):
    sql(raw, statement)
    problems = ledger.verify()
    assert starting(problems, "projection: charter versions: event"), problems


# --- the schema's own protections ----------------------------------------------------------------------------

TRIGGERS = {
    "sqlite": {
        "events_no_update": "events",
        "events_no_delete": "events",
        "merkle_nodes_no_update": "merkle_nodes",
        "merkle_nodes_no_delete": "merkle_nodes",
    },
    "postgresql": {
        "events_append_only": "events",
        "events_no_truncate": "events",
        "merkle_nodes_append_only": "merkle_nodes",
        "merkle_nodes_no_truncate": "merkle_nodes",
    },
}


@pytest.mark.parametrize("which", range(4))
def test_a_dropped_append_only_trigger_is_named(ledger: Book, raw, backend, which):
    name, table = list(TRIGGERS[backend].items())[which]
    sql(raw, f"DROP TRIGGER {name}" + (f" ON {table}" if backend == "postgresql" else ""))
    problems = ledger.verify()
    assert schema_problems(problems) == problems, problems  # nothing else was touched
    assert len(problems) == 1 and name in problems[0] and "missing" in problems[0], problems


def test_an_append_only_trigger_made_harmless_is_named(ledger: Book, raw, backend):
    """Kept under its name, but it no longer refuses: the SQLite trigger recreated with a body that does nothing, the
    PostgreSQL function replaced; and on PostgreSQL a trigger disabled."""
    if backend == "sqlite":
        sql(
            raw,
            "DROP TRIGGER events_no_update",
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END",
        )
        sql(raw, f"UPDATE events SET actor = 'mallory' WHERE seq = {ISSUE_ALICE}")  # now allowed
        problems = ledger.verify()
        assert any("events_no_update" in p and "altered" in p for p in schema_problems(problems)), problems
        return
    sql(
        raw,
        "CREATE OR REPLACE FUNCTION minutebook_append_only() RETURNS trigger AS $$ BEGIN RETURN OLD; END $$ "
        "LANGUAGE plpgsql",
    )
    sql(raw, "ALTER TABLE merkle_nodes DISABLE TRIGGER merkle_nodes_append_only")
    problems = schema_problems(ledger.verify())
    assert any("minutebook_append_only" in p and "altered" in p for p in problems), problems
    assert any("merkle_nodes_append_only" in p and "disabled" in p for p in problems), problems


def test_the_unique_sequence_removed_is_named(ledger: Book, raw, backend):
    if backend == "postgresql":
        sql(raw, "ALTER TABLE events DROP CONSTRAINT uq_events_corp_seq")
    else:  # SQLite drops a constraint by rebuilding the table without it (its triggers go with it)
        cols = [c["name"] for c in sa.inspect(raw).get_columns("events")]
        sql(
            raw,
            "CREATE TABLE events_copy AS SELECT * FROM events",
            "DROP TABLE events",
            "ALTER TABLE events_copy RENAME TO events",
        )
        assert [c["name"] for c in sa.inspect(raw).get_columns("events")] == cols
    problems = schema_problems(ledger.verify())
    assert any("unique" in p and "events (corporation_id, seq)" in p for p in problems), problems
    # and then a second event with the same sequence goes in unrefused
    cols = ", ".join(c["name"] for c in sa.inspect(raw).get_columns("events") if c["name"] != "id")
    sql(raw, f"INSERT INTO events ({cols}) SELECT {cols} FROM events WHERE seq = {HOLDER_BOB}")
    assert scalar(raw, f"SELECT count(*) FROM events WHERE seq = {HOLDER_BOB}") == 2


def test_an_intact_book_has_every_protection(ledger: Book):
    assert ledger.verify() == []
