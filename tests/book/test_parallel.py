"""Work beside the caller (`book.parallel`) and the two imports that use it — the history check of a large batch
and the schema checks of a large OCF file — give what the serial path gives, in every case: the same events,
findings and tables; a bad item met deep in a large file refused (or, lenient, repaired) with the same words; a
child that fails or dies answered for by the parent.

A fork copies only the calling thread, so `beside` works serially where another thread runs — as in a pytest-xdist
worker. Each test therefore runs its script in a fresh interpreter, and asserts there that the fork was taken."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


COUNT_FORKS = """
forks = []  # each os.fork counted (the script asserts where the work went)
real_fork = os.fork
def counting_fork():
    forks.append(1)
    return real_fork()
os.fork = counting_fork
"""


def run(script: str) -> dict:
    script = textwrap.dedent(script)
    indent = next(
        line[: len(line) - len(line.lstrip())] for line in script.splitlines() if "COUNT_FORKS" in line
    )
    script = script.replace(f"{indent}COUNT_FORKS\n", textwrap.indent(COUNT_FORKS.lstrip("\n"), indent))
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_beside_answers_what_the_work_answers_even_when_the_child_fails_or_dies():
    got = run(
        """
        import json, os
        from minutebook.book import parallel
        COUNT_FORKS
        parent = os.getpid()
        data = list(range(200_000))
        ok = parallel.beside(lambda: sum(x * x for x in data))()

        def fails_in_the_child():
            if os.getpid() != parent:
                raise RuntimeError("only in the child")
            return "answered by the parent"

        def dies_in_the_child():
            if os.getpid() != parent:
                os._exit(9)
            return "answered by the parent"

        def fails_everywhere():
            raise KeyError("bad")

        try:
            parallel.beside(fails_everywhere)()
            raised = None
        except KeyError as ex:
            raised = str(ex)
        fails = parallel.beside(fails_in_the_child)()
        dies = parallel.beside(dies_in_the_child)()
        print(json.dumps({
            "ok": ok, "expected": sum(x * x for x in data), "forks": len(forks),
            "fails": fails, "dies": dies, "raised": raised,
        }))
        """
    )
    assert got["forks"] == 4  # each ran in a child
    assert got["ok"] == got["expected"]
    assert got["fails"] == got["dies"] == "answered by the parent"
    assert got["raised"] == "'bad'"


def test_beside_each_answers_each_piece_in_order_and_the_parent_does_what_the_child_did_not_send():
    got = run(
        """
        import json, os, time
        from minutebook.book import parallel
        COUNT_FORKS
        parent = os.getpid()

        def slow():
            if os.getpid() != parent:
                time.sleep(1.5)
            return "second"

        def dies_in_the_child():
            if os.getpid() != parent:
                os._exit(9)
            return "answered by the parent"

        first, second = parallel.beside_each([lambda: "first", slow])
        t0 = time.perf_counter()
        a = first()
        waited_first = time.perf_counter() - t0  # sent before the child began the slow piece
        b = second()
        x, y, z = parallel.beside_each([lambda: 1, dies_in_the_child, lambda: 3])
        print(json.dumps({
            "forks": len(forks), "a": a, "b": b, "waited_first": waited_first, "xyz": [z(), y(), x()],
        }))
        """
    )
    assert got["forks"] == 2
    assert (got["a"], got["b"]) == ("first", "second")
    assert got["waited_first"] < 1.0
    assert got["xyz"] == [
        3,
        "answered by the parent",
        1,
    ]  # asked out of order: each answer is its own piece's


IMPORT_BOTH_WAYS = """
    import json, os, sys, tempfile
    from datetime import date
    from pathlib import Path
    sys.path.insert(0, "bench")
    import ocf as bench
    from minutebook.book import checks, open_book
    from minutebook.core.errors import InputError
    from minutebook.ocf import importer, package

    COUNT_FORKS
    checks.PARALLEL_FROM = package.Deferred.FROM = 2_000  # a small package down a large one's path

    work = Path(tempfile.mkdtemp(prefix="mb-parallel-"))
    pkg = work / "pkg"
    pkg.mkdir()
    bench.generate_equity(pkg, 300, 3_000, 7)
    BREAK

    def one_import(db, lenient):
        try:
            r = importer.import_package(str(work / db), pkg, lenient=lenient)
        except InputError as ex:
            return {"refused": str(ex)}
        b = open_book(str(work / db))
        last = max(e.effective_on for e in b.events)
        fd = b.fully_diluted(last)
        return {
            "events": [[e.type, e.effective_on.isoformat(), e.body.to_payload()] for e in b.events],
            "findings": [f.message for f in r.findings],
            "fully_diluted": fd.to_json(),
            "verify": b.verify(),
        }

    parallel = one_import("parallel.db", LENIENT)
    n_forks = len(forks)
    checks.PARALLEL_FROM = package.Deferred.FROM = 10**9  # the serial path
    serial = one_import("serial.db", LENIENT)
    print(json.dumps({"forks": n_forks, "serial_forks": len(forks) - n_forks, "same": parallel == serial,
                      "parallel": parallel if "refused" in parallel else len(parallel["events"]),
                      "serial": serial if "refused" in serial else len(serial["events"])}))
"""


def test_a_large_import_checked_beside_equals_the_serial_one():
    got = run(IMPORT_BOTH_WAYS.replace("BREAK", "").replace("LENIENT", "False"))
    assert got["forks"] == 2  # the schema checks, then the history check
    assert got["serial_forks"] == 0
    assert got["parallel"] > 3_000
    assert got["same"]


BAD_ITEM = """
    f = pkg / "Transactions.ocf.json"
    doc = json.loads(f.read_bytes())
    doc["items"][2_500]["surprise"] = True  # an unknown field deep in the file
    data = json.dumps(doc).encode()
    f.write_bytes(data)
    m = json.loads((pkg / "Manifest.ocf.json").read_text())
    import hashlib
    m["transactions_files"][0]["md5"] = hashlib.md5(data).hexdigest()
    (pkg / "Manifest.ocf.json").write_text(json.dumps(m))
"""


def with_bad_item(lenient: bool) -> str:
    bad = textwrap.indent(textwrap.dedent(BAD_ITEM), "    ")
    return IMPORT_BOTH_WAYS.replace("BREAK", bad).replace("LENIENT", str(lenient))


def test_a_bad_item_deep_in_a_large_file_is_refused_as_the_serial_import_refuses_it():
    got = run(with_bad_item(lenient=False))
    assert (
        got["forks"] == 1
    )  # the schema checks (they failed: the package was read again, checking each item)
    assert "refused" in got["parallel"]
    assert "unknown field(s) surprise" in got["parallel"]["refused"]
    assert got["same"]


def test_a_bad_item_deep_in_a_large_file_is_repaired_as_the_serial_lenient_import_repairs_it():
    got = run(with_bad_item(lenient=True))
    assert got["forks"] == 2  # the schema checks (failed: read again), then the history check
    assert got["parallel"] > 3_000
    assert got["same"]


def test_a_history_check_sent_in_slices_equals_the_serial_one_even_when_the_child_dies_partway():
    got = run(
        """
        import json, os, sys, tempfile
        from pathlib import Path
        sys.path.insert(0, "bench")
        import ocf as bench
        from minutebook.book import checks
        from minutebook.ocf import importer
        from minutebook.ocf.package import read_package
        from minutebook.ocf.report import Report

        COUNT_FORKS
        checks.PARALLEL_FROM = 2_000  # a small batch down a large one's path

        work = Path(tempfile.mkdtemp(prefix="mb-slices-"))
        bench.generate_equity(work, 200, 3_000, 3)
        report = Report()
        events = [e for _, e, _ in importer.build(read_package(work, report=report), report)[2]]
        serial = checks.history(events)
        parent = os.getpid()
        answers = []
        for dies_at in (None, 1, 3):  # the child ends before sending slice k: the parent answers from there
            between = checks._Check.between

            def dying(self, lo, hi, dies_at=dies_at):
                if os.getpid() != parent and dies_at is not None and lo >= dies_at * len(events) // checks.SLICES:
                    os._exit(9)
                return between(self, lo, hi)

            checks._Check.between = dying
            _, checked, _ = checks.history_started(events)
            streamed = list(checked.ledger())
            answers.append(streamed == serial[0] and checked() == serial)
            checks._Check.between = between
        print(json.dumps({"forks": len(forks), "n": len(events), "same": answers}))
        """
    )
    assert got["forks"] == 3
    assert got["n"] > 3_000
    assert got["same"] == [True, True, True]
