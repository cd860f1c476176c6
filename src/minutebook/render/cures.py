"""The cure packages for what `check` finds: papers ready to sign that cure a finding, drawn from the book.

    curable(book)                      -> [(finding, "204" | "242" | "103(f)"), ...]
    cure(book, "F-1a2b3c4d", out_dir)  -> the package's papers, rendered, written and recorded

Three packages:

* **§204** — a defective corporate act recorded in the book (stock over the authorized number, an issuance or
  an amendment without its approval, a series fixed by someone other than the board …): the board's
  ratification resolution stating §204(b)(1)(A)–(E) (``ratification-resolution``), the stockholders' approval
  where the act needed a vote or the failure concerns the authorized shares (§204(c),
  ``ratification-stockholder-approval``), the certificate of validation where the act needed a filing (§204(e),
  ``certificate-of-validation``) and the notice to holders with the 120-day statement (§204(g), §205(f),
  ``ratification-notice``).
* **§242** — the blank-check power granted to someone other than the board, no series designated under it yet
  (no act is defective, so nothing to ratify): the board resolution declaring advisable the amendment that gives
  the power to the board (``amendment-cure-resolution``), the stockholders' §228 consent
  (``amendment-cure-consent``) and the certificate of amendment (``amendment-cure-certificate``).
* **§103(f)** — a filed instrument that is an inaccurate record (a malformed figure): the certificate of
  correction (``certificate-of-correction``).

Which finding takes which package (`PACKAGES`, then `package_of`):

============================================  =======  ==============================================
code                                          package  when
============================================  =======  ==============================================
MB-ISSUE-EXCEEDS-AUTHORIZED                   204      about a recorded issuance (putative stock)
MB-APPROVAL-MISSING / -WRONG-BODY / -FAILED   204      about a recorded event, and the finding's cure
/ -AFTER-ACT / -MISMATCH / -EXCEEDED /                 (or message) names §204
-EXPIRED / -BELOW-MINIMUM
MB-DELEGATION-NOT-PERMITTED / -NO-LIMITS      204      as above (§152, §157(c))
MB-DESIGNATION-NOT-BY-BOARD                   204      as above (§151(a))
MB-AMENDMENT-DIFFERS, MB-CLASS-VOTE-MISSING   204      as above (§242(b))
MB-BLANK-CHECK-DEFECTIVE                      204      about a series designated under the grant
MB-BLANK-CHECK-DEFECTIVE                      242      about the grant itself (a charter event), while the
                                                       charter in force still grants it to the non-board
MB-BLANK-CHECK-NOT-BOARD                      242      the reader's finding on the same grant
MB-FIGURE-MALFORMED, MB-WORDS-FIGURES-        103(f)   the finding's cure names §103(f) and gives the
DISAGREE, any code whose cure names §103(f)            figure as filed and the figure meant
============================================  =======  ==============================================

Every name, date, share count and article text in these papers comes from the book — its events, its state, its
charter versions, the stored documents the charter was read from, and the finding itself: the corrected and
amended articles are computed from the article as filed or in force, never retyped.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..core.errors import InputError, NotFoundError
from ..core.events import BoardActed, CharterAmended, Incorporated, SeriesDesignated, SharesIssued
from ..core.findings import Finding
from ..core.replay import replay
from . import facts
from .output import Rendered, render
from .papers import KINDS, Paper, kind, not_for

# --- which findings have a package ---------------------------------------------------------------------------

RATIFY_CODES = (
    "MB-ISSUE-EXCEEDS-AUTHORIZED",
    "MB-APPROVAL-MISSING",
    "MB-APPROVAL-WRONG-BODY",
    "MB-APPROVAL-FAILED",
    "MB-APPROVAL-AFTER-ACT",
    "MB-APPROVAL-MISMATCH",
    "MB-APPROVAL-EXCEEDED",
    "MB-APPROVAL-EXPIRED",
    "MB-APPROVAL-BELOW-MINIMUM",
    "MB-DELEGATION-NOT-PERMITTED",
    "MB-DELEGATION-NO-LIMITS",
    "MB-DESIGNATION-NOT-BY-BOARD",
    "MB-AMENDMENT-DIFFERS",
    "MB-CLASS-VOTE-MISSING",
    "MB-BLANK-CHECK-DEFECTIVE",
)
GRANT_CODES = ("MB-BLANK-CHECK-NOT-BOARD", "MB-BLANK-CHECK-DEFECTIVE")
CORRECTION_CODES = ("MB-FIGURE-MALFORMED", "MB-WORDS-FIGURES-DISAGREE")

PACKAGES = {
    "204": (
        "ratification-resolution",
        "ratification-stockholder-approval",
        "certificate-of-validation",
        "ratification-notice",
    ),
    "242": ("amendment-cure-resolution", "amendment-cure-consent", "amendment-cure-certificate"),
    "103(f)": ("certificate-of-correction",),
}

_S204 = re.compile(r"§\s*204\b")
_S103F = re.compile(r"§\s*103\(f\)")


def _cure_text(f: Finding) -> str:
    return str(dict(f.data).get("cure") or "")


def _event_of(book, f: Finding):
    seq = dict(f.data).get("event")
    return None if seq is None else book.event(seq)


def _grant_in_force(book) -> bool:
    v = book.charter.versions[-1] if book.charter.versions else None
    holder = v.capital.blank_check_holder if v is not None and v.capital is not None else None
    return bool(holder) and "board" not in holder.lower() and "director" not in holder.lower()


def package_of(book, f: Finding) -> str | None:
    """The name of the package that cures `f` ("204", "242", "103(f)"), or None when there is none."""
    cure_text = _cure_text(f)
    if f.code in CORRECTION_CODES or _S103F.search(cure_text):
        read, meant = _figures(f)
        if f.source is not None and read and meant is not None and _S103F.search(cure_text):
            return "103(f)"
        return None
    if f.code in GRANT_CODES:
        e = _event_of(book, f)
        if e is None or isinstance(e.body, (Incorporated, CharterAmended)):
            return "242" if _grant_in_force(book) else None
    named = f.code == "MB-ISSUE-EXCEEDS-AUTHORIZED" or _S204.search(cure_text) or _S204.search(f.message)
    if f.code in RATIFY_CODES and named and _names_an_event(book, f):
        return "204"
    return None


def _names_an_event(book, f: Finding) -> bool:
    """Whether `f` is about an event of the history: asked without reading the event where the book can tell
    (`Book.has_event`: a large book's hundreds of thousands of findings, each about an act)."""
    seq = dict(f.data).get("event")
    return seq is not None and book.has_event(seq)


def curable(book, found: list[Finding] | None = None) -> list[tuple[Finding, str]]:
    """Each finding of the book's `check` (`found`, when the caller has it) that a package cures, with the package's
    name."""
    out = []
    for f in book.check() if found is None else found:
        p = package_of(book, f)
        if p is not None:
            out.append((f, p))
    return out


def finding(book, ref: str) -> tuple[Finding, str]:
    """The finding named by its id ("F-1a2b3c4d") or a code that only one finding has, and its package."""
    ref = str(ref or "").strip()
    found = book.check()
    hits = by_id = [f for f in found if f.id.lower() == ref.lower()]
    if not hits:
        hits = [f for f in found if f.code.lower() == ref.lower()]
    cures = [(f, p) for f in found if (p := package_of(book, f)) is not None]
    listed = "; ".join(f"{f.id} ({f.code}, §{p})" for f, p in cures) or "none"
    if not hits:
        raise NotFoundError(f"no finding {ref!r} in the book's check; the findings with a cure are: {listed}")
    if len(by_id) > 1:  # an id is 8 hex digits of a hash: a book of 100,000s of findings has a few shared
        curable_hits = [f for f in by_id if package_of(book, f) is not None]
        if len(curable_hits) == 1:
            hits = curable_hits  # the one of them `check` lists with papers that cure it
        else:
            each = "; ".join(
                f"{f.code} at {f.source.location() if f.source else _event_word(f)}" for f in by_id
            )
            which = (
                "none of which has a cure package"
                if not curable_hits
                else f"{len(curable_hits)} of which have a cure package: name one by its code if only it has that code"
            )
            raise InputError(f"{ref!r}: {len(by_id)} findings share that id ({each}), {which}")
    if len(hits) > 1:
        ids = ", ".join(f.id for f in hits)
        raise InputError(f"{ref!r}: {len(hits)} findings have that code ({ids}); name one by its id")
    f = hits[0]
    p = package_of(book, f)
    if p is None:
        codes = sorted({*RATIFY_CODES, *GRANT_CODES, *CORRECTION_CODES})
        raise InputError(
            f"{f.id} ({f.code}: {_nature(f)[:160]}) has no cure package: it is a {f.severity.value} "
            f"{_what_kind(book, f)}; packages are drawn for {', '.join(codes)} (when the finding names the "
            f"cure); the findings of this book with one are: {listed}"
        )
    return f, p


def _event_word(f: Finding) -> str:
    seq = dict(f.data).get("event")
    return f"event {seq}" if seq is not None else "the book"


def _what_kind(book, f: Finding) -> str:
    if f.code in CORRECTION_CODES:
        return "figure the book cannot reconcile (check the certified copy before correcting it)"
    if f.code in GRANT_CODES:
        return "finding on a grant no longer in force, or on an act that is not the grant"
    if f.code in RATIFY_CODES:
        return "finding on an act whose cure is not §204 ratification"
    if _event_of(book, f) is None and f.source is not None:
        return "reading finding on the text of a document, not a defective act or a filed inaccuracy"
    return "finding that names no §204, §242 or §103(f) cure"


# --- shared facts --------------------------------------------------------------------------------------------


def _now(book) -> date:
    return max(date.today(), facts.latest(book))


def _nature(f: Finding) -> str:
    """The nature of the failure: the finding's message without its cure."""
    m = f.message
    cut = m.find("; cure:")
    if cut < 0:
        cut = m.find("; the excess is putative stock")
    m = m[:cut] if cut >= 0 else m
    return m.rstrip(" ;.")


def _article_name(a) -> str:
    """ "Article FOURTH" (the heading as read, without its colon)."""
    return facts.article_name(a).rstrip(":.; ")


def _directors_now(book, on: date) -> list[dict]:
    return facts.directors(book, on)


def _class_name(v, key: str | None) -> str:
    if v is None or key is None:
        return str(key or "")
    return facts.class_names(v).get(key, key.replace("_", " ").title())


def _state_before(book, e):
    # the history up to its date, streamed from the store (the fold holds what it needs, not the events after)
    return replay((x for x in book.history().events(e.effective_on) if x.seq < e.seq), e.effective_on)


def _holder_name(book, hid: str) -> str:
    h = book.holders.get(hid)
    return h.name if h is not None else hid


def _act(book, f: Finding, e) -> dict:
    """The defective act, §204(b)(1)(A)–(D), from the event and the finding."""
    on = e.effective_on
    v = facts.charter_on(book, on) if book.charter.at(on) is not None else None
    b = e.body
    act: dict = {
        "seq": e.seq,
        "on": on,
        "putative": None,  # {shares, class, series, on, holder, excess}
        "over_authorized": None,  # {class_key, class, authorized, issued_after, excess}
        "filed": False,
        "vote_needed": False,
        "vote_why": "",
        "nature": _nature(f),
        "code": f.code,
    }
    if isinstance(b, SharesIssued):
        cls = _class_name(v, b.class_key)
        series = f" ({b.series_key.replace('_', ' ').title()})" if b.series_key else ""
        act["what"] = (
            f"the issuance on {facts.long_date(on)} of {facts.shares(b.shares)} shares of {cls}{series} to "
            f"{_holder_name(book, b.holder_id)}, for {facts.money(b.consideration)} "
            f"({facts.money(b.price_per_share)} per share, {b.consideration_kind})"
        )
        act["putative"] = {
            "shares": b.shares,
            "class": f"{cls}{series}",
            "on": on,
            "holder": _holder_name(book, b.holder_id),
            "holder_id": b.holder_id,
        }
        before = _state_before(book, e)
        auth = before.authorized(b.class_key)
        issued = before.issued_in_class(b.class_key)
        if f.code == "MB-ISSUE-EXCEEDS-AUTHORIZED" and auth is not None and issued + b.shares > auth:
            excess = min(b.shares, issued + b.shares - auth)
            act["over_authorized"] = {
                "class_key": b.class_key,
                "class": cls,
                "authorized": auth,
                "issued_before": issued,
                "issued_after": issued + b.shares,
                "excess": excess,
            }
            act["putative"]["excess"] = excess
            act["filed"] = True
            act["vote_needed"] = True
            act["vote_why"] = (
                f"the failure of authorization concerns the number of authorized shares of {cls}: only an "
                "amendment of the certificate of incorporation, adopted by the stockholders (§242(b)), could "
                "have authorized them (§204(c))"
            )
    elif isinstance(b, SeriesDesignated):
        cls = _class_name(v, b.class_key)
        act["what"] = (
            f"the designation on {facts.long_date(on)} of {b.name} ({facts.shares(b.authorized)} shares of "
            f"{cls}) by {b.designated_by}, and the filing of its certificate of designations"
        )
        act["filed"] = True
        act["vote_needed"] = True
        act["vote_why"] = (
            "without a valid grant of authority to the board, the terms of the series could have been fixed "
            "only by an amendment of the certificate of incorporation, which the stockholders adopt (§242(b), "
            "§204(c))"
        )
    elif isinstance(b, (CharterAmended, Incorporated)):
        doc = (b.document_kind or "certificate").replace("_", " ")
        statute = f" under Section {b.statute}" if getattr(b, "statute", None) else ""
        act["what"] = (
            f"the {doc} of the Certificate of Incorporation{statute}, executed and effective "
            f"{facts.long_date(on)}"
        )
        act["filed"] = True
        if isinstance(b, CharterAmended) and (b.statute or "242").startswith("242"):
            act["vote_needed"] = True
            act["vote_why"] = (
                "the amendment required the approval of a majority of the outstanding stock entitled to vote "
                "on it at the time (§242(b)(1)), so its ratification does too (§204(c))"
            )
    elif isinstance(b, BoardActed):
        act["what"] = f"the action of the Board of Directors {b.action_id} on {facts.long_date(on)}"
    else:
        act["what"] = f"the {type(b).__name__} recorded in the book as event {e.seq} on {facts.long_date(on)}"
    if f.code in ("MB-CLASS-VOTE-MISSING", "MB-AMENDMENT-DIFFERS"):
        act["vote_needed"] = True
    if not act["vote_needed"]:
        act["vote_why"] = (
            "the act required the approval of the Board of Directors only and no vote of the stockholders at the "
            "time it was taken, and the failure of authorization does not concern the authorized shares: under "
            "§204(c) no stockholder approval of the ratification is required"
        )
    return act


_FIG = r"(?<![\d,.]){}(?![\d,]*\d)"


def _replace_figure(text: str, old: str, new: str, count: int = 0) -> tuple[str, int]:
    return re.subn(_FIG.format(re.escape(old)), new, text, count=count)


def _amended_capital(v, cls_key: str, new_auth: int) -> tuple[str | None, int | None, object]:
    """The capital article with the class's authorized number (and the total) raised to `new_auth`, computed
    from the article's text: its figures replaced, each only when it appears once. None when it cannot be."""
    a = facts.capital_article(v)
    if a is None or v.capital is None:
        return None, None, a
    c = v.capital.cls(cls_key)
    if c is None or c.authorized is None:
        return None, None, a
    text = a.text
    text, n = _replace_figure(text, f"{c.authorized:,}", f"{new_auth:,}")
    if n != 1:
        return None, None, a
    total = v.capital.total_authorized
    new_total = None
    if total is not None:
        new_total = total - c.authorized + new_auth
        text, n = _replace_figure(text, f"{total:,}", f"{new_total:,}")
        if n != 1:
            return None, None, a
    return text, new_total, a


def _ratification(book, f: Finding) -> dict:
    e = _event_of(book, f)
    if e is None:
        raise NotFoundError(f"{f.id}: the event it is about is not in the book")
    now = _now(book)
    v_now = facts.charter_on(book, now)
    act = _act(book, f, e)
    amendment = None
    over = act["over_authorized"]
    if over is not None:
        st = book.state(now)
        issued_now = st.issued_in_class(over["class_key"])
        auth_now = st.authorized(over["class_key"]) or 0
        if issued_now > auth_now:
            text, new_total, art = _amended_capital(v_now, over["class_key"], issued_now)
            amendment = {
                "class": over["class"],
                "from": auth_now,
                "to": issued_now,
                "total": new_total,
                "article": _article_name(art),
                "label": art.heading if art is not None else "",
                "text": text,
            }
    holders_now = facts.holders_of_record(book, now)
    holders_then = facts.holders_of_record(book, e.effective_on)
    names_now = {h["id"] for h in holders_now}
    notice_to = holders_now + [h for h in holders_then if h["id"] not in names_now]
    notice_to.sort(key=lambda h: facts._sort_name(h["name"]))
    # the vote: the putative shares do not count (§204(c)); a holder's valid shares are what they hold less those
    putative_holder = act["putative"]["holder_id"] if act["putative"] else None
    excluded = (act["putative"] or {}).get("excess") or (act["putative"] or {}).get("shares") or 0
    voters = []
    for h in holders_now:
        total = h["total"]
        out = min(total, excluded) if h["id"] == putative_holder else 0
        voters.append({**h, "putative": out, "voting": total - out})
    voting_total = sum(h["voting"] for h in voters)
    directors = _directors_now(book, now)
    return {
        "corp": facts.corporation(book, now),
        "now": now,
        "finding": {"id": f.id, "code": f.code, "message": f.message, "cites": list(f.cites)},
        "act": act,
        "amendment": amendment,
        "directors": directors,
        "officers": facts.officer_signers(book, now, 1),
        "holders": voters,
        "voting_total": voting_total,
        "majority": voting_total // 2 + 1 if voting_total else 0,
        "notice_to": notice_to,
        "stockholder_paper": act["vote_needed"],
        "validation_paper": act["filed"],
    }


_C204 = ("8 Del. C. § 204",)


def _paper204(book, act_ref: str, name: str, title: str) -> Paper:
    cites = KINDS[name].cites
    f, p = finding(book, act_ref)
    if p != "204":
        raise not_for(name, act_ref, f"a finding cured under § {p} ({f.code})", PACKAGES[p])
    ctx = _ratification(book, f)
    if name == "ratification-stockholder-approval" and not ctx["stockholder_paper"]:
        raise not_for(name, act_ref, f"an act needing no stockholder approval ({ctx['act']['vote_why']})")
    if name == "certificate-of-validation" and not ctx["validation_paper"]:
        raise not_for(name, act_ref, "an act that needed no filing with the Secretary of State (§204(e))")
    if ctx["amendment"] is not None:
        cites = (*cites, "8 Del. C. § 242")
    return Paper(name, title, f"{name}.html.j2", ctx, act=f.id, on=ctx["now"], cites=cites)


_TARGET = "a finding's id (F-…) from `minutebook check`, or a code only one finding has"


@kind(
    "ratification-resolution",
    "Resolutions of the Board of Directors Ratifying a Defective Corporate Act",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 204(b)", "8 Del. C. § 141(f)"),
)
def ratification_resolution(book, act, as_of) -> Paper:
    return _paper204(
        book,
        act,
        "ratification-resolution",
        "Unanimous Written Consent of the Board of Directors Ratifying a Defective Corporate Act",
    )


@kind(
    "ratification-stockholder-approval",
    "Written Consent of the Stockholders Approving the Ratification",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 204(c)", "8 Del. C. § 228"),
)
def ratification_stockholder_approval(book, act, as_of) -> Paper:
    return _paper204(
        book,
        act,
        "ratification-stockholder-approval",
        "Written Consent of the Stockholders Approving the Ratification of a Defective Corporate Act",
    )


@kind(
    "certificate-of-validation",
    "Certificate of Validation",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 204(e)", "8 Del. C. § 103"),
)
def certificate_of_validation(book, act, as_of) -> Paper:
    return _paper204(
        book,
        act,
        "certificate-of-validation",
        "Certificate of Validation",
    )


@kind(
    "ratification-notice",
    "Notice of Ratification of a Defective Corporate Act",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 204(g)", "8 Del. C. § 205(f)"),
)
def ratification_notice(book, act, as_of) -> Paper:
    return _paper204(
        book,
        act,
        "ratification-notice",
        "Notice of Ratification of a Defective Corporate Act",
    )


# --- §242: the blank-check grant given to the board ----------------------------------------------------------


def _grant_sentence(text: str, holder: str) -> tuple[str, str] | None:
    """The sentence of `text` granting the power to `holder`, and the same sentence granting it to the board."""
    sentences = re.split(r"(?<=[.;])\s+", text)
    pat = re.compile(re.escape(holder.strip()), re.I)
    for s in sentences:
        if pat.search(s) and re.search(r"grant|power|authori[sz]", s, re.I):
            m = pat.search(s)
            found = m.group(0)
            board = "The Board of Directors" if found[:1].isupper() else "the Board of Directors"
            if not re.match(r"(?i)the\b", found):
                board = board.split(" ", 1)[1] if not found[:1].isupper() else "Board of Directors"
            return s, s[: m.start()] + board + s[m.end() :]
    return None


def _grant_cure(book, f: Finding) -> dict:
    now = _now(book)
    v = facts.charter_on(book, now)
    holder = v.capital.blank_check_holder if v.capital is not None else None
    a = facts.capital_article(v)
    if not holder or a is None:
        raise InputError(f"{f.id}: the charter in force names no grant of the power to fix preferred terms")
    pair = _grant_sentence(a.text, holder)
    if pair is None:
        raise InputError(
            f"{f.id}: no sentence of {_article_name(a)} grants {holder!r} the power to fix preferred terms"
        )
    old, new = pair
    amended = a.text.replace(old, new, 1)
    holders = facts.holders_of_record(book, now)
    ranked = sorted(holders, key=lambda h: (-h["total"], facts._sort_name(h["name"])))
    outstanding = sum(h["total"] for h in holders)
    need, got = [], 0
    for h in ranked:
        if outstanding and got * 2 > outstanding:
            break
        need.append(h)
        got += h["total"]
    directors = _directors_now(book, now)
    return {
        "corp": facts.corporation(book, now),
        "now": now,
        "finding": {"id": f.id, "code": f.code, "message": f.message, "cites": list(f.cites)},
        "holder": holder,
        "article": _article_name(a),
        "label": a.heading or "",
        "in_force_from": v.effective_on,
        "current": a.text,
        "amended": amended,
        "old_sentence": old,
        "new_sentence": new,
        "directors": directors,
        "holders": holders,
        "signers": need,
        "signed_shares": got,
        "outstanding": outstanding,
        "majority": outstanding // 2 + 1 if outstanding else 0,
        "officer": facts.officer_signers(book, now, 1)[0],
    }


def _paper242(book, act_ref: str, name: str, title: str, cites: tuple[str, ...] | None = None) -> Paper:
    """A §242 cure paper; its citations are its kind's unless `cites` says otherwise."""
    cites = KINDS[name].cites if cites is None else cites
    f, p = finding(book, act_ref)
    if p != "242":
        raise not_for(name, act_ref, f"a finding cured under § {p} ({f.code})", PACKAGES[p])
    ctx = _grant_cure(book, f)
    return Paper(name, title, f"{name}.html.j2", ctx, act=f.id, on=ctx["now"], cites=cites)


@kind(
    "amendment-cure-resolution",
    "Board Resolution Declaring Advisable an Amendment Vesting the Blank-Check Power in the Board",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 242(b)(1)", "8 Del. C. § 102(a)(4)", "8 Del. C. § 151(a)", "8 Del. C. § 141(f)"),
)
def amendment_cure_resolution(book, act, as_of) -> Paper:
    return _paper242(
        book,
        act,
        "amendment-cure-resolution",
        "Unanimous Written Consent of the Board of Directors Declaring Advisable an Amendment of the "
        "Certificate of Incorporation",
    )


@kind(
    "amendment-cure-consent",
    "Stockholders' Written Consent Approving the Amendment",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 242(b)(1)", "8 Del. C. § 228"),
)
def amendment_cure_consent(book, act, as_of) -> Paper:
    return _paper242(
        book,
        act,
        "amendment-cure-consent",
        "Written Consent of the Stockholders Approving an Amendment of the Certificate of Incorporation",
        ("8 Del. C. § 242(b)(1)", "8 Del. C. § 228(a)", "8 Del. C. § 228(e)"),
    )


@kind(
    "amendment-cure-certificate",
    "Certificate of Amendment (the blank-check power vested in the board)",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 242", "8 Del. C. § 228", "8 Del. C. § 103"),
)
def amendment_cure_certificate(book, act, as_of) -> Paper:
    return _paper242(
        book,
        act,
        "amendment-cure-certificate",
        "Certificate of Amendment of Certificate of Incorporation",
    )


# --- §103(f): a filed instrument corrected -------------------------------------------------------------------

_INACCURACY = re.compile(r'specifies the inaccuracy \("([^"]+)"\)')
_MEANT = re.compile(r"with the corrected figure ([\d,]+)")


def _figures(f: Finding) -> tuple[str | None, int | None]:
    """The figure as filed and the figure meant, from the finding's data (else its cure text)."""
    d = dict(f.data)
    read = d.get("read")
    meant = d.get("reconciled", d.get("words"))
    cure_text = _cure_text(f)
    if read is None and (m := _INACCURACY.search(cure_text)):
        read = m.group(1)
    if meant is None and (m := _MEANT.search(cure_text)):
        meant = int(m.group(1).replace(",", ""))
    return (str(read) if read else None), (int(meant) if meant is not None else None)


def _norm(text: str, start: int, end: int) -> tuple[str, int, int]:
    """`text` with each run of whitespace made one space, and where `start`/`end` fall in it."""
    out, ns, ne, space = [], None, None, False
    for i, ch in enumerate(text):
        if i == start:
            ns = len(out)
        if i == end:
            ne = len(out)
        if ch.isspace():
            if not space and out:
                out.append(" ")
            space = True
        else:
            out.append(ch)
            space = False
    if ne is None:
        ne = len(out)
    return "".join(out), ns or 0, ne


def _words(s: str) -> list[str]:
    return re.findall(r"\S+", s)


def _filed_article(book, f: Finding, read: str) -> tuple[str, object, object]:
    """The article as filed around the finding's figure (the stored document's own text, whitespace made one
    space), the charter document it is in, and the version whose article it is."""
    from ..ingest import load, read_texts

    src = f.source
    rows = [r for r in book.documents() if r.name == src.path or Path(r.name).name == Path(src.path).name]
    if not rows:
        raise NotFoundError(f"{f.id}: the book holds no stored copy of {src.path}")
    raw = load.newlines(rows[-1].content)
    read_result = read_texts([(rows[-1].name, rows[-1].content)])
    docs = read_result.charter.documents
    doc = next(
        (
            d
            for d in docs
            if (d.source is not None and d.source.document_id == src.document_id)
            or any(c.document_id == src.document_id for c in d.copies)
        ),
        None,
    )
    # the version the document made, and its capital article: the words to find around the figure
    version = None
    if doc is not None:
        version = next((v for v in book.charter.versions if v.effective_on == doc.signed_on), None)
    version = version or next(
        (v for v in reversed(book.charter.versions) if facts.capital_article(v) is not None), None
    )
    art = facts.capital_article(version) if version is not None else None
    text, ns, ne = _norm(raw, src.start, src.end)
    if art is not None:
        words = _words(art.text)
        head, tail = " ".join(words[:5]), " ".join(words[-4:])
        s = text.rfind(head, 0, ns + 1)
        t = text.find(tail, ne)
        if s >= 0 and t >= 0 and (t - s) < 3 * len(art.text) + 200:
            return text[s : t + len(tail)], doc, version
    # else the paragraph(s) around the figure, between blank lines
    a = raw.rfind("\n\n", 0, src.start)
    z = raw.find("\n\n", src.end)
    para = raw[a + 2 if a >= 0 else 0 : z if z >= 0 else len(raw)]
    return " ".join(_words(para)), doc, version


_SMALL = {"of", "and", "the", "a", "an", "to", "in", "for", "on", "by", "any"}


def _title(t: str) -> str:
    """ "CERTIFICATE OF AMENDMENT OF CERTIFICATE OF INCORPORATION" as a title: "Certificate of Amendment of …"."""
    words = " ".join(t.split()).lower().split(" ")
    return " ".join(w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _correction(book, f: Finding) -> dict:
    read, meant = _figures(f)
    if read is None or meant is None or f.source is None:
        raise InputError(f"{f.id}: the finding gives no figure the book can correct it to")
    filed, doc, version = _filed_article(book, f, read)
    corrected, n = _replace_figure(filed, read, f"{meant:,}", count=1)
    if n != 1:
        raise InputError(f"{f.id}: the figure {read!r} is not in the article as filed")
    art = facts.capital_article(version) if version is not None else None
    now = _now(book)
    v_now = facts.charter_on(book, now)
    corp = facts.corporation(book, now)
    return {
        "corp": corp,
        "now": now,
        "finding": {"id": f.id, "code": f.code, "message": f.message, "cites": list(f.cites)},
        "read": read,
        "meant": meant,
        "evidence": list(dict(f.data).get("evidence") or ()),
        "instrument": {
            "title": _title(doc.title if doc is not None else "Certificate of Incorporation"),
            "signed_on": doc.signed_on if doc is not None else None,
            "filed_on": doc.filed_on if doc is not None else None,
            "statute": doc.statute if doc is not None else None,
            "signatories": [
                {"name": s.name, "capacity": s.capacity} for s in (doc.signatories if doc is not None else ())
            ],
        },
        "article": _article_name(art),
        "label": art.heading if art is not None else "",
        "filed": filed,
        "corrected": corrected,
        "where": f.source.location(),
        "officer": facts.officer_signers(book, now, 1)[0],
        "name_now": (v_now.name or corp["name"]).rstrip("."),
    }


@kind(
    "certificate-of-correction",
    "Certificate of Correction",
    "cure",
    _TARGET,
    cites=("8 Del. C. § 103(f)",),
)
def certificate_of_correction(book, act, as_of) -> Paper:
    f, p = finding(book, act)
    if p != "103(f)":
        raise not_for(
            "certificate-of-correction", act, f"a finding cured under § {p} ({f.code})", PACKAGES[p]
        )
    ctx = _correction(book, f)
    return Paper(
        "certificate-of-correction",
        "Certificate of Correction",
        "certificate-of-correction.html.j2",
        ctx,
        act=f.id,
        on=ctx["now"],
        cites=KINDS["certificate-of-correction"].cites,
    )


# --- the package ---------------------------------------------------------------------------------------------

_BUILD = {
    "ratification-resolution": ratification_resolution,
    "ratification-stockholder-approval": ratification_stockholder_approval,
    "certificate-of-validation": certificate_of_validation,
    "ratification-notice": ratification_notice,
    "amendment-cure-resolution": amendment_cure_resolution,
    "amendment-cure-consent": amendment_cure_consent,
    "amendment-cure-certificate": amendment_cure_certificate,
    "certificate-of-correction": certificate_of_correction,
}


def papers(book, finding_id: str) -> list[Paper]:
    """The papers of the package that cures the finding `finding_id` (an id, or a code one finding has)."""
    f, p = finding(book, finding_id)
    out = []
    for name in PACKAGES[p]:
        if p == "204":
            ctx = _ratification(book, f)
            if name == "ratification-stockholder-approval" and not ctx["stockholder_paper"]:
                continue
            if name == "certificate-of-validation" and not ctx["validation_paper"]:
                continue
        out.append(_BUILD[name](book, f.id, None))
    return out


def cure(book, finding_id: str, out_dir, fmt: str = "pdf", record: bool = True) -> list[Rendered]:
    """Draw the package curing a finding: each paper rendered as `fmt`, written to `out_dir` and (when
    `record`) recorded in the book as drawn. `NotFoundError` for a finding not in the book (naming the ones
    with a cure); `InputError` for a finding no package cures."""
    from .api import note, write

    out: list[Rendered] = []
    for paper in papers(book, finding_id):
        r = render(paper, fmt)
        write(r, Path(out_dir) / r.name)
        out.append(r)
    if record:
        for r in out:
            note(book, r)
    return out
