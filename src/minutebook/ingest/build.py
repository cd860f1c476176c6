"""From documents to dated charter versions.

Duplicate copies of one filing are merged (the cleaner copy is operative; the other is evidence).
Documents are put in time order, not file order; each amendment is applied to the version before it
(replacing only the articles it names), a restatement replaces every article, a certificate of
designations adds its series to the class. Each version is derived from its articles alone.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date

from ..core.charter import Article, Capital, CharterVersion, Provision, Series, StockClass
from ..core.findings import Finding, info, warning
from .capital import capital_of
from .extract import parties, provisions
from .extract.articles import article_label
from .extract.citations import cite
from .parse import ArticleRead, DocRead
from .textmap import joined_words, squeeze

KIND_RANK = {"incorporation": 0, "articles": 0, "restated": 1, "amendment": 2, "designations": 3, "other": 4}


def merge_duplicates(docs: list[DocRead]) -> tuple[list[DocRead], list[Finding]]:
    kept: list[DocRead] = []
    findings: list[Finding] = []
    for d in docs:
        twin = next((k for k in kept if _same_filing(k, d)), None)
        if twin is None:
            kept.append(d)
            continue
        diffs = _differences(twin.mt.text, d.mt.text)
        what = "; ".join(diffs) if diffs else "no difference in wording"
        when = f" signed {d.signed_on.isoformat()}" if d.signed_on else ""
        findings.append(
            warning(
                "MB-DOC-DUPLICATE",
                f"second copy of the {_kind_name(d)}{when} (first at line {twin.title_ref.line}); "
                f"the copies differ: {what}",
                d.title_ref,
                differences=tuple(diffs),
            )
        )
        # the operative copy is the one with fewer malformed figures; file order breaks ties
        if _defects(d) < _defects(twin):
            d.copies = twin.copies + [twin]
            twin.copies = []
            kept[kept.index(twin)] = d
        else:
            twin.copies.append(d)
    return kept, findings


def _kind_name(d: DocRead) -> str:
    names = {
        "incorporation": "certificate of incorporation",
        "amendment": "certificate of amendment",
        "restated": "restated certificate",
        "designations": "certificate of designations",
        "articles": "articles of incorporation",
        "other": "document",
    }
    return names[d.kind] + (f" (§{d.statute})" if d.statute and d.kind == "amendment" else "")


def _same_filing(a: DocRead, b: DocRead) -> bool:
    if a.kind != b.kind or a.statute != b.statute or a.date != b.date:
        return False
    wa, wb = a.mt.text.split(), b.mt.text.split()
    if min(len(wa), len(wb)) < 0.8 * max(len(wa), len(wb)):
        return False
    head, tail = _common_ends(wa, wb)
    ma, mb = wa[head : len(wa) - tail], wb[head : len(wb) - tail]
    total = len(wa) + len(wb)
    if len(ma) + len(mb) < 0.15 * total:
        return True  # the same words but for a short stretch: more than 85 % alike
    sm = difflib.SequenceMatcher(None, ma, mb, autojunk=False)
    if (2 * (head + tail) + sm.quick_ratio() * (len(ma) + len(mb))) / total <= 0.85:
        return False  # even every word the middles share, in order, would not make them 85 % alike
    if max(len(ma), len(mb)) > _DIFF_LIMIT:  # difflib is quadratic: past this, the words in common decide
        return True
    same = head + tail + sum(block.size for block in sm.get_matching_blocks())
    return 2 * same / total > 0.85


_DIFF_LIMIT = 4000  # words: two stretches longer than this are not compared word by word


def _common_ends(a: list, b: list) -> tuple[int, int]:
    """How many items `a` and `b` share at their start, and then at their end."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    return head, tail


def _defects(d: DocRead) -> int:
    n = 0
    for a in d.articles:
        n += len(re.findall(r"\d,\d{3},\d{1,2}(?!\d)", a.text.text))
    return n


def _norm_token(t: str) -> str:
    return re.sub(r"[^\w,$.]", "", t.lower()).strip(".,")


def _differences(a: str, b: str, limit: int = 8) -> list[str]:
    wa, wb = a.split(), b.split()
    na, nb = [_norm_token(t) for t in wa], [_norm_token(t) for t in wb]
    out = []
    head, tail = _common_ends(na, nb)
    if max(len(na), len(nb)) - head - tail > _DIFF_LIMIT:
        return [f"the copies part at word {head + 1} and differ over more words than are listed"]
    ea, eb = len(na) - tail, len(nb) - tail
    sm = difflib.SequenceMatcher(None, na[head:ea], nb[head:eb], autojunk=False)  # only where they part
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        ta, tb = " ".join(wa[i1:i2]), " ".join(wb[j1:j2])
        if "".join(na[i1:i2]) == "".join(nb[j1:j2]):
            continue
        out.append(
            f'"{ta}" / "{tb}"'
            if ta and tb
            else (f'only the first has "{ta}"' if ta else f'only the second has "{tb}"')
        )
        if len(out) >= limit:
            out.append("…")
            break
    return out


def order(docs: list[DocRead]) -> list[DocRead]:
    return sorted(docs, key=lambda d: (d.date or date.max, KIND_RANK.get(d.kind, 5), d.index))


def build_versions(docs: list[DocRead]) -> tuple[list[CharterVersion], list[Finding]]:
    findings: list[Finding] = []
    versions: list[CharterVersion] = []
    current: dict[int, ArticleRead] = {}
    memo: dict[tuple[int, int], _ArticleFacts] = {}  # what each article in force says, read once
    # the preferred series designated so far, by key (a later designation of a key last)
    designated: dict[str, Series] = {}
    stated: dict[str, StockClass] = {}  # classes known only from what designations say of them
    stated_total: int | None = None
    have_base = False
    base_missing = False
    for d in order(docs):
        if d.kind == "other":
            continue
        dgcl = d.jurisdiction in (None, "Delaware")
        if d.kind in ("incorporation", "articles") or (d.kind == "restated" and d.replaces_all):
            if have_base and d.kind != "restated":
                findings.append(
                    warning(
                        "MB-DOC-SECOND-INCORPORATION",
                        "a second certificate of incorporation; it replaces the first",
                        d.title_ref,
                    )
                )
            current = {a.number: a for a in d.articles}
            have_base = True
            base_missing = False
        elif d.kind in ("amendment", "restated"):
            if not have_base:
                findings.append(
                    warning(
                        "MB-NO-BASE-CHARTER",
                        "an amendment with no certificate of incorporation before it: "
                        "the versions show only the articles the amendments set out",
                        d.title_ref,
                    )
                )
                have_base = True
                base_missing = True
            for a in d.articles:
                current[a.number] = _apply(current.get(a.number), a)
            for n in d.deleted:
                current.pop(n, None)
            for n, ref in d.changes_unresolved:
                findings.append(
                    warning(
                        "MB-AMENDMENT-TEXT-NOT-FOUND",
                        f"the amendment names Article {article_label(n)} but its new text could not be found",
                        ref,
                    )
                )
            if not d.articles and not d.deleted and not d.changes_unresolved and not d.splits:
                findings.append(
                    warning(
                        "MB-AMENDMENT-TARGET-UNKNOWN",
                        "could not tell which article this amendment changes",
                        d.title_ref,
                    )
                )
        for sr, ref in d.series:
            key = re.sub(r"[^a-z0-9]+", "_", sr.name.lower().replace(" stock", "")).strip("_")
            terms = (
                (("par_value", str(sr.par)),)
                if sr.par is not None
                else (("no_par", "true"),)
                if sr.no_par
                else ()
            )
            designated.pop(key, None)  # (one dictionary operation each: a document may designate thousands)
            designated[key] = Series(key, "preferred", sr.name, sr.authorized, terms, ref)
        for cm, ref in d.mentions:
            stated[cm.kind] = _stated_class(stated.get(cm.kind), cm, ref)
        stated_total = d.stated_total if d.stated_total is not None else stated_total
        if d.date is None:
            findings.append(
                warning(
                    "MB-DATE-MISSING",
                    "no signing, filing or effective date found; "
                    "the document is placed by its position in the file",
                    d.title_ref,
                )
            )
        elif d.date_basis == "executed":
            findings.append(
                info(
                    "MB-DATE-EXECUTION-ONLY",
                    f"no filing date in the text; the execution date {d.date.isoformat()} "
                    "is used as the effective date",
                    d.signed_ref or d.title_ref,
                    (cite("103(d)"),) if dgcl else (),
                )
            )
        if d.kind == "designations" and not have_base:
            base_missing = True
        series = {"preferred": list(designated.values())} if designated else {}
        v, vf = derive(current, series, d, dgcl, stated, stated_total, memo)
        if base_missing:
            v = replace(v, partial=True)
        versions.append(v)
        findings.extend(vf)
    return versions, findings


def _stated_class(old: StockClass | None, cm, ref) -> StockClass:
    """A class as a designation states it in passing, over what earlier ones said."""
    name = "Preferred Stock" if cm.kind == "preferred" else "Common Stock"
    if old is None:
        return StockClass(cm.kind, name, cm.kind, cm.authorized, cm.par, cm.no_par, None, (), ref)
    return replace(
        old,
        authorized=cm.authorized if cm.authorized is not None else old.authorized,
        par_value=cm.par if cm.par is not None else old.par_value,
        no_par=cm.no_par or (old.no_par and cm.par is None),
    )


def derive(
    current: dict[int, ArticleRead],
    series: dict[str, list[Series]],
    d: DocRead,
    dgcl: bool,
    stated: dict[str, StockClass] | None = None,
    stated_total: int | None = None,
    memo: dict[tuple[int, int], _ArticleFacts] | None = None,
) -> tuple[CharterVersion, list[Finding]]:
    """A charter version from its articles: name, office, agent, purpose, capital, provisions. `memo`
    keeps what each article says from one version to the next (an article in force in several versions
    is read once)."""
    memo = {} if memo is None else memo
    findings: list[Finding] = []
    name = office = agent = purpose = None
    capital: Capital | None = None
    provs: list[Provision] = []
    arts: list[Article] = []
    when = d.date.isoformat() if d.date else "undated"
    for n in sorted(current):
        a = current[n]
        facts = memo.get((id(a), n))
        if facts is None or facts.article is not a:
            facts = memo[(id(a), n)] = _ArticleFacts(a, n)
        text = a.text.text
        arts.append(facts.heading)
        amended = a.document_id != _base_id(current)
        cite_label = f"Art. {facts.label}" + (
            f", as amended {when}" if amended and a.document_id == d.id else ""
        )
        for kind, ps, pe, provision in facts.provisions:
            provs.append(provision)
            if kind == "name" and name is None:
                nm = facts.once("name", parties.corporation_name, text)
                name = nm[0] if nm else None
            elif kind == "registered_office" and office is None:
                ro = facts.once("office", parties.registered_office, text)
                ra = facts.once("agent", parties.registered_agent, text)
                office, agent = (ro[0] if ro else None), (ra[0] if ra else None)
            elif kind == "purpose" and purpose is None:
                purpose = joined_words(text, ps, pe)
            elif kind == "authorized_capital" and (capital is None or _incomplete(capital)):
                counterpart = _counterpart(a, d)
                more, cf = facts.once(
                    ("capital", cite_label, dgcl, id(counterpart)),
                    capital_of,
                    a,
                    cite_label,
                    dgcl,
                    counterpart,
                )
                capital = more if capital is None else _merge_capital(capital, more)
                findings.extend(cf)
    if capital is None and (series or stated):
        # no capital article in force: what the designations state of the classes, and nothing more
        known = dict(stated or {})
        if series.get("preferred") and "preferred" not in known:
            known["preferred"] = StockClass("preferred", "Preferred Stock", "preferred", None, None)
        order = sorted(known.values(), key=lambda c: c.kind != "preferred")
        capital = Capital(stated_total, tuple(order), None, order[0].source if order else None)
    if capital is not None and series:
        classes = tuple(
            replace(c, series=_merge_series(c.series, series.get(c.key, ()))) if c.kind == "preferred" else c
            for c in capital.classes
        )
        capital = replace(capital, classes=classes)
        for c in classes:
            designated = sum(s.authorized or 0 for s in c.series)
            if c.authorized is not None and designated > c.authorized:
                findings.append(
                    warning(
                        "MB-SERIES-EXCEEDS-CLASS",
                        f"series designated ({designated:,}) exceed the {c.name} authorized "
                        f"({c.authorized:,})",
                        c.series[-1].source,
                        (cite("151(g)"), cite("161")) if dgcl else (),
                    )
                )
    for sp, ref in d.splits:
        provs.append(
            Provision(
                _article_at(current, ref) or "",
                None,
                "stock_split",
                (
                    ("from", sp.old),
                    ("to", sp.new),
                    ("class", sp.class_key),
                    ("kind", "forward" if sp.new > sp.old else "reverse"),
                    ("dgcl", "242(a)(3)"),
                ),
                ref,
                ref.text,
            )
        )
    if name is None and d.name:
        name = d.name[0]
    version = CharterVersion(
        effective_on=d.date,
        name=name,
        registered_office=office,
        registered_agent=agent,
        purpose=purpose,
        capital=capital,
        provisions=tuple(provs),
        sources=(d.title_ref,),
        articles=tuple(arts),
        document_id=d.id,
        document_kind=d.kind,
        statute=d.statute,
        date_basis=d.date_basis,
        jurisdiction=d.jurisdiction,
    )
    return version, findings


class _ArticleFacts:
    """What an article in force says, whatever the version: its heading, its provisions, and (read when first
    asked) its name, office, agent and capital."""

    __slots__ = ("article", "label", "heading", "provisions", "_once")

    def __init__(self, a: ArticleRead, n: int):
        text = a.text.text
        self.article = a
        self.label = label = article_label(n)
        self.heading = Article(n, a.label, joined_words(text), a.ref())
        self.provisions = [
            (
                kind,
                ps,
                pe,
                Provision(
                    label,
                    para,
                    kind,
                    tuple(params.items()) + (("dgcl", sec),),
                    a.ref(ps, pe),
                    squeeze(text, 2000, ps, pe),
                ),
            )
            for kind, sec, params, ps, pe, para in _kinds(a)
        ]
        self._once: dict = {}

    def once(self, key, fn, *args):
        """`fn(*args)`, called once for `key` (the arguments are held, so that an id in the key is not reused)."""
        if key not in self._once:
            self._once[key] = (fn(*args), args)
        return self._once[key][0]


def _incomplete(capital: Capital) -> bool:
    """A capital article that states the total but not the classes (they follow in another article)."""
    return not capital.classes or capital.total_authorized is None


def _merge_capital(first: Capital, more: Capital | None) -> Capital:
    """The capital stated across two articles ("Article V: the total number ... is N"; "Article VI: M shares
    ... shall be known as Common Stock")."""
    if more is None:
        return first
    keys = {c.key for c in first.classes}
    return replace(
        first,
        total_authorized=first.total_authorized
        if first.total_authorized is not None
        else more.total_authorized,
        classes=first.classes + tuple(c for c in more.classes if c.key not in keys),
        blank_check_holder=first.blank_check_holder or more.blank_check_holder,
    )


def _merge_series(in_charter, designated) -> tuple:
    """The charter's series in their order, each replaced by a later designation of it; new ones after."""
    by_key = {s.key: s for s in designated}
    out = []
    for s in in_charter:
        d = by_key.pop(s.key, None)
        out.append(
            s if d is None else (d if d.authorized is not None else replace(d, authorized=s.authorized))
        )
    return tuple(out) + tuple(by_key.values())


def _base_id(current: dict[int, ArticleRead]) -> str | None:
    ids = [a.document_id for a in current.values()]
    return max(set(ids), key=ids.count) if ids else None


def _counterpart(a: ArticleRead, d: DocRead) -> ArticleRead | None:
    for copy in d.copies:
        for b in copy.articles:
            if b.number == a.number:
                return b
    return None


def _kinds(a: ArticleRead):
    from .extract.articles import paragraphs

    text = a.text.text
    seen = False
    for para, ps, pe in paragraphs(text, 0, len(text)):
        for kind, sec, params in provisions.classify(text[ps:pe]):
            seen = True
            yield kind, sec, params, ps, pe, para
    if not seen:
        yield "text", None, {}, 0, len(text), None


def _apply(old: ArticleRead | None, new: ArticleRead) -> ArticleRead:
    """The article after an amendment: the new text, or — where the amendment replaces one paragraph
    or adds one — the old article with that paragraph replaced or the new one added."""
    if old is None or (new.part is None and new.action == "replace"):
        return new
    text = old.text.text
    if new.action == "append":
        pieces = [old.text, new.text]
    else:
        span = _paragraph_span(text, new.part)
        if span is None:
            return new
        pieces = [old.text.slice(0, span[0]), new.text, old.text.slice(span[1], len(text))]
    return ArticleRead(old.number, old.label, _join(pieces, new.text), new.document_id)


def _paragraph_span(text: str, part: str | None) -> tuple[int, int] | None:
    from .extract.articles import paragraphs

    if part in ("first", "second", "third", "fourth", "fifth", "last"):
        blocks = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?![ \t]*\n))*", text)]
        idx = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}[part]
        return blocks[idx] if blocks and -len(blocks) <= idx < len(blocks) else None
    for label, s, e in paragraphs(text, 0, len(text)):
        if label and part and label.lower() == part.lower():
            return s, e
    return None


def _join(pieces, anchor):
    from .textmap import Builder

    b = Builder(anchor.file)
    for i, p in enumerate(pieces):
        at = (
            p.origin[0]
            if len(p.origin) and p.file is anchor.file
            else (anchor.origin[0] if len(anchor.origin) else 0)
        )
        if i:
            b.insert("\n\n", at)
        if p.file is anchor.file:
            b.copy(p, 0, len(p.text))
        else:
            b.insert(p.text, at)
    return b.build()


def _article_at(current: dict[int, ArticleRead], ref) -> str | None:
    """The article whose text holds `ref` (a split clause inside the new Article FOURTH, say)."""
    for n, a in current.items():
        if (
            a.document_id == ref.document_id
            and len(a.text.origin)
            and a.text.origin[0] <= ref.start <= a.text.origin[-1]
        ):
            return article_label(n)
    return None
