"""`minutebook read DIR --jsonl OUT`: a corpus read file by file, one JSON line per file, in subprocesses as
an analyst runs it; then `ingest.bulk` in this process for what a command line cannot provoke (a path
the OS refuses outright, a worker process killed mid-run).

Every charter here is invented for the test: the companies, people and figures do not exist.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clihelp import one_line_error
from minutebook.ingest.bulk import iter_files, read_many, read_one

HANG_GUARD_S = 120  # not a timing assertion: only keeps a hung command from hanging the suite

INCORPORATION = """\
CERTIFICATE OF INCORPORATION
OF
{upper}

FIRST: The name of the corporation is {name}

SECOND: The address of the corporation's registered office in the State of Delaware is 88 Quillfeather
Road, in the City of Dover, County of Kent, 19901. The name of its registered agent at such address is
Brandywine Filing Agents LLC.

THIRD: The purpose of the corporation is to engage in any lawful act or activity for which corporations
may be organized under the General Corporation Law of the State of Delaware.

FOURTH: The total number of shares of stock which the corporation shall have authority to issue is
{total:,} shares, consisting of {common:,} shares of Common Stock, par value $0.0001 per share, and
2,000,000 shares of Preferred Stock, par value $0.0001 per share.

FIFTH: The name and mailing address of the incorporator is Tamsin Okafor-Reyes, 14 Larkspur Court,
Dover, Delaware 19901.

IN WITNESS WHEREOF, the undersigned incorporator has executed this certificate on March 3, 2011.

/s/ Tamsin Okafor-Reyes
Tamsin Okafor-Reyes, Incorporator
"""

AMENDMENT_ALONE = """\
CERTIFICATE OF AMENDMENT
OF
CERTIFICATE OF INCORPORATION
OF
HOLLOWAY BRISK FOODS, INC.

Holloway Brisk Foods, Inc., a corporation organized and existing under the General Corporation Law of
the State of Delaware, DOES HEREBY CERTIFY:

FIRST: That the Board of Directors of the Corporation duly adopted resolutions proposing and declaring
advisable the following amendment of the Certificate of Incorporation:

RESOLVED, that Article FOURTH of the Certificate of Incorporation be amended to read in its entirety
as follows:

"FOURTH: The total number of shares of stock which the Corporation shall have authority to issue is
30,000,000 shares of Common Stock, par value $0.01 per share."

SECOND: That the amendment was duly adopted in accordance with Section 242 of the General Corporation
Law of the State of Delaware.

IN WITNESS WHEREOF, the Corporation has caused this certificate to be signed this 9th day of June, 2015.

By: /s/ Marek Loosemore
Marek Loosemore, President
"""

NO_CHARTER = (
    "MINUTES OF THE ANNUAL PICNIC COMMITTEE\n\nThe committee met on May 4 and agreed that FIRST, the\n"
    "lemonade stand opens at noon, and SECOND, 1,200 paper cups will be ordered.\n"
)


def charter(name: str, common: int = 10_000_000) -> str:
    return INCORPORATION.format(upper=name.upper(), name=name, total=common + 2_000_000, common=common)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Six files to read (two nested), and three the walk must pass over."""
    d = tmp_path / "filings"
    (d / "nested" / "deeper").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / "wrenfield.txt").write_text(charter("Wrenfield Lantern Works, Inc."))
    (d / "nested" / "deeper" / "ostrava-kettle.txt").write_text(charter("Ostrava Kettle Company", 40_000_000))
    (d / "nested" / "holloway-amendment.txt").write_text(AMENDMENT_ALONE)
    (d / "nested" / "picnic-minutes.txt").write_text(NO_CHARTER)
    (d / "empty.txt").write_bytes(b"")
    (d / "blob.txt").write_bytes(bytes(range(256)) * 40)  # control bytes and NULs: no text at all
    (d / ".hidden-charter.txt").write_text(charter("Hidden Larch Corp."))
    (d / ".git" / "charter.txt").write_text(charter("Dotfolder Larch Corp."))
    (d / "ledger.csv").write_text("holder,shares\nalice,100\n")
    return d


EXPECTED = {  # relative path: (status, a word the cause holds)
    "blob.txt": ("refused", "binary"),
    "empty.txt": ("refused", "empty"),
    "nested/deeper/ostrava-kettle.txt": ("read", None),
    "nested/holloway-amendment.txt": ("partial", "MB-NO-BASE-CHARTER"),
    "nested/picnic-minutes.txt": ("refused", "no charter document"),
    "wrenfield.txt": ("read", None),
}
KEYS = {"path", "status", "cause", "corporation", "jurisdiction", "documents", "authorized", "findings"}
KEYS |= {"codes", "seconds", "result"}


def run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p)}
    return subprocess.run(
        [sys.executable, "-m", "minutebook", "read", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        timeout=HANG_GUARD_S,
        check=False,
    )


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def relative(records: list[dict], root: Path) -> dict[str, dict]:
    return {Path(r["path"]).relative_to(root).as_posix(): r for r in records}


def without_timing(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "seconds"} for r in records]


def count(summary: str, label: str) -> int:
    m = re.search(rf"^{re.escape(label)}\s+(\d+)$", summary, re.MULTILINE)
    assert m, f"no {label!r} row in the summary:\n{summary}"
    return int(m.group(1))


# -- the command -------------------------------------------------------------------------------------------


def test_each_file_is_one_line_with_its_status(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    p = run(corpus, "--jsonl", out)
    assert p.returncode == 1, p.stderr  # some were refused
    assert p.stderr == ""  # the summary goes to stdout when the lines go to a file
    records = lines(out.read_text())
    by_path = relative(records, corpus)
    assert list(by_path) == sorted(EXPECTED)  # input order: sorted, nested folders walked, hidden skipped
    for rel, (status, word) in EXPECTED.items():
        r = by_path[rel]
        assert set(r) == KEYS
        assert r["status"] == status, (rel, r["status"], r["cause"])
        if word is None:
            assert r["cause"] is None
        else:
            assert word.lower() in r["cause"].lower(), (rel, r["cause"])
            assert rel not in r["cause"]  # the path is its own key, not repeated in the cause
    wren = by_path["wrenfield.txt"]
    assert wren["corporation"] == "Wrenfield Lantern Works, Inc." and wren["jurisdiction"] == "Delaware"
    assert [d["kind"] for d in wren["documents"]] == ["incorporation"]
    assert wren["documents"][0]["signed_on"] == "2011-03-03"
    assert wren["authorized"]["total"] == 12_000_000
    assert {(c["kind"], c["authorized"], c["par_value"]) for c in wren["authorized"]["classes"]} == {
        ("common", 10_000_000, "0.0001"),
        ("preferred", 2_000_000, "0.0001"),
    }
    assert wren["result"]["versions"][-1]["total_authorized"] == 12_000_000  # the whole reading, too
    assert set(wren["findings"]) == {"error", "warning", "info"}
    assert by_path["nested/deeper/ostrava-kettle.txt"]["authorized"]["total"] == 42_000_000
    assert "MB-NO-BASE-CHARTER" in by_path["nested/holloway-amendment.txt"]["codes"]
    for r in records:
        if r["status"] == "refused":
            assert r["result"] is None and r["documents"] == [] and r["authorized"] is None

    summary = p.stdout
    assert (count(summary, "read"), count(summary, "partial"), count(summary, "refused")) == (2, 1, 3)
    assert count(summary, "total") == 6
    assert count(summary, "MB-NO-BASE-CHARTER") == 1
    assert count(summary, "empty file") == 1
    assert count(summary, "no charter document found in the file") == 1


def test_two_jobs_write_the_same_lines_as_one(corpus):
    one = run(corpus, "--jsonl", "-")
    two = run(corpus, "--jsonl", "-", "--jobs", "2")
    assert one.returncode == two.returncode == 1, two.stderr
    assert "Traceback" not in one.stderr + two.stderr
    assert without_timing(lines(two.stdout)) == without_timing(lines(one.stdout))
    assert len(lines(one.stdout)) == len(EXPECTED)
    assert count(two.stderr, "refused") == 3  # with the lines on stdout, the summary is on stderr
    assert "2 jobs" in two.stderr.splitlines()[0]


def test_all_read_is_exit_0(corpus, tmp_path):
    p = run(corpus / "wrenfield.txt", corpus / "nested" / "holloway-amendment.txt", "--jsonl", "-")
    assert p.returncode == 0, p.stderr  # read and partial: nothing refused
    assert [r["status"] for r in lines(p.stdout)] == ["read", "partial"]


def test_files_the_os_will_not_read_do_not_stop_the_others(corpus):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(corpus / "pipe.txt")  # opening it would block forever: it is refused, not read
    (corpus / "gone.txt").symlink_to(corpus / "no-such-target.txt")
    locked = corpus / "locked.txt"
    locked.write_text(charter("Padlock Meadow Inc."))
    locked.chmod(0)
    p = run(corpus, "--jsonl", "-", "--jobs", "2")
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr
    by_path = relative(lines(p.stdout), corpus)
    assert set(by_path) == set(EXPECTED) | {"pipe.txt", "gone.txt", "locked.txt"}
    assert by_path["pipe.txt"]["status"] == "refused" and "FIFO" in by_path["pipe.txt"]["cause"]
    assert by_path["gone.txt"]["status"] == "refused" and "no such file" in by_path["gone.txt"]["cause"]
    if os.geteuid() != 0:  # root reads a file whatever its mode
        assert by_path["locked.txt"]["status"] == "refused" and "denied" in by_path["locked.txt"]["cause"]
    for rel, (status, _) in EXPECTED.items():
        assert by_path[rel]["status"] == status


@pytest.mark.parametrize(
    "args, says",
    [
        (("{corpus}/wrenfield.txt", "--jobs", "2"), "--jobs needs --jsonl"),
        (("{corpus}",), "use --jsonl"),
        (("{corpus}", "--jsonl", "{tmp}/no-such-dir/out.jsonl"), "no such directory"),
        (("{corpus}", "--jsonl", "{tmp}"), "is a directory"),
        (("{corpus}/wrenfield.txt", "--jsonl", "{corpus}/wrenfield.txt"), "is one of the files to read"),
        (("{corpus}", "--jsonl", "-", "--jobs", "many"), "--jobs"),
        (("{corpus}", "--jsonl", "-", "--jobs", "-1"), "--jobs"),
        (("{corpus}", "--jsonl", "-", "--json"), "--json"),
        (("{corpus}/nested/deeper/empty-dir", "--jsonl", "-"), "no files to read"),
    ],
    ids=["jobs-alone", "dir-alone", "out-dir-missing", "out-is-dir", "out-is-input", "jobs-word", "jobs-negative",
         "json-and-jsonl", "empty-dir"],
)  # fmt: skip
def test_usage_errors_are_one_line_exit_2(corpus, tmp_path, args, says):
    (corpus / "nested" / "deeper" / "empty-dir").mkdir()
    (corpus / "nested" / "deeper" / "empty-dir" / "notes.csv").write_text("a,b\n")
    p = run(*(a.format(corpus=corpus, tmp=tmp_path) for a in args))
    assert says in one_line_error(p, 2)
    assert p.stdout == ""
    assert "Wrenfield" in (corpus / "wrenfield.txt").read_text()  # no file was overwritten


# -- the runner, in this process -------------------------------------------------------------------------


def test_read_one_never_raises(tmp_path):
    bad = str(tmp_path / "nul\x00byte.txt")  # no OS accepts this path: the check raises ValueError
    r = read_one(bad)
    assert r["status"] == "refused" and r["cause"].startswith("internal error: ValueError"), r["cause"]
    assert r["path"] == bad and r["seconds"] is not None


def test_a_crash_in_one_file_does_not_stop_the_pool(tmp_path):
    good = tmp_path / "wrenfield.txt"
    good.write_text(charter("Wrenfield Lantern Works, Inc."))
    paths = [str(good), str(tmp_path / "nul\x00byte.txt"), str(good)]
    records = list(read_many(paths, jobs=2))
    assert [r["status"] for r in records] == ["read", "refused", "read"]
    assert records[1]["cause"].startswith("internal error: ValueError")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL on this platform")
def test_a_worker_killed_mid_run_is_replaced(tmp_path):
    for i in range(16):
        (tmp_path / f"company-{i:02}.txt").write_text(charter(f"Quarrystone Works {i} Inc.", 1_000_000 + i))
    paths = iter_files([tmp_path])
    restarts: list[str] = []
    records = []
    for r in read_many(paths, jobs=2, on_restart=restarts.append):
        if not records:  # the first file is done, the others are queued or being read: kill a worker
            os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)
        records.append(r)
    assert len(restarts) == 1
    assert [r["path"] for r in records] == [str(p) for p in paths]
    assert [r["status"] for r in records] == ["read"] * 16  # what the dead worker had was read again
    assert [r["authorized"]["total"] for r in records] == [3_000_000 + i for i in range(16)]
