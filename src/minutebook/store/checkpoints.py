"""The book's signed statements about its log, as the store keeps them: its public key (`signing_keys`), the
checkpoints it signed (`checkpoints`) and the time-stamp tokens they were given (`checkpoint_stamps`), all three
append-only; and `verify_against_checkpoints`, which holds the log to every checkpoint stored.

A checkpoint (`core.checkpoint`) is a C2SP signed note over the log's origin, tree size and Merkle root, with the
corporation's slug and the time it was signed. The note is the statement; the row's other columns are copies of it,
for queries, and `verify` names a row whose copy differs from its note.

What the checks here protect against, and what they do not. The private key never enters the database (a file,
`book.keys`); the public key does, so that a verifier of the book knows which key to expect. Someone who can write
the database but not read the key file can rewrite events, rebuild the hash chain and the Merkle tree to match,
drop the append-only triggers and delete rows; they cannot sign. So against the checkpoints already signed:
- a rewrite of any event a checkpoint covers (edited, back-dated, replaced, the chain and tree rebuilt to fit) leaves
  the stored tree with another root at that checkpoint's size: named, with the events it lies in (after the last
  checkpoint that still matches);
- events deleted from the end of the log (truncation) leave it shorter than a checkpoint: named;
- a checkpoint signed over a log that did not extend an earlier one (a fork: the log cut back and grown again, or a
  checkpoint copied in from another copy of the book) disagrees with one of them: named, as are checkpoints out of
  order, numbers missing, and a note whose signature fails;
- an event appended after a checkpoint but claiming to have been recorded before it (its recorded-at back-dated) is
  named: a checkpoint's time is a line below which no later event's recorded-at may fall (`CLOCK_SKEW` allowed).
What they cannot catch from the database alone: the attacker may also replace the public key row with a key of
their own and re-sign every checkpoint, or delete the newest checkpoints and rewrite what only they covered. The
defence is outside the database: the public key printed at creation and exported (`minutebook key --export`), the
key file itself (the book's `verify` checks the recorded key against it where it can read it), and the checkpoints
written to a file, committed to a git repository or stamped by a time-stamping authority (`minutebook checkpoint
--out/--git/--tsa`), against which `minutebook verify --proof` and a consistency proof hold the book.
"""

from __future__ import annotations

import base64
import bisect
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..core import checkpoint, merkle
from .log import Problem, TreeError, lock_head
from .schema import checkpoint_stamps, checkpoints, corporations, events, signing_keys
from .tree import Nodes, expected
from .tree import node as tree_node
from .tree import size as tree_size

CLOCK_SKEW = timedelta(minutes=5)
"""How far an event's recorded-at may fall before the time of a checkpoint signed before it (clocks of two
machines writing one PostgreSQL book may disagree a little); more is named as back-dating."""


def origin(slug: str) -> str:
    """The log's origin line, and the name of the book's key: `minutebook/<slug>`."""
    return f"minutebook/{slug}"


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored checkpoint: its number in the book (1, 2, 3, ...) and its signed note, with the row's copies of
    what the note says."""

    number: int
    tree_size: int
    root: bytes
    signed_at: str
    note: str


@dataclass(frozen=True, slots=True)
class Stamp:
    number: int
    tsa: str
    token: bytes  # the TimeStampResp, DER
    stamped_at: str


# --- the public key -----------------------------------------------------------------------------------------


def key_of(conn: sa.Connection, corp_id: int) -> str | None:
    """The book's public key as a verifier key string, or None (a book created before keys)."""
    return conn.execute(
        sa.select(signing_keys.c.vkey).where(signing_keys.c.corporation_id == corp_id)
    ).scalar()


def record_key(conn: sa.Connection, corp_id: int, vkey: str, at: str) -> None:
    """Record the book's public key (once: the table is append-only and keyed by the corporation)."""
    checkpoint.parse_vkey(vkey)
    conn.execute(signing_keys.insert().values(corporation_id=corp_id, vkey=vkey, created_at=at))


# --- checkpoints ----------------------------------------------------------------------------------------------


def _stored(r) -> Stored:
    return Stored(r.number, r.tree_size, bytes(r.root), r.signed_at, r.note)


def listed(conn: sa.Connection, corp_id: int) -> list[Stored]:
    """Every stored checkpoint of the corporation, by number."""
    q = sa.select(checkpoints).where(checkpoints.c.corporation_id == corp_id).order_by(checkpoints.c.number)
    return [_stored(r) for r in conn.execute(q)]


def latest(conn: sa.Connection, corp_id: int) -> Stored | None:
    q = (
        sa.select(checkpoints)
        .where(checkpoints.c.corporation_id == corp_id)
        .order_by(checkpoints.c.number.desc())
        .limit(1)
    )
    r = conn.execute(q).first()
    return None if r is None else _stored(r)


def numbered(conn: sa.Connection, corp_id: int, number: int) -> Stored | None:
    q = sa.select(checkpoints).where(checkpoints.c.corporation_id == corp_id, checkpoints.c.number == number)
    r = conn.execute(q).first()
    return None if r is None else _stored(r)


def add(conn: sa.Connection, corp_id: int, note: str) -> Stored:
    """Store a signed checkpoint note as the corporation's next checkpoint (the chain head locked meanwhile, so
    that two writers never take one number)."""
    cp = checkpoint.parse(note)
    lock_head(conn, corp_id)
    last = conn.execute(
        sa.select(sa.func.max(checkpoints.c.number)).where(checkpoints.c.corporation_id == corp_id)
    ).scalar()
    row = Stored((last or 0) + 1, cp.size, cp.root, cp.time or "", note)
    conn.execute(
        checkpoints.insert().values(
            corporation_id=corp_id,
            number=row.number,
            tree_size=row.tree_size,
            root=row.root,
            signed_at=row.signed_at,
            note=row.note,
        )
    )
    return row


def add_stamp(conn: sa.Connection, corp_id: int, number: int, tsa: str, token: bytes, at: str) -> None:
    conn.execute(
        checkpoint_stamps.insert().values(
            corporation_id=corp_id, number=number, tsa=tsa, token=token, stamped_at=at
        )
    )


def stamps(conn: sa.Connection, corp_id: int, number: int | None = None) -> list[Stamp]:
    """The time-stamp tokens stored for the corporation's checkpoints (for one, given its number)."""
    q = sa.select(checkpoint_stamps).where(checkpoint_stamps.c.corporation_id == corp_id)
    if number is not None:
        q = q.where(checkpoint_stamps.c.number == number)
    return [
        Stamp(r.number, r.tsa, bytes(r.token), r.stamped_at)
        for r in conn.execute(q.order_by(checkpoint_stamps.c.id))
    ]


def signed_time(cp: checkpoint.Checkpoint) -> datetime | None:
    """The time a checkpoint states (`minutebook-time`), or None when it states none or not in minutebook's form."""
    try:
        return datetime.strptime(cp.time or "", "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


# --- the log held to its checkpoints ---------------------------------------------------------------------------


def _runs(numbers: list[int]) -> str:
    out = []
    for _, g in itertools.groupby(enumerate(numbers), lambda p: p[1] - p[0]):
        run = [n for _, n in g]
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
    return ", ".join(out)


def _short(root: bytes) -> str:
    return base64.b64encode(root).decode()[:12] + "…"


def _opened(rows: list[Stored], vkey: str | None, slug: str, problems: list[Problem]):
    """The stored checkpoints whose notes verify (or, with no key recorded, merely parse), as (number, checkpoint);
    each one that does not, or whose row differs from its note, named."""
    good: list[tuple[int, checkpoint.Checkpoint]] = []
    for r in rows:
        try:
            cp = checkpoint.verify(r.note, vkey) if vkey else checkpoint.parse(r.note)
        except checkpoint.CheckpointError as e:
            why = {
                "no-signature": ": the book's key did not sign it (its public key was replaced, or the checkpoint "
                "was copied in)",
                "malformed": ": its note was edited",
            }.get(e.code, "")
            problems.append(Problem(None, f"checkpoint {r.number}: {e}{why}"))
            continue
        if cp.origin != origin(slug) or cp.corporation != slug:
            problems.append(
                Problem(
                    None,
                    f"checkpoint {r.number} is of {cp.corporation or cp.origin!r}, not of this book ({slug}): "
                    "copied in from another book",
                )
            )
            continue
        if (r.tree_size, r.root, r.signed_at) != (cp.size, cp.root, cp.time or ""):
            problems.append(
                Problem(
                    None,
                    f"checkpoint {r.number}: its row says {r.tree_size} events, root {_short(r.root)}, "
                    f"{r.signed_at}; its signed note {cp.size}, {_short(cp.root)}, {cp.time}: the row was edited "
                    "(the note is what counts)",
                )
            )
        good.append((r.number, cp))
    return good


def verify_against_checkpoints(conn: sa.Connection, corp_id: int) -> list[Problem]:
    """Hold the log to every stored checkpoint: each note's signature by the book's recorded key, the checkpoints'
    order and numbering, the log no shorter than any of them, the stored tree at each one's size having its root,
    and no event after a checkpoint recorded before it. [] when all is well, and for a book with no checkpoint."""
    rows = listed(conn, corp_id)
    if not rows:
        return []
    slug = conn.execute(sa.select(corporations.c.slug).where(corporations.c.id == corp_id)).scalar_one()
    problems: list[Problem] = []
    vkey = key_of(conn, corp_id)
    if vkey is None:
        problems.append(
            Problem(
                None,
                f"the book stores {len(rows)} checkpoint(s) but no public key: its row was deleted; the "
                "checkpoints are read unverified",
            )
        )
    else:
        try:
            checkpoint.parse_vkey(vkey)
        except checkpoint.CheckpointError as e:
            problems.append(Problem(None, f"the book's public key: {e}: its row was edited"))
            vkey = None
    missing = sorted(set(range(1, rows[-1].number + 1)) - {r.number for r in rows})
    if missing:
        problems.append(Problem(None, f"checkpoint(s) {_runs(missing)} missing: deleted"))
    good = _opened(rows, vkey, slug, problems)
    problems += _order(good)
    problems += _against_log(conn, corp_id, good)
    problems += _back_dated(conn, corp_id, good)
    return problems


def _order(good: list[tuple[int, checkpoint.Checkpoint]]) -> list[Problem]:
    out = []
    for (n1, a), (n2, b) in itertools.pairwise(good):
        if b.size < a.size:
            out.append(
                Problem(
                    None,
                    f"checkpoint {n2} signs {b.size} events, fewer than checkpoint {n1} before it ({a.size}): the "
                    "log was cut back between them",
                )
            )
        ta, tb = signed_time(a), signed_time(b)
        if ta and tb and tb < ta:
            out.append(
                Problem(
                    None,
                    f"checkpoint {n2} is dated {b.time}, before checkpoint {n1} ({a.time}): out of order",
                )
            )
    return out


def _against_log(
    conn: sa.Connection, corp_id: int, good: list[tuple[int, checkpoint.Checkpoint]]
) -> list[Problem]:
    out: list[Problem] = []
    n_events = (
        conn.execute(sa.select(sa.func.max(events.c.seq)).where(events.c.corporation_id == corp_id)).scalar()
        or 0
    )
    stored = tree_node(conn, corp_id)
    n_tree = tree_size(conn, corp_id)
    recomputed: Nodes | None = None

    def node(level: int, index: int) -> bytes:  # the stored tree; where it lacks a node, the events' own
        nonlocal recomputed
        try:
            return stored(level, index)
        except TreeError:
            if recomputed is None:
                recomputed = expected(conn, corp_id)
            return recomputed[(level, index)]

    matches: dict[int, bool] = {}
    for n, cp in good:
        if cp.size > n_events:
            out.append(
                Problem(
                    None,
                    f"checkpoint {n} (signed {cp.time}) covers {cp.size} events but the log has {n_events}: "
                    f"events {n_events + 1}-{cp.size} were deleted after it was signed (the log truncated)",
                )
            )
            continue
        if cp.size > n_tree and recomputed is None:
            recomputed = expected(conn, corp_id)  # the tree was cut short: its nodes are the events' own
        try:
            matches[n] = merkle.root_at(cp.size, node) == cp.root
        except (KeyError, ValueError):
            matches[n] = False  # a leaf whose event is missing: the chain's verify names the gap
    for j, (n, cp) in enumerate(good):
        if matches.get(n) is not False:
            continue
        before = [(m, c) for m, c in good[:j] if matches.get(m) and c.size <= cp.size]
        lo = before[-1][1].size + 1 if before else 1
        still = f"; checkpoint {before[-1][0]} before it still matches" if before else ""
        out.append(
            Problem(
                None,
                f"checkpoint {n} (signed {cp.time}) no longer matches the log: its first {cp.size} events now have "
                f"another Merkle root than the one signed ({_short(cp.root)}): event(s) {lo}-{cp.size} were "
                f"rewritten, back-dated or replaced after it was signed{still}",
            )
        )
        for m, c in good[j + 1 :]:
            if matches.get(m) and c.size >= cp.size:
                out.append(
                    Problem(
                        None,
                        f"checkpoint {m} (signed {c.time}) was signed over a log that does not extend checkpoint "
                        f"{n}: the record was rewritten between them (a fork)",
                    )
                )
                break
    return out


def _back_dated(
    conn: sa.Connection, corp_id: int, good: list[tuple[int, checkpoint.Checkpoint]]
) -> list[Problem]:
    """Events after a checkpoint whose recorded-at falls before it (by more than `CLOCK_SKEW`)."""
    marks = sorted((cp.size, t, n, cp.time) for n, cp in good if (t := signed_time(cp)) is not None)
    if not marks:
        return []
    sizes = [m[0] for m in marks]
    latest_before: list[tuple[datetime, int, str | None, int]] = []  # the latest-signed checkpoint up to each
    for size, t, n, shown in marks:
        prev = latest_before[-1] if latest_before else None
        latest_before.append(prev if prev and prev[0] >= t else (t, n, shown, size))
    out = []
    q = sa.select(events.c.seq, events.c.recorded_at).where(
        events.c.corporation_id == corp_id, events.c.seq > sizes[0]
    )
    for seq, recorded in conn.execute(q.order_by(events.c.seq)):
        i = bisect.bisect_left(sizes, seq)  # checkpoints over fewer than `seq` events: signed before it was
        if not i:
            continue
        t, n, shown, size = latest_before[i - 1]
        try:
            at = datetime.fromisoformat(recorded)
        except (TypeError, ValueError):
            continue  # not a time at all: the chain's verify names the edit
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        if at < t - CLOCK_SKEW:
            out.append(
                Problem(
                    seq,
                    f"it says it was recorded at {recorded}, before checkpoint {n} was signed ({shown}), which covers "
                    f"only events 1-{size}: its recorded-at was back-dated",
                )
            )
    return out
