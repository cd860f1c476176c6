"""Forged proofs against the verifier: none may be accepted.

Run from the repo root: `python bench/forgeries.py [--n 20000] [--seed 17]`. The generators are the suite's
(tests/core/forgery.py, which lists the kinds): forged inclusion and consistency proofs against
`core.merkle`, forged or altered checkpoints against `core.checkpoint`, forged proof documents against
`minutebook.verifier`, over logs of 2 to 300 synthetic events; each log's genuine proofs are checked first
(a verifier refusing everything would refuse forgeries too).

Prints `forgeries=N accepted=0 elapsed_s=...`, then the count of each family and the error codes that refused
them. Exits 1 if a forgery was accepted, a check crashed, or a genuine proof was refused.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core"))

import forgery  # noqa: E402 - the suite's generators, from tests/core


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=20_000, help="forgeries to try (default 20,000)")
    p.add_argument("--seed", type=int, default=17)
    a = p.parse_args()
    t0 = time.perf_counter()
    tally = forgery.run(a.seed, a.n)
    elapsed = time.perf_counter() - t0
    print(f"forgeries={tally.total} accepted={len(tally.accepted)} elapsed_s={elapsed:.2f}")
    print(
        f"crashed={len(tally.crashed)} genuine_refused={len(tally.genuine_refused)} kinds={len(tally.tried)}"
    )
    families = Counter()
    codes = Counter()
    for kind, n in tally.tried.items():
        families[kind.split("-")[0] + ("-doc" if kind.startswith("consistency-doc") else "")] += n
    for (_, code), n in tally.refused_by.items():
        codes[code] += n
    print("families " + " ".join(f"{k}={v}" for k, v in sorted(families.items())))
    print("refused_by " + " ".join(f"{k}={v}" for k, v in sorted(codes.items())))
    for line in (tally.accepted + tally.crashed + tally.genuine_refused)[:20]:
        print("PROBLEM", line)
    return 1 if tally.accepted or tally.crashed or tally.genuine_refused else 0


if __name__ == "__main__":
    sys.exit(main())
