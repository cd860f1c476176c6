"""Stock-ledger rules checked on every append, against the state on the event's effective date and
the charter in force then.

- dgcl.161.within_authorized — §161: directors may issue shares only up to the number the charter
  authorizes; §151: a series only up to its designated number. Treasury shares count as issued.
- dgcl.153.consideration_at_least_par — §153(a): shares with par value are issued for consideration
  of at least their par value (treasury shares may be sold for less, §153(c)).
- dgcl.151g.series_designated — §151(g): a certificate of designations is filed before any share of
  the series is issued.
- ledger.holds_shares — a holder transfers, cancels or sells back only shares the holder has.
- ledger.known_parties — the holder and the class exist.
- dgcl.158.certificate_unique — §158: each certificate is numbered; a number is used once in a class
  (a reused number names the holder and date of its first use).
"""

from __future__ import annotations

from decimal import Decimal

from ..core.events import (
    EQUITY_TYPES,
    CharterAmended,
    Event,
    SharesCancelled,
    SharesConverted,
    SharesIssued,
    SharesRepurchased,
    SharesTransferred,
    StockSplit,
)
from ..core.findings import Finding, error, warning
from ..core.replay import State
from . import equity


def _c(section: str) -> str:
    return f"8 Del. C. § {section}"


def _article(state: State) -> str:
    v = state.version
    if v is None:
        return "charter"
    art = next((p.article for p in v.provisions if p.kind == "authorized_capital" and p.article), "FOURTH")
    when = v.effective_on.isoformat() if v.effective_on else "undated"
    return f"Art. {art}, as in force from {when}"


def check(state_before: State, e: Event, historical: bool = False) -> list[Finding]:
    """Findings for applying `e` to `state_before` (the state just before it, on its date)."""
    body = e.body
    out: list[Finding] = []
    if isinstance(body, SharesIssued):
        out += _known(state_before, body.holder_id, body.class_key, body.series_key)
        out += _within_authorized(
            state_before, body.class_key, body.series_key, body.shares, historical, body.from_treasury
        )
        out += _par(state_before, body)
        out += _cert_unique(state_before, body.class_key, (body.certificate,), historical)
        if (
            body.from_treasury
            and state_before.treasury.get((body.class_key, body.series_key), 0) < body.shares
        ):
            out.append(
                error(
                    "MB-TREASURY-SHORT",
                    f"only {state_before.treasury.get((body.class_key, body.series_key), 0):,} "
                    f"{body.class_key} shares are held in treasury",
                    cites=(_c("160"),),
                )
            )
    elif isinstance(body, SharesTransferred):
        out += _known(state_before, body.from_holder, body.class_key, body.series_key)
        out += _known(state_before, body.to_holder, body.class_key, body.series_key, check_class=False)
        out += _holds(
            state_before, body.from_holder, body.class_key, body.series_key, body.shares, body.certificate
        )
        out += _cert_unique(
            state_before, body.class_key, (body.new_certificate, body.balance_certificate), historical
        )
    elif isinstance(body, (SharesCancelled, SharesRepurchased)):
        out += _known(state_before, body.holder_id, body.class_key, body.series_key)
        out += _holds(
            state_before, body.holder_id, body.class_key, body.series_key, body.shares, body.certificate
        )
    elif isinstance(body, SharesConverted):
        out += _known(state_before, body.holder_id, body.from_class, body.from_series)
        out += _holds(state_before, body.holder_id, body.from_class, body.from_series, body.from_shares, None)
        out += _known(state_before, body.holder_id, body.to_class, body.to_series, check_holder=False)
        extra = body.to_shares - (
            body.from_shares if (body.from_class, body.from_series) == (body.to_class, body.to_series) else 0
        )
        out += _within_authorized(state_before, body.to_class, body.to_series, extra, historical)
    elif isinstance(body, StockSplit):
        issued = state_before.issued_in_class(body.class_key)
        after = issued * body.to_shares // body.from_shares
        auth = state_before.authorized(body.class_key)
        if auth is not None and after > auth:
            out.append(
                _over(
                    f"the split takes issued {body.class_key} shares from {issued:,} to {after:,}, above "
                    f"the {auth:,} authorized: amend the charter first (§242(a)(3))",
                    state_before,
                    historical,
                )
            )
    elif isinstance(body, CharterAmended):
        pass  # checked after it applies: see check_after
    if (
        isinstance(body, EQUITY_TYPES)
        or isinstance(body, SharesIssued)
        and (body.award_id or state_before.equity)
    ):
        out += equity.check(state_before, e, historical)
    return out


def check_after(state_after: State, e: Event, historical: bool = False) -> list[Finding]:
    """Findings that only show once `e` has applied: a charter change leaving classes over-issued."""
    if not isinstance(e.body, CharterAmended):
        return []
    out = []
    v = state_after.version
    if v is None or v.capital is None:
        return out
    for c in v.capital.classes:
        issued = state_after.issued_in_class(c.key)
        if c.authorized is not None and issued > c.authorized:
            out.append(
                _over(
                    f"the amended charter authorizes {c.authorized:,} {c.name} but {issued:,} are issued; "
                    "authorized shares may not fall below those issued",
                    state_after,
                    historical,
                    extra=(_c("242(b)(2)"),),
                )
            )
    return out


def _over(message: str, state: State, historical: bool, extra=()) -> Finding:
    cites = (_c("161"), _c("151"), *extra, _article(state))
    if historical:
        return warning(
            "MB-ISSUE-EXCEEDS-AUTHORIZED",
            message + "; the excess is putative stock — cure by §204 "
            "ratification (with a §242 amendment supplying the shares) or a §205 petition",
            cites=cites + (_c("204"),),
        )
    return error("MB-ISSUE-EXCEEDS-AUTHORIZED", message, cites=cites)


def _within_authorized(
    state: State, cls: str, series: str | None, shares: int, historical: bool, from_treasury: bool = False
) -> list[Finding]:
    if from_treasury or shares <= 0:
        return []
    out = []
    auth = state.authorized(cls)
    issued = state.issued_in_class(cls)
    if auth is not None and issued + shares > auth:
        out.append(
            _over(
                f"issuing {shares:,} {cls} shares would bring the issued shares (treasury included) to "
                f"{issued + shares:,}, above the {auth:,} authorized",
                state,
                historical,
            )
        )
    if series is not None:
        s_auth = state.authorized(cls, series)
        s_issued = state.issued.get((cls, series), 0)
        if s_auth is not None and s_issued + shares > s_auth:
            out.append(
                _over(
                    f"issuing {shares:,} shares of series {series} would bring it to {s_issued + shares:,}, "
                    f"above the {s_auth:,} designated",
                    state,
                    historical,
                    extra=(_c("151(g)"),),
                )
            )
    return out


def _cert_unique(state: State, cls: str, numbers, historical: bool) -> list[Finding]:
    """§158: certificates are numbered, and a number already used in the class is not used again."""
    out = []
    seen = set()
    for no in numbers:
        if not no:
            continue
        first = state.cert_first_use.get((cls, no))
        if first is None and no in seen:
            first = ("this same act", state.as_of)
        seen.add(no)
        if first is None:
            continue
        msg = (
            f"certificate number {no} of {cls} was already used: issued to {first[0]} on "
            f"{first[1].isoformat()}; give the next unused number"
        )
        if historical:
            out.append(
                warning(
                    "MB-CERTIFICATE-REUSED",
                    msg + " (the stock ledger should show which certificate each holder holds: renumber "
                    "the later one by a corrected entry, and reissue it if needed)",
                    cites=(_c("158"),),
                )
            )
        else:
            out.append(error("MB-CERTIFICATE-REUSED", msg, cites=(_c("158"),)))
    return out


def _par(state: State, body: SharesIssued) -> list[Finding]:
    v = state.version
    c = v.capital.cls(body.class_key) if v and v.capital else None
    if c is None or c.par_value is None or body.from_treasury:
        return []
    out = []
    if body.price_per_share < c.par_value:
        out.append(
            error(
                "MB-ISSUE-BELOW-PAR",
                f"price per share ${body.price_per_share} is below the par value ${c.par_value} of {c.name}",
                cites=(_c("153(a)"), _article(state)),
            )
        )
    elif body.consideration < c.par_value * Decimal(body.shares):
        out.append(
            error(
                "MB-ISSUE-BELOW-PAR",
                f"consideration ${body.consideration} is below the aggregate par value "
                f"${c.par_value * body.shares} of {body.shares:,} shares",
                cites=(_c("153(a)"), _article(state)),
            )
        )
    return out


def _known(
    state: State,
    holder: str,
    cls: str,
    series: str | None,
    check_class: bool = True,
    check_holder: bool = True,
) -> list[Finding]:
    out = []
    if check_holder and holder not in state.holders:
        out.append(
            error("MB-HOLDER-UNKNOWN", f"no holder {holder!r} on the books on {state.as_of.isoformat()}")
        )
    if check_class:
        v = state.version
        if v is None:
            out.append(
                error(
                    "MB-BEFORE-INCORPORATION",
                    f"no charter in force on {state.as_of.isoformat()}",
                    cites=(_c("106"),),
                )
            )
        elif v.capital is None or v.capital.cls(cls) is None:
            known = ", ".join(c.key for c in (v.capital.classes if v.capital else ())) or "none"
            out.append(
                error(
                    "MB-CLASS-UNKNOWN",
                    f"the charter in force on {state.as_of.isoformat()} has no class "
                    f"{cls!r} (classes: {known})",
                    cites=(_c("102(a)(4)"), _article(state)),
                )
            )
        elif series is not None and state.authorized(cls, series) is None:
            out.append(
                error(
                    "MB-SERIES-NOT-DESIGNATED",
                    f"series {series!r} of {cls} has not been designated by "
                    f"{state.as_of.isoformat()}: file its certificate of designations first",
                    cites=(_c("151(g)"),),
                )
            )
    return out


def _holds(state: State, holder: str, cls: str, series: str | None, shares: int, certificate: str | None):
    out = []
    held = state.held(holder, cls, series)
    if shares > held:
        out.append(
            error(
                "MB-INSUFFICIENT-SHARES",
                f"{holder} holds {held:,} {cls} shares on "
                f"{state.as_of.isoformat()}, fewer than the {shares:,} required",
            )
        )
    if certificate is not None:
        c = state.certificates.get(certificate)
        if c is None:
            out.append(error("MB-CERTIFICATE-UNKNOWN", f"no certificate {certificate!r}"))
        elif c.holder_id != holder or c.status != "outstanding":
            out.append(
                error(
                    "MB-CERTIFICATE-NOT-HELD",
                    f"certificate {certificate} is {c.status} and registered to "
                    f"{c.holder_id}, not an outstanding certificate of {holder}",
                )
            )
        elif c.shares < shares:
            out.append(
                error(
                    "MB-INSUFFICIENT-SHARES",
                    f"certificate {certificate} is for {c.shares:,} shares, fewer than {shares:,}",
                )
            )
    return out


# --- the registry's view of these rules (checked above, fused in one pass for speed) -----------------

from .registry import describe  # noqa: E402

_BY = "minutebook.law.ledger:check"
describe(
    "dgcl.161.within_authorized",
    cites=(_c("161"), _c("151")),
    summary="Shares are issued only up to the number the charter authorizes (a series, up to its designation).",
    codes=("MB-ISSUE-EXCEEDS-AUTHORIZED",),
    applied_by=_BY,
)
describe(
    "dgcl.153.consideration_at_least_par",
    cites=(_c("153(a)"),),
    summary="Shares with par value are issued for consideration at least equal to their par value.",
    codes=("MB-ISSUE-BELOW-PAR",),
    applied_by=_BY,
)
describe(
    "dgcl.151.g.series_designated",
    cites=(_c("151(g)"),),
    summary="A certificate of designations is filed before any share of the series is issued.",
    codes=("MB-SERIES-NOT-DESIGNATED",),
    applied_by=_BY,
)
describe(
    "dgcl.160.treasury",
    cites=(_c("160"),),
    summary="Treasury shares are issued but not outstanding; only shares held in treasury may be resold from it.",
    codes=("MB-TREASURY-SHORT",),
    applied_by=_BY,
)
describe(
    "ledger.holds_shares",
    cites=(),
    summary="A holder transfers, cancels or sells back only shares (and certificates) the holder has.",
    codes=("MB-INSUFFICIENT-SHARES", "MB-CERTIFICATE-UNKNOWN", "MB-CERTIFICATE-NOT-HELD"),
    applied_by=_BY,
)
describe(
    "dgcl.158.certificate_unique",
    cites=(_c("158"),),
    summary="Each stock certificate is numbered; a number is used only once in a class.",
    codes=("MB-CERTIFICATE-REUSED",),
    applied_by=_BY,
)
describe(
    "ledger.known_parties",
    cites=(_c("102(a)(4)"),),
    summary="The holder is on the books and the class exists in the charter in force.",
    codes=("MB-HOLDER-UNKNOWN", "MB-CLASS-UNKNOWN", "MB-BEFORE-INCORPORATION"),
    applied_by=_BY,
)
