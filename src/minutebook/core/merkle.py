"""Merkle tree hashing of the log, as RFC 9162 (Certificate Transparency 2.0, §2.1) defines it over SHA-256.

Owns: leaf and interior hashes, the tree head (`root`), inclusion and consistency proofs and their
verification, and the level table a store keeps so that a proof costs O(log n) reads.

    leaf_hash(d)   = SHA-256(0x00 || d)
    node_hash(l,r) = SHA-256(0x01 || l || r)
    MTH({})        = SHA-256()            MTH(D[n]) = node_hash(MTH(D[0:k]), MTH(D[k:n])), k the largest
                                                      power of two smaller than n

The level table. Only *complete* subtrees are ever stored: level 0 holds the leaf hashes, level k index i
the hash of leaves [i*2^k, (i+1)*2^k). A node never changes once complete, so the table is append-only:
`levels_for_append` names the rows one append writes (1 + the trailing one-bits of the old size, at most
log2 n + 1). Every other hash a proof needs lies on the tree's incomplete right edge and is folded from at
most log2 n complete subtrees (`subtree`). Proofs take the table as `node(level, index) -> bytes`.

Pure: the standard library only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH of the empty tree

Node = Callable[[int, int], bytes]
"""`node(level, index)`: the stored hash of the complete subtree over leaves [index*2^level, (index+1)*2^level)."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaf_hashes: Iterable[bytes]) -> bytes:
    """MTH over all the leaves, in one pass: complete subtrees are merged as they close, then the right edge
    is folded from the right (the RFC's split at the largest power of two, without recursion)."""
    stack: list[tuple[int, bytes]] = []  # (level, hash) of the complete subtrees so far, largest first
    for h in leaf_hashes:
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    if not stack:
        return EMPTY_ROOT
    h = stack.pop()[1]
    while stack:
        h = node_hash(stack.pop()[1], h)
    return h


def levels_for_append(size: int, leaf: bytes, node: Node) -> list[tuple[int, int, bytes]]:
    """The (level, index, hash) rows that become complete when `leaf` (a leaf hash) is appended to a tree of
    `size` leaves: the leaf itself, and each subtree it closes. Reads only left siblings already stored."""
    out = [(0, size, leaf)]
    level, index, h = 0, size, leaf
    while index & 1:
        h = node_hash(node(level, index - 1), h)
        level, index = level + 1, index >> 1
        out.append((level, index, h))
    return out


def levels_for_batch(size: int, leaves: Sequence[bytes], node: Node) -> list[tuple[int, int, bytes]]:
    """The (level, index, hash) rows that `leaves` (leaf hashes) complete when appended in order to a tree of `size`
    leaves: the rows `levels_for_append` gives leaf by leaf, worked out level by level. A left sibling the batch
    itself completed is taken from the batch; only the stored tree's right edge is read, each node once."""
    sha = hashlib.sha256
    out = [(0, size + i, h) for i, h in enumerate(leaves)]
    level, lo, cur = 0, size, list(leaves)
    hi = lo + len(cur)
    while hi - lo > 0 and hi >> 1 > lo >> 1:
        first = lo >> 1
        nxt: list[bytes] = []
        j = first
        if lo & 1:  # the first new node's left child is stored
            nxt.append(sha(b"\x01" + node(level, lo - 1) + cur[0]).digest())
            j, k = j + 1, 1
        else:
            k = 0
        nxt += [sha(b"\x01" + cur[i] + cur[i + 1]).digest() for i in range(k, hi - lo - 1, 2)]
        level, lo, hi, cur = level + 1, first, hi >> 1, nxt
        out += [(level, first + i, h) for i, h in enumerate(nxt)]
    return out


def _largest_power_below(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where MTH splits D[n]."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree(start: int, end: int, node: Node) -> bytes:
    """MTH(D[start:end]) from complete subtrees: split at the largest power of two like the RFC, each left part
    a stored node; the parts are folded from the right. Ranges whose left parts are not aligned to their size
    (which no proof asks for) are refused. `subtree(0, n, node)` is the root of the tree of size n."""
    if start == end == 0:
        return EMPTY_ROOT
    if not 0 <= start < end:
        raise ValueError(f"no subtree over leaves [{start}, {end})")
    parts: list[bytes] = []
    s = start
    while s < end:
        n = end - s
        k = n if n & (n - 1) == 0 else _largest_power_below(n)
        if s % k:
            raise ValueError(
                f"leaves [{s}, {s + k}) are not a complete subtree: [{start}, {end}) is not a tree node"
            )
        parts.append(node(k.bit_length() - 1, s // k))
        s += k
    h = parts.pop()
    while parts:
        h = node_hash(parts.pop(), h)
    return h


def root_at(size: int, node: Node) -> bytes:
    """The tree head at `size` leaves, from the level table."""
    return subtree(0, size, node)


def inclusion_proof(index: int, size: int, node: Node) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 §2.1.1 (RFC 9162 §2.1.3.1), the deepest sibling first. At most one
    sibling lies on the incomplete right edge, so the table is read at most 2·log2(size) + 1 times."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _largest_power_below(hi - lo)
        if index < lo + k:
            path.append(subtree(lo + k, hi, node))
            hi = lo + k
        else:
            path.append(subtree(lo, lo + k, node))
            lo += k
    path.reverse()
    return path


def consistency_proof(old: int, new: int, node: Node) -> list[bytes]:
    """PROOF(old, D[new]) = SUBPROOF(old, D[new], true) of RFC 6962 §2.1.2 (RFC 9162 §2.1.4.1); empty when
    `old` is 0 or equal to `new`. Like the inclusion proof, at most one part is folded from the right edge."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from {old} leaves to {new}")
    if old in (0, new):
        return []
    path: list[bytes] = []
    lo, hi, m, whole = 0, new, old, True  # SUBPROOF(m, D[lo:hi], whole)
    while m != hi - lo:
        k = _largest_power_below(hi - lo)
        if m <= k:
            path.append(subtree(lo + k, hi, node))
            hi = lo + k
        else:
            path.append(subtree(lo, lo + k, node))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        path.append(subtree(lo, hi, node))
    path.reverse()
    return path


def _sizes_ok(*sizes) -> bool:
    return all(type(s) is int and s >= 0 for s in sizes)


def _hashes_ok(*hashes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """RFC 9162 §2.1.3.2, step by step: whether `proof` shows `leaf` (a leaf hash) at `index` in the tree of
    `size` leaves whose head is `root_hash`. A proof too short or too long fails on `sn`.

    The size is only as good as its source: a proof may also fit another size with the same path shape, so the
    size must come with the root, from one signed checkpoint."""
    if not (_sizes_ok(index, size) and _hashes_ok(leaf, root_hash, *proof)):
        return False
    if index >= size:  # 1
        return False
    fn, sn = index, size - 1  # 2
    r = leaf  # 3
    for p in proof:  # 4
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash  # 5


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, step by step: whether `proof` shows the tree of `old_size` leaves (head `old_root`)
    is a prefix of the tree of `new_size` leaves (head `new_root`).

    The RFC defines the proof for 0 < old < new only. The edges, as its definition of PROOF gives them: equal
    sizes need an empty proof and equal roots; an empty old tree needs an empty proof and the empty root."""
    if not (_sizes_ok(old_size, new_size) and _hashes_ok(old_root, new_root, *proof)):
        return False
    if old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:  # 1
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # 2
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1  # 3
    while fn & 1:  # 4
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]  # 5
    for c in path[1:]:  # 6
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0  # 7
