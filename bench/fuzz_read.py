"""Fuzz the charter reader at length: the property of tests/ingest/test_fuzz.py over many mutated filings.

Run from the repo root:

    python bench/fuzz_read.py --examples 100000 [--jobs 2] [--seed N] [--timeout 60] [--out /tmp]
    python bench/fuzz_read.py --replay /tmp/fuzz-repro-1.bin [--as-of 2000-01-01]

The mutations and the property are those of `tests/ingest/readfuzz.py`. Each job is a process running
Hypothesis in its generate phase only, in batches (a fresh seed each, so memory stays flat); a failure
does not stop the run: it is recorded under its signature (exception type and innermost minutebook
frame), the smallest input kept. An example running past --timeout is recorded as a `ReaderTimeout`.
At the end each distinct failure is shrunk (lines, then bytes, while the same signature reproduces) and
written to `<out>/fuzz-repro-N.bin`, with `<out>/fuzz-repro-N.txt` saying what it is and how to replay
it. Prints the examples run and every distinct failure; exits 1 when there is one, else 0.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "ingest"))
try:
    import minutebook  # noqa: F401
except ImportError:  # not installed: the repo's own sources
    sys.path.insert(0, str(ROOT / "src"))

import readfuzz  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BATCH = 2000  # examples per Hypothesis run
PROGRESS_S = 60.0


def run_once(data: bytes, path: Path, as_of: date, timeout: float) -> BaseException | None:
    """The property on one input: None when it holds, else the exception that broke it."""
    try:
        with readfuzz.time_limit(timeout):
            readfuzz.exercise(data, path, as_of)
    except Exception as exc:
        return exc
    return None


def describe(exc: BaseException) -> dict:
    return {
        "type": type(exc).__name__,
        "message": str(exc).splitlines()[0][:300] if str(exc) else "",
        "stage": readfuzz.stage_of(exc),
        "frames": readfuzz.last_frames(exc),
    }


# -- one job -----------------------------------------------------------------------------------------------


def job(
    index: int, quota: int, base_seed: int, timeout: float, slow_s: float, scratch: Path, queue=None
) -> dict:
    """Run `quota` examples; return (or put on `queue`) the count and the failures found."""
    found: dict[tuple[str, str], dict] = {}
    slow: list[tuple[float, int, str, tuple[str, ...]]] = []
    count = 0
    workdir = scratch / f"job{index}"
    workdir.mkdir()
    started = last_report = time.monotonic()
    rng = random.Random(f"{base_seed}/{index}")

    def prop(m: readfuzz.Mutant, as_of: date) -> None:
        nonlocal count, last_report
        count += 1
        t0 = time.monotonic()
        exc = run_once(m.data, workdir / f"mutant{m.suffix}", as_of, timeout)
        took = time.monotonic() - t0
        if took >= slow_s:
            slow.append((took, len(m.data), m.seed, m.steps))
        if exc is not None:
            key = readfuzz.signature(exc)
            entry = found.get(key)
            if entry is None:
                print(
                    f"[job {index}] new failure: {key[0]} at {key[1]} ({readfuzz.stage_of(exc)})",
                    file=sys.stderr,
                )
            if entry is None or len(m.data) < len(entry["data"]):
                found[key] = {
                    **describe(exc),
                    "data": m.data,
                    "as_of": as_of,
                    "seed": m.seed,
                    "steps": m.steps,
                    "count": entry["count"] if entry else 0,
                }
            found[key]["count"] += 1
        if time.monotonic() - last_report >= PROGRESS_S:
            last_report = time.monotonic()
            rate = count / (last_report - started)
            print(
                f"[job {index}] {count}/{quota} examples ({rate:.1f}/s), {len(found)} distinct failure(s)",
                file=sys.stderr,
            )

    interrupted = False
    try:
        done = 0
        while done < quota:
            n = min(BATCH, quota - done)
            batch = settings(
                max_examples=n,
                phases=[Phase.generate],
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(given(m=readfuzz.mutants(), as_of=st.dates())(prop))
            seed(rng.getrandbits(64))(batch)()
            done += n
    except KeyboardInterrupt:
        interrupted = True
    result = {"count": count, "found": found, "slow": slow, "interrupted": interrupted}
    if queue is not None:
        queue.put(result)
    return result


def run_jobs(
    examples: int, jobs: int, base_seed: int, timeout: float, slow_s: float, scratch: Path
) -> list[dict]:
    quotas = [examples // jobs + (i < examples % jobs) for i in range(jobs)]
    if jobs == 1:
        return [job(0, quotas[0], base_seed, timeout, slow_s, scratch)]
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=job, args=(i, q, base_seed, timeout, slow_s, scratch, queue), daemon=True)
        for i, q in enumerate(quotas)
    ]
    for p in procs:
        p.start()
    results = []
    while len(results) < len(procs):
        try:
            results.append(queue.get())
        except KeyboardInterrupt:  # the jobs got it too: they put what they have
            continue
    for p in procs:
        p.join()
    return results


# -- shrinking ---------------------------------------------------------------------------------------------


def ddmin(items, still_fails, deadline: float):
    """Delta debugging on a sequence (list of lines or bytes): drop chunks while `still_fails` holds."""
    n = 2
    while len(items) >= 2 and time.monotonic() < deadline:
        size = -(-len(items) // n)
        for start in range(0, len(items), size):
            rest = items[:start] + items[start + size :]
            if time.monotonic() >= deadline:
                return items
            if still_fails(rest):
                items, n = rest, max(n - 1, 2)
                break
        else:
            if n >= len(items):
                return items
            n = min(2 * n, len(items))
    return items


def shrink(
    data: bytes, key: tuple[str, str], as_of: date, timeout: float, seconds: float, scratch: Path
) -> bytes:
    path = scratch / "shrink.txt"

    def fails(candidate: bytes) -> bool:
        exc = run_once(candidate, path, as_of, timeout)
        return exc is not None and readfuzz.signature(exc) == key

    deadline = time.monotonic() + seconds
    lines = ddmin(data.splitlines(keepends=True), lambda ls: fails(b"".join(ls)), deadline)
    return ddmin(b"".join(lines), fails, deadline)


# -- reporting ---------------------------------------------------------------------------------------------


def report(results: list[dict], args, elapsed: float, scratch: Path) -> int:
    count = sum(r["count"] for r in results)
    found: dict[tuple[str, str], dict] = {}
    for r in results:
        for key, entry in r["found"].items():
            have = found.get(key)
            if have is None or len(entry["data"]) < len(have["data"]):
                found[key] = {**entry, "count": entry["count"] + (have["count"] if have else 0)}
            else:
                have["count"] += entry["count"]
    interrupted = any(r["interrupted"] for r in results)
    print(
        f"examples={count} jobs={args.jobs} seed={args.seed} elapsed_s={elapsed:.0f}"
        + (" (interrupted)" if interrupted else "")
    )
    print(f"distinct_failures={len(found)}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for n, (key, entry) in enumerate(sorted(found.items(), key=lambda kv: -kv[1]["count"]), start=1):
        data = entry["data"]
        if not args.no_shrink and key[0] != readfuzz.ReaderTimeout.__name__:
            data = shrink(data, key, entry["as_of"], args.timeout, args.shrink_seconds, scratch)
            exc = run_once(data, scratch / "shrunk.txt", entry["as_of"], args.timeout)
            if exc is not None and readfuzz.signature(exc) == key:
                entry.update(describe(exc))
        repro = out / f"fuzz-repro-{n}.bin"
        repro.write_bytes(data)
        replay = f"python bench/fuzz_read.py --replay {repro} --as-of {entry['as_of'].isoformat()}"
        text = (
            f"[{n}] {key[0]} at {key[1]}  ({entry['count']} example(s); stage: {entry['stage']})\n"
            f"    message: {entry['message']}\n"
            f"    last frames:\n" + "\n".join("      " + line for line in entry["frames"].splitlines()) + "\n"
            f"    reproducer: {repro} ({len(data)} bytes; found as {len(entry['data'])} bytes from seed "
            f"{entry['seed']}: {'; '.join(s[:120] for s in entry['steps'])})\n"
            f"    replay: {replay}\n"
        )
        (out / f"fuzz-repro-{n}.txt").write_text(text, encoding="utf-8")
        print(text, end="")
    slow = sorted((s for r in results for s in r["slow"]), reverse=True)
    if slow:
        print(f"slow_examples={len(slow)} (>= {args.slow:g} s; the slowest:)")
        for took, size, label, steps in slow[:5]:
            print(f"    {took:.1f} s, {size} bytes, seed {label}: {'; '.join(s[:100] for s in steps)}")
    return 1 if found else 0


def replay(files: list[str], as_of: date, timeout: float, scratch: Path) -> int:
    status = 0
    for name in files:
        exc = run_once(Path(name).read_bytes(), scratch / "replay.txt", as_of, timeout)
        if exc is None:
            print(f"{name}: the property holds")
            continue
        status = 1
        print(f"{name}: {type(exc).__name__} in {readfuzz.stage_of(exc)}")
        traceback.print_exception(exc)
    return status


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100_000, help="examples in all (default 100000)")
    ap.add_argument("--jobs", type=int, default=1, help="processes to split them across (default 1)")
    ap.add_argument("--seed", type=int, default=None, help="seed of the run (default: a random one, printed)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds one example may take (0: no limit)")
    ap.add_argument("--slow", type=float, default=10.0, help="list examples taking this long (default 10 s)")
    ap.add_argument("--out", default="/tmp", help="where reproducers are written (default /tmp)")
    ap.add_argument("--no-shrink", action="store_true", help="keep the smallest input found, unshrunk")
    ap.add_argument("--shrink-seconds", type=float, default=120.0, help="time to shrink each failure")
    ap.add_argument("--replay", nargs="+", metavar="FILE", help="run the property on these files and stop")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2000, 1, 1), help="date for --replay")
    args = ap.parse_args(argv)
    if not args.replay and (args.examples < 1 or args.jobs < 1):
        ap.error("--examples and --jobs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="fuzz-read-") as tmp:
        scratch = Path(tmp)  # the mutants are written here to be read; removed at the end
        if args.replay:
            return replay(args.replay, args.as_of, args.timeout, scratch)
        if args.seed is None:
            args.seed = int.from_bytes(os.urandom(4), "big")
        print(
            f"fuzz_read: {len(readfuzz.seeds())} seed documents, {args.examples} examples, {args.jobs} job(s)",
            file=sys.stderr,
        )
        t0 = time.monotonic()
        results = run_jobs(args.examples, args.jobs, args.seed, args.timeout, args.slow, scratch)
        return report(results, args, time.monotonic() - t0, scratch)


if __name__ == "__main__":
    sys.exit(main())
