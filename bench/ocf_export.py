"""Benchmark of the OCF export (issue 18): a book of 100,000 and one of 1,000,000 events exported as an `.ocf.zip`,
each in a process of its own as `minutebook ocf export` runs it (the history streamed from the store, never opened
or replayed), with its wall and CPU seconds, its peak memory, and the machine's load beside each figure.

Run from the repo root: `python bench/ocf_export.py [--quick] [--events 1000000] [--keep DIR]`. Prints `key=value`
lines, then the targets with ok/MISSED; exits 0 whether or not they hold.

The books (built once per run, in a temporary folder, not timed): a generated OCF package imported
(`minutebook.ocf.importer.import_package`; generators from bench/ocf.py) — the 100k book from the stock generator
(authorized-share adjustments, a split with its reissuances, transfers with balance securities: about 2.7 OCF
transactions an event), the 1M book from the equity generator (options granted, exercised into stock, cancelled, a
pool adjusted: about one transaction an event; the stock generator's package for 1M events would be over 1 GB, more
than the import stores). A 100k book of the equity shape is exported too.

For each export:
- `export_s`, `export_cpu_s` (the process and the checking process beside it), `peak_rss_mb` (the exporting
  process; `checker_rss_mb` the child that checks the transactions, shared pages counted in both), measured in the
  child itself (its VmHWM: `ru_maxrss` would carry the bench's own peak across the exec; the checker's from
  `resource.getrusage(RUSAGE_CHILDREN)`), with the load average when it started;
- `baseline_json_s`: the stdlib baseline of the same run — `json.dumps(indent=2, ensure_ascii=False)` of the same
  Transactions file's items (what the exporter wrote with before), in a child too, with its own peak RSS;
- after every export's figures, for the 100k books (unless `--no-checks`): the package checked by
  `../shared/tools/ocf_validate.py --strict --check-manifest` (stopped after `--validator-timeout` seconds: it is
  pure-Python jsonschema, and took over 30 CPU-minutes on the 282,024-transaction package on one machine) and by
  `minutebook ocf validate`, and imported back: the same cap table and fully diluted table at the last date;
- OCF-Tools (`ocfValidator`: it reads the package and replays it; Node) on the same package, where a built
  checkout is named by `OCF_TOOLS` (a folder with `dist/index.js`; bench/README.md says how to build one) and Node
  is on the PATH; skipped with a message otherwise; stopped after `--ocf-tools-timeout` seconds; a package it
  rejects reported with what it said (the time is then not a replay). The runner is bench/ocf.py's.

Targets (issue 18): the 1M-event export < 60 s with peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
try:
    import minutebook  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

# bench/ocf.py's generators and its OCF-Tools runner
from ocf import generate, generate_equity, ocf_tools_missing, print_ocf_tools, run_ocf_tools  # noqa: E402

TARGET_S = 60.0
TARGET_RSS_MB = 500
VALIDATOR = ROOT.parent / "shared" / "tools" / "ocf_validate.py"
STOCK_TX_PER_EVENT = (
    2.7  # the stock generator: OCF transactions per book event (transfers carry two issuances)
)

# run in a child: the export as `minutebook ocf export --zip` does it, measured from inside
_EXPORT = """
import json, os, resource, sys, time
from minutebook.book import open_history
from minutebook.ocf.writer import export_package
t0, c0 = time.perf_counter(), os.times()
x = export_package(open_history(sys.argv[1]), sys.argv[2], as_zip=True)
c1 = os.times()
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024  # this process's own peak
print(json.dumps({"s": time.perf_counter() - t0,
                  "cpu": (c1.user - c0.user) + (c1.system - c0.system) + (c1.children_user - c0.children_user)
                         + (c1.children_system - c0.children_system),
                  "rss_mb": hwm, "child_rss_mb": kids.ru_maxrss / 1024,
                  "transactions": x.counts.get("transactions_files", 0)}))
"""
# run in a child: the stdlib baseline, json.dumps with indent of the same items (read first, not timed)
_BASELINE = """
import json, sys, time, zipfile
with zipfile.ZipFile(sys.argv[1]) as zf:
    doc = json.loads(zf.read("Transactions.ocf.json"))
t0, c0 = time.perf_counter(), time.process_time()
data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\\n").encode()
with open(sys.argv[2], "wb") as f:
    f.write(data)
dt, cpu = time.perf_counter() - t0, time.process_time() - c0
hwm = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"s": dt, "cpu": cpu, "rss_mb": hwm}))
"""


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def child(code: str, *args: str, timeout: float = 3600) -> dict:
    p = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if p.returncode:
        raise SystemExit(
            f"child failed: {p.stderr.strip().splitlines()[-1] if p.stderr.strip() else p.returncode}"
        )
    return json.loads(p.stdout.strip().splitlines()[-1])


def build(work: Path, name: str, shape: str, events: int) -> Path:
    """A book of about `events` events from a generated package, imported (not timed)."""
    from minutebook.ocf.importer import import_package

    pkg = work / f"{name}.pkg"
    pkg.mkdir()
    t0 = time.perf_counter()
    if shape == "stock":
        generate(pkg, 10_000, int(events * STOCK_TX_PER_EVENT), 1)
    else:
        generate_equity(pkg, 10_000, events, 1)
    db = work / f"{name}.db"
    r = import_package(str(db), pkg)
    shutil.rmtree(pkg)
    line(
        f"{name}_book",
        f"{r.events:,} events ({shape} shape; built in {time.perf_counter() - t0:.0f} s, not timed)",
    )
    return db


def export(work: Path, name: str, db: Path) -> dict:
    out = work / f"{name}.ocf.zip"
    at = load()
    r = child(_EXPORT, str(db), str(out))
    line(f"{name}_export_s", f"{r['s']:.1f} ({r['transactions']:,} transactions; {at})")
    line(f"{name}_export_cpu_s", f"{r['cpu']:.1f} (the exporting process and the one checking beside it)")
    line(f"{name}_peak_rss_mb", f"{r['rss_mb']:.0f} (checker_rss_mb {r['child_rss_mb']:.0f})")
    at = load()
    b = child(_BASELINE, str(out), str(work / "baseline.json"))
    line(f"{name}_baseline_json_s", f"{b['s']:.1f} (CPU {b['cpu']:.1f} s; stdlib json.dumps, indent 2, of the same "
         f"transactions, the writing alone; peak RSS {b['rss_mb']:.0f} MB holding them; {at})")  # fmt: skip
    (work / "baseline.json").unlink()
    return r | {"package": out}


def ocf_tools(name: str, package: Path, work: Path, timeout: float) -> None:
    """OCF-Tools' validator on the package unzipped (bench/ocf.py's runner), or why it is skipped."""
    why = ocf_tools_missing()
    if why:
        line(f"{name}_ocf_tools", f"skipped ({why})")
        return
    folder = work / f"{name}-unzipped"
    shutil.unpack_archive(package, folder, "zip")
    at = load()
    print_ocf_tools(f"{name}_ocf_tools", run_ocf_tools(folder, timeout), at)
    shutil.rmtree(folder, ignore_errors=True)


def check(name: str, db: Path, package: Path, work: Path, timeout: float) -> None:
    """The package valid by the independent validator (stopped after `timeout` seconds) and ours, and imported back
    to the same tables."""
    from minutebook.book import open_book
    from minutebook.ocf.importer import import_package

    if VALIDATOR.is_file():
        try:
            p = subprocess.run([sys.executable, str(VALIDATOR), str(package), "--strict", "--check-manifest"],
                               capture_output=True, text=True, check=False, timeout=timeout)  # fmt: skip
            line(f"{name}_ocf_validate", (p.stdout.strip().splitlines() or ["?"])[-1])
        except subprocess.TimeoutExpired:
            line(
                f"{name}_ocf_validate", f"stopped after {timeout:.0f} s (--validator-timeout; not a verdict)"
            )
    else:
        line(f"{name}_ocf_validate", f"skipped ({VALIDATOR} is not there)")
    p = subprocess.run([sys.executable, "-m", "minutebook", "ocf", "validate", str(package)],
                       capture_output=True, text=True, check=False)  # fmt: skip
    line(
        f"{name}_minutebook_validate", f"exit {p.returncode}: {(p.stdout.strip().splitlines() or ['?'])[-1]}"
    )
    back = work / f"{name}-back.db"
    import_package(str(back), package)
    a, b = open_book(str(db)), open_book(str(back))
    last = max(e.effective_on for e in a.events)
    same_cap = a.cap_table(last).rows == b.cap_table(last).rows
    same_fd = a.fully_diluted(last) == b.fully_diluted(last)
    line(f"{name}_round_trip", f"cap table {'same' if same_cap else 'DIFFERS'}, fully diluted "
         f"{'same' if same_fd else 'DIFFERS'} as of {last}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000, help="the large book's events")
    ap.add_argument("--small", type=int, default=100_000, help="the small books' events")
    ap.add_argument("--quick", action="store_true", help="10,000 and 100,000 events")
    ap.add_argument("--ocf-tools-timeout", type=float, default=120)
    ap.add_argument(
        "--validator-timeout",
        type=float,
        default=600,
        help="seconds for ../shared/tools/ocf_validate.py on each small package (pure-Python jsonschema: it took "
        "over 30 CPU-minutes on the 282,024-transaction one on a 2-core AMD EPYC)",
    )
    ap.add_argument(
        "--no-checks", action="store_true", help="no validators and no round trip (they take minutes)"
    )
    ap.add_argument("--keep", metavar="DIR", help="build the books in DIR and keep them (reused when there)")
    args = ap.parse_args(argv)
    if args.quick:
        args.small, args.events = 10_000, 100_000
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mb-bench-ocf-export-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        line("machine", f"{os.cpu_count()} cores, {load()} at the start")
        books = {}
        for name, shape, n in (("small_stock", "stock", args.small), ("small_equity", "equity", args.small),
                               ("large", "equity", args.events)):  # fmt: skip
            db = work / f"{name}.db"
            books[name] = db if db.exists() else build(work, name, shape, n)
        print()
        results = {name: export(work, name, books[name]) for name in ("large", "small_stock", "small_equity")}
        print()
        for name, r in results.items():  # the slow checks after every figure of the exports
            ocf_tools(name, r["package"], work, args.ocf_tools_timeout)
            if name != "large" and not args.no_checks:
                check(name, books[name], r["package"], work, args.validator_timeout)
            r["package"].unlink()
        print()
        big = results["large"]
        ok_s, ok_rss = big["s"] < TARGET_S, max(big["rss_mb"], big["child_rss_mb"]) < TARGET_RSS_MB
        print(f"target export_s: {'ok' if ok_s else 'MISSED'} ({big['s']:.1f} s < {TARGET_S:.0f} s, {args.events:,} "
              f"events; CPU {big['cpu']:.1f} s)")  # fmt: skip
        print(f"target peak_rss: {'ok' if ok_rss else 'MISSED'} ({max(big['rss_mb'], big['child_rss_mb']):.0f} MB "
              f"< {TARGET_RSS_MB} MB, the larger of the two processes)")  # fmt: skip
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
