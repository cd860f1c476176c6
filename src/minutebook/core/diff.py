"""Structured differences between two charter versions: which article, which class, old → new."""

from __future__ import annotations

from dataclasses import dataclass

from .charter import CharterVersion, StockClass

_ORDINALS = [
    "FIRST",
    "SECOND",
    "THIRD",
    "FOURTH",
    "FIFTH",
    "SIXTH",
    "SEVENTH",
    "EIGHTH",
    "NINTH",
    "TENTH",
    "ELEVENTH",
    "TWELFTH",
    "THIRTEENTH",
    "FOURTEENTH",
    "FIFTEENTH",
    "SIXTEENTH",
    "SEVENTEENTH",
    "EIGHTEENTH",
    "NINETEENTH",
    "TWENTIETH",
]


def article_label(number: int) -> str:
    return _ORDINALS[number - 1] if 0 < number <= len(_ORDINALS) else str(number)


@dataclass(frozen=True, slots=True)
class Change:
    """One edit: `field` names what changed ("authorized", "par_value", "text", "name", ...)."""

    article: str | None
    field: str
    old: object
    new: object
    class_key: str | None = None
    series_key: str | None = None

    def describe(self) -> str:
        where = f"Art. {self.article}" if self.article else "charter"
        if self.class_key:
            where += f", {self.class_key}" + (f"/{self.series_key}" if self.series_key else "")
        return f"{where}: {self.field} {_show(self.old)} → {_show(self.new)}"

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "field": self.field,
            "class": self.class_key,
            "series": self.series_key,
            "old": _json(self.old),
            "new": _json(self.new),
        }


def _show(v: object) -> str:
    if v is None:
        return "—"
    if isinstance(v, int):
        return f"{v:,}"
    s = str(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _json(v: object) -> object:
    return v if v is None or isinstance(v, (int, str, bool)) else str(v)


def diff_versions(a: CharterVersion, b: CharterVersion) -> tuple[Change, ...]:
    out: list[Change] = []
    for fld in ("name", "registered_office", "registered_agent", "purpose"):
        old, new = getattr(a, fld), getattr(b, fld)
        if old != new:
            out.append(Change(None, fld, old, new))
    cap_article = _capital_article(b) or _capital_article(a)
    ca, cb = a.capital, b.capital
    if ca or cb:
        if (ca and ca.total_authorized) != (cb and cb.total_authorized):
            out.append(
                Change(
                    cap_article, "total_authorized", ca and ca.total_authorized, cb and cb.total_authorized
                )
            )
        if (ca and ca.blank_check_holder) != (cb and cb.blank_check_holder):
            out.append(
                Change(
                    cap_article,
                    "preferred_terms_fixed_by",
                    ca and ca.blank_check_holder,
                    cb and cb.blank_check_holder,
                )
            )
        old_classes = {c.key: c for c in (ca.classes if ca else ())}
        new_classes = {c.key: c for c in (cb.classes if cb else ())}
        for key in list(old_classes) + [k for k in new_classes if k not in old_classes]:
            out.extend(_class_changes(cap_article, old_classes.get(key), new_classes.get(key), key))
    old_art = {x.number: x for x in a.articles}
    new_art = {x.number: x for x in b.articles}
    for n in sorted(set(old_art) | set(new_art)):
        ta = old_art[n].text if n in old_art else None
        tb = new_art[n].text if n in new_art else None
        if _norm(ta) != _norm(tb):
            out.append(Change(article_label(n), "text", ta, tb))
    return tuple(out)


def _capital_article(v: CharterVersion) -> str | None:
    for p in v.provisions:
        if p.kind == "authorized_capital":
            return p.article
    return None


def _class_changes(article, old: StockClass | None, new: StockClass | None, key: str) -> list[Change]:
    if old is None:
        return [Change(article, "class added", None, new.authorized, key)]
    if new is None:
        return [Change(article, "class removed", old.authorized, None, key)]
    out = []
    if old.authorized != new.authorized:
        out.append(Change(article, "authorized", old.authorized, new.authorized, key))
    if old.par_text() != new.par_text():
        out.append(Change(article, "par_value", old.par_text(), new.par_text(), key))
    if old.votes_per_share != new.votes_per_share:
        out.append(Change(article, "votes_per_share", old.votes_per_share, new.votes_per_share, key))
    os_ = {s.key: s for s in old.series}
    ns = {s.key: s for s in new.series}
    for sk in list(os_) + [k for k in ns if k not in os_]:
        so, sn = os_.get(sk), ns.get(sk)
        if so is None:
            out.append(Change(article, "series added", None, sn.authorized, key, sk))
        elif sn is None:
            out.append(Change(article, "series removed", so.authorized, None, key, sk))
        elif so.authorized != sn.authorized:
            out.append(Change(article, "authorized", so.authorized, sn.authorized, key, sk))
    return out


def _norm(t: str | None) -> str | None:
    return None if t is None else " ".join(t.split())
