"""From the text of a capital article to a `Capital`, with its defects: malformed figures and their
reconciliation, words and figures that disagree, classes that do not sum to the total, a blank-check
power given to anyone but the board, a missing par statement."""

from __future__ import annotations

import re

from ..core.charter import Capital, StockClass
from ..core.findings import Finding, info, warning
from .extract.citations import cite
from .extract.stock import CapitalRead, read_capital
from .parse import ArticleRead

BLANK_CHECK_CITES = (cite("102(a)(4)"), cite("151(a)"), cite("151(g)"))


def correction_cure(read: str, meant: int | None) -> str:
    """The cure for a filed certificate whose figure is not what the corporation adopted: a §103(f)
    certificate of correction."""
    fixed = f"the corrected figure {meant:,}" if meant is not None else "the figure the corporation adopted"
    return (
        f'file a certificate of correction under §103(f) that specifies the inaccuracy ("{read}") and sets '
        f"forth the article in corrected form with {fixed}; the corrected certificate is effective as of the "
        "original filing, except as to persons substantially and adversely affected by the correction"
    )


# The article texts `capital_of` last read, with what `read_capital` found in each (read here, never changed):
# an article in force in several versions, or the counterpart of another, is read once.
_READ_KEPT: tuple[tuple[str, CapitalRead | None], ...] = ()


def _capital_read(text: str) -> CapitalRead | None:
    """`read_capital(text, 0, len(text))`, kept for the last few texts."""
    global _READ_KEPT
    kept = _READ_KEPT
    for t, cap in kept:
        if t is text:
            return cap
    cap = read_capital(text, 0, len(text))
    _READ_KEPT = ((text, cap), *kept[:7])
    return cap


def capital_of(
    article: ArticleRead, label: str, dgcl: bool, counterpart: ArticleRead | None = None
) -> tuple[Capital | None, list[Finding]]:
    """Read `article`'s authorized capital. `counterpart` is the same article in another copy of the
    same filing, used as evidence when a figure is malformed. `label` names the article for citations
    ("Art. FOURTH, as amended 1999-03-19")."""
    mt = article.text
    cap = _capital_read(mt.text)
    if cap is None:
        return None, []
    out: list[Finding] = []
    other = None
    if counterpart is not None:
        other = _capital_read(counterpart.text.text)
    cites_102 = (cite("102(a)(4)"), label) if dgcl else (label,)
    for a in cap.all_amounts:
        if a.figure and a.figure.ocr and a.figure.value is not None:
            out.append(
                info(
                    "MB-FIGURE-OCR",
                    f'read "{a.figure.raw}" as {a.figure.value:,} (scanning noise)',
                    article.ref(a.start, a.end),
                )
            )
        if a.disagrees:
            out.append(
                warning(
                    "MB-WORDS-FIGURES-DISAGREE",
                    f'words "{a.words}" ({a.words_value:,}) and figures ({a.figure.raw}) disagree; '
                    "the figures are used — confirm against the filed certificate"
                    + (
                        f"; if the figures are wrong, {correction_cure(a.figure.raw, a.words_value)}"
                        if dgcl
                        else ""
                    ),
                    article.ref(a.start, a.end),
                    cites_102 + ((cite("103(f)"),) if dgcl else ()),
                    words=a.words_value,
                    figures=a.figure.value,
                    **({"cure": correction_cure(a.figure.raw, a.words_value)} if dgcl else {}),
                )
            )
    total = cap.total.value if cap.total else None
    classes: list[StockClass] = []
    for c in cap.classes:
        value = c.amount.value if c.amount else None
        if c.amount and c.amount.figure and c.amount.figure.value is None:
            value, finding = _reconcile(c, cap, other, total, article, cites_102, dgcl)
            out.append(finding)
        elif value is None and c.amount and c.amount.words_value is not None:
            value = c.amount.words_value
        elif c.amount and c.amount.figure is None and c.amount.words is None:
            out.append(
                warning(
                    "MB-CAPITAL-BLANK",
                    f"the number of {c.name.lower()} shares is a blank in a form "
                    f'("{article.text.text[c.amount.start : c.amount.end]}"), not a number: fill it in before filing',
                    article.ref(c.amount.start, c.amount.end),
                    cites_102,
                )
            )
        classes.append(
            StockClass(
                c.key, c.name, c.kind, value, c.par, c.no_par, c.votes, source=article.ref(c.start, c.end)
            )
        )
    if cap.series:
        from dataclasses import replace

        from ..core.charter import Series

        by_class: dict[str, list] = {}
        for key, name, amt in cap.series:
            skey = re.sub(r"[^a-z0-9]+", "_", name.lower().replace(" stock", "")).strip("_")
            by_class.setdefault(key, []).append(
                Series(
                    skey, key, name, amt.value, (("fixed_in", "charter"),), article.ref(amt.start, amt.end)
                )
            )
        classes = [
            replace(c, series=tuple(by_class.get(c.key, ()))) if c.key in by_class else c for c in classes
        ]
    if total is None and classes and all(c.authorized is not None for c in classes):
        total_out = sum(c.authorized for c in classes)
    else:
        total_out = total
    if total is not None and classes and all(c.authorized is not None for c in classes):
        s = sum(c.authorized for c in classes)
        if s != total:
            parts = " + ".join(f"{c.authorized:,} {c.name.lower()}" for c in classes)
            out.append(
                warning(
                    "MB-CAPITAL-SUM-MISMATCH",
                    f"the classes ({parts} = {s:,}) do not sum to the stated total of {total:,} shares",
                    article.ref(cap.total.start, cap.total.end),
                    cites_102,
                    total=total,
                    classes_sum=s,
                )
            )
    if dgcl and classes and any(c.par_value is None and not c.no_par for c in classes):
        missing = ", ".join(c.name for c in classes if c.par_value is None and not c.no_par)
        out.append(
            warning(
                "MB-PAR-MISSING",
                f"no par value or statement of no par for {missing}",
                article.ref(0, min(len(mt.text), 80)),
                cites_102,
            )
        )
    holder = cap.holder
    if holder and holder != "board of directors" and dgcl and any(c.kind == "preferred" for c in classes):
        out.append(
            warning(
                "MB-BLANK-CHECK-NOT-BOARD",
                f"power to fix the terms of preferred stock is given to {holder}, not the board of directors: "
                "§102(a)(4) and §151(a) allow only an express grant to the board, so a series whose terms are "
                f"fixed by {holder} alone is putative stock; while no series has been designated under the "
                "grant, no act is defective and the cure is a §242 amendment vesting the power in the board; "
                "§204 ratification becomes the cure for a series once one is designated under it",
                article.ref(*cap.holder_span),
                BLANK_CHECK_CITES + (label,),
                holder=holder,
            )
        )
    capital = Capital(total_out, tuple(classes), holder, article.ref(0, min(len(mt.text), 120)))
    return capital, out


def _reconcile(c, cap, other, total, article: ArticleRead, cites, dgcl: bool) -> tuple[int | None, Finding]:
    fig = c.amount.figure
    evidence: list[str] = []
    votes: dict[int, int] = {}
    if other is not None:
        oc = next((x for x in other.classes if x.key == c.key), None)
        if oc and oc.amount and oc.amount.value is not None:
            evidence.append(
                f"the other copy reads {oc.amount.figure.raw if oc.amount.figure else oc.amount.value}"
            )
            votes[oc.amount.value] = votes.get(oc.amount.value, 0) + 1
    others = [x for x in cap.classes if x is not c]
    if total is not None and all(x.amount and x.amount.value is not None for x in others):
        rest = total - sum(x.amount.value for x in others)
        names = " and ".join(x.name.lower() for x in others) or "other classes"
        evidence.append(
            f"the total {total:,} less {names} {sum(x.amount.value for x in others):,} is {rest:,}"
        )
        votes[rest] = votes.get(rest, 0) + 1
    if c.amount.words_value is not None:
        evidence.append(f"the words read {c.amount.words_value:,}")
        votes[c.amount.words_value] = votes.get(c.amount.words_value, 0) + 1
    best = max(votes, key=votes.get) if votes else None
    ref = article.ref(c.amount.start, c.amount.end)
    readings = " or ".join(f"{v:,}" for v in fig.candidates)
    if best is not None and (best in fig.candidates or not fig.candidates):
        msg = (
            f'malformed figure "{fig.raw}" for {c.name.lower()} (could be read {readings}); '
            f"reconciled as {best:,}: " + "; ".join(evidence)
        )
        cure = {"cure": correction_cure(fig.raw, best)} if dgcl else {}
        if cure:
            msg += f"; cure: {cure['cure']}"
            cites = (*cites, cite("103(f)"))
        return best, warning(
            "MB-FIGURE-MALFORMED",
            msg,
            ref,
            cites,
            read=fig.raw,
            reconciled=best,
            evidence=tuple(evidence),
            **cure,
        )
    msg = (
        f'malformed figure "{fig.raw}" for {c.name.lower()} (could be read {readings}); '
        "nothing in the charter settles it — check the certified copy"
    )
    cure = {"cure": correction_cure(fig.raw, None)} if dgcl else {}
    if cure:
        msg += f"; if the filed certificate reads so, {cure['cure']}"
        cites = (*cites, cite("103(f)"))
    return None, warning(
        "MB-FIGURE-MALFORMED",
        msg,
        ref,
        cites,
        read=fig.raw,
        reconciled=None,
        evidence=tuple(evidence),
        **cure,
    )
