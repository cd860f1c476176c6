"""The corporation's Merkle tree as the store keeps it: the tree head at a size, inclusion and consistency proofs
read from the stored nodes (O(log n) point reads each), and `verify_tree`, which recomputes the whole tree from the
events' canonical bytes and names every node that differs.

The nodes (`schema.merkle_nodes`) are written by `log.append` with the events they complete, and never updated:
the tree is part of the record. The leaves of the last few events (fewer than `log.TAIL`) wait in the head row
(`corporations.tree_tail`) until the append that completes their run writes them here; the tree's size, its nodes
and `verify_tree` count them with the stored ones. `fill` writes again those a tree lacks (the book's `rebuild`); it
cannot replace a node that disagrees with the events, which stays for `verify_tree` to name.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from ..core import merkle
from .log import Problem, TreeError, missing_node, read_node, row_bytes, stored_size, tail_leaves
from .schema import corporations, events, merkle_nodes

__all__ = [
    "TreeError",
    "consistency",
    "fill",
    "inclusion",
    "node",
    "root",
    "size",
    "verify_tree",
]

LISTED = 8  # nodes named one by one in a problem; the rest are counted


def node(conn: sa.Connection, corp_id: int) -> merkle.Node:
    """`node(level, index)` over the tree, for `core.merkle`'s proofs: a stored node by one primary-key read; one
    over the head row's tail (`log.TAIL`) hashed from its leaves, and one over both from its two halves. A node that is
    neither raises `TreeError`."""
    stored = read_node(conn, corp_id)
    base, tail, _ = _layout(conn, corp_id)
    if not tail:
        return stored

    def at(level: int, index: int) -> bytes:
        lo, hi = index << level, (index + 1) << level
        if hi <= base:
            return stored(level, index)
        if lo >= base:
            if hi - base > len(tail):
                raise TreeError(missing_node(level, index))
            return merkle.root(tail[lo - base : hi - base])  # 2**level leaves: the complete subtree's hash
        return merkle.node_hash(at(level - 1, 2 * index), at(level - 1, 2 * index + 1))

    return at


def _layout(conn: sa.Connection, corp_id: int) -> tuple[int, list[bytes], int]:
    """(the index of the first leaf the head row holds, those leaves (`log.TAIL`), the leaves `merkle_nodes` holds
    (`log.stored_size`)). The append puts the tail's after the stored leaves, ending at the head. Behind minutebook's
    back the two may part: the tail is then placed at the head when that leaves it after every stored leaf (stored
    leaves were deleted: `verify_tree` names them missing), else just after them (the head was set back over a
    truncated log: the tree is longer than the log)."""
    row = conn.execute(
        sa.select(corporations.c.head_seq, corporations.c.tree_tail).where(corporations.c.id == corp_id)
    ).first()
    tail = tail_leaves(row[1]) if row else []
    stored = stored_size(conn, corp_id)
    return (max(int(row[0] or 0) - len(tail), stored) if tail else stored), tail, stored


def size(conn: sa.Connection, corp_id: int) -> int:
    """The tree's size: one more than its last leaf, stored or in the head row's tail (0 when it has none)."""
    base, tail, _ = _layout(conn, corp_id)
    return base + len(tail)


def _within(conn: sa.Connection, corp_id: int, n: int) -> None:
    have = size(conn, corp_id)
    if not 0 <= n <= have:
        raise ValueError(f"the tree has {have} leaves, not {n}")


def root(conn: sa.Connection, corp_id: int, size: int) -> bytes:
    """The tree head over the first `size` events."""
    _within(conn, corp_id, size)
    return merkle.root_at(size, node(conn, corp_id))


def inclusion(conn: sa.Connection, corp_id: int, seq: int, size: int) -> list[bytes]:
    """The inclusion proof of event `seq` (leaf seq - 1) in the tree of its first `size` events."""
    _within(conn, corp_id, size)
    return merkle.inclusion_proof(seq - 1, size, node(conn, corp_id))


def consistency(conn: sa.Connection, corp_id: int, old: int, new: int) -> list[bytes]:
    """The consistency proof that the tree of the first `old` events is a prefix of that of the first `new`."""
    _within(conn, corp_id, new)
    return merkle.consistency_proof(old, new, node(conn, corp_id))


# --- the tree recomputed from the events ------------------------------------------------------------------


class Nodes:
    """(level, index) -> hash, as a mapping, kept in one bytearray per level (the hashes side by side, and a byte a
    slot saying whether the node is there): a million-event tree's two million nodes in ~70 MB, where a dict of them
    took ~400 MB. `limit`: the leaves the levels make room for. A node that does not fit (its index beyond the room,
    its hash not `merkle.HASH_SIZE` bytes long: a tampered table's) is kept in a dict beside."""

    def __init__(self, limit: int):
        self.limit = max(limit, 1)
        self.hashes: list[bytearray] = []
        self.present: list[bytearray] = []
        self.odd: dict[tuple[int, int], bytes] = {}

    def put(self, level: int, index: int, h: bytes) -> None:
        if len(h) != _SIZE or not 0 <= level < 63 or not 0 <= index <= self.limit >> level:
            self.odd[(level, index)] = bytes(h)
            return
        while len(self.hashes) <= level:
            room = (self.limit >> len(self.hashes)) + 1
            self.hashes.append(bytearray(_SIZE * room))
            self.present.append(bytearray(room))
        self.hashes[level][_SIZE * index : _SIZE * (index + 1)] = h
        self.present[level][index] = 1

    def _has(self, level: int, index: int) -> bool:
        return (
            0 <= level < len(self.present)
            and 0 <= index < len(self.present[level])
            and self.present[level][index]
        )

    def __getitem__(self, key: tuple[int, int]) -> bytes:
        if not isinstance(key, tuple) or len(key) != 2:
            raise KeyError(key)
        level, index = key
        if self._has(level, index):
            return bytes(self.hashes[level][_SIZE * index : _SIZE * (index + 1)])
        return self.odd[key]

    def get(self, key: tuple[int, int], default: bytes | None = None) -> bytes | None:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        return self._has(*key) or key in self.odd

    def keys(self) -> Iterator[tuple[int, int]]:
        """The nodes there, level by level, each level's in order of index; then the odd ones."""
        for level, there in enumerate(self.present):
            i = there.find(1)
            while i >= 0:
                yield level, i
                i = there.find(1, i + 1)
        yield from self.odd

    def items(self) -> Iterator[tuple[tuple[int, int], bytes]]:
        for k in self.keys():
            yield k, self[k]

    def __len__(self) -> int:
        return sum(p.count(1) for p in self.present) + len(self.odd)


_SIZE = merkle.HASH_SIZE


def _last_seq(conn: sa.Connection, corp_id: int) -> int:
    q = sa.select(sa.func.max(events.c.seq)).where(events.c.corporation_id == corp_id)
    return conn.execute(q).scalar() or 0


class Leaves:
    """The tree's leaves, gathered from a pass over the stored events: `verify`'s pass for the chain
    (`log.verify_chain` hands it each row, through `leaf`), so that the log is read once for the chain and the tree;
    or a pass of their own (`read`)."""

    def __init__(self, conn: sa.Connection, corp_id: int):
        self.nodes = Nodes(_last_seq(conn, corp_id))

    def leaf(self, seq: int, data: bytes) -> None:
        """Event `seq`'s canonical bytes (`log.row_bytes`), as leaf `seq - 1`."""
        self.nodes.put(0, seq - 1, merkle.leaf_hash(data))

    def read(self, conn: sa.Connection, corp_id: int) -> Leaves:
        """Every stored event's leaf, read here (streamed, in order of sequence)."""
        slug = conn.execute(sa.select(corporations.c.slug).where(corporations.c.id == corp_id)).scalar_one()
        q = sa.select(events).where(events.c.corporation_id == corp_id).order_by(events.c.seq)
        for r in conn.execute(q, execution_options={"yield_per": 4096}):
            m = r._mapping
            self.leaf(m["seq"], row_bytes(slug, m))
        return self


def expected(conn: sa.Connection, corp_id: int, leaves: Leaves | None = None) -> Nodes:
    """Every complete subtree of the tree over the stored events, (level, index) -> hash (the leaves from the
    store, or as `leaves` gathered them). A subtree over a leaf whose event is missing (a gap in the sequence) is not
    complete."""
    out = (leaves if leaves is not None else Leaves(conn, corp_id).read(conn, corp_id)).nodes
    level = 0
    while level < len(out.present):
        there, hashes = out.present[level], out.hashes[level]
        for i in range(0, len(there) - 1, 2):
            if there[i] and there[i + 1]:
                left, right = (
                    bytes(hashes[_SIZE * i : _SIZE * (i + 1)]),
                    bytes(hashes[_SIZE * (i + 1) : _SIZE * (i + 2)]),
                )
                out.put(level + 1, i // 2, merkle.node_hash(left, right))
        level += 1
    return out


def _stored(conn: sa.Connection, corp_id: int) -> Nodes:
    """The stored nodes, streamed into `Nodes` (room for as many leaves as the log or the tree has, whichever is
    more: a node beyond both is a tampered table's, kept beside)."""
    leaves = conn.execute(
        sa.select(sa.func.count()).where(merkle_nodes.c.corporation_id == corp_id, merkle_nodes.c.level == 0)
    ).scalar_one()
    out = Nodes(max(_last_seq(conn, corp_id), leaves))
    q = sa.select(merkle_nodes.c.level, merkle_nodes.c.idx, merkle_nodes.c.hash).where(
        merkle_nodes.c.corporation_id == corp_id
    )
    for lv, i, h in conn.execute(q, execution_options={"yield_per": 4096}):
        out.put(lv, i, bytes(h))
    return out


def _name(level: int, index: int) -> str:
    if level == 0:
        return f"leaf {index} (event {index + 1})"
    return f"level {level} node {index} (events {(index << level) + 1}-{(index + 1) << level})"


def _listed(keys: list[tuple[int, int]]) -> str:
    names = [_name(*k) for k in keys[:LISTED]]
    more = f" and {len(keys) - LISTED} more" if len(keys) > LISTED else ""
    return ", ".join(names) + more


def _runs(seqs: list[int]) -> list[tuple[int, int]]:
    """Consecutive sequences as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for s in seqs:
        if out and s == out[-1][1] + 1:
            out[-1] = (out[-1][0], s)
        else:
            out.append((s, s))
    return out


def _compared(want: Nodes, got: Nodes) -> tuple[list, list, set]:
    """(the nodes `want` has and `got` lacks, those `got` has and `want` lacks, those both have that differ): a level
    whose stretch in common is the same byte for byte is passed over at once (the usual case)."""
    missing: list[tuple[int, int]] = []
    extra: list[tuple[int, int]] = []
    differ: set[tuple[int, int]] = set()
    for level in range(max(len(want.present), len(got.present))):
        wp = want.present[level] if level < len(want.present) else bytearray()
        gp = got.present[level] if level < len(got.present) else bytearray()
        n = min(len(wp), len(gp))
        same = (
            wp[:n] == gp[:n] and want.hashes[level][: _SIZE * n] == got.hashes[level][: _SIZE * n]
            if n
            else True
        )
        for i in range(0 if not same else n, max(len(wp), len(gp))):
            w = i < len(wp) and wp[i]
            g = i < len(gp) and gp[i]
            if w and not g:
                (differ.add if (level, i) in got.odd else missing.append)((level, i))
            elif g and not w:
                extra.append((level, i))
            elif w and g and want[(level, i)] != got[(level, i)]:
                differ.add((level, i))
    for k in got.odd:
        if k in want and want[k] != got.odd[k]:
            differ.add(k)
        elif k not in want:
            extra.append(k)
    return missing, extra, differ


def verify_tree(conn: sa.Connection, corp_id: int, leaves: Leaves | None = None) -> list[Problem]:
    """Recompute the tree from the stored events' canonical bytes and compare it with the stored nodes: a tree
    size other than the number of events (the log cut short, or the tree), each event whose bytes no longer
    match its leaf (rewritten since it was appended, even with its whole chain recomputed), the nodes missing,
    extra, or of a wrong size, and interior nodes that do not match their own children."""
    want = expected(conn, corp_id, leaves)
    got = _stored(conn, corp_id)
    # the appends wrote the nodes over the leaves before the tail's only
    base, tail, _ = _layout(conn, corp_id)
    for i, h in enumerate(tail):
        got.put(0, base + i, h)
    n_events = want.present[0].count(1) if want.present else 0
    n_tree = 1 + max(got.present[0].rfind(1) if got.present else -1, *(i for lv, i in got.odd if lv == 0), -1)
    problems: list[Problem] = []
    if n_events != n_tree:
        why = (
            "events were deleted from the end of the log (truncated), or leaves added to the tree"
            if n_tree > n_events
            else "nodes were deleted from the tree, or events added to the log behind minutebook's back"
        )
        problems.append(Problem(None, f"the log has {n_events} events, the tree {n_tree}: {why}"))
    bad_size = sorted(k for k, h in got.odd.items() if len(h) != merkle.HASH_SIZE)
    if bad_size:
        problems.append(Problem(None, f"tree nodes not {merkle.HASH_SIZE} bytes long: {_listed(bad_size)}"))

    # beyond the shorter of the two, the size problem above says it: only nodes within both are named
    within = min(n_events, n_tree)

    def inside(k: tuple[int, int]) -> bool:
        return ((k[1] + 1) << k[0]) <= within

    # a leaf, or a node the appends have written (not one over the tail)
    def written(k: tuple[int, int]) -> bool:
        return k[0] == 0 or not tail or ((k[1] + 1) << k[0]) <= base

    missing, extra, differ = _compared(want, got)
    missing = sorted((k for k in missing if inside(k) and written(k)), key=lambda k: (k[1] << k[0], k[0]))
    extra = sorted((k for k in extra if inside(k)), key=lambda k: (k[1] << k[0], k[0]))
    if missing:
        problems.append(Problem(None, f"the tree lacks {len(missing)} node(s): {_listed(missing)}: deleted"))
    if extra:
        problems.append(
            Problem(
                None,
                f"the tree holds {len(extra)} node(s) over events the log lacks: {_listed(extra)}: "
                "events were deleted from the log",
            )
        )
    rewritten = sorted(i + 1 for lv, i in differ if lv == 0)
    for first, last in _runs(rewritten):
        more = (
            f", nor do events {first + 1}-{last} after it (their bytes hold the hash before them)"
            if last > first
            else ""
        )
        problems.append(
            Problem(
                first,
                f"it no longer matches its leaf in the tree{more}: the event was rewritten after it was appended "
                "(its chain recomputed, if the chain verifies)",
            )
        )
    # an interior node that differs although both its children match was itself edited
    edited = sorted(
        (lv, i)
        for lv, i in differ
        if lv
        and got.get((lv - 1, 2 * i)) == want[(lv - 1, 2 * i)]
        and got.get((lv - 1, 2 * i + 1)) == want[(lv - 1, 2 * i + 1)]
    )
    if edited:
        problems.append(
            Problem(None, f"tree node(s) that do not match their children: {_listed(edited)}: edited")
        )
    return problems


def fill(conn: sa.Connection, corp_id: int) -> int:
    """Write the nodes the tree lacks, as recomputed from the events (how many). Nodes already stored are left
    as they are: the tree is append-only, and one that disagrees with the events is evidence `verify_tree`
    names. The head row's tail stays, when it follows the stored leaves and ends at the log's end; else every node
    goes to `merkle_nodes` and the tail is cleared."""
    got = _stored(conn, corp_id)
    want = expected(conn, corp_id)
    n = want.present[0].count(1) if want.present else 0
    base, tail, stored = _layout(conn, corp_id)
    keep = bool(tail) and base + len(tail) == n and stored == base
    upto = n - len(tail) if keep else n
    rows = [
        {"corporation_id": corp_id, "seq": (i + 1) << lv, "level": lv, "idx": i, "hash": h}
        for (lv, i), h in sorted(want.items())
        if (lv, i) not in got and ((i + 1) << lv) <= upto
    ]
    if rows:
        conn.execute(merkle_nodes.insert(), rows)
    if tail and not keep:
        conn.execute(corporations.update().where(corporations.c.id == corp_id).values(tree_tail=None))
    return len(rows)
