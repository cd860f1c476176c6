"""The vote each kind of stockholder action needs, 8 Del. C. §§ 216, 242, 271, 102(b)(2).

- §242(b)(1), §271(a): a majority of the outstanding stock entitled to vote (not of the votes cast);
- §242(b)(2): each class whose authorized shares or par value the amendment changes, or whose rights it
  alters adversely, votes separately by a majority of its outstanding shares — unless the charter opts
  out of the class vote on a change in authorized shares;
- §242(d)(2) (from 1 August 2023): an increase or decrease of the authorized shares of a class listed on a
  national securities exchange, or a reverse split of it, carries at a meeting when the votes cast for exceed
  the votes cast against (each class with a class vote likewise) — unless the charter expressly requires more;
- §216(2): other matters, a majority of the shares present and entitled to vote (abstentions count);
- §216(3): directors, a plurality of the votes of the shares present;
- §102(b)(2) (a charter's compromise clause): a majority in number representing three-fourths in value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ...core.charter import article_label
from ...core.errors import NotFoundError
from ...core.votes import Electorate
from ..params import param
from ..registry import describe
from .common import article, c, provision

OUTSTANDING = ("amend_charter", "asset_sale", "ratify_amendment")


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    standard: str
    rule: str
    cites: tuple[str, ...]
    detail: str


def amendment_changes(record, matter: Mapping) -> dict:
    """The changes an amendment matter proposes: its own params, or those of the board resolution it
    carries (`params.resolution`)."""
    params = dict(matter.get("params") or {})
    rid = params.get("resolution")
    if rid and rid in record.resolutions:
        return {**dict(record.resolutions[rid][1].get("params") or {}), **params}
    return params


def class_votes_required(
    version, changes: Mapping, el: Electorate, unmet=None
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(class, why, cites) for each class that must vote separately on an amendment (§242(b)(2)). `unmet(class)`
    (`carve_out.checker`) says why the charter's carve-out does not bind a class (None: it does)."""
    if version is None or version.capital is None:
        return []
    carve = provision(version, "class_vote_carve_out")
    only_nonvoting = carve is not None and _carve_out_for_nonvoting_only(version, carve)
    out = []
    for cls in version.capital.classes:
        if el.shares.get(cls.key, 0) <= 0:
            continue  # no outstanding share of the class: no class to vote
        why = None
        cites: tuple[str, ...] = (c("242(b)(2)"),)
        new_auth = (changes.get("authorized") or {}).get(cls.key)
        if new_auth is not None and int(new_auth) != cls.authorized:
            why = f"its authorized shares change from {cls.authorized:,} to {int(new_auth):,}"
            if carve is not None and (not only_nonvoting or cls.votes_per_share == 0):
                gap = unmet(cls.key) if unmet is not None else None
                if gap is None:
                    continue  # the charter opts out of the class vote on authorized shares (for this class)
                why += f"; the charter's opt-out ({article(version, carve)}) does not bind the class: {gap}"
                cites = (*cites, article(version, carve))
            elif carve is not None:
                why += f" (the charter's opt-out, {article(version, carve)}, reaches only classes denied voting power)"
                cites = (*cites, article(version, carve))
        new_par = (changes.get("par") or {}).get(cls.key)
        if new_par is not None and str(new_par) != str(cls.par_value):
            why = f"its par value changes from {cls.par_value} to {new_par}"
        if cls.key in (changes.get("adversely_affects") or ()):
            why = "its powers, preferences or special rights are altered adversely"
        if why:
            out.append((cls.key, why, cites))
    return out


def _carve_out_for_nonvoting_only(version, carve) -> bool:
    """Whether the charter's opt-out reaches only classes it denies voting power (Auxer Art. EIGHTH(3):
    "no share of any such class which is otherwise denied voting power shall entitle the holder thereof
    to vote upon the increase or decrease in the number of authorized shares of said class")."""
    text = " ".join(a.text for a in version.articles if article_label(a.number) == carve.article)
    return bool(re.search(r"denied\s+voting\s+power", text, re.I))


def outstanding_majority(kind: str, for_: Mapping[str, int], el: Electorate, version) -> Verdict:
    fv, total = el.votes(for_), el.total()
    if kind == "asset_sale":
        p = provision(version, "asset_sale")
        cites = (c("271(a)"),) + ((article(version, p),) if p else ())
        rule = "dgcl.271.a.majority_outstanding"
        who = f"charter {article(version, p)} and §271(a)" if p else "§271(a)"
    else:
        cites, rule, who = (c("242(b)(1)"),), "dgcl.242.b.1.majority_outstanding", "§242(b)(1)"
    return Verdict(
        2 * fv > total,
        f"a majority of the outstanding voting power ({who})",
        rule,
        cites,
        f"{fv:,} votes for of {total:,} outstanding (needs more than {total // 2:,})",
    )


def split_ratio(spec) -> Fraction | None:
    """A split given as "2:1" or "2-for-1" (new shares for old): 2; "1-for-10": 1/10; None if unreadable."""
    if not spec:
        return None
    try:
        a, b = (int(x) for x in str(spec).lower().replace("-for-", ":").replace(" for ", ":").split(":"))
        return Fraction(a, b)
    except (ValueError, ZeroDivisionError):
        return None


def section_242d_in_force(on: date) -> bool:
    try:
        return on >= date.fromisoformat(str(param("dgcl.242.d.since", on)))
    except NotFoundError:
        return False  # before §242(d) was enacted


def listed_242d2(record, changes: Mapping, version, on: date) -> dict[str, str] | None:
    """{class: exchange} when an amendment voted on `on` qualifies for §242(d)(2): it only increases or decreases
    the authorized shares of classes, or combines (reverse split) the issued shares of a class, each such class
    listed on a national securities exchange on that day; None otherwise (and always before 1 August 2023).
    The listing must hold immediately before the amendment takes effect and the holder count the exchange
    requires immediately after: the book knows listings, not holder counts, so that second condition is
    taken as met (the finding says so)."""
    if not section_242d_in_force(on) or version is None or version.capital is None:
        return None
    if any(changes.get(k) for k in ("par", "articles", "name", "adversely_affects")):
        return None
    touched: set[str] = set()
    for cls, n in (changes.get("authorized") or {}).items():
        old = version.capital.cls(cls)
        if old is None or old.authorized is None or int(n) == old.authorized:
            return None
        touched.add(cls)
    if changes.get("split"):
        ratio = split_ratio(changes["split"])
        cls = changes.get("class_key") or next(iter(touched), None) or _only_class(version)
        if ratio is None or ratio >= 1 or cls is None:
            return None  # §242(d)(2) reaches a combination (reverse split), not a subdivision
        touched.add(cls)
    if not touched:
        return None
    where = {cls: record.listed_on(cls, on) for cls in touched}
    if any(x is None for x in where.values()):
        return None
    return where  # type: ignore[return-value]


def _only_class(version) -> str | None:
    keys = [c.key for c in version.capital.classes]
    return keys[0] if len(keys) == 1 else None


def votes_cast(
    for_: Mapping[str, int], against: Mapping[str, int], el: Electorate, listed: Mapping
) -> Verdict:
    """§242(d)(2)(B): the votes cast for the amendment exceed the votes cast against (abstentions are not cast)."""
    fv, av = el.votes(for_), el.votes(against)
    where = ", ".join(f"{k} on {x}" for k, x in sorted(listed.items()))
    return Verdict(
        fv > av,
        f"more votes cast for than against (§242(d)(2): {where}; the exchange's holder-count requirement after "
        "the amendment is taken as met)",
        "dgcl.242.d.2.votes_cast",
        (c("242(d)(2)"),),
        f"{fv:,} votes for, {av:,} against",
    )


def class_votes_cast(cls: str, for_: Mapping[str, int], against: Mapping[str, int]) -> Verdict:
    n, m = for_.get(cls, 0), against.get(cls, 0)
    return Verdict(
        n > m,
        f"more {cls} shares cast for than against, voting as a class (§242(d)(2))",
        "dgcl.242.d.2.votes_cast",
        (c("242(d)(2)"), c("242(b)(2)")),
        f"{n:,} {cls} shares for, {m:,} against",
    )


def present_majority(for_: Mapping[str, int], present: Mapping[str, int], el: Electorate) -> Verdict:
    fv, pv = el.votes(for_), el.votes(present)
    return Verdict(
        2 * fv > pv,
        "a majority of the shares present and entitled to vote (§216(2))",
        "dgcl.216.2.majority_present",
        (c("216(2)"),),
        f"{fv:,} votes for of {pv:,} present (needs more than {pv // 2:,})",
    )


def class_majority(cls: str, for_: Mapping[str, int], el: Electorate) -> Verdict:
    n, total = for_.get(cls, 0), el.shares.get(cls, 0)
    return Verdict(
        2 * n > total,
        f"a majority of the outstanding {cls} shares voting as a class (§242(b)(2))",
        "dgcl.242.b.2.class_vote",
        (c("242(b)(2)"),),
        f"{n:,} {cls} shares for of {total:,} outstanding",
    )


def compromise(for_holders: Mapping[str, int], against_holders: Mapping[str, int]) -> Verdict:
    """§102(b)(2) clause: a majority in number of those voting, representing three-fourths in value.
    Arguments: holder -> shares voted."""
    n_for, n_all = len(for_holders), len(for_holders) + len(against_holders)
    v_for = sum(for_holders.values())
    v_all = v_for + sum(against_holders.values())
    ok = 2 * n_for > n_all and 4 * v_for >= 3 * v_all and n_all > 0
    return Verdict(
        ok,
        "a majority in number representing three-fourths in value (§102(b)(2))",
        "dgcl.102.b.2.compromise",
        (c("102(b)(2)"),),
        f"{n_for} of {n_all} holders, {v_for:,} of {v_all:,} shares in value",
    )


def plurality(tallies: Mapping[str, int], seats: int) -> tuple[list[str], Verdict]:
    ranked = sorted((n for n in tallies.items() if n[1] > 0), key=lambda kv: (-kv[1], kv[0]))
    elected = [k for k, _ in ranked[:seats]]
    if len(ranked) > seats and ranked[seats - 1][1] == ranked[seats][1]:
        # a tie for the last seat elects no one to it: those tied are not elected (the incumbent holds over)
        tied = ranked[seats][1]
        elected = [k for k, n in ranked[:seats] if n > tied]
    return elected, Verdict(
        bool(elected),
        "a plurality of the votes of the shares present (§216(3))",
        "dgcl.216.3.plurality",
        (c("216(3)"),),
        ", ".join(f"{k} {v:,}" for k, v in ranked) or "no votes",
    )


_BY = "minutebook.law.dgcl.meetings:votes_rule and minutebook.law.dgcl.consents:consent_rule"
describe(
    "dgcl.242.b.1.majority_outstanding",
    cites=(c("242(b)(1)"),),
    summary="A charter amendment needs a majority of the outstanding stock entitled to vote, not of the votes cast.",
    codes=("MB-VOTE-FAILED", "MB-CONSENT-INSUFFICIENT"),
    applied_by=_BY,
)
describe(
    "dgcl.242.b.2.class_vote",
    cites=(c("242(b)(2)"),),
    summary="A class votes separately when an amendment changes its authorized shares or par or adversely "
    "alters its rights.",
    codes=("MB-CLASS-VOTE-FAILED", "MB-CLASS-VOTE-MISSING", "MB-CONSENT-INSUFFICIENT"),
    applied_by=_BY,
    default="the charter may opt out of the class vote on a change in authorized shares (§242(b)(2)); "
    "minutebook honours a class_vote_carve_out provision in the charter in force — for every class, or, where "
    "its text limits it to classes denied voting power (Auxer Art. EIGHTH(3)), for those classes only",
)
describe(
    "dgcl.242.d.2.votes_cast",
    cites=(c("242(d)(2)"),),
    summary="From 1 Aug 2023, an increase or decrease of a listed class's authorized shares, or its reverse split, "
    "carries at a meeting by more votes cast for than against (each class vote likewise).",
    codes=("MB-VOTE-FAILED", "MB-CLASS-VOTE-FAILED"),
    applied_by="minutebook.law.dgcl.meetings:votes_rule",
    default="unless the certificate of incorporation expressly requires otherwise; only at a meeting (a written "
    "consent still needs §242(b)(1)'s majority of the outstanding); the class must be listed on a national "
    "securities exchange on the day of the vote (`minutebook class list-on-exchange`)",
)
describe(
    "dgcl.271.a.majority_outstanding",
    cites=(c("271(a)"),),
    summary="A sale of all or substantially all assets needs a majority of the outstanding stock entitled to vote.",
    codes=("MB-VOTE-FAILED", "MB-CONSENT-INSUFFICIENT"),
    applied_by=_BY,
    default="a charter clause on asset sales (Auxer Art. EIGHTH) is cited beside the statute where present",
)
describe(
    "dgcl.216.2.majority_present",
    cites=(c("216(2)"),),
    summary="Other matters carry by a majority of the shares present and entitled to vote.",
    codes=("MB-VOTE-FAILED",),
    applied_by=_BY,
    default="the charter or bylaws may require more",
)
describe(
    "dgcl.216.3.plurality",
    cites=(c("216(3)"),),
    summary="Directors are elected by a plurality of the votes of the shares present.",
    codes=("MB-VOTE-FAILED", "MB-ELECTION-TIE"),
    applied_by=_BY,
)
describe(
    "dgcl.211.e.written_ballot",
    cites=(c("211(e)"),),
    summary="Directors are elected by written ballot unless the charter provides otherwise.",
    codes=("MB-ELECTION-NOT-BY-BALLOT",),
    applied_by=_BY,
    default="a no_written_ballot provision in the charter (Auxer Art. EIGHTH) dispenses with the ballot",
)
describe(
    "dgcl.102.b.2.compromise",
    cites=(c("102(b)(2)"),),
    summary="Under a charter's compromise clause: a majority in number representing three-fourths in value.",
    codes=("MB-VOTE-FAILED",),
    applied_by=_BY,
)
describe(
    "dgcl.160.c.treasury_no_vote",
    cites=(c("160(c)"),),
    summary="Shares held by the corporation itself (treasury) neither vote nor count for quorum.",
    codes=(),
    applied_by="minutebook.core.votes:electorate",
)
