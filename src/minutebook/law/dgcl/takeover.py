"""Business combinations with interested stockholders, 8 Del. C. § 203.

A holder of 15% or more of the outstanding voting stock is an "interested stockholder"; for three years
the corporation may not combine with it unless an exception applies (§203(a)). §203 reaches only a
corporation with a class of voting stock listed on a national exchange or held of record by more than
2,000 stockholders (§203(b)(4)), and not one whose original charter opts out (§203(b)(1)); an opt-out
added by amendment takes effect 12 months after its adoption (§203(b)(3)). minutebook reports the
moment a holder crosses 15% of a corporation §203 reaches, and says which applied: the charter's
opt-out or the statute. A corporation §203(b)(4) does not reach (no listed voting class, 2,000 holders of
record or fewer) gets no finding at all: a founder's issuances there are not takeover events.
"""

from __future__ import annotations

from datetime import date

from ...core.events import SharesConverted, SharesIssued, SharesTransferred
from ...core.findings import info, warning
from ..registry import rule
from .common import article, c, provision

THRESHOLD_PCT = 15
HOLDERS_OF_RECORD = 2000


def _voting(state) -> tuple[dict[str, int], int]:
    v = state.version
    vps = {}
    if v is not None and v.capital is not None:
        vps = {k.key: (1 if k.votes_per_share is None else k.votes_per_share) for k in v.capital.classes}
    per_class: dict[str, int] = {}
    for (cls, _s), n in state.issued.items():
        per_class[cls] = per_class.get(cls, 0) + n - state.treasury.get((cls, _s), 0)
    return vps, sum(n * vps.get(k, 1) for k, n in per_class.items())


def _votes_of(state, holder: str, vps) -> int:
    return sum(state.balances.get((holder, cls, s), 0) * vps.get(cls, 1) for (cls, s) in state.issued)


def _opt_out_since(state) -> tuple[object, date | None]:
    """The opt-out provision in force and the date it took effect (12 months after an amendment)."""
    versions = state.charter.versions
    current = state.version
    p = provision(current, "section_203_opt_out")
    if p is None:
        return None, None
    first = next((v for v in versions if provision(v, "section_203_opt_out") is not None), current)
    if first is versions[0]:
        return p, first.effective_on
    eff = first.effective_on
    try:
        return p, eff.replace(year=eff.year + 1)
    except ValueError:  # 29 February
        return p, eff.replace(year=eff.year + 1, day=28)


@rule(
    "dgcl.203.interested_stockholder",
    cites=(c("203(a)"), c("203(b)(1)"), c("203(b)(3)"), c("203(b)(4)")),
    summary="A holder reaching 15% of the voting stock becomes an interested stockholder: no business "
    "combination with it for 3 years, unless the charter opts out or §203 does not reach the corporation.",
    codes=("MB-203-INTERESTED-STOCKHOLDER",),
    events=("SharesIssued", "SharesTransferred", "SharesConverted"),
    default="§203 applies unless the original charter opts out (at once) or an amendment does (12 months "
    "after adoption); the finding names the charter article (Auxer Art. TWELFTH)",
)
def interested_rule(ctx):
    b = ctx.event.body
    if isinstance(b, SharesIssued):
        holder, cls, n = b.holder_id, b.class_key, b.shares
    elif isinstance(b, SharesTransferred):
        holder, cls, n = b.to_holder, b.class_key, b.shares
    elif isinstance(b, SharesConverted):
        holder, cls, n = b.holder_id, b.to_class, b.to_shares
    else:
        return []
    st = ctx.state
    vps, total = _voting(st)
    per = vps.get(cls, 1)
    if per <= 0:
        return []
    before = _votes_of(st, holder, vps)
    after = before + n * per
    total_after = total + (n * per if isinstance(b, (SharesIssued, SharesConverted)) else 0)
    if (
        total_after <= 0
        or 100 * after < THRESHOLD_PCT * total_after
        or 100 * before >= THRESHOLD_PCT * max(total, 1)
    ):
        return []
    tenths = 1000 * after // total_after
    pct = f"{tenths // 10}.{tenths % 10}"
    on = ctx.event.effective_on
    holders = len({k[0] for k, v in st.balances.items() if v > 0})
    listed = _listed_voting_classes(ctx, vps, on)
    if holders <= HOLDERS_OF_RECORD and not listed:
        return []  # §203(b)(4): the section does not reach this corporation
    reach = (
        f"its {', '.join(listed)} stock is listed on a national securities exchange"
        if listed
        else f"{holders:,} holders of record"
    )
    p, since = _opt_out_since(st)
    who = f"{holder} reaches {pct}% of the voting stock on {on.isoformat()} and becomes an interested stockholder"
    if p is not None and since is not None and on >= since:
        return [
            info(
                "MB-203-INTERESTED-STOCKHOLDER",
                f"{who}; §203 does not apply: the charter opts out ({article(st.version, p)})",
                cites=(c("203(b)(1)"), article(st.version, p)),
            )
        ]
    extra = (
        f" (the charter's opt-out, adopted by amendment, takes effect {since.isoformat()})" if since else ""
    )
    return [
        warning(
            "MB-203-INTERESTED-STOCKHOLDER",
            f"{who}; with {reach} §203 applies: no business combination with it for 3 years without board "
            f"approval beforehand, 85% ownership, or board and 66⅔% disinterested vote{extra}",
            cites=(c("203(a)"), c("203(b)(4)")),
        )
    ]


def _listed_voting_classes(ctx, vps: dict[str, int], on: date) -> list[str]:
    """The voting classes listed on a national securities exchange on `on`, as the governance record knows
    them (a record without listings knows none)."""
    listed_on = getattr(ctx.gov, "listed_on", None)
    if listed_on is None:
        return []
    return [k for k, per in vps.items() if per > 0 and listed_on(k, on)]
