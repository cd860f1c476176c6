"""Papers from a book opened from its fold snapshot — a large book's way of opening: its history stays in the store
and each paper reads what it needs from there (by type, a holder's acts by the holder's id, the certificates' acts
by their numbers) — are the very papers the same book gives with its whole history held in memory, and drawing
them never reads that history into the book. Also the documents page's list of ids, the holder page's events and
the governance commands' ids, read the same way."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from test_papers import AUXER

from minutebook.book import open_book, snapshot
from minutebook.core.errors import MinutebookError
from minutebook.core.events import Event
from minutebook.render import paper
from minutebook.render.output import html

# the kinds the demo does not draw, on acts the fixture records (a written consent, a series, a transfer of a
# certificate), and the cure papers the demo's findings give
MORE = [
    ("stockholder-consent", "C-2001", None),
    ("consent-notice", "C-2001", None),
    ("certificate-of-designations", "series-a", None),
    ("stock-certificate", "CS-9", None),
    ("holder-ledger", "alice", None),
    ("holder-ledger", "eugene", date(2000, 6, 30)),
    ("uncertificated-notice", "eugene", None),
]
CURES = ("amendment-cure-resolution", "amendment-cure-consent", "amendment-cure-certificate",
         "certificate-of-correction", "certificate-of-validation", "ratification-notice", "ratification-resolution",
         "ratification-stockholder-approval")  # fmt: skip
# the demo's papers but its cures (named there by a code, of which the fixture's series makes a second finding)
PAPERS = [a for a in AUXER if a[0] not in CURES] + MORE


@pytest.fixture(scope="module")
def pair(auxer_template, tmp_path_factory):
    """The Auxer demo's book with a written consent of stockholders, a series, a certificate transferred, a split (a
    book with a correction is never opened from a snapshot: it is read whole); then (for FROM = 10, 'large') opened
    once to keep its snapshot: (opened from the snapshot, opened again with its history held)."""
    folder = tmp_path_factory.mktemp("streamed")
    path = folder / "auxer.db"
    shutil.copy(auxer_template, path)
    keys = auxer_template.parent / f".{auxer_template.name}.keys"
    shutil.copytree(
        keys, folder / ".auxer.db.keys"
    )  # the snapshot's seal is keyed: the key folder goes with it
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(snapshot, "FROM", 10)
        b = open_book(str(path))
        _record_more(b)
        b.close()
        open_book(str(path)).close()  # read whole: keeps a snapshot
        streamed, held = open_book(str(path)), open_book(str(path))
        assert streamed._log._fetch is not None  # opened from the snapshot
        assert len(held.events) > 10 and held._log.in_memory
        held.history = lambda: _Held(held)  # its history as held, with no prefilter
        yield streamed, held
        streamed.close()
        held.close()


class _Held:
    """A held book's history read as a reader would without the store's prefilters: every event of the types asked
    for, up to the date asked, in effective order, filtered from `Book.events` in memory (the rest as the store
    gives it). What a paper draws from it is what the prefilters must not change."""

    def __init__(self, book):
        self.book, self.stored = book, type(book).history(book)

    def events(self, as_of=None, types=None, **prefilter):
        return [
            e
            for e in sorted(self.book.events, key=Event.sort_key)
            if (as_of is None or e.effective_on <= as_of) and (types is None or e.type in types)
        ]

    def last_date(self):
        return max((e.effective_on for e in self.book.events), default=None)

    def __getattr__(self, name):
        return getattr(self.stored, name)


def _record_more(b) -> None:
    def ok(r):
        assert not r.refused, r.findings
        return r.event.seq

    signed = [{"signer": h, "signed_on": "2001-02-01"} for h in ("eugene", "alice")]
    matters = [{"id": "C-2001-1", "kind": "general", "text": "that the bylaws' quorum section be kept"}]
    ok(b.written_consent("C-2001", on=date(2001, 2, 1), matters=matters, signatures=signed, historical=True))
    series = [{"id": "R-2001-2", "kind": "designate_series", "text": "Create Series A"}]
    ok(b.board_act("B-2001-2", on=date(2001, 3, 1), form="consent", present=["eugene", "jane", "john"],
                   resolutions=series))  # fmt: skip
    ok(b.designate_series("preferred", "series-a", "Series A Preferred Stock", 1_000_000, on=date(2001, 3, 1),
                          approved_by="R-2001-2", historical=True))  # fmt: skip
    # eugene's certificate CS-1 surrendered on a transfer to alice: new certificates for each
    ok(b.transfer("eugene", "alice", "common", 1_000, on=date(2001, 4, 2), certificate="CS-1",
                  new_certificate="CS-9", balance_certificate="CS-10", historical=True))  # fmt: skip
    ok(b.transfer("eugene", "alice", "common", 5, on=date(2001, 4, 3), historical=True))
    ok(
        b.split("common", 1, 2, on=date(2001, 5, 1), historical=True)
    )  # restates the ledger and the certificates


@pytest.mark.parametrize(("kind", "act", "as_of"), PAPERS, ids=[f"{k}-{a or d}" for k, a, d in PAPERS])
def test_a_paper_of_a_book_opened_from_its_snapshot_is_the_held_books_and_leaves_its_history_in_the_store(
    pair, kind, act, as_of
):
    streamed, held = pair
    want = html(paper(held, kind, act, as_of))
    assert html(paper(streamed, kind, act, as_of)) == want
    assert not streamed._log.in_memory


def _drawn(book, kind, act):
    """The paper's page, or the one line a refusal gives."""
    try:
        return html(paper(book, kind, act))
    except MinutebookError as ex:
        return f"refused: {ex}"


def test_each_findings_cure_papers_are_the_held_books(pair):
    """Every cure paper for every finding of the book (by its id), or the refusal of one that does not apply."""
    streamed, held = pair
    findings = held.check()
    assert {f.code for f in findings} >= {"MB-BLANK-CHECK-DEFECTIVE", "MB-APPROVAL-MISSING"}
    drawn = 0
    for f in findings:
        for kind in CURES:
            want = _drawn(held, kind, f.id)
            assert _drawn(streamed, kind, f.id) == want, (kind, f.code)
            drawn += not want.startswith("refused")
    assert drawn >= 6 and not streamed._log.in_memory


def test_a_paper_refused_is_refused_alike(pair):
    streamed, held = pair
    for kind, act in (("holder-ledger", "nobody"), ("stock-certificate", "CS-404"), ("board-minutes", "B-404"),
                      ("certificate-of-designations", "series-z"), ("uncertificated-notice", "john")):  # fmt: skip
        with pytest.raises(MinutebookError) as want:
            paper(held, kind, act)
        with pytest.raises(type(want.value), match=None) as got:
            paper(streamed, kind, act)
        assert str(got.value) == str(want.value), (kind, act)
    assert not streamed._log.in_memory


def test_the_ids_a_paper_may_be_drawn_for_are_the_held_histories(pair):
    """The documents page's ids, read from the store (the governance acts, the holders' events, the ledger's acts
    naming a certificate), each named as what its first recorded event names it: the same as walking those events
    of the held history in the order recorded; every holder, certificate and act id the book holds is among them."""
    from minutebook.core.replay import HOLDER_TYPES
    from minutebook.web.documents import _NAMES, _acts

    streamed, held = pair
    certifying = ("certificate", "new_certificate", "balance_certificate")
    want: dict[str, str] = {}
    for e in held.events:  # the rule itself, over the held history in the order recorded
        b = e.body
        fields = {f for f in (*_NAMES, "resolutions", "matters") if hasattr(b, f)}
        ledger = bool(fields & set(certifying))
        if not (e.type in HOLDER_TYPES or e.type == "SeriesDesignated" or fields - {"holder_id"}):
            continue  # an act naming a holder only: its holder is one the book added
        if ledger and not any(getattr(b, f, None) for f in certifying):
            continue  # an act of shares without a certificate: its holder too
        for attr, what in _NAMES.items():
            v = getattr(b, attr, None)
            if isinstance(v, str) and v:
                want.setdefault(v, what)
        if e.type == "SeriesDesignated":
            want.setdefault(b.series_key, "series")
        for attr, what in (("resolutions", "resolution"), ("matters", "matter")):
            for r in getattr(b, attr, ()) or ():
                if isinstance(r, dict) and isinstance(r.get("id"), str):
                    want.setdefault(r["id"], what)
    got = _acts(streamed)
    assert got == dict(sorted(want.items())) and not streamed._log.in_memory
    assert set(held.holders) | {c.number for c in held.certificates()} <= set(got)
    assert {"CS-9", "CS-10", "series-a", "C-2001", "C-2001-1", "R-2001-2", "B-2001-2", "M-1999"} <= set(got)


def test_the_holder_pages_events_and_the_governance_ids_are_the_held_histories(pair):
    from minutebook.cli.gov_common import gov
    from minutebook.web.views import _involves, _last_recorded

    streamed, held = pair
    for hid in held.holders:
        want = [e for e in held.events if _involves(e, hid)]
        assert want and _last_recorded(streamed, hid, 200) == want[-200:], hid
        assert _last_recorded(streamed, hid, 2) == want[-2:], hid
    assert gov(streamed) == gov(held) and gov(streamed).used
    assert not streamed._log.in_memory
