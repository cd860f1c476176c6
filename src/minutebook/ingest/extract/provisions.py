"""Charter provisions by kind: each article (or numbered paragraph of one) matched against the
clauses a Delaware charter commonly carries; anything unrecognised is kept as cited text.

Each kind names the DGCL section it rests on and what it governs downstream (who may amend the
bylaws, what vote sells the assets, who may inspect the books, whether §203 applies, ...).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...core.votes import quorum_share
from ..textmap import joined_words, lower_same

# kind -> (pattern, DGCL section it relates to)
KINDS: tuple[tuple[str, re.Pattern, str | None], ...] = tuple(
    (k, re.compile(p, re.I | re.S), s)
    for k, p, s in (
        ("name", r"\bname\s+of\s+(?:this|the)\s+corporation\b(?![^.]{0,80}incorporator)", "102(a)(1)"),
        ("registered_office", r"\bregistered\s+office\b|\bregistered\s+agent\b", "102(a)(2)"),
        (
            "purpose",
            r"\b(?:the\s+)?(?:nature\s+of\s+the\s+business|purposes?)\s+(?:of\s+the\s+corporation\s+)?(?:is|are|"
            r"to\s+be\s+conducted)|any\s+lawful\s+act\s+or\s+activity",
            "102(a)(3)",
        ),
        (
            "authorized_capital",
            r"\b(?:total|aggregate)\s+number\s+of\s+(?:authorized\s+)?shares|share\s+capital\s+of\s+the\s+"
            r"(?:Company|Corporation)\s+is[^.]{0,120}?divided\s+into|(?:authority|authorized)\s+to\s+issue[^.]{0,80}?\d"
            r"[\d,]{2,}|authorized\s+capital\s+stock(?:[^.]|\.(?=\d)){0,200}?(?:consist|is|divided)(?:[^.]|\.(?=\d)){0,200}?"
            r"\d[\d,]{2,}\)?\s+shares|authorized\s+capital\s+stock[^.]{0,80}?(?:known|designated)\s+as\s+[\"“]?(?:Common|Preferred)",
            "102(a)(4)",
        ),
        (
            "preferred_blank_check",
            r"(?:fix|determine|designate|establish)[^.]{0,200}?(?:powers|preferences|designations)[^.]{0,200}?"
            r"preferred|preferred[^.]{0,120}?series[^.]{0,200}?(?:board|resolution)",
            "151(a)",
        ),
        (
            "stock_split",
            r"\beach\s+(?:\w+\s+)?(?:\(\d+\)\s+)?shares?\b[^.]{0,300}?\b(?:combined|reclassified|split|"
            r"subdivided|consolidated)\b",
            "242(a)(3)",
        ),
        (
            "incorporator",
            r"\bincorporators?\b[^.]{0,60}?\b(?:name|mailing\s+address|are\s+as\s+follows)",
            "102(a)(6)",
        ),
        (
            "initial_directors",
            r"\b(?:initial|first)\s+(?:board\s+of\s+)?directors?\b[^.]{0,80}?\b(?:names?|are|is)\b",
            "102(a)(6)",
        ),
        ("perpetual_existence", r"perpetual\s+existence|existence\s+shall\s+be\s+perpetual", "102(b)(5)"),
        ("compromise_arrangement", r"compromise\s+or\s+arrangement", "102(b)(2)"),
        ("management_by_board", r"management\s+of\s+the\s+business[^.]{0,120}?vested\s+in", "141(a)"),
        (
            "board_size_by_bylaws",
            r"number\s+of\s+directors[^.]{0,160}?(?:by-?laws|fixed\s+by[^.]{0,40}?resolution)",
            "141(b)",
        ),
        (
            "no_written_ballot",
            r"(?:need\s+not|need\s+be|shall\s+not\s+be)[^.]{0,10}\s+by\s+written\s+ballot|written\s+"
            r"ballot[^.]{0,40}?(?:not\s+be\s+required|unless)",
            "211(e)",
        ),
        (
            "board_may_amend_bylaws",
            r"(?:power|authori[sz]ed|empowered)[^.]{0,120}?(?:adopt|make|alter),?\s+(?:amend|alter)[^.]{0,40}?"
            r"(?:or\s+)?repeal[^.]{0,80}?by-?laws[^.]{0,200}?board\s+of\s+directors|board\s+of\s+"
            r"directors[^.]{0,120}?(?:adopt|make),?\s+(?:amend|alter)[^.]{0,30}?repeal[^.]{0,40}?by-?laws",
            "109(a)",
        ),
        (
            "staggered_board",
            r"(?:classified|divided)\s+(?:with\s+respect\s+to\s+the\s+time[^.]{0,80}?)?into\s+three\s+classes|"
            r"staggered\s+terms",
            "141(d)",
        ),
        (
            "class_vote_carve_out",
            r"subsection\s+\(b\)\s+(?:to|of)\s+Section\s+242|242\s*\(b\)\s*\(2\)",
            "242(b)(2)",
        ),
        (
            "asset_sale",
            r"(?:dispose|sell|lease|exchange)[^.]{0,80}?(?:whole\s+property|all\s+or\s+substantially\s+all)",
            "271",
        ),
        ("inspection_limited", r"open\s+to\s+(?:the\s+)?inspection|right\s+(?:of|to)\s+inspect", "220"),
        (
            "books_outside_delaware",
            r"(?:books|meetings?)[^.]{0,160}?outside\s+(?:of\s+)?the\s+State\s+of\s+Delaware",
            "224",
        ),
        (
            "exculpation",
            r"personal\s+liability[^.]{0,200}?(?:director|officer)|(?:director|officer)s?[^.]{0,80}?(?:shall\s+"
            r"not\s+be|not\s+be)\s+personally\s+liable|102\s*\(b\)\s*\(7\)|paragraph\s+\(7\)\s+of\s+"
            r"subsection\s+\(b\)",
            "102(b)(7)",
        ),
        ("indemnification", r"\bindemnif", "145"),
        (
            "reserved_amendment_power",
            r"reserves\s+the\s+right\s+to\s+amend|provisions\s+of\s+this\s+(?:certificate|charter)[^.]{0,80}?"
            r"may\s+be\s+amended",
            "242",
        ),
        (
            "section_203_opt_out",
            r"not\s+(?:to\s+)?be\s+governed\s+by\s+Section\s+203|Section\s+203[^.]{0,60}?shall\s+not\s+apply",
            "203(b)(1)",
        ),
        (
            "no_written_consent",
            r"(?:may\s+not|shall\s+not|no)\s+(?:be\s+)?(?:taken\s+|act\s+)?(?:action\s+)?[^.]{0,40}?by\s+"
            r"(?:any\s+)?(?:consent\s+in\s+writing|written\s+consent)",
            "228",
        ),
        ("forum_selection", r"exclusive\s+forum|sole\s+and\s+exclusive\s+forum", "115"),
        ("stockholder_quorum", r"\bquorum\b", "216"),
        ("preemptive_rights", r"pre-?emptive\s+rights?", "102(b)(3)"),
        ("cumulative_voting", r"cumulative\s+voting|cumulate\s+(?:their\s+)?votes", "214"),
        ("corporate_opportunity", r"corporate\s+opportunit", "122(17)"),
    )
)


# Words each kind's pattern cannot match without (in the text lowered): a cheap test before the pattern,
# which is tried only if every group has one of its words in the text.
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "name": (("name",), ("corporation",)),
    "registered_office": (("registered",),),
    "purpose": (("purpose", "business", "lawful"),),
    "authorized_capital": (("shares", "issue"),),
    "preferred_blank_check": (
        ("preferred",),
        ("powers", "preference", "designation", "series"),
        ("powers", "preferences", "designations", "board", "resolution"),  # one in each alternative's match
    ),
    "stock_split": (
        ("each",),
        ("share",),
        ("combined", "reclassified", "split", "subdivided", "consolidated"),
    ),
    "incorporator": (("incorporator",), ("name", "mailing", "follows")),
    "initial_directors": (("director",), ("initial", "first")),
    "perpetual_existence": (("perpetual",), ("existence",)),
    "compromise_arrangement": (("compromise",), ("arrangement",)),
    "management_by_board": (("management",), ("vested",)),
    "board_size_by_bylaws": (("directors",), ("laws", "resolution")),
    "no_written_ballot": (("ballot",), ("written",)),
    "board_may_amend_bylaws": (("repeal",), ("laws",), ("board",)),
    "staggered_board": (("classes", "staggered"),),
    "class_vote_carve_out": (("242",),),
    "asset_sale": (("property", "substantially"), ("dispose", "sell", "lease", "exchange")),
    "inspection_limited": (("inspect",),),
    "books_outside_delaware": (("outside",), ("delaware",)),
    "exculpation": (("liab", "102", "subsection"),),
    "indemnification": (("indemnif",),),
    "reserved_amendment_power": (("amend",), ("reserves", "provisions")),
    "section_203_opt_out": (("203",), ("section",)),
    "no_written_consent": (("consent",),),
    "forum_selection": (("forum",),),
    "stockholder_quorum": (("quorum",),),
    "preemptive_rights": (("emptive",),),
    "cumulative_voting": (("cumulat",),),
    "corporate_opportunity": (("opportunit",),),
}
# Words a match of each of these kinds' patterns begins with (in the text lowered): the pattern is tried only
# where one begins, which for these patterns (slow to try at every position) is much quicker than `search`.
_STARTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "authorized_capital": ("total", "aggregate", "authori", "share capital"),
    "preferred_blank_check": ("fix", "determine", "designate", "establish", "preferred"),
    "board_size_by_bylaws": ("number",),
    "staggered_board": ("classified", "divided", "staggered"),
    "class_vote_carve_out": ("subsection", "242"),
    "exculpation": ("personal", "director", "officer", "102", "paragraph"),
}
_KINDS_NEEDS = tuple((kind, pat, sec, _NEEDS[kind], _STARTS.get(kind)) for kind, pat, sec in KINDS)


def _found(pat: re.Pattern, text: str, low: str, starts: tuple[str, ...]) -> bool:
    """`pat.search(text)` is not None, for a pattern whose matches begin with one of `starts`."""
    find, match = low.find, pat.match
    cands = []
    for w in starts:
        i = find(w)
        while i != -1:
            cands.append(i)
            i = find(w, i + 1)
    return any(match(text, i) for i in sorted(cands))


def classify(text: str) -> list[tuple[str, str | None, dict]]:
    """Kinds a paragraph of charter text carries, with their DGCL section and parameters."""
    return [(kind, sec, dict(params)) for kind, sec, params in _classify(text)]


@lru_cache(maxsize=256)
def _classify(text: str) -> tuple[tuple[str, str | None, dict], ...]:
    out = []
    low = lower_same(text)
    for kind, pat, sec, needs, starts in _KINDS_NEEDS:
        if low is None:
            found = pat.search(text) is not None
        else:
            found = True
            for group in needs:
                for w in group:
                    if w in low:
                        break
                else:
                    found = False
                    break
            if found:
                found = _found(pat, text, low, starts) if starts else pat.search(text) is not None
        if found and kind == "stockholder_quorum":
            q = _stockholder_quorum(text)
            if q is not None:
                out.append((kind, sec, q))
        elif found:
            out.append((kind, sec, _params(kind, text)))
    if any(k == "authorized_capital" for k, _, _ in out):
        out = [
            o for o in out if o[0] not in ("purpose", "name", "registered_office", "reserved_amendment_power")
        ]
    if any(k == "exculpation" for k, _, _ in out):
        out = [
            o
            for o in out
            if o[0] != "reserved_amendment_power"
            and o[0] != "indemnification"
            or o[0] == "indemnification"
            and "145" in text
        ]
    if any(k == "compromise_arrangement" for k, _, _ in out):
        out = [o for o in out if o[0] == "compromise_arrangement"]
    return tuple(out)


_QUORUM = re.compile(r"\bquorum\b", re.I)
_SENTENCE_RUN = re.compile(r"[^.;]+")
_OF_STOCK = re.compile(r"\b(?:stock|shares|stockholders?|voting\s+power)\b", re.I)


def _stockholder_quorum(text: str) -> dict | None:
    """The quorum a charter sets for stockholder meetings (§216): {share: "1/3", strict: bool, text}, from the
    sentence naming the quorum, when it concerns the shares (not the directors); None otherwise."""
    flat = joined_words(text)
    # each run between "." and ";" once, the word looked for in it (a pattern reaching out from the word both ways,
    # tried at every place, is quadratic in a long text with neither mark)
    for m in _SENTENCE_RUN.finditer(flat):
        if not _QUORUM.search(m.group(0)):
            continue
        sentence = m.group(0).strip()
        if not _OF_STOCK.search(sentence):
            continue  # a quorum of the board (§141(b)), not of the stockholders
        share = quorum_share(sentence)
        if share is None:
            continue
        return {"share": str(share[0]), "strict": share[1], "text": sentence}
    return None


# The kinds whose parameters are read from the paragraph's words (the others' are not, and its words not joined)
_READ_PARAMS = (
    "exculpation",
    "asset_sale",
    "class_vote_carve_out",
    "board_may_amend_bylaws",
    "inspection_limited",
)


def _params(kind: str, text: str) -> dict:
    if kind == "compromise_arrangement":
        return {"headcount": "majority in number", "value": "three-fourths in value", "receivers": "291, 279"}
    if kind not in _READ_PARAMS:
        return {}
    flat = joined_words(text)
    if kind == "exculpation":
        officers = bool(re.search(r"\bofficers?\b", flat, re.I))
        return {"scope": "directors and officers" if officers else "directors"}
    if kind == "asset_sale":
        vote = "majority of the outstanding stock" if re.search(r"majority", flat, re.I) else None
        scope = "whole property" if "whole property" in flat.lower() else "all or substantially all"
        return {"scope": scope, "vote": vote}
    if kind == "class_vote_carve_out":
        opt_out = bool(
            re.search(r"increase\s+or\s+decrease\s+in\s+the\s+number\s+of\s+authorized\s+shares", flat, re.I)
        )
        return {"opts_out_of_authorized_share_class_vote": opt_out}
    if kind == "board_may_amend_bylaws":
        return {"after_payment_only": bool(re.search(r"payment", flat, re.I))}
    if kind == "inspection_limited":
        limited = bool(re.search(r"conferred\s+by\s+law|required\s+by\s+law", flat, re.I))
        return {"except_as_conferred_by_law": limited}
    return {}
