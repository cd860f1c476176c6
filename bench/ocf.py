"""Benchmark of the OCF import: a generated package of 10,000 stakeholders and 200,000 stock transactions,
imported into a new book, then the cap table at its last date.

Run from the repo root: `python bench/ocf.py [--stakeholders 10000] [--transactions 200000] [--quick]`.
Prints `key=value` lines, then the targets with ok/MISSED; exits 0 whether or not they hold.

The package (a seeded generator, strict OCF v1.2.0, written to a temporary folder; not timed): a Delaware
issuer with one common class (10,000,000,000 authorized, $0.0001 par), the stakeholders, then stock
transactions over 20 years: new issuances, transfers (each with its resulting issuance and, when partial, its
balance issuance), cancellations and repurchases (with balance issuances), one 2-for-1 split half way with
a reissuance of every outstanding security, and an authorized-shares adjustment every 500 transactions (each a
charter amendment in the book); one stakeholder in ten is an institution — the shape of the independent generator
issue 18 measured with (`--adjust-every 0`: no adjustments). Every item counts as a transaction.

Timed:
- `import_s`: `minutebook.ocf.import_package` end to end — read and parse the files, check the md5s, validate
  every item against the v1.2.0 schemas, traverse the security-id chains, run the ledger rules over the
  history in one fold, and append the events with their projections in one transaction (SQLite file); run in a
  process of its own, as `minutebook ocf import` runs it, timed inside it from the call to the answer.
  `import_tx_s` is transactions / `import_s`.
  `import_cpu_s` is that process's CPU time for the same work, with the child it forks for the checks of a large
  package (a fairer figure on a busy machine; it can exceed `import_s`: the child works beside it).
- `open_book_s`: opening the new book, reported, not a target: from the fold snapshot a large import keeps (the fold
  its history check made), else by loading and replaying its events; the line says which.
- `captable_last_s`: `Book.cap_table(last date)` on the opened book (median of 3), checked against the
  holdings the generator expects.

- `fd_any_date_max_s`: `Book.fully_diluted(d)` on the equity book at five dates through its history (the slowest),
  each checked equal to the table a replay to `d` gives; the replay's time is printed beside it as the baseline.
- `equity_import_tx_s`: the same for a second package of as many transactions, half of them equity compensation
  (a plan and its pool adjustments, option grants, exercises with their resulting stock issuances,
  cancellations: `generate_equity`), checked against the options the generator leaves outstanding.
- `equity_open_again_s`: that book opened again in a process of its own, as the next CLI command opens it, from the
  fold snapshot the import kept (`bench/book.py`'s `open_fresh`), with its cap table at the last date and the
  process's peak RSS; reported, no target (issue 18's < 1 s is for `bench/book.py`'s 1M-event book).

- `ocf_tools_s` (issue 18): OCF-Tools, the OCF reference implementation (TypeScript on Node), on a package of
  `--ocf-tools-transactions` transactions (10,000: at 50,000 it is reported not to finish in 300 s) from the same
  generator with the same stakeholders, seed and adjustments: its `ocfValidator` (it reads the package folder and
  replays it), timed inside Node around that call (Node's start and loading OCF-Tools not counted; its console
  output discarded), stopped after `--ocf-tools-timeout` seconds; beside it `ocf_tools_minutebook_import_s`,
  minutebook's import of that same package timed as `import_s` is (`timed_import`), and `ocf_tools_ratio`, the one
  over the other (wall and CPU). Where `OCF_TOOLS` names a built checkout (a folder with `dist/index.js`; how to
  build one: bench/README.md) and Node is on the PATH; otherwise `ocf_tools=skipped (why)`. A package OCF-Tools
  rejects is reported with what it said, and no ratio (it stopped at the transaction it rejected). Not a target.

Targets (issues 7 and 16): >= 20,000 transactions/s import, for both packages; cap table and fully diluted table
at any date < 1 s. `--equity-transactions N` sizes the equity package alone (1,000,000 for issue 16's figure).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
try:
    import minutebook  # noqa: F401
except ImportError:  # pragma: no cover - run without installing
    sys.path.insert(0, str(ROOT / "src"))

from minutebook.book import open_book  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book import open_fresh  # noqa: E402 - bench/book.py: a book opened as a CLI command opens it

TARGET_TX_S = 20_000
TARGET_CAPTABLE_S = 1.0
TARGET_IMPORT_S = 10.0  # issue 18: import + cap table of 200k transactions with adjustments
FORMED = date(2005, 1, 3)
AUTHORIZED = 10_000_000_000
ADJUST_EVERY = (
    500  # an authorized-shares adjustment every 500 transactions (the independent generator's shape)
)
SPAN_DAYS = 20 * 365


def generate(
    folder: Path, n_holders: int, n_tx: int, seed: int, adjust_every: int = ADJUST_EVERY
) -> dict[str, int]:
    """Write the package; returns the holdings it leaves (stakeholder -> shares). Every `adjust_every` transactions
    the board raises the class's authorized shares (an authorized-shares adjustment: a charter amendment in the
    book); one stakeholder in ten is an institution."""
    rng = random.Random(seed)
    holders = [f"sh{i:05d}" for i in range(n_holders)]
    txs: list[dict] = []
    open_: list[list] = []  # [security id, holder, qty]
    where: dict[str, int] = {}  # security id -> index in open_
    n = 0

    def new_id(prefix: str) -> str:
        nonlocal n
        n += 1
        return f"{prefix}-{n:07d}"

    def issue(on: str, holder: str, qty: int, tx_only: bool = False) -> str:
        sid = new_id("S")
        txs.append(
            {
                "object_type": "TX_STOCK_ISSUANCE",
                "id": new_id("T"),
                "date": on,
                "security_id": sid,
                "custom_id": sid,
                "stakeholder_id": holder,
                "stock_class_id": "common",
                "share_price": {"amount": "0.0100", "currency": "USD"},
                "quantity": str(qty),
                "security_law_exemptions": [],
                "stock_legend_ids": [],
                **({} if tx_only else {"board_approval_date": on}),
            }
        )
        where[sid] = len(open_)
        open_.append([sid, holder, qty])
        return sid

    def retire(sid: str) -> None:
        i = where.pop(sid)
        last = open_.pop()
        if i < len(open_):
            open_[i] = last
            where[last[0]] = i

    split_done = False
    authorized = AUTHORIZED
    while len(txs) < n_tx:
        on = (FORMED + timedelta(days=1 + len(txs) * SPAN_DAYS // n_tx)).isoformat()
        if adjust_every and len(txs) % adjust_every == adjust_every - 1:
            authorized += 1_000_000
            txs.append({"object_type": "TX_STOCK_CLASS_AUTHORIZED_SHARES_ADJUSTMENT", "id": new_id("T"), "date": on,
                        "stock_class_id": "common", "new_shares_authorized": str(authorized),
                        "board_approval_date": on})  # fmt: skip
            continue
        if not split_done and len(txs) >= n_tx // 2:
            split_done = True
            split_id = new_id("T")
            txs.append(
                {
                    "object_type": "TX_STOCK_CLASS_SPLIT",
                    "id": split_id,
                    "date": on,
                    "stock_class_id": "common",
                    "split_ratio": {"numerator": "2", "denominator": "1"},
                }
            )
            for sid, holder, qty in list(open_):
                retire(sid)
                re_tx = {
                    "object_type": "TX_STOCK_REISSUANCE",
                    "id": new_id("T"),
                    "date": on,
                    "security_id": sid,
                }
                txs.append(re_tx)
                re_tx["resulting_security_ids"] = [issue(on, holder, qty * 2, True)]
                re_tx["split_transaction_id"] = split_id
            continue
        r = rng.random()
        if not open_ or r < 0.35:
            issue(on, holders[rng.randrange(n_holders)], rng.randint(100, 10_000))
            continue
        sid, holder, qty = open_[rng.randrange(len(open_))]
        take = rng.randint(1, qty)
        retire(sid)
        tx: dict = {"id": new_id("T"), "date": on, "security_id": sid}
        txs.append(tx)
        if r < 0.80:
            to = holders[rng.randrange(n_holders)]
            tx.update(object_type="TX_STOCK_TRANSFER", quantity=str(take))
            tx["resulting_security_ids"] = [issue(on, to, take, True)]
        elif r < 0.90:
            tx.update(object_type="TX_STOCK_CANCELLATION", quantity=str(take), reason_text="forfeited")
        else:
            tx.update(object_type="TX_STOCK_REPURCHASE", quantity=str(take))
            tx["price"] = {"amount": "0.0200", "currency": "USD"}
        if take < qty:
            tx["balance_security_id"] = issue(on, holder, qty - take, True)

    stakeholders = [
        {
            "object_type": "STAKEHOLDER",
            "id": h,
            "name": {"legal_name": f"Holder {h}"},
            "stakeholder_type": "INSTITUTION" if i % 10 == 9 else "INDIVIDUAL",
        }
        for i, h in enumerate(holders)
    ]
    classes = [
        {
            "object_type": "STOCK_CLASS",
            "id": "common",
            "name": "Common Stock",
            "class_type": "COMMON",
            "default_id_prefix": "CS-",
            "initial_shares_authorized": str(AUTHORIZED),
            "votes_per_share": "1",
            "seniority": "1",
            "par_value": {"amount": "0.0001", "currency": "USD"},
        }
    ]
    files = {
        "stock_plans_files": ("StockPlans.ocf.json", "OCF_STOCK_PLANS_FILE", []),
        "stock_legend_templates_files": ("StockLegends.ocf.json", "OCF_STOCK_LEGEND_TEMPLATES_FILE", []),
        "stock_classes_files": ("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE", classes),
        "vesting_terms_files": ("VestingTerms.ocf.json", "OCF_VESTING_TERMS_FILE", []),
        "valuations_files": ("Valuations.ocf.json", "OCF_VALUATIONS_FILE", []),
        "transactions_files": ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE", txs),
        "stakeholders_files": ("Stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE", stakeholders),
    }
    manifest: dict = {
        "ocf_version": "1.2.0",
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": {
            "object_type": "ISSUER",
            "id": "bench-issuer",
            "legal_name": "Benchmark Holdings, Inc.",
            "formation_date": FORMED.isoformat(),
            "country_of_formation": "US",
            "country_subdivision_of_formation": "DE",
        },
        "as_of": max(t["date"] for t in txs),
        "generated_at": "2025-01-01T00:00:00Z",
    }
    for key, (name, file_type, items) in files.items():
        data = json.dumps({"file_type": file_type, "items": items}).encode()
        (folder / name).write_bytes(data)
        manifest[key] = [{"filepath": f"./{name}", "md5": hashlib.md5(data).hexdigest()}]
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest, indent=2))
    held: dict[str, int] = {}
    for _, holder, qty in open_:
        held[holder] = held.get(holder, 0) + qty
    return held


def generate_equity(folder: Path, n_holders: int, n_tx: int, seed: int) -> int:
    """A second package: as many transactions, half of them equity compensation — one stock plan (a pool
    adjustment every 5,000 transactions), option grants, exercises (each with the stock issuance it results in)
    and cancellations — and half new stock issuances. Returns the options outstanding at the end."""
    rng = random.Random(seed)
    holders = [f"sh{i:05d}" for i in range(n_holders)]
    txs: list[dict] = []
    open_: list[list] = []  # [security id, rights left]
    # a pool deep enough for every grant (about 6,400 shares granted per transaction on average): a package whose
    # grants outrun the pool is a book full of findings, not the import this measures
    reserved = max(10**9, 10_000 * n_tx)
    n = 0

    def new_id(prefix: str) -> str:
        nonlocal n
        n += 1
        return f"{prefix}-{n:07d}"

    def stock(on: str, holder: str, qty: int) -> str:
        sid = new_id("S")
        txs.append(
            {
                "object_type": "TX_STOCK_ISSUANCE", "id": new_id("T"), "date": on, "security_id": sid,
                "custom_id": sid, "stakeholder_id": holder, "stock_class_id": "common",
                "share_price": {"amount": "0.0100", "currency": "USD"}, "quantity": str(qty),
                "security_law_exemptions": [], "stock_legend_ids": [],
            }
        )  # fmt: skip
        return sid

    while len(txs) < n_tx:
        on = (FORMED + timedelta(days=1 + len(txs) * SPAN_DAYS // n_tx)).isoformat()
        r = rng.random()
        if len(txs) % 5000 == 0:
            reserved += 1_000_000
            txs.append({"object_type": "TX_STOCK_PLAN_POOL_ADJUSTMENT", "id": new_id("T"), "date": on,
                        "stock_plan_id": "plan", "shares_reserved": str(reserved)})  # fmt: skip
        elif r < 0.45:
            stock(on, holders[rng.randrange(n_holders)], rng.randint(100, 10_000))
        elif r < 0.70 or not open_:
            sid, qty = new_id("O"), rng.randint(1_000, 50_000)
            txs.append(
                {
                    "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE", "id": new_id("T"), "date": on,
                    "security_id": sid, "custom_id": sid, "stakeholder_id": holders[rng.randrange(n_holders)],
                    "security_law_exemptions": [], "stock_plan_id": "plan", "stock_class_id": "common",
                    "compensation_type": "OPTION_NSO", "quantity": str(qty),
                    "exercise_price": {"amount": "0.0100", "currency": "USD"}, "expiration_date": None,
                    "termination_exercise_windows": [],
                }
            )  # fmt: skip
            open_.append([sid, qty, txs[-1]["stakeholder_id"]])
        else:
            k = rng.randrange(len(open_))
            sid, left, holder = open_[k]
            take = rng.randint(1, left)
            if r < 0.88:
                tx = {"object_type": "TX_EQUITY_COMPENSATION_EXERCISE", "id": new_id("T"), "date": on,
                      "security_id": sid, "quantity": str(take), "resulting_security_ids": []}  # fmt: skip
                txs.append(tx)
                tx["resulting_security_ids"].append(stock(on, holder, take))
            else:
                txs.append({"object_type": "TX_EQUITY_COMPENSATION_CANCELLATION", "id": new_id("T"), "date": on,
                            "security_id": sid, "quantity": str(take), "reason_text": "forfeited"})  # fmt: skip
            open_[k][1] -= take
            if not open_[k][1]:
                open_[k] = open_[-1]
                open_.pop()
    plans = [{"object_type": "STOCK_PLAN", "id": "plan", "plan_name": "Bench Plan",
              "initial_shares_reserved": str(max(10**9, 10_000 * n_tx)), "stock_class_ids": ["common"],
              "board_approval_date": FORMED.isoformat()}]  # fmt: skip
    _write(folder, holders, txs, plans, authorized="100000000000")
    return sum(x[1] for x in open_)


def _write(folder: Path, holders: list[str], txs: list[dict], plans: list[dict], authorized: str) -> None:
    stakeholders = [
        {"object_type": "STAKEHOLDER", "id": h, "name": {"legal_name": f"Holder {h}"}, "stakeholder_type": "INDIVIDUAL"}
        for h in holders
    ]  # fmt: skip
    classes = [
        {
            "object_type": "STOCK_CLASS", "id": "common", "name": "Common Stock", "class_type": "COMMON",
            "default_id_prefix": "CS-", "initial_shares_authorized": authorized, "votes_per_share": "1",
            "seniority": "1", "par_value": {"amount": "0.0001", "currency": "USD"},
        }
    ]  # fmt: skip
    files = {
        "stock_plans_files": ("StockPlans.ocf.json", "OCF_STOCK_PLANS_FILE", plans),
        "stock_legend_templates_files": ("StockLegends.ocf.json", "OCF_STOCK_LEGEND_TEMPLATES_FILE", []),
        "stock_classes_files": ("StockClasses.ocf.json", "OCF_STOCK_CLASSES_FILE", classes),
        "vesting_terms_files": ("VestingTerms.ocf.json", "OCF_VESTING_TERMS_FILE", []),
        "valuations_files": ("Valuations.ocf.json", "OCF_VALUATIONS_FILE", []),
        "transactions_files": ("Transactions.ocf.json", "OCF_TRANSACTIONS_FILE", txs),
        "stakeholders_files": ("Stakeholders.ocf.json", "OCF_STAKEHOLDERS_FILE", stakeholders),
    }
    manifest: dict = {
        "ocf_version": "1.2.0", "file_type": "OCF_MANIFEST_FILE",
        "issuer": {"object_type": "ISSUER", "id": "bench-issuer", "legal_name": "Benchmark Holdings, Inc.",
                   "formation_date": FORMED.isoformat(), "country_of_formation": "US",
                   "country_subdivision_of_formation": "DE"},
        "as_of": max(t["date"] for t in txs), "generated_at": "2025-01-01T00:00:00Z",
    }  # fmt: skip
    for key, (name, file_type, items) in files.items():
        data = json.dumps({"file_type": file_type, "items": items}).encode()
        (folder / name).write_bytes(data)
        manifest[key] = [{"filepath": f"./{name}", "md5": hashlib.md5(data).hexdigest()}]
    (folder / "Manifest.ocf.json").write_text(json.dumps(manifest, indent=2))


def fd_any_date(book) -> tuple[float, float]:
    """The slowest `Book.fully_diluted(d)` over five dates through the history (each checked against the table a
    replay of the log to `d` gives; the replays are not timed), and the time of one replay, the baseline."""
    from minutebook.core.captable import fully_diluted
    from minutebook.core.replay import replay

    days = sorted({e.effective_on for e in book.events})
    worst = t_replay = 0.0
    for k in (1, 3, 5, 7, 9):
        d = days[len(days) * k // 10]
        t0 = time.perf_counter()
        got = book.fully_diluted(d)
        worst = max(worst, time.perf_counter() - t0)
        t0 = time.perf_counter()
        want = fully_diluted(replay(book.events, d), d)
        if k == 5:
            t_replay = time.perf_counter() - t0
        assert got == want, f"fully diluted on {d} differs from a replay's"
    return worst, t_replay


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


_TIMED_IMPORT = """
import json, resource, sys, time
from minutebook.ocf.importer import import_package
def cpu():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
t0, c0 = time.perf_counter(), cpu()
r = import_package(sys.argv[1], sys.argv[2])
print(json.dumps([time.perf_counter() - t0, cpu() - c0, r.events, len(r.findings)]))
"""


def timed_import(db: Path, pkg: Path) -> tuple[float, float, int, int]:
    """`import_package(db, pkg)` as a user runs it: in a process of its own (`minutebook ocf import`), timed inside
    it from the call to the answer (the interpreter's start and minutebook's imports not counted); its CPU time
    includes the child the import forks for its checks. (In this process, the collector would also walk the
    bench's own data — the parsed items, the first book — which costs a large import ~15 %.)"""
    out = subprocess.run(
        [sys.executable, "-c", _TIMED_IMPORT, str(db), str(pkg)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    dt, cpu, events, findings = json.loads(out.stdout.strip().splitlines()[-1])
    return dt, cpu, events, findings


# OCF-Tools (github.com/Open-Cap-Table-Coalition/OCF-Tools), run by Node: `ocfValidator(folder)` reads the package
# (readOcfPackage) and replays it through its state machine. Its validators print debug lines (for an option
# exercise, three per option outstanding), so its stdout is discarded; the answer comes back on stderr, last line.
_OCF_TOOLS = r"""
const t = require(process.argv[1]);
const t0 = Date.now(), c0 = process.cpuUsage();
const r = t.ocfValidator(process.argv[2]);
const c = process.cpuUsage(c0);
const said = String(r && r.result).replace(/\s+/g, " ");
process.stderr.write("\n" + JSON.stringify({s: (Date.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6,
                                            valid: said.includes("appears valid"), result: said.slice(0, 400)}) + "\n");
"""


def ocf_tools_missing() -> str | None:
    """Why OCF-Tools cannot run here (None when it can): Node on the PATH, `OCF_TOOLS` a built checkout."""
    tools = os.environ.get("OCF_TOOLS")
    if not shutil.which("node"):
        return "Node is not on the PATH"
    if not tools:
        return "OCF_TOOLS is not set; bench/README.md says how to build OCF-Tools"
    if not (Path(tools) / "dist" / "index.js").is_file():
        return f"OCF_TOOLS={tools} has no dist/index.js; bench/README.md says how to build it"
    return None


def run_ocf_tools(folder: Path, timeout: float) -> dict:
    """OCF-Tools' `ocfValidator` on a package folder (unzipped), in Node, stopped after `timeout` seconds. Returns
    what Node measured around the call — {"s", "cpu", "valid", "result"} — or {"timeout": seconds} or
    {"error": its first error line}."""
    index = Path(os.environ["OCF_TOOLS"]) / "dist" / "index.js"
    try:
        p = subprocess.run([shutil.which("node") or "node", "-e", _OCF_TOOLS, str(index), str(folder)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=timeout,
                           check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    said = p.stderr.strip().splitlines()
    if p.returncode == 0 and said and said[-1].startswith("{"):
        return json.loads(said[-1])
    err = [x for x in said if "Error" in x] or said or [f"exit {p.returncode}"]
    return {"error": err[0].strip()[:200]}


def print_ocf_tools(key: str, r: dict, at: str) -> None:
    """`run_ocf_tools`'s answer as `key_s=seconds (...)`, or `key=rejected ...`/`failed: ...`; `at` the load."""
    if "timeout" in r:
        line(f"{key}_s", f"> {r['timeout']:.0f} (stopped; ocfValidator: read and replay; {at})")
    elif "error" in r:
        line(key, f"failed: {r['error']} ({at})")
    elif not r["valid"]:
        line(key, f"rejected the package after {r['s']:.1f} s (CPU {r['cpu']:.1f} s), not a replay of it: "
             f"{r['result']} ({at})")  # fmt: skip
    else:
        line(f"{key}_s", f"{r['s']:.1f} (CPU {r['cpu']:.1f} s; ocfValidator: read and replay, "
             f"the package appears valid to it; {at})")  # fmt: skip


def ocf_tools_beside_import(work: Path, args: argparse.Namespace) -> None:
    """OCF-Tools and minutebook's import on the same package of `--ocf-tools-transactions` transactions."""
    why = ocf_tools_missing()
    if why:
        line("ocf_tools", f"skipped ({why})")
        return
    pkg = work / "ocf-tools-package"
    pkg.mkdir()
    generate(pkg, args.stakeholders, args.ocf_tools_transactions, args.seed, args.adjust_every)
    n_tx = len(json.loads((pkg / "Transactions.ocf.json").read_bytes())["items"])
    line("ocf_tools_transactions", f"{n_tx:,} (the same generator, {args.stakeholders:,} stakeholders, seed "
         f"{args.seed}; a package of its own)")  # fmt: skip
    at = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when it started"
    r = run_ocf_tools(pkg, args.ocf_tools_timeout)
    print_ocf_tools("ocf_tools", r, at)
    at = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when it started"
    dt, cpu, n_events, n_findings = timed_import(work / "ocf-tools.db", pkg)
    line("ocf_tools_minutebook_import_s", f"{dt:.2f} (CPU {cpu:.2f} s; the same package, timed as import_s; "
         f"{n_events:,} events appended, {n_findings} findings; {at})")  # fmt: skip
    if "timeout" in r:
        line("ocf_tools_ratio", f"> {r['timeout'] / dt:.0f} (OCF-Tools stopped before it finished)")
    elif r.get("valid"):
        line("ocf_tools_ratio", f"{r['s'] / dt:.1f} (OCF-Tools' seconds over minutebook's import's, the same "
             f"package; CPU {r['cpu'] / cpu:.1f})")  # fmt: skip
    else:
        line("ocf_tools_ratio", "none (OCF-Tools did not replay the package)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stakeholders", type=int, default=10_000)
    ap.add_argument("--transactions", type=int, default=200_000)
    ap.add_argument("--quick", action="store_true", help="1,000 stakeholders and 20,000 transactions")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--adjust-every", type=int, default=ADJUST_EVERY, help="an adjustment every N transactions"
    )
    ap.add_argument("--equity-transactions", type=int, default=None, help="the equity package's size")
    ap.add_argument(
        "--ocf-tools-transactions", type=int, default=10_000, help="the package OCF-Tools runs on"
    )
    ap.add_argument(
        "--ocf-tools-timeout", type=float, default=300, help="seconds before OCF-Tools is stopped"
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.stakeholders, args.transactions = 1_000, 20_000
    n_equity = args.equity_transactions or args.transactions
    work = Path(tempfile.mkdtemp(prefix="mb-bench-ocf-"))
    try:
        pkg = work / "package"
        pkg.mkdir()
        t0 = time.perf_counter()
        expected = generate(pkg, args.stakeholders, args.transactions, args.seed, args.adjust_every)
        n_tx = len(json.loads((pkg / "Transactions.ocf.json").read_bytes())["items"])
        line("stakeholders", args.stakeholders)
        line("transactions", n_tx)
        line("package_mb", f"{sum(p.stat().st_size for p in pkg.iterdir()) / 2**20:.1f}")
        line("generate_s", f"{time.perf_counter() - t0:.2f} (not timed in the targets)")

        db = work / "book.db"
        load = os.getloadavg()[0]
        dt, cpu, n_events, n_findings = timed_import(db, pkg)
        rate = n_tx / dt
        line("import_s", f"{dt:.2f} ({n_events:,} events appended, {n_findings} findings)")
        line("import_tx_s", f"{rate:.0f}")
        line("import_cpu_s", f"{cpu:.2f} ({n_tx / cpu:,.0f} tx per CPU second, its child's included; load {load:.1f} "
             f"on {os.cpu_count()} cores when it started)")  # fmt: skip

        t0 = time.perf_counter()
        book = open_book(str(db))
        t_open = time.perf_counter() - t0
        how = (
            "read from the fold snapshot the import kept"
            if book._log._fetch is not None
            else "loaded and replayed"
        )
        line("open_book_s", f"{t_open:.2f} ({len(book.events):,} events {how})")
        last = max(e.effective_on for e in book.events)
        t0 = time.perf_counter()
        table = book.cap_table(last)
        t_whole = dt + t_open + time.perf_counter() - t0
        line("import_and_captable_s", f"{t_whole:.2f} (the import, opening the book and its first cap table)")
        got = table.holder_totals()
        assert got == expected, "the cap table does not match the generator's holdings"
        ts = []
        for _ in range(3):
            t0 = time.perf_counter()
            book.cap_table(last)
            ts.append(time.perf_counter() - t0)
        t_cap = sorted(ts)[1]
        line(
            "captable_last_s",
            f"{t_cap:.4f} (as of {last}; {len(table.rows):,} holdings, equal to the generator's)",
        )
        print()

        def target(name: str, ok: bool, what: str) -> None:
            print(f"target {name}: {'ok' if ok else 'MISSED'} ({what})")

        # the stock book and what checked it let go first: the equity import below runs in a process of its own, and
        # should not start beside this process still holding them (on a virtual machine whose memory is backed on
        # first touch, a process that must fault in never-touched pages spends seconds more in the kernel)
        book.close()
        del book, table, got, expected
        gc.collect()
        eq_pkg = work / "equity"
        eq_pkg.mkdir()
        options = generate_equity(eq_pkg, args.stakeholders, n_equity, args.seed)
        items = json.loads((eq_pkg / "Transactions.ocf.json").read_bytes())["items"]
        n_items, n_eq = len(items), sum(1 for t in items if t["object_type"] != "TX_STOCK_ISSUANCE")
        del items
        dt2, cpu2, n_events2, n_findings2 = timed_import(work / "equity.db", eq_pkg)
        rate2 = n_items / dt2
        line("equity_transactions", f"{n_items} ({n_eq} equity compensation)")
        line("equity_import_s", f"{dt2:.2f} ({n_events2:,} events appended, {n_findings2} findings)")
        line("equity_import_tx_s", f"{rate2:.0f} (stock-only baseline above: {rate:.0f})")
        line(
            "equity_import_cpu_s",
            f"{cpu2:.2f} ({n_items / cpu2:,.0f} transactions per CPU second, its child's included)",
        )
        t0 = time.perf_counter()
        eq_book = open_book(str(work / "equity.db"))
        t_open = time.perf_counter() - t0
        how = "from the import's fold snapshot" if eq_book._log._fetch is not None else "loaded and replayed"
        q = eq_book.state().equity
        got = sum(q.rights(date.max).values())
        assert got == options, f"options outstanding {got:,}, the generator says {options:,}"
        line("equity_open_book_s", f"{t_open:.2f} ({len(eq_book.events):,} events {how}; no target)")
        again, t_table, rss, snap, _ = open_fresh(work / "equity.db", eq_book.last_effective)
        line(
            "equity_open_again_s",
            f"{again:.2f} ({'from its snapshot' if snap else 'loaded and replayed'}; then its cap table "
            f"{t_table:.3f} s; peak RSS {rss:.0f} MB; no target)",
        )
        t_fd, t_replay = fd_any_date(eq_book)
        line(
            "fd_any_date_max_s",
            f"{t_fd:.3f} (fully diluted at 10/30/50/70/90 % of the history, each equal to a replay's; "
            f"the replay to the middle date alone took {t_replay:.2f} s)",
        )
        print()
        ocf_tools_beside_import(work, args)
        print()
        target("import_tx_s", rate >= TARGET_TX_S, f"{rate:,.0f} >= {TARGET_TX_S:,}")
        target("import_and_captable", t_whole < TARGET_IMPORT_S, f"{t_whole:.2f} s < {TARGET_IMPORT_S} s")
        target("equity_import_tx_s", rate2 >= TARGET_TX_S, f"{rate2:,.0f} >= {TARGET_TX_S:,}")
        target("captable", t_cap < TARGET_CAPTABLE_S, f"{t_cap:.3f} s < {TARGET_CAPTABLE_S} s")
        target("fd_any_date", t_fd < TARGET_CAPTABLE_S, f"{t_fd:.3f} s < {TARGET_CAPTABLE_S} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
