"""Benchmark of Merkle proofs over a large log: generation from a level table, verification, and the naive cost.

Run from the repo root: `python bench/merkle.py [--leaves 1000000] [--samples 2000]`. Prints `key=value` lines,
then the targets with ok/MISSED; exits 0 whether or not they hold.

The log: `--leaves` synthetic events of one corporation, hash-chained like the book's (prev_hash), each leaf
the canonical bytes `verifier.event_bytes` gives (the bytes the chain hashes). The level table is filled append
by append with `merkle.levels_for_append`, once in a dict keyed (level, index), once in SQLite: a table
`merkle_nodes(corp, level, idx, hash)` with primary key (corp, level, idx), WITHOUT ROWID, WAL and
synchronous=NORMAL. SQLite gets all but the last `--appends` leaves in one bulk transaction (the rows complete
by then), then the last ones one append per transaction, as a store would write them (`append_sqlite_us`).

Timed (median over `--samples` random leaves or old sizes, microseconds): inclusion and consistency proof
generation from the dict and from SQLite (a query per node read), `verify_inclusion`, `verify_consistency`,
verifying a signed checkpoint, and `verifier.verify_proof_file` end to end (checkpoint signature, event
re-encoding, inclusion). Baselines in the same run: one raw SHA-256 of a leaf's bytes, and recomputing the
root from all leaf hashes (`merkle.root`, what proving costs without a table).

Targets (issue 17): an inclusion proof < 5 ms, its verification < 1 ms.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from minutebook import verifier
from minutebook.core import checkpoint, merkle

SLUG = "bench-corp"


def events(n: int):
    """n synthetic events, hash-chained, as proof-document events."""
    prev = "0" * 64
    for seq in range(1, n + 1):
        e = {
            "corporation": SLUG,
            "seq": seq,
            "type": "SharesIssued",
            "effective_on": "2020-01-01",
            "bound": "on",
            "recorded_at": "2026-01-02T03:04:05.000000+00:00",
            "actor": "bench",
            "payload": {"holder": f"h{seq % 10_000}", "class": "common", "shares": seq * 7 % 100_000},
            "source": None,
            "prev_hash": prev,
        }
        prev = hashlib.sha256(verifier.event_bytes(e)).hexdigest()
        yield e


def median_us(fn, args_list) -> float:
    times = []
    for args in args_list:
        t = time.perf_counter_ns()
        fn(*args)
        times.append(time.perf_counter_ns() - t)
    return statistics.median(times) / 1000


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--leaves", type=int, default=1_000_000)
    p.add_argument("--samples", type=int, default=2000)
    p.add_argument("--appends", type=int, default=2000, help="appends timed one transaction each on SQLite")
    p.add_argument("--seed", type=int, default=6962)
    a = p.parse_args()
    n, rng = a.leaves, random.Random(a.seed)
    out: dict[str, object] = {"leaves": n}

    t = time.perf_counter()
    sample_events: dict[int, dict] = {}
    picks = set(rng.sample(range(n), min(a.samples, n)))
    leaves = []
    for i, e in enumerate(events(n)):
        leaves.append(merkle.leaf_hash(verifier.event_bytes(e)))
        if i in picks:
            sample_events[i] = e
    out["build_leaves_s"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    table: dict[tuple[int, int], bytes] = {}
    get = table.__getitem__
    for i, leaf in enumerate(leaves):
        for level, index, h in merkle.levels_for_append(i, leaf, lambda lv, ix: get((lv, ix))):
            table[(level, index)] = h
    out["build_table_s"] = round(time.perf_counter() - t, 2)
    out["table_rows"] = len(table)

    def node(level: int, index: int) -> bytes:
        return table[(level, index)]

    # baselines
    data = verifier.event_bytes(sample_events[min(picks)])
    out["sha256_leaf_us"] = round(median_us(hashlib.sha256, [(data,)] * a.samples), 3)
    out["leaf_bytes"] = len(data)
    t = time.perf_counter()
    naive = merkle.root(leaves)
    out["naive_root_s"] = round(time.perf_counter() - t, 3)
    root = merkle.root_at(n, node)
    assert naive == root
    out["root_from_table_us"] = round(median_us(merkle.root_at, [(n, node)] * 200), 1)

    # proofs from the dict
    idx = sorted(picks)
    olds = [rng.randint(1, n - 1) for _ in range(a.samples)]
    out["inclusion_proof_dict_us"] = round(median_us(merkle.inclusion_proof, [(i, n, node) for i in idx]), 1)
    proofs = {i: merkle.inclusion_proof(i, n, node) for i in idx}
    args = [(leaves[i], i, n, proofs[i], root) for i in idx]
    assert all(merkle.verify_inclusion(*x) for x in args)
    out["verify_inclusion_us"] = round(median_us(merkle.verify_inclusion, args), 1)
    out["consistency_proof_dict_us"] = round(
        median_us(merkle.consistency_proof, [(m, n, node) for m in olds]), 1
    )
    cargs = [(m, n, merkle.root_at(m, node), root, merkle.consistency_proof(m, n, node)) for m in olds]
    assert all(merkle.verify_consistency(*x) for x in cargs)
    out["verify_consistency_us"] = round(median_us(merkle.verify_consistency, cargs), 1)
    out["proof_hashes_max"] = max(len(pr) for pr in proofs.values())

    # SQLite
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(Path(d) / "merkle.db", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE merkle_nodes (corp INTEGER NOT NULL, level INTEGER NOT NULL, idx INTEGER NOT NULL, "
            "hash BLOB NOT NULL, PRIMARY KEY (corp, level, idx)) WITHOUT ROWID"
        )
        bulk = n - min(a.appends, n - 1)
        t = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO merkle_nodes VALUES (1, ?, ?, ?)",
            ((lv, ix, h) for (lv, ix), h in table.items() if (ix + 1) << lv <= bulk),
        )
        db.execute("COMMIT")
        out["sqlite_bulk_load_s"] = round(time.perf_counter() - t, 2)
        select = "SELECT hash FROM merkle_nodes WHERE corp = 1 AND level = ? AND idx = ?"

        def sql_node(level: int, index: int) -> bytes:
            return db.execute(select, (level, index)).fetchone()[0]

        def append(i: int) -> None:
            rows = merkle.levels_for_append(i, leaves[i], sql_node)
            db.execute("BEGIN")
            db.executemany("INSERT INTO merkle_nodes VALUES (1, ?, ?, ?)", rows)
            db.execute("COMMIT")

        out["append_sqlite_us"] = round(median_us(append, [(i,) for i in range(bulk, n)]), 1)
        assert merkle.root_at(n, sql_node) == root
        out["inclusion_proof_sqlite_us"] = round(
            median_us(merkle.inclusion_proof, [(i, n, sql_node) for i in idx]), 1
        )
        assert all(merkle.inclusion_proof(i, n, sql_node) == proofs[i] for i in idx[:100])
        out["consistency_proof_sqlite_us"] = round(
            median_us(merkle.consistency_proof, [(m, n, sql_node) for m in olds]), 1
        )
        out["sqlite_mb"] = round((Path(d) / "merkle.db").stat().st_size / 1e6, 1)
        db.close()

    # signed checkpoint and the verifier end to end
    seed = bytes(range(32))
    name = f"minutebook.example/{SLUG}"
    vkey = checkpoint.vkey_of(checkpoint.public_key(seed), name)
    ext = checkpoint.minutebook_extensions(SLUG, datetime(2026, 1, 2, tzinfo=UTC))
    note = checkpoint.sign(name, n, root, ext, seed, name)
    out["checkpoint_sign_us"] = round(median_us(checkpoint.sign, [(name, n, root, ext, seed, name)] * 200), 1)
    out["checkpoint_verify_us"] = round(median_us(checkpoint.verify, [(note, vkey)] * a.samples), 1)
    docs = [
        (
            {
                "format": verifier.PROOF_FORMAT,
                "event": sample_events[i],
                "leaf_index": i,
                "tree_size": n,
                "inclusion": [base64.b64encode(h).decode() for h in proofs[i]],
                "checkpoint": note,
            },
            vkey,
        )
        for i in idx
    ]
    out["verify_proof_file_us"] = round(median_us(verifier.verify_proof_file, docs), 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    for k, v in out.items():
        print(f"{k}={v}")
    targets = [
        ("inclusion proof (dict) < 5 ms", out["inclusion_proof_dict_us"] < 5000),
        ("inclusion proof (SQLite) < 5 ms", out["inclusion_proof_sqlite_us"] < 5000),
        ("verify_inclusion < 1 ms", out["verify_inclusion_us"] < 1000),
        ("verify_proof_file (signature included) < 1 ms", out["verify_proof_file_us"] < 1000),
    ]
    for what, ok in targets:
        print(f"target {what}: {'ok' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
