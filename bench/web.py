"""Benchmark of the web app: p95 latency of the cap-table page of a corporation with 10,000 holders, and of its
dashboard, under 20 concurrent clients, on SQLite and on PostgreSQL; target p95 < 150 ms.

Run from the repo root: `python bench/web.py [--holders 10000] [--clients 20] [--requests 400] [--pg URL|--no-pg]`.

How. A corporation is created from bench/book.py's synthetic charter; the board's authority to issue is recorded,
then `--holders` holders are added and each is issued shares, all through `Book` (the enforced append path),
dated through five years so the dashboard's chart has a history. A user with the viewer role is added. The app runs
as `minutebook serve` would (uvicorn, one process) in a child process on 127.0.0.1; `--clients` concurrent
clients (httpx, asyncio, one connection each, signed in) send `--requests` requests in all to each page, after
one warm-up request each (whose time is printed: the first answer after a change to the log works the page out;
the answers after it come from the book's memo until the log moves on). The baseline is the sign-in page under the
same load (the framework, the session lookup and a template, no book) and the book's own `cap_table` called
in-process. Without --pg, a throwaway PostgreSQL server is started with the tests' helper (tests/conftest.py),
when its binaries are installed. Prints `key=value` lines, then the targets with ok/MISSED; exits 0 either way.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from book import INCORPORATED, approve_issues, new_book  # noqa: E402 - bench/book.py, beside this file
from minutebook.book.accounts import Accounts  # noqa: E402

PASSWORD = "bench password"
TARGET_MS = 150


def build(url: str, holders: int) -> tuple[str, float]:
    """The big book in `url`; (its slug, the in-process cap_table time in ms)."""
    book = new_book(url, slug="bench-web")
    rid = approve_issues(book, INCORPORATED)
    t = time.perf_counter()
    for i in range(holders):
        on = INCORPORATED + timedelta(days=1 + (i * 5 * 365) // holders)
        with book.atomic():
            r = book.add_holder(f"h{i:05d}", f"Holder {i:05d}", on=on)
            assert not r.refused, r.findings
            r = book.issue(
                f"h{i:05d}", "common", 1_000 + (i % 97) * 10, on=on, price_per_share=1, approved_by=rid
            )
            assert not r.refused, r.findings
    line("build_s", f"{time.perf_counter() - t:.1f}")
    t = time.perf_counter()
    for _ in range(5):
        book.cap_table(date(2026, 1, 1))
    api_ms = (time.perf_counter() - t) * 1000 / 5
    slug = book.slug
    book.close()
    acc = Accounts.open(url)
    acc.add_user("bench", PASSWORD)
    acc.grant("bench", slug, "viewer")
    acc.engine.dispose()
    return slug, api_ms


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str) -> tuple[subprocess.Popen, str]:
    port = _port()
    mb = Path(sys.executable).parent / "minutebook"
    cmd = [str(mb), "serve", "--db", url, "--port", str(port), "--insecure-cookies"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"bench/web.py: the server did not start: {proc.stderr.read().decode()[-2000:]}")


def sign_in(base: str) -> str:
    with httpx.Client(base_url=base) as c:
        page = c.get("/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        r = c.post("/login", data={"username": "bench", "password": PASSWORD, "csrf": token, "next": "/"})
        assert r.status_code == 303, r.text
        return r.cookies["mb_session"]


async def load(base: str, path: str, cookie: str, clients: int, requests: int) -> list[float]:
    """`requests` GETs of `path` by `clients` concurrent clients; each latency in ms."""
    out: list[float] = []
    per = max(1, requests // clients)

    async def one(c: httpx.AsyncClient) -> None:
        for _ in range(per):
            t = time.perf_counter()
            r = await c.get(path)
            out.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (path, r.status_code)

    cs = [
        httpx.AsyncClient(base_url=base, cookies={"mb_session": cookie}, timeout=60) for _ in range(clients)
    ]
    try:
        await asyncio.gather(*(one(c) for c in cs))
    finally:
        for c in cs:
            await c.aclose()
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def line(key: str, value) -> None:
    print(f"{key}={value}", flush=True)


def run(name: str, url: str, args) -> dict[str, float]:
    slug, api_ms = build(url, args.holders)
    line(f"{name}_api_cap_table_ms", f"{api_ms:.1f}")
    proc, base = serve(url)
    results: dict[str, float] = {}
    try:
        cookie = sign_in(base)
        pages = {
            "login_baseline": "/login",
            "captable": f"/c/{slug}/captable",
            "captable_json": f"/c/{slug}/captable.json",
            "dashboard": f"/c/{slug}",
        }
        for key, path in pages.items():
            t = time.perf_counter()
            r = httpx.get(base + path, cookies={"mb_session": cookie}, timeout=120)
            assert r.status_code == 200, (path, r.status_code)
            line(f"{name}_{key}_first_ms", f"{(time.perf_counter() - t) * 1000:.0f}")
            lat = asyncio.run(load(base, path, cookie, args.clients, args.requests))
            results[key] = pct(lat, 95)
            line(f"{name}_{key}_p50_ms", f"{pct(lat, 50):.1f}")
            line(f"{name}_{key}_p95_ms", f"{pct(lat, 95):.1f}")
            line(f"{name}_{key}_requests", len(lat))
    finally:
        proc.terminate()
        proc.wait(10)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holders", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=400, help="requests per page, all clients together")
    ap.add_argument("--pg", metavar="URL", help="a PostgreSQL database to use (default: a throwaway server)")
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args(argv)
    line("holders", args.holders)
    line("clients", args.clients)
    line("cores", os.cpu_count())
    line("load_average_1m_at_start", f"{os.getloadavg()[0]:.1f}")  # other work on the machine skews the tails
    all_results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="mb-bench-web-") as tmp:
        all_results["sqlite"] = run("sqlite", str(Path(tmp) / "web.db"), args)
        if not args.no_pg:
            server = None
            url = args.pg
            if url is None:
                sys.path.insert(0, str(ROOT / "tests"))
                os.environ.setdefault("XDG_CONFIG_HOME", str(Path(tmp) / "xdg"))  # the PG book's key folder
                from conftest import PgServer

                server = PgServer("bench-web")
                server.start()
                url = server.url(server.create_database())
            try:
                all_results["postgresql"] = run("postgresql", url, args)
            finally:
                if server is not None:
                    server.stop()
    line("load_average_1m_at_end", f"{os.getloadavg()[0]:.1f}")
    print("targets:")
    for db, res in all_results.items():
        for page in ("captable", "dashboard"):
            ok = res[page] < TARGET_MS
            print(
                f"  {db} {page} p95 {res[page]:.1f} ms < {TARGET_MS} ms "
                f"(baseline: sign-in page p95 {res['login_baseline']:.1f} ms): {'ok' if ok else 'MISSED'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
