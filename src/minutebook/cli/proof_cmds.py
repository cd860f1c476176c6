"""A record a third party can verify (issue 17), from the command line:

- `key` — the book's public key (a C2SP verifier key), `--export FILE` to hand it out, `--create` for a book made
  before keys;
- `checkpoint` — sign the log as it stands and store the checkpoint; `--out FILE`, `--git REPO` (committed as
  `minutebook/<slug>/checkpoint.txt`), `--tsa URL` (an RFC 3161 time stamp, kept beside it); `--list` the stored ones;
- `proof` — an event's inclusion proof (`EVENT-ID`, or `--document FILE` for a drawn paper), or `--consistency OLD NEW`
  between two checkpoints: the verifier's JSON;
and, in `cli/offline.py`, `verify --proof FILE --key PUBKEY`, which needs no database.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
from pathlib import Path

import typer

from ..core import checkpoint as notes
from ..core.errors import InputError, MinutebookError, NotFoundError
from . import book_common as bc
from .common import fail

GIT_DIR = "minutebook"  # inside the repository given to --git: minutebook/<slug>/checkpoint.txt


def key_dir_option():
    return typer.Option(
        None,
        "--key-dir",
        metavar="DIR",
        help="Where the book's private key file <slug>.key is (default: $MINUTEBOOK_KEY_DIR, else .X.db.keys beside a "
        "SQLite book X.db, else a folder per database under ~/.config/minutebook/keys).",
    )


def _code(e: MinutebookError) -> int:
    """2 for what the user named wrongly (no such event, a checkpoint not the book's, a key file), 1 for what the
    book or a service says (the log no longer extends a checkpoint, a TSA that refuses)."""
    return 2 if isinstance(e, InputError | NotFoundError) else 1


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _dump(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def _b64(h: bytes) -> str:
    return base64.b64encode(h).decode()


def _open(db: str | None, corp: str | None):
    """The book's signed record (`book.open_record`: its log is not read into memory), or one line and exit 2."""
    from ..book import open_record

    bc.must_exist(db)
    try:
        return open_record(db, corp)
    except MinutebookError as e:
        raise fail(str(e)) from None


def announce_key(book) -> None:
    """What every command that creates a book says of its key: the public key to hand out, and where the private
    key is kept (nothing when the book was made without one)."""
    vkey = book.public_key()
    if vkey is None:
        return
    bc.say(f"public key: {vkey}")
    bc.say(
        f"  private key in {book.key_file()}: keep it safe; give the public key to whoever will verify the book"
    )


# --- key -------------------------------------------------------------------------------------------------------


def key_cmd(
    create: bool = typer.Option(
        False,
        "--create",
        help="Give a book made before keys its key (adopting a key file already in the key folder).",
    ),
    export: str = typer.Option(None, "--export", metavar="FILE", help="Write the public key to FILE."),
    key_dir: str = key_dir_option(),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """The book's public key: the verifier key (name+id+key) whoever checks its proofs needs, got from you.

    The private key is a file outside the database, mode 0600 (PKCS#8 PEM); the public key is recorded in the
    book and printed when the book is created.

    Example: minutebook key --export acme.vkey
    """
    b = _open(db, corp)
    made = ""
    try:
        if create:
            made = b.create_key(key_dir).made
        vkey = b.public_key()
    except MinutebookError as e:
        raise fail(str(e)) from None
    if vkey is None:
        raise fail(f"{b.slug} has no key yet: run `minutebook key --create` (or `minutebook checkpoint`)", 1)
    path = b.key_file(key_dir)
    if export:
        try:
            Path(export).write_text(vkey + "\n")
        except OSError as e:
            raise fail(f"{export}: cannot write: {e.strerror or e}") from None
    if as_json:
        _dump(
            {
                "corporation": b.slug,
                "public_key": vkey,
                "key_file": str(path) if path else None,
                "key_file_present": bool(path and path.is_file()),
                "made": made or None,
                "exported_to": export,
            }
        )
        return
    if create:
        said = {"created": "created a new key", "adopted": "adopted the key file"}.get(
            made, "the book already has a key"
        )
        _err(f"{b.slug}: {said} ({path})")
    sys.stdout.write(vkey + "\n")
    if export:
        _err(f"wrote the public key to {export}")


# --- checkpoint ------------------------------------------------------------------------------------------------


def _git_root(repo: str) -> Path:
    """REPO, once git says it is (in) a work tree; one line otherwise."""
    if not Path(repo).is_dir():
        raise fail(f"--git: {repo}: no such folder")
    try:
        r = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except FileNotFoundError:
        raise fail("--git: git is not installed") from None
    if r.returncode != 0 or r.stdout.strip() != "true":
        raise fail(f"--git: {repo}: not a git repository (run `git init {repo}` first)")
    return Path(repo)


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=120)


def commit_to_git(
    repo: Path, slug: str, number: int, size: int, note: str, token: bytes | None, vkey: str
) -> str:
    """Write the checkpoint (and its time stamp, and the public key) under minutebook/<slug>/ in `repo` and commit
    those files alone; the commit's hash."""
    folder = repo / GIT_DIR / slug
    folder.mkdir(parents=True, exist_ok=True)
    files = {"checkpoint.txt": note.encode(), "key.vkey": (vkey + "\n").encode()}
    if token is not None:
        files["checkpoint.tsr"] = token
    for name, data in files.items():
        (folder / name).write_bytes(data)
    paths = [f"{GIT_DIR}/{slug}/{name}" for name in files]
    if _git(repo, "add", "--", *paths).returncode:
        raise MinutebookError(f"--git: {repo}: git add failed")
    who = (
        []
        if _git(repo, "config", "user.email").returncode == 0
        else ["-c", "user.name=minutebook", "-c", "user.email=minutebook@localhost"]
    )
    msg = f"minutebook: checkpoint {number} of {slug} ({size} events)"
    r = subprocess.run(
        ["git", "-C", str(repo), *who, "commit", "-q", "-m", msg, "--", *paths],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if r.returncode:
        first = (r.stderr or r.stdout).strip().splitlines()
        raise MinutebookError(f"--git: {repo}: git commit failed: {first[0] if first else r.returncode}")
    return _git(repo, "rev-parse", "HEAD").stdout.strip()


def checkpoint_cmd(
    out_file: str = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write the signed note to FILE too."
    ),
    git: str = typer.Option(
        None,
        "--git",
        metavar="REPO",
        help="Commit it to this git repository, as minutebook/<slug>/checkpoint.txt.",
    ),
    tsa: str = typer.Option(
        None, "--tsa", metavar="URL", help="Have it time-stamped by this RFC 3161 time-stamping authority."
    ),
    tsa_cert: str = typer.Option(
        None, "--tsa-cert", metavar="FILE", help="Check the time stamp against this certificate (PEM or DER)."
    ),
    listed: bool = typer.Option(False, "--list", help="List the stored checkpoints instead; sign nothing."),
    key_dir: str = key_dir_option(),
    as_json: bool = bc.json_option(),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """Sign the log as it stands: its size and Merkle root, the corporation and the time, as a C2SP signed note.

    The checkpoint is stored in the book (numbered 1, 2, 3 ...) and printed; --out, --git and --tsa keep copies
    outside it, where a later rewrite of the database cannot reach. A time stamp's token is stored beside the
    checkpoint and written next to the file (FILE.tsr; checkpoint.tsr in the repository). Refused, nothing
    signed, when the log no longer extends the latest checkpoint.

    Example: minutebook checkpoint --out checkpoints/2026-06-30.txt --git ../acme-record
    """
    b = _open(db, corp)
    if listed:
        _list(b, as_json)
        return
    repo = _git_root(git) if git else None
    cert = None
    if tsa_cert is not None:
        if tsa is None:
            raise fail("--tsa-cert: only with --tsa URL")
        try:
            cert = Path(tsa_cert).read_bytes()
        except OSError as e:
            raise fail(f"--tsa-cert: {tsa_cert}: cannot read: {e.strerror or e}") from None
    if out_file and not Path(out_file).resolve().parent.is_dir():
        raise fail(f"--out: {out_file}: no such folder {Path(out_file).parent}")
    try:
        s = b.checkpoint(key_dir=key_dir, tsa=tsa, tsa_certificate=cert)
    except MinutebookError as e:
        raise fail(str(e), _code(e)) from None
    written, commit = [], None
    try:
        if out_file:
            Path(out_file).write_text(s.note)
            written.append(out_file)
            if s.stamp is not None:
                Path(out_file + ".tsr").write_bytes(s.stamp.token)
                written.append(out_file + ".tsr")
        if repo is not None:
            commit = commit_to_git(
                repo, b.slug, s.number, s.tree_size, s.note, s.stamp and s.stamp.token, s.key.vkey
            )
    except (OSError, MinutebookError) as e:
        why = getattr(e, "strerror", None) or e
        raise fail(f"checkpoint {s.number} is stored, but keeping its copy failed: {why}", 1) from None
    if as_json:
        _dump(
            {
                "corporation": b.slug,
                "number": s.number,
                "tree_size": s.tree_size,
                "root": _b64(s.root),
                "time": s.time,
                "note": s.note,
                "public_key": s.key.vkey,
                "key_made": s.key.made or None,
                "stamp": None
                if s.stamp is None
                else {
                    "tsa": tsa,
                    "time": s.stamp.time.isoformat(),
                    "serial": str(s.stamp.serial),
                    "verified": s.stamp_verified,
                },
                "written": written,
                "git": None if repo is None else {"repo": str(repo), "commit": commit},
            }
        )
        return
    if s.key.made:
        _err(f"{b.slug} had no key: {s.key.made} {s.key.path}; public key {s.key.vkey}")
    sys.stdout.write(s.note)
    _err(f"checkpoint {s.number}: {s.tree_size} events, root {_b64(s.root)}, signed {s.time}")
    if s.stamp is not None:
        how = (
            "verified against " + tsa_cert
            if s.stamp_verified
            else "not checked against a certificate (--tsa-cert)"
        )
        _err(f"time-stamped by {tsa} at {s.stamp.time.isoformat()} (serial {s.stamp.serial}; {how})")
    for w in written:
        _err(f"wrote {w}")
    if commit:
        _err(f"committed to {git} as {GIT_DIR}/{b.slug}/checkpoint.txt ({commit[:12]})")


def _list(b, as_json: bool) -> None:
    rows = b.checkpoints()
    stamped: dict[int, int] = {}
    for st in b.stamps():
        stamped[st.number] = stamped.get(st.number, 0) + 1
    if as_json:
        _dump(
            [
                {
                    "number": r.number,
                    "tree_size": r.tree_size,
                    "root": _b64(r.root),
                    "time": r.signed_at,
                    "stamps": stamped.get(r.number, 0),
                    "note": r.note,
                }
                for r in rows
            ]
        )
        return
    if not rows:
        bc.say(f"{b.slug}: no checkpoint yet (minutebook checkpoint)")
        return
    from .book_views import table

    table(
        f"{b.slug}: {len(rows)} checkpoint(s)",
        ["#", "events", "root", "signed", "time stamps"],
        [
            [str(r.number), f"{r.tree_size:,}", _b64(r.root), r.signed_at, str(stamped.get(r.number, 0))]
            for r in rows
        ],
    )


# --- proof -----------------------------------------------------------------------------------------------------

_EVENT_ID = re.compile(r"\s*(?:#|event\s+)?(\d+)\s*", re.IGNORECASE)


def parse_event_id(value: str) -> int:
    """The event's sequence number, as `log` shows it: `42`, `#42` or `event 42`."""
    m = _EVENT_ID.fullmatch(value or "")
    if not m or int(m.group(1)) < 1:
        raise fail(f"EVENT-ID: {value!r} is not an event's number as `minutebook log` shows it (e.g. 42)")
    return int(m.group(1))


def _read_text(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise fail(f"{what}: {path}: cannot read: {getattr(e, 'strerror', None) or e}") from None


def _read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise fail(f"{what}: {path}: cannot read: {e.strerror or e}") from None


def _end(spec: str) -> str:
    """One end of --consistency: a stored checkpoint's number, 'latest', 'size:N', or a checkpoint file."""
    s = spec.strip().lower()
    if s == "latest" or s.lstrip("#").isdigit() or re.fullmatch(r"size:\d+", s):
        return spec
    if Path(spec).is_file():
        return _read_text(spec, "--consistency")
    raise fail(f"--consistency: {spec!r} is not a checkpoint number, 'latest', 'size:N' or a checkpoint file")


def proof_cmd(
    event_id: str = typer.Argument(
        None, metavar="EVENT-ID", help="The event's number, as `minutebook log` shows it."
    ),
    out_file: str = typer.Option(
        None, "--out", "-o", metavar="FILE", help="Write the proof here (default: stdout)."
    ),
    checkpoint_file: str = typer.Option(
        None,
        "--checkpoint",
        metavar="FILE",
        help="Prove it in this signed checkpoint (default: the latest stored).",
    ),
    document: str = typer.Option(
        None,
        "--document",
        metavar="FILE",
        help="Prove the event that recorded drawing this paper (its SHA-256).",
    ),
    consistency: tuple[str, str] | None = typer.Option(
        None,
        "--consistency",
        metavar="OLD NEW",
        help="Prove checkpoint OLD's log is a prefix of NEW's. Each: a stored checkpoint's number (as `checkpoint "
        "--list` shows), 'latest', 'size:N' (the checkpoint over N events) or a checkpoint file.",
    ),
    db: str = bc.db_option(),
    corp: str = bc.corp_option(),
) -> None:
    """A proof anyone can check with the book's public key alone: an event is in the log the book signed, or one
    signed log extends another. The verifier's JSON (minutebook-proof/1, minutebook-consistency/1).

    Example: minutebook proof 42 -o proof.json
    Example: minutebook proof --document minutes.pdf -o proof.json
    Example: minutebook proof --consistency 1 latest -o cons.json
    """
    given = [x is not None for x in (event_id, document, consistency)]
    if sum(given) != 1:
        raise fail("proof: give one of EVENT-ID, --document FILE or --consistency OLD NEW")
    if consistency is not None and checkpoint_file is not None:
        raise fail("--checkpoint: not with --consistency (name both ends there)")
    seq = parse_event_id(event_id) if event_id is not None else None
    note = _read_text(checkpoint_file, "--checkpoint") if checkpoint_file else None
    data = _read_bytes(document, "--document") if document else None
    ends = (_end(consistency[0]), _end(consistency[1])) if consistency else None
    b = _open(db, corp)
    try:
        if ends is not None:
            doc = b.consistency(*ends)
        elif data is not None:
            doc = b.document_proof(data, note)
        else:
            doc = b.proof(seq, note)
    except MinutebookError as e:
        raise fail(str(e), _code(e)) from None
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if out_file:
        try:
            Path(out_file).write_text(text, encoding="utf-8")
        except OSError as e:
            raise fail(f"--out: {out_file}: cannot write: {e.strerror or e}") from None
    else:
        sys.stdout.write(text)
    if "event" in doc:
        e, cp = doc["event"], notes.parse(doc["checkpoint"])
        said = (
            f"event {e['seq']} ({e['type']}, effective {e['effective_on']}) is in the log of {cp.size} events "
            f"signed {cp.time}"
        )
    else:
        old, new = notes.parse(doc["old"]), notes.parse(doc["new"])
        said = (
            f"the log of {old.size} events (signed {old.time}) is a prefix of the log of {new.size} "
            f"(signed {new.time})"
        )
    _err(f"{'wrote ' + out_file + ': ' if out_file else ''}proof that {said}")


def register(app: typer.Typer) -> None:
    app.command("key")(key_cmd)
    app.command("checkpoint")(checkpoint_cmd)
    app.command("proof")(proof_cmd)
