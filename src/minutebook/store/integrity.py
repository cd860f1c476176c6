"""What `verify` checks beyond the chain, the tree and the projections: the schema's own protections, the stored
documents, and the corporation's row.

- `verify_schema`: every protection the migrations create is still there and still works — the triggers that keep
  the record's tables append-only (on SQLite each trigger's SQL as the migration wrote it; on PostgreSQL each
  trigger's kind, that it is enabled, and the function it runs, whose body must still raise), the unique keys
  (one event per sequence, one tree node per place, one document per hash, one slug per corporation) and the
  tree's hash-size check. Read from the catalog (`sqlite_master` and its pragmas; `pg_trigger`, `pg_proc`,
  `pg_index`, `pg_constraint`), for the migrations the database has run. Anyone holding the file can drop a
  trigger to edit the log; the tables they guard may then still verify, but the book no longer refuses edits.
- `verify_documents`: each stored document's content against its SHA-256, and each SHA-256 the log records for a
  document (`SourceRef.sha256`, in the source of the events read from it) against the documents held: a document
  rewritten with its hash recomputed is named by the events that recorded the old one. A document no event
  records (an OCF import's `ocf/kept.json`, a book made before the log recorded hashes) is held to its own hash
  only.
- `verify_corporation`: the corporation's name (not hashed: the chain covers its slug) is one the log gives it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from .db import MIGRATIONS
from .log import Problem
from .schema import ACTS_ONLY, corporations, documents, events

LISTED = 8  # events named one by one in a problem; the rest are counted

# --- the protections the migrations create --------------------------------------------------------------------

# PostgreSQL's pg_trigger.tgtype bits
ROW, BEFORE, DELETE, UPDATE, TRUNCATE = 1, 2, 8, 16, 32


@dataclass(frozen=True, slots=True)
class Trigger:
    """An append-only trigger as a migration creates it: on SQLite its whole SQL; on PostgreSQL its kind
    (`pg_trigger.tgtype`) and the function it runs."""

    revision: str
    name: str
    table: str
    refuses: str  # what it refuses, for the message
    sql: str | None = None  # SQLite
    tgtype: int | None = None  # PostgreSQL
    function: str | None = None  # PostgreSQL


@dataclass(frozen=True, slots=True)
class Unique:
    revision: str
    table: str
    columns: tuple[str, ...]
    what: str  # what it keeps from happening, for the message
    until: str | None = None  # the migration that replaced it with another key (then it is not looked for)


@dataclass(frozen=True, slots=True)
class Check:
    revision: str
    table: str
    name: str
    sql: str  # its condition, compared without spaces and parentheses


def _sqlite_triggers(revision: str, table: str, message: str) -> list[Trigger]:
    return [
        Trigger(
            revision,
            f"{table}_no_{what.lower()}",
            table,
            what,
            sql=f"CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        )
        for what in ("UPDATE", "DELETE")
    ]


def _pg_triggers(revision: str, table: str, function: str) -> list[Trigger]:
    return [
        Trigger(
            revision,
            f"{table}_append_only",
            table,
            "UPDATE or DELETE",
            None,
            ROW | BEFORE | DELETE | UPDATE,
            function,
        ),
        Trigger(revision, f"{table}_no_truncate", table, "TRUNCATE", None, BEFORE | TRUNCATE, function),
    ]


SIGNED = (
    "signing_keys",
    "checkpoints",
    "checkpoint_stamps",
)  # migration 0003 (signed checkpoints), when present

TRIGGERS = {
    "sqlite": [
        *_sqlite_triggers("0001", "events", "the event log is append-only"),
        *_sqlite_triggers("0002", "merkle_nodes", "the Merkle tree of the event log is append-only"),
        *(t for table in SIGNED for t in _sqlite_triggers("0003", table, f"{table} is append-only")),
    ],
    "postgresql": [
        *_pg_triggers("0001", "events", "minutebook_append_only"),
        *_pg_triggers("0002", "merkle_nodes", "minutebook_tree_append_only"),
        *(t for table in SIGNED for t in _pg_triggers("0003", table, "minutebook_signed_append_only")),
    ],
}

FUNCTIONS = {  # PostgreSQL: the trigger functions' bodies, as the migrations wrote them
    "minutebook_append_only": ("0001", "BEGIN RAISE EXCEPTION 'the event log is append-only'; END"),
    "minutebook_tree_append_only": (
        "0002",
        "BEGIN RAISE EXCEPTION 'the Merkle tree of the event log is append-only'; END",
    ),
    "minutebook_signed_append_only": ("0003", "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END"),
}

UNIQUE = [
    Unique("0001", "corporations", ("slug",), "two corporations may share a slug"),
    Unique("0001", "events", ("corporation_id", "seq"), "two events may share a sequence"),
    Unique("0001", "documents", ("corporation_id", "sha256"), "a document may be stored twice"),
    Unique(
        "0002", "merkle_nodes", ("corporation_id", "level", "idx"), "a tree node may be stored twice", "0006"
    ),
    # from 0006 keyed by the event completing the node; its check below ties that to (level, idx)
    Unique("0006", "merkle_nodes", ("corporation_id", "seq", "level"), "a tree node may be stored twice"),
    Unique("0003", "signing_keys", ("corporation_id",), "a corporation may have two keys"),
    Unique("0003", "checkpoints", ("corporation_id", "number"), "two checkpoints may share a number"),
]

CHECKS = [
    Check("0002", "merkle_nodes", "ck_merkle_nodes_hash_size", "length(hash) = 32"),
    Check("0006", "merkle_nodes", "ck_merkle_nodes_seq", "seq = (idx + 1) << level"),
]


def _applied(conn: sa.Connection) -> set[str]:
    """The migrations the database has run (its revision and every one before it)."""
    rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if rev is None:
        return set()
    # Alembic for `verify` alone: every other command opens without it
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory(str(MIGRATIONS)).iterate_revisions(rev, "base")}


def _norm(sql: str | None) -> str:
    return " ".join((sql or "").split())


def verify_schema(conn: sa.Connection) -> list[Problem]:
    """Every protection the migrations the database ran created, still in place; each one missing or altered
    is named (place: "schema")."""
    applied = _applied(conn)
    tables = set(sa.inspect(conn).get_table_names())
    out: list[Problem] = []

    def say(what: str) -> None:
        out.append(Problem(None, what, "schema"))

    needed = {g.table for g in (*TRIGGERS[conn.dialect.name], *UNIQUE, *CHECKS) if g.revision in applied}
    for t in sorted(needed - tables):
        say(f"table {t} is missing: dropped, with everything it held")
    present = needed & tables
    triggers = [
        t for t in TRIGGERS.get(conn.dialect.name, ()) if t.revision in applied and t.table in present
    ]
    if conn.dialect.name == "sqlite":
        out += _sqlite_trigger_problems(conn, triggers)
    elif conn.dialect.name == "postgresql":
        out += _pg_trigger_problems(conn, triggers, applied)
    for u in UNIQUE:
        if (
            u.revision in applied
            and (u.until is None or u.until not in applied)
            and u.table in present
            and frozenset(u.columns) not in _unique_sets(conn, u.table)
        ):
            say(
                f"no unique key on {u.table} ({', '.join(u.columns)}) any more: {u.what}: the constraint was dropped"
            )
    for c in CHECKS:
        if c.revision in applied and c.table in present:
            have = {k["name"]: k.get("sqltext") for k in sa.inspect(conn).get_check_constraints(c.table)}
            if c.name not in have:
                say(f"check constraint {c.name} on {c.table} ({c.sql}) is missing: dropped")
            elif _bare(have[c.name]) != _bare(c.sql):
                say(f"check constraint {c.name} on {c.table} reads {have[c.name]!r}, not {c.sql!r}: altered")
    return out


def _bare(sql) -> str:
    return "".join(ch for ch in str(sql) if ch not in " ()\n\t").lower()


def _unguarded(t: Trigger) -> str:
    return f"{t.table} no longer refuses {t.refuses} (it is not append-only)"


def _sqlite_trigger_problems(conn: sa.Connection, want: list[Trigger]) -> list[Problem]:
    have = {
        r[0]: (r[1], r[2])
        for r in conn.exec_driver_sql("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
    }
    out = []
    for t in want:
        if t.name not in have:
            what = f"trigger {t.name} is missing: {_unguarded(t)}: dropped"
        elif have[t.name][0] != t.table or _norm(have[t.name][1]) != _norm(t.sql):
            what = f"trigger {t.name} was altered: it no longer reads as the migration wrote it ({t.sql!r})"
        else:
            continue
        out.append(Problem(None, what, "schema"))
    return out


def _pg_trigger_problems(conn: sa.Connection, want: list[Trigger], applied: set[str]) -> list[Problem]:
    q = sa.text(
        "SELECT c.relname, t.tgname, t.tgenabled::text, t.tgtype, p.proname FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = ANY(:oids) AND NOT t.tgisinternal"
    )
    oids = [
        conn.execute(sa.text("SELECT to_regclass(CAST(:t AS text))::oid"), {"t": table}).scalar()
        for table in {t.table for t in want}
    ]
    have = {(r[0], r[1]): (r[2], r[3], r[4]) for r in conn.execute(q, {"oids": [o for o in oids if o]})}
    out = []
    for t in want:
        got = have.get((t.table, t.name))
        if got is None:
            what = f"trigger {t.name} on {t.table} is missing: {_unguarded(t)}: dropped"
        elif got[0] not in ("O", "A"):
            what = f"trigger {t.name} on {t.table} is disabled: {t.table} no longer refuses {t.refuses}"
        elif got[1] != t.tgtype or got[2] != t.function:
            what = f"trigger {t.name} on {t.table} was altered: it no longer refuses {t.refuses} by {t.function}()"
        else:
            continue
        out.append(Problem(None, what, "schema"))
    bodies = dict(
        conn.execute(
            sa.text("SELECT proname, prosrc FROM pg_proc WHERE proname = ANY(:names)"),
            {"names": [n for n, (rev, _) in FUNCTIONS.items() if rev in applied]},
        ).all()
    )
    for name, (rev, body) in FUNCTIONS.items():
        if rev not in applied:
            continue
        if name not in bodies:
            what = (
                f"function {name}() is missing: the triggers that run it no longer refuse anything: dropped"
            )
        elif _norm(bodies[name]) != _norm(body):
            what = (
                f"function {name}() was altered: it no longer raises {body!r}, so its triggers refuse nothing"
            )
        else:
            continue
        out.append(Problem(None, what, "schema"))
    return out


def _unique_sets(conn: sa.Connection, table: str) -> set[frozenset[str]]:
    """The column sets of the table's unique indexes (constraints and primary keys included; partial ones not)."""
    if conn.dialect.name == "sqlite":
        # the primary key: an INTEGER PRIMARY KEY is the rowid itself, in no index (the table's rebuild shows here)
        pk = [c for c in conn.exec_driver_sql(f'PRAGMA table_info("{table}")').all() if c[5]]
        out = {frozenset(c[1] for c in pk)} if pk else set()
        for r in conn.exec_driver_sql(f'PRAGMA index_list("{table}")').all():
            name, unique, partial = r[1], r[2], r[4]
            if unique and not partial:
                out.add(frozenset(c[2] for c in conn.exec_driver_sql(f'PRAGMA index_info("{name}")').all()))
        return out
    q = sa.text(
        "SELECT array_agg(a.attname::text) FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = to_regclass(CAST(:t AS text)) AND i.indisunique AND i.indisvalid "
        "AND i.indpred IS NULL GROUP BY i.indexrelid"
    )
    return {frozenset(r[0]) for r in conn.execute(q, {"t": table})}


# --- the stored documents -------------------------------------------------------------------------------------


def _recorded(conn: sa.Connection, corp_id: int) -> Iterator[tuple[int, dict]]:
    """(seq, source) of each event whose source records a document's SHA-256."""
    q = (
        sa.select(events.c.seq, events.c.source)
        .where(events.c.corporation_id == corp_id, events.c.source.like('%"sha256":%'))
        .order_by(events.c.seq)
    )
    for seq, text in conn.execute(q):
        try:
            src = json.loads(text)
        except (TypeError, ValueError):
            continue  # an unreadable source: the chain names the event
        if isinstance(src, dict) and isinstance(src.get("sha256"), str):
            yield seq, src


def _seqs(seqs: list[int]) -> str:
    shown = ", ".join(str(s) for s in seqs[:LISTED])
    more = f" and {len(seqs) - LISTED} more" if len(seqs) > LISTED else ""
    return f"event{'s' if len(seqs) > 1 else ''} {shown}{more}"


def verify_documents(conn: sa.Connection, corp_id: int) -> list[Problem]:
    """Each stored document against its SHA-256, and each SHA-256 the log records against the documents held."""
    q = (
        sa.select(documents.c.id, documents.c.name, documents.c.sha256, documents.c.content)
        .where(documents.c.corporation_id == corp_id)
        .order_by(documents.c.id)
    )
    out: list[Problem] = []
    held: dict[str, list] = {}  # what each document's content hashes to -> the rows
    by_name: dict[str, list] = {}
    for r in conn.execute(q):
        actual = hashlib.sha256(r.content.encode()).hexdigest()
        held.setdefault(actual, []).append(r)
        by_name.setdefault(r.name, []).append(r)
        if actual != r.sha256:
            out.append(
                Problem(
                    None,
                    f"its content no longer matches its sha256 {r.sha256[:12]}… (it hashes to {actual[:12]}…): "
                    "edited",
                    f"document {r.name!r} (row {r.id})",
                )
            )
    wanted: dict[str, tuple[str, list[int]]] = {}  # sha256 the log records -> (the document's name, events)
    for seq, src in _recorded(conn, corp_id):
        names = [n for n in (src.get("document_id"), src.get("path")) if isinstance(n, str)]
        name = next((n for n in names if n in by_name), names[-1] if names else "?")
        wanted.setdefault(src["sha256"], (name, []))[1].append(seq)
    # a row still labelled with the recorded hash but whose content no longer hashes to it is named above (edited)
    labelled = {r.sha256 for rows in by_name.values() for r in rows}
    for sha, (name, seqs) in wanted.items():
        if sha in held or sha in labelled:
            continue
        rows = by_name.get(name, [])
        also = "".join(f"; it holds one of that name (row {r.id}) with sha256 {r.sha256[:12]}…" for r in rows)
        out.append(
            Problem(
                None,
                f"the log records sha256 {sha[:12]}… for it ({_seqs(seqs)} read from it), but the book holds no "
                f"document with that hash{also}: the document was edited, replaced or deleted",
                f"document {name!r}",
            )
        )
    return out


# --- the corporation's row ------------------------------------------------------------------------------------


def _payload(text: str) -> dict:
    try:
        d = json.loads(text)
    except (TypeError, ValueError):
        return {}  # an unreadable payload: the chain names the event
    return d if isinstance(d, dict) else {}


def _named(d: dict) -> tuple[str | None, str | None]:
    """(the name an incorporation gives, the name its charter version gives)."""
    charter = d.get("charter")
    name = d.get("name")
    cname = charter.get("name") if isinstance(charter, dict) else None
    return (name if isinstance(name, str) else None), (cname if isinstance(cname, str) else None)


def verify_corporation(conn: sa.Connection, corp_id: int) -> list[Problem]:
    """The corporation's name is one the log gives it: the name it was incorporated under, or one a charter version
    (or a correction of one) gives it; also the slug or "corporation" where its incorporation gives none."""
    corp = conn.execute(sa.select(corporations).where(corporations.c.id == corp_id)).one()
    q = sa.select(events.c.seq, events.c.type, events.c.payload).where(
        events.c.corporation_id == corp_id,
        events.c.type.in_(("Incorporated", "CharterAmended", "Correction")),
        sa.text(ACTS_ONLY),  # through the index of the acts (`schema.ACTS_ONLY`), not the whole log
    )
    charter_seqs, fixes, names = set(), [], set()
    unnamed = True  # no incorporation under a name
    for seq, type_, payload in conn.execute(q):
        d = _payload(payload)
        if type_ == "Correction":
            fixes.append(d)
            continue
        charter_seqs.add(seq)
        name, cname = _named(d)
        names.update(n for n in (name, cname) if n)
        unnamed = unnamed and not (type_ == "Incorporated" and name)
    for d in fixes:
        if d.get("corrects") in charter_seqs and isinstance(d.get("replacement"), dict):
            names.update(n for n in _named(d["replacement"]) if n)
    allowed = names | ({corp.slug, "corporation"} if unnamed else set())
    if corp.name in allowed:
        return []
    given = ", ".join(repr(n) for n in sorted(names)) or "none"
    return [
        Problem(
            None,
            f"its name {corp.name!r} (corporations row {corp.id}) is not a name the log gives it ({given}): edited",
            "corporation",
        )
    ]
