"""Certificates filed with the Delaware Secretary of State, drawn from the charter in the book: the certificate of
amendment (§242, or §241 before any payment for stock) quoting each amended article as amended, the certificate of
designations (§151(g)), and the restated certificate (§245) compiled from the charter in force on a date. (The
certificate of correction, §103(f), is drawn for the finding it cures: `cures`.)
"""

from __future__ import annotations

from ..core.charter import CharterVersion, article_label
from ..core.events import CharterAmended, Event, Incorporated, SeriesDesignated
from ..core.findings import Severity
from . import facts
from .papers import Paper, kind, no_such, not_for


def _articles(v: CharterVersion) -> list[dict]:
    return [{"label": article_label(a.number), "text": a.text} for a in v.articles]


def _changed(old: CharterVersion | None, new: CharterVersion) -> list[dict]:
    """The articles of `new` whose text differs from `old`'s (every article when there is no `old`)."""
    before = {a.number: " ".join(a.text.split()) for a in old.articles} if old is not None else {}
    return [
        {"label": article_label(a.number), "text": a.text}
        for a in new.articles
        if " ".join(a.text.split()) != before.get(a.number)
    ]


def _approvals(book, ids) -> list[dict]:
    """Each approval an act names, resolved: who gave it, when, how, the vote it needed."""
    approvals = book.approvals()
    out = []
    for aid in ids or ():
        o = approvals.get(aid)
        if o is None:
            out.append({"id": aid, "known": False})
            continue
        out.append(
            {
                "id": aid,
                "known": True,
                "body": o.body,
                "on": o.on,
                "passed": o.passed,
                "standard": o.standard,
                "kind": o.kind.replace("_", " "),
            }
        )
    return out


def _event_findings(book, e: Event) -> list[str]:
    return [
        f.format()
        for f in book.check(as_of=e.effective_on)
        if dict(f.data).get("event") == e.seq and f.severity != Severity.INFO
    ]


def amendment_event(book, act: str | None, as_of) -> Event:
    """The `CharterAmended` event named "event N" or by one of its approvals' ids, or in force from `as_of`."""
    amendments = facts.recorded(book, CharterAmended)
    if act is not None:
        e = facts.find_event(book, act, (CharterAmended,))
        if e is not None:
            return e
        for x in amendments:
            if act in (x.body.approved_by or ()):
                return x
        if facts.find_event(book, act) is not None:
            raise not_for("certificate-of-amendment", act, "not a charter amendment")
        known = [f"event {x.seq}" for x in amendments] + [a for x in amendments for a in x.body.approved_by]
        raise no_such("charter amendment (or approval of one)", act, known)
    v = facts.charter_on(book, as_of)
    for x in amendments:
        if x.effective_on == v.effective_on:
            return x
    raise no_such(
        "charter amendment in force from",
        v.effective_on.isoformat() if v.effective_on else "an undated version",
        [x.effective_on.isoformat() for x in amendments],
    )


def _incorporators(book) -> tuple[str, ...]:
    return next((x.body.incorporators for x in facts.recorded(book, Incorporated)), ())


def _signer(book, e: Event) -> dict:
    """Who signs a certificate (§103(a)): an authorized officer; before any director is elected, the incorporator."""
    if not book.directors(as_of=e.effective_on):
        inc = _incorporators(book)
        if inc:
            return {
                "name": inc[0],
                "title": "Incorporator" if len(inc) == 1 else "Incorporator (each must sign)",
            }
    return facts.officer_signers(book, e.effective_on, 1)[0]


@kind(
    "certificate-of-amendment",
    "Certificate of Amendment of Certificate of Incorporation",
    "filings",
    "a charter amendment: event N or an approval's id (R-…, M-…, C-…); or --as-of its effective date",
    needs="either",
    cites=("8 Del. C. § 242", "8 Del. C. § 241"),
)
def certificate_of_amendment(book, act, as_of) -> Paper:
    e = amendment_event(book, act, as_of)
    versions = book.charter.versions
    new = book.charter.at(e.effective_on)
    i = versions.index(new)
    old = versions[i - 1] if i else None
    statute = e.body.statute or new.statute or "242"
    before_payment = str(statute).startswith("241")
    corp = facts.corporation(book, e.effective_on)
    ctx = {
        "corp": corp,
        "on": e.effective_on,
        "statute": "241" if before_payment else "242",
        "original_on": versions[0].effective_on if versions else None,
        "changed": _changed(old, new),
        "approvals": _approvals(book, e.body.approved_by),
        "signer": _signer(book, e),
        "incorporators": _incorporators(book),
        "findings": _event_findings(book, e),
    }
    title = (
        "Certificate of Amendment of Certificate of Incorporation Before Payment of Any Part of the Capital"
        if before_payment
        else "Certificate of Amendment of Certificate of Incorporation"
    )
    return Paper(
        "certificate-of-amendment",
        title,
        "certificate-of-amendment.html.j2",
        ctx,
        act=act or f"event {e.seq}",
        on=e.effective_on,
        cites=(f"8 Del. C. § {ctx['statute']}", "8 Del. C. § 103"),
    )


@kind(
    "certificate-of-designations",
    "Certificate of Designations",
    "filings",
    "a series: its key, event N, or the resolution fixing its terms (R-…)",
    cites=("8 Del. C. § 151(g)",),
)
def certificate_of_designations(book, act, as_of) -> Paper:
    series = facts.recorded(book, SeriesDesignated)
    e = facts.find_event(book, act, (SeriesDesignated,))
    if e is None:
        e = next(
            (x for x in series if act in (x.body.series_key, x.body.name, x.body.approved_by)),
            None,
        )
    if e is None:
        if facts.find_event(book, act) is not None:
            raise not_for("certificate-of-designations", act, "not a series designation")
        raise no_such("series", act, [x.body.series_key for x in series])
    b: SeriesDesignated = e.body
    v = facts.charter_on(book, e.effective_on)
    cls = v.capital.cls(b.class_key) if v.capital is not None else None
    art = facts.capital_article(v)
    ctx = {
        "corp": facts.corporation(book, e.effective_on),
        "on": e.effective_on,
        "series_name": b.name,
        "series_key": b.series_key,
        "authorized": b.authorized,
        "class_name": cls.name if cls else b.class_key,
        "class_authorized": cls.authorized if cls else None,
        "par": cls.par_value if cls else None,
        "no_par": cls.no_par if cls else False,
        "designated_by": b.designated_by,
        "by_board": "board" in (b.designated_by or "").lower(),
        "blank_check_holder": v.capital.blank_check_holder if v.capital else None,
        "article": article_label(art.number) if art is not None else None,
        "approval": (_approvals(book, [b.approved_by]) or [None])[0] if b.approved_by else None,
        "terms": b.terms,
        "signer": facts.officer_signers(book, e.effective_on, 1)[0],
        "findings": _event_findings(book, e),
    }
    return Paper(
        "certificate-of-designations",
        f"Certificate of Designations of {b.name}",
        "certificate-of-designations.html.j2",
        ctx,
        act=b.series_key,
        on=e.effective_on,
        cites=("8 Del. C. § 151(g)", "8 Del. C. § 103"),
    )


@kind(
    "restated-certificate",
    "Restated Certificate of Incorporation",
    "filings",
    "--as-of DATE: the charter in force on that date, restated",
    needs="date",
    cites=("8 Del. C. § 245",),
)
def restated_certificate(book, act, as_of) -> Paper:
    v = facts.charter_on(book, as_of)
    versions = book.charter.versions
    first = versions[0]
    ctx = {
        "corp": facts.corporation(book, as_of),
        "on": as_of,
        "version_on": v.effective_on,
        "original_name": first.name,
        "original_on": first.effective_on,
        "amendments": [
            {"on": x.effective_on, "statute": x.statute, "kind": x.document_kind}
            for x in versions[1 : versions.index(v) + 1]
        ],
        "articles": _articles(v),
        "signer": facts.officer_signers(book, as_of, 1)[0],
    }
    return Paper(
        "restated-certificate",
        "Restated Certificate of Incorporation",
        "restated-certificate.html.j2",
        ctx,
        as_of=as_of,
        on=as_of,
        cites=("8 Del. C. § 245", "8 Del. C. § 103"),
    )
