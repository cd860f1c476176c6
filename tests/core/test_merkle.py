"""RFC 6962 / RFC 9162 Merkle trees (`core.merkle`): the published test vectors; every root, inclusion proof
and consistency proof of trees of 1 to 130 leaves equal to a naive implementation written from the RFC's text,
computed from a level table filled append by append in O(log n) reads; the verifiers' edges; and a thousand
forged proofs, checkpoints and proof documents (tests/core/forgery.py), none accepted."""

from __future__ import annotations

import functools
import hashlib

import forgery
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutebook.core import merkle

# --- published vectors ----------------------------------------------------------------------------------------
# transparency-dev/merkle, proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472): the leaves,
# the roots of the trees of their first 1..8, and known inclusion and consistency proofs. That file numbers
# leaves from 1 in its inclusion vectors ({1, 8, ...} is leaf 0 of 8); here they are 0-based.
LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657")] + [
    bytes.fromhex("606162636465666768696a6b6c6d6e6f")
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [  # (leaf index, tree size, proof)
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def hx(hashes) -> list[str]:
    return [h.hex() for h in hashes]


def table_node(leaves: list[bytes], size: int | None = None, table: dict | None = None):
    """A level table filled append by append with `levels_for_append`, as a store would; its `node` counts its
    calls and refuses a subtree not complete at `size` (what a table of that size would not yet hold)."""
    table = forgery.table_of(leaves) if table is None else table
    size = len(leaves) if size is None else size
    calls = [0]

    def node(level: int, index: int) -> bytes:
        assert (index + 1) << level <= size, f"node ({level}, {index}) is not complete in a tree of {size}"
        calls[0] += 1
        return table[(level, index)]

    return node, calls


def test_hashes_of_rfc6962_test_vectors():
    # transparency-dev/merkle, rfc6962/rfc6962_test.go
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.root([]) == merkle.EMPTY_ROOT
    assert merkle.leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert (
        merkle.leaf_hash(b"L123456").hex()
        == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert (
        merkle.node_hash(b"N123", b"N456").hex()
        == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_published_roots():
    hashes = [merkle.leaf_hash(d) for d in LEAVES]
    node, _ = table_node(hashes)
    for n in range(1, 9):
        assert merkle.root(hashes[:n]).hex() == ROOTS[n - 1]
        assert merkle.root_at(n, node).hex() == ROOTS[n - 1]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_published_inclusion_proofs(index, size, proof):
    hashes = [merkle.leaf_hash(d) for d in LEAVES[:size]]
    node, _ = table_node(hashes)
    assert hx(merkle.inclusion_proof(index, size, node)) == proof
    root = bytes.fromhex(ROOTS[size - 1])
    assert merkle.verify_inclusion(hashes[index], index, size, [bytes.fromhex(h) for h in proof], root)


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_published_consistency_proofs(old, new, proof):
    hashes = [merkle.leaf_hash(d) for d in LEAVES[:new]]
    node, _ = table_node(hashes)
    assert hx(merkle.consistency_proof(old, new, node)) == proof
    old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    assert merkle.verify_consistency(old, new, old_root, new_root, [bytes.fromhex(h) for h in proof])


# --- a naive implementation, from RFC 6962 §2.1 word for word -----------------------------------------------
# D is the list of leaf data; D[lo:hi] is written as the range (lo, hi). MTH is memoised by range only so that
# comparing every proof of every tree up to 130 leaves stays quick; the recursion is the RFC's.
N_MAX = 130
D = [hashlib.sha256(i.to_bytes(4, "big")).digest()[: i % 37] for i in range(N_MAX)]


def k_of(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def MTH(lo: int, hi: int) -> bytes:  # noqa: N802 - the RFC's name
    n = hi - lo
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + D[lo]).digest()
    k = k_of(n)
    return hashlib.sha256(b"\x01" + MTH(lo, lo + k) + MTH(lo + k, hi)).digest()


def PATH(m: int, lo: int, hi: int) -> list[bytes]:  # noqa: N802
    n = hi - lo
    if n == 1:
        return []
    k = k_of(n)
    if m < k:
        return PATH(m, lo, lo + k) + [MTH(lo + k, hi)]
    return PATH(m - k, lo + k, hi) + [MTH(lo, lo + k)]


def SUBPROOF(m: int, lo: int, hi: int, b: bool) -> list[bytes]:  # noqa: N802
    n = hi - lo
    if m == n:
        return [] if b else [MTH(lo, hi)]
    k = k_of(n)
    if m <= k:
        return SUBPROOF(m, lo, lo + k, b) + [MTH(lo + k, hi)]
    return SUBPROOF(m - k, lo + k, hi, False) + [MTH(lo, lo + k)]


def PROOF(m: int, n: int) -> list[bytes]:  # noqa: N802
    return SUBPROOF(m, 0, n, True)


LEAF_HASHES = [merkle.leaf_hash(d) for d in D]
TABLE = forgery.table_of(LEAF_HASHES)


def budget(n: int) -> int:
    """O(log n) reads: a proof has at most ceil(log2 n) parts, and at most one of them is folded from at most
    log2 n complete subtrees on the right edge."""
    return 2 * n.bit_length() + 1


def test_roots_equal_the_naive_mth_for_every_size_to_130():
    for n in range(N_MAX + 1):
        node, calls = table_node(LEAF_HASHES[:n])
        assert merkle.root(LEAF_HASHES[:n]) == MTH(0, n)
        assert merkle.root_at(n, node) == MTH(0, n)
        assert calls[0] <= max(1, n.bit_count())


def test_every_inclusion_proof_to_130_equals_the_naive_path_from_o_log_n_reads():
    for n in range(1, N_MAX + 1):
        node, calls = table_node(LEAF_HASHES[:n])
        root = MTH(0, n)
        for m in range(n):
            calls[0] = 0
            proof = merkle.inclusion_proof(m, n, node)
            assert proof == PATH(m, 0, n), (m, n)
            assert calls[0] <= budget(n), (m, n, calls[0])
            assert merkle.verify_inclusion(LEAF_HASHES[m], m, n, proof, root)


def test_every_consistency_proof_to_130_equals_the_naive_proof_from_o_log_n_reads():
    for n in range(1, N_MAX + 1):
        node, calls = table_node(LEAF_HASHES[:n])
        for m in range(0, n + 1):
            calls[0] = 0
            proof = merkle.consistency_proof(m, n, node)
            assert proof == (PROOF(m, n) if 0 < m < n else []), (m, n)
            assert calls[0] <= budget(n), (m, n, calls[0])
            assert merkle.verify_consistency(m, n, MTH(0, m), MTH(0, n), proof), (m, n)


def test_an_append_writes_the_leaf_and_each_subtree_it_completes():
    table: dict = {}
    for i, leaf in enumerate(LEAF_HASHES):
        rows = merkle.levels_for_append(i, leaf, lambda lv, ix: table[(lv, ix)])
        assert len(rows) == (i ^ (i + 1)).bit_length() <= (i + 1).bit_length()  # 1 + i's trailing ones
        for level, index, h in rows:
            assert (level, index) not in table  # append-only: nothing is written twice
            assert h == MTH(index << level, (index + 1) << level)
            table[(level, index)] = h
        assert len(table) == 2 * (i + 1) - (i + 1).bit_count()  # exactly the complete subtrees


def test_subtree_refuses_a_range_that_is_no_tree_node():
    node, _ = table_node(LEAF_HASHES[:8])
    assert merkle.subtree(4, 7, node) == MTH(4, 7)
    assert merkle.subtree(2, 5, node) == MTH(2, 5)  # [2, 4) and [4, 5): both stored
    with pytest.raises(ValueError, match="not a complete subtree"):
        merkle.subtree(1, 3, node)
    with pytest.raises(ValueError):
        merkle.subtree(3, 3, node)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(8, 8, node)
    with pytest.raises(ValueError):
        merkle.consistency_proof(5, 4, node)


BIG = [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(4096)]
BIG_TABLE = forgery.table_of(BIG)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_large_trees_prove_against_the_one_pass_root(data):
    n = data.draw(st.integers(1, 4096), label="size")
    m = data.draw(st.integers(0, n), label="old size")
    i = data.draw(st.integers(0, n - 1), label="index")
    hashes = BIG[:n]
    node, calls = table_node(BIG, size=n, table=BIG_TABLE)
    proof = merkle.inclusion_proof(i, n, node)
    assert merkle.verify_inclusion(hashes[i], i, n, proof, merkle.root(hashes))
    cproof = merkle.consistency_proof(m, n, node)
    assert merkle.verify_consistency(m, n, merkle.root(hashes[:m]), merkle.root(hashes), cproof)
    assert calls[0] <= 2 * budget(n)


# --- the verifiers' edges -------------------------------------------------------------------------------------
H = [merkle.leaf_hash(d) for d in LEAVES]
R = [bytes.fromhex(r) for r in ROOTS]


def test_inclusion_refuses_index_past_the_end_and_proofs_of_the_wrong_length():
    proof = merkle.inclusion_proof(2, 5, table_node(H[:5])[0])
    assert merkle.verify_inclusion(H[2], 2, 5, proof, R[4])
    assert not merkle.verify_inclusion(H[2], 5, 5, proof, R[4])  # index >= size
    assert not merkle.verify_inclusion(H[2], 2, 0, [], merkle.EMPTY_ROOT)  # an empty tree holds nothing
    assert not merkle.verify_inclusion(H[2], 2, 5, proof[:-1], R[4])  # too short: sn is not 0
    assert not merkle.verify_inclusion(H[2], 2, 5, [*proof, R[4]], R[4])  # too long: sn reaches 0 first
    assert not merkle.verify_inclusion(H[2], 2, 5, [*proof[:-1], proof[-1][:31]], R[4])  # not a hash
    assert not merkle.verify_inclusion(H[2], -1, 5, proof, R[4])
    assert not merkle.verify_inclusion(H[2], True, 5, proof, R[4])  # a bool is no index
    # an interior node passed as a leaf: its path is one step short, so sn is not 0 at the end
    left, right = merkle.node_hash(H[0], H[1]), merkle.node_hash(H[2], H[3])
    assert merkle.node_hash(left, right) == R[3]
    assert not merkle.verify_inclusion(left, 0, 4, [right], R[3])
    # at size 2 the same hashes do fit: a leaf hash must be computed from the data (leaf_hash prefixes 0x00),
    # never taken from the prover; the verifier hashes the event's bytes itself
    assert merkle.verify_inclusion(left, 0, 2, [right], R[3])
    assert merkle.verify_inclusion(H[0], 0, 1, [], H[0])  # one leaf: the root is the leaf hash
    assert not merkle.verify_inclusion(H[0], 0, 1, [H[0]], H[0])


def test_the_size_is_bound_only_by_the_checkpoint():
    """The RFC's verification follows the path's shape: leaf 0's proof in the tree of 5 has the shape of leaf 0's
    proof in the tree of 6, so it "verifies" at size 6 against the root of 5. Sizes must come signed with their
    root (the verifier takes both from one checkpoint)."""
    proof = merkle.inclusion_proof(0, 5, table_node(H[:5])[0])
    assert merkle.verify_inclusion(H[0], 0, 6, proof, R[4])
    assert not merkle.verify_inclusion(H[0], 0, 6, proof, R[5])


def test_consistency_edges():
    some = merkle.leaf_hash(b"x")
    assert merkle.verify_consistency(0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [])
    assert merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, R[4], [])
    assert not merkle.verify_consistency(0, 5, some, R[4], [])  # the empty tree has one root
    assert not merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, R[4], [some])
    assert merkle.verify_consistency(5, 5, R[4], R[4], [])
    assert not merkle.verify_consistency(5, 5, R[4], R[3], [])
    assert not merkle.verify_consistency(5, 5, R[4], R[4], [R[4]])  # equal sizes: an empty proof
    assert not merkle.verify_consistency(6, 5, R[5], R[4], [])  # old > new
    assert not merkle.verify_consistency(1, 2, R[0], R[1], [])  # step 1: an empty proof fails
    proof = [bytes.fromhex(h) for h in CONSISTENCY[2][2]]  # 6 -> 8
    assert merkle.verify_consistency(6, 8, R[5], R[7], proof)
    assert not merkle.verify_consistency(6, 8, R[5], R[7], proof[:-1])
    assert not merkle.verify_consistency(6, 8, R[5], R[7], [*proof, some])
    assert not merkle.verify_consistency(6, 8, R[5], R[7], [some, *proof])
    assert not merkle.verify_consistency(6, 8, R[7], R[5], proof)
    assert not merkle.verify_consistency(-1, 8, R[5], R[7], proof)


# --- forgeries ------------------------------------------------------------------------------------------------
def test_a_thousand_forgeries_none_accepted():
    """~1,000 forged proofs, checkpoints and documents of the kinds forgery.py lists; bench/forgeries.py runs
    10,000+ of the same generators."""
    tally = forgery.run(seed=20260517, n=1000)
    assert tally.total == 1000
    assert tally.genuine_refused == []
    assert tally.crashed == []
    assert tally.accepted == []
    families = {k.split("-")[0] for k in tally.tried}
    assert families == {"inclusion", "consistency", "checkpoint", "document"}
    refused = {k for k, _ in tally.refused_by}
    assert refused == set(tally.tried)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 70), st.integers(0, 70))
def test_a_batch_completes_the_rows_its_leaves_complete_one_by_one(size, n):
    """`levels_for_batch` (level by level) gives the rows `levels_for_append` gives leaf by leaf, and reads only the
    stored tree's right edge, each node once."""
    leaves = [merkle.leaf_hash(i.to_bytes(2, "big")) for i in range(size + n)]
    table: dict[tuple[int, int], bytes] = {}
    for i in range(size):
        for lv, ix, h in merkle.levels_for_append(i, leaves[i], lambda lv, ix: table[(lv, ix)]):
            table[(lv, ix)] = h
    one_by_one = dict(table)
    for i in range(size, size + n):
        for lv, ix, h in merkle.levels_for_append(i, leaves[i], lambda lv, ix: one_by_one[(lv, ix)]):
            one_by_one[(lv, ix)] = h
    reads: list[tuple[int, int]] = []
    rows = merkle.levels_for_batch(
        size, leaves[size:], lambda lv, ix: reads.append((lv, ix)) or table[(lv, ix)]
    )
    assert len(rows) == len({(lv, ix) for lv, ix, _ in rows})
    assert {**table, **{(lv, ix): h for lv, ix, h in rows}} == one_by_one
    assert not table.keys() & {(lv, ix) for lv, ix, _ in rows}
    assert len(reads) == len(set(reads))
