"""Pro-forma model of a priced equity round with SAFEs and convertible notes converting into it.

THE METHOD, in plain words (all counts are fully diluted):

1. F = outstanding shares (preferred as converted) + options, RSUs and warrants outstanding + the unissued
   option pool: the company's fully diluted shares before the round.
2. The pool is topped up in the pre-money (the "option pool shuffle"): P new pool shares are added before the
   round so that the pool after the round (pool available + P) is the pool target of the post-money fully
   diluted shares. P is the smallest whole number of shares that meets the target (the fraction rounds up),
   and 0 if the existing pool already meets it; it is never negative.
3. Every SAFE and note converts in the pre-money: its shares are part of the pre-money share count, so the
   new money is not diluted by them.
4. A post-money SAFE (cap basis "post", the YC post-money SAFE) has cap price = cap / C, where the Company
   Capitalization C = F + the shares of ALL the converting securities (SAFEs and notes, this one included),
   but not the pool top-up of this round (the SAFE holder is not diluted by the pool increase) and not the
   new money's shares.
5. A pre-money cap (cap basis "pre"; notes usually) has cap price = cap / F: the capitalization immediately
   before the financing, without the converting securities, the top-up or the new money.
6. Discount price = round price x (1 - discount). A convertible converts at the lowest of its cap price, its
   discount price and the round price: with neither a cap nor a discount it converts at the round price
   (basis "round"), and a capped convertible whose cap price is above the round price converts at the round
   price too (the YC SAFE's 100 % discount rate when it has no discount). Ties go to "cap", then "discount".
   An MFN SAFE with no cap and no discount of its own takes the lowest cap (of the same cap basis as itself)
   and the highest discount among the convertibles issued after it (a later `issued_on`), if any.
7. Round price = pre-money valuation / pre-money shares, where pre-money shares = F + P + the conversion
   shares.
8. Rounding: every price is rounded DOWN to $0.0001 (round price, cap prices and discount prices alike);
   shares are rounded DOWN to whole shares (conversion shares = floor(amount / conversion price), investor
   shares = floor(investment / round price)). A note's amount is principal + simple interest, principal x
   rate x (days from issue to closing) / 365, rounded to the cent half up.
9. The quantities depend on each other (P on the post-money total, post-money cap prices on C, the round
   price on both), so they are solved by fixed-point iteration on the integers: start from P = 0 and no
   conversion shares; from the current P and conversion shares compute the round price, each conversion's
   price and shares, the investors' shares and the top-up P' = max(0, ceil(target x (F + P + conversion
   shares + investor shares) - pool available)); repeat until P and every conversion's shares are unchanged
   (at most 100 passes, else ValueError). Every step only grows with P and the conversion shares, so the
   passes climb monotonically to the smallest consistent solution. Closed form, as a check: with T the
   post-money fully diluted shares and post = pre-money + the new money,
   T ~ (F - pool available + conversion shares) / (pre-money / post - target) and P = target x T - pool available.
   Post-money shares = F + P + conversion shares + investor shares; post-money = round price x that.
   Terms with no solution are refused up front: a pool target of at least pre-money / post-money (the pool
   would exceed the pre-money), and post-money caps claiming together (amount / cap) 100 % or more of C.

Money is `Decimal`, share counts `int`, dates `date`; all the arithmetic is exact (integer ratios) until the
stated rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from .heap import fast_pickling

MAX_ITERATIONS = 100
_PRICE_UNITS = 10_000  # prices are whole multiples of $0.0001
_KINDS = ("safe", "note")
_CAP_BASES = ("post", "pre")


@dataclass(frozen=True, slots=True)
class Convertible:
    """A SAFE or a convertible note outstanding before the round."""

    id: str
    holder_id: str
    kind: str  # "safe" | "note"
    amount: Decimal  # purchase amount (SAFE) or principal (note)
    cap: Decimal | None = None  # valuation cap
    cap_basis: str = "post"  # "post" (YC post-money SAFE) | "pre" (pre-money cap: SAFE or note)
    discount: Decimal | None = None  # e.g. Decimal("0.20") = 20 % off the round price
    mfn: bool = False  # most-favoured-nation: takes the best cap/discount of convertibles issued after it
    interest_rate: Decimal | None = None  # notes: simple annual rate, e.g. Decimal("0.06")
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class Investor:
    holder_id: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class RoundTerms:
    pre_money: Decimal  # pre-money valuation
    investors: tuple[Investor, ...]  # the new money, by investor
    pool_target: Decimal  # post-money unissued pool as a fraction, e.g. Decimal("0.10")
    closing_on: date
    # the company before the round (fully diluted):
    outstanding: int  # all outstanding shares, preferred as converted
    rights: int  # options, RSUs and warrants outstanding
    pool_available: int  # unissued option pool before the round
    convertibles: tuple[Convertible, ...] = ()


@dataclass(frozen=True, slots=True)
class Conversion:
    """One convertible's conversion."""

    id: str
    holder_id: str
    amount: Decimal  # incl. accrued interest for notes
    price: Decimal
    shares: int
    basis: str  # "cap" | "discount" | "round"


@dataclass(frozen=True, slots=True)
class RoundResult:
    price: Decimal  # round price per share
    pre_money_shares: int  # fully diluted shares the pre-money valuation is spread over
    pool_top_up: int
    new_shares: tuple[tuple[str, int], ...]  # (holder_id, shares) per investor
    conversions: tuple[Conversion, ...]
    post_money_shares: int  # fully diluted after the round
    post_money: Decimal  # price * post_money_shares
    pool_after: int  # pool_available + pool_top_up
    iterations: int

    def to_json(self) -> dict:
        """Plain JSON-ready data: Decimals as strings, share counts as ints."""
        return {
            "price": str(self.price),
            "pre_money_shares": self.pre_money_shares,
            "pool_top_up": self.pool_top_up,
            "new_shares": [{"holder_id": h, "shares": n} for h, n in self.new_shares],
            "conversions": [
                {
                    "id": c.id,
                    "holder_id": c.holder_id,
                    "amount": str(c.amount),
                    "price": str(c.price),
                    "shares": c.shares,
                    "basis": c.basis,
                }
                for c in self.conversions
            ],
            "post_money_shares": self.post_money_shares,
            "post_money": str(self.post_money),
            "pool_after": self.pool_after,
            "iterations": self.iterations,
        }


# --- exact arithmetic -------------------------------------------------------------------------------------


def _ratio(x: Decimal | int) -> tuple[int, int]:
    return (x, 1) if isinstance(x, int) else x.as_integer_ratio()


def _price_floor(num: Decimal | int, den: Decimal | int) -> int:
    """floor(num / den) in units of $0.0001, exactly."""
    (a, b), (c, d) = _ratio(num), _ratio(den)
    return (a * d * _PRICE_UNITS) // (b * c)


def _units_to_price(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


def _shares_floor(amount: Decimal, price_units: int) -> int:
    """floor(amount / price), the price given in units of $0.0001."""
    a, b = _ratio(amount)
    return (a * _PRICE_UNITS) // (b * price_units)


def _ceil_mul(fraction: Decimal, n: int) -> int:
    """ceil(fraction * n), exactly."""
    a, b = _ratio(fraction)
    return -((-a * n) // b)


def accrued(c: Convertible, on: date) -> Decimal:
    """A note's principal plus simple interest to `on` (actual days / 365), rounded to the cent half up;
    a SAFE's (or an interest-free note's) amount as it is."""
    if c.kind != "note" or not c.interest_rate:
        return c.amount
    if c.issued_on is None:
        raise ValueError(f"note {c.id!r} bears interest but has no issued_on date")
    days = (on - c.issued_on).days
    if days < 0:
        raise ValueError(f"note {c.id!r} is issued on {c.issued_on}, after {on}")
    (p, q), (r, s) = _ratio(c.amount), _ratio(c.interest_rate)
    num, den = p * r * days * 100, q * s * 365  # the interest in cents = num / den (non-negative)
    cents = (2 * num + den) // (2 * den)  # half up
    with localcontext() as ctx:
        ctx.prec = 60
        return c.amount + Decimal(cents).scaleb(-2)


# --- validation -------------------------------------------------------------------------------------------


def _money(x: object, what: str) -> Decimal:
    if not isinstance(x, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(x).__name__}")
    if not x.is_finite():
        raise ValueError(f"{what} must be a finite amount, not {x}")
    return x


def _count(x: object, what: str) -> int:
    if not isinstance(x, int) or isinstance(x, bool):
        raise TypeError(f"{what} must be an int, not {type(x).__name__}")
    if x < 0:
        raise ValueError(f"{what} must not be negative, got {x}")
    return x


def _validate(terms: RoundTerms) -> None:
    if _money(terms.pre_money, "pre_money") <= 0:
        raise ValueError(f"pre_money must be positive, got {terms.pre_money}")
    if not terms.investors:
        raise ValueError("the round has no new money: no investors")
    for inv in terms.investors:
        if _money(inv.amount, f"investor {inv.holder_id!r} amount") <= 0:
            raise ValueError(f"investor {inv.holder_id!r} must invest a positive amount, got {inv.amount}")
    target = _money(terms.pool_target, "pool_target")
    if not 0 <= target < 1:
        raise ValueError(f"pool_target must be in [0, 1), got {target}")
    fd = sum(_count(getattr(terms, name), name) for name in ("outstanding", "rights", "pool_available"))
    if fd == 0:
        raise ValueError("the company has no shares before the round (outstanding + rights + pool is 0)")
    post = terms.pre_money + sum(inv.amount for inv in terms.investors)
    if target * post >= terms.pre_money:
        raise ValueError(
            f"pool_target {target} cannot be met: the pre-money is only {terms.pre_money / post:.4f} of the post-money"
        )
    seen: set[str] = set()
    for c in terms.convertibles:
        if c.id in seen:
            raise ValueError(f"convertible id {c.id!r} appears twice")
        seen.add(c.id)
        if c.kind not in _KINDS:
            raise ValueError(f"convertible {c.id!r}: kind must be 'safe' or 'note', got {c.kind!r}")
        if c.cap_basis not in _CAP_BASES:
            raise ValueError(f"convertible {c.id!r}: cap_basis must be 'post' or 'pre', got {c.cap_basis!r}")
        if _money(c.amount, f"convertible {c.id!r} amount") <= 0:
            raise ValueError(f"convertible {c.id!r}: amount must be positive, got {c.amount}")
        if c.cap is not None and _money(c.cap, f"convertible {c.id!r} cap") <= 0:
            raise ValueError(f"convertible {c.id!r}: cap must be positive, got {c.cap}")
        if c.discount is not None and not 0 <= _money(c.discount, f"convertible {c.id!r} discount") < 1:
            raise ValueError(f"convertible {c.id!r}: discount must be in [0, 1), got {c.discount}")
        if c.interest_rate is not None and _money(c.interest_rate, f"convertible {c.id!r} interest_rate") < 0:
            raise ValueError(
                f"convertible {c.id!r}: interest_rate must not be negative, got {c.interest_rate}"
            )
        if c.issued_on is not None and c.issued_on > terms.closing_on:
            raise ValueError(
                f"convertible {c.id!r} is issued on {c.issued_on}, after the closing {terms.closing_on}"
            )
        if c.mfn and c.cap is None and c.discount is None and c.issued_on is None:
            raise ValueError(
                f"MFN convertible {c.id!r} needs an issued_on date to find the later convertibles"
            )


# --- the model --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Terms:
    """A convertible's effective conversion terms (after MFN)."""

    conv: Convertible
    amount: Decimal
    cap: Decimal | None
    discount: Decimal | None


def _effective(c: Convertible, all_convs: tuple[Convertible, ...], on: date) -> _Terms:
    cap, discount = c.cap, c.discount
    if c.mfn and cap is None and discount is None:
        assert c.issued_on is not None  # checked in _validate
        later = [o for o in all_convs if o.issued_on is not None and o.issued_on > c.issued_on]
        caps = [o.cap for o in later if o.cap is not None and o.cap_basis == c.cap_basis]
        discounts = [o.discount for o in later if o.discount is not None]
        cap = min(caps) if caps else None
        discount = max(discounts) if discounts else None
    return _Terms(c, accrued(c, on), cap, discount)


def _convert(t: _Terms, round_units: int, f: int, c_shares: int) -> tuple[int, str]:
    """The conversion price (in $0.0001 units) and basis, given the round price and, for a post-money cap,
    the Company Capitalization C = F + all conversion shares."""
    best, basis = round_units, "round"
    candidates: list[tuple[int, str]] = []
    if t.cap is not None:
        capitalization = c_shares if t.conv.cap_basis == "post" else f
        candidates.append((_price_floor(t.cap, capitalization), "cap"))
    if t.discount is not None:
        a, b = _ratio(1 - t.discount)
        candidates.append((round_units * a // b, "discount"))
    for units, name in reversed(candidates):  # "cap" wins ties with "discount", both win ties with "round"
        if units <= best:
            best, basis = units, name
    if best <= 0:
        raise ValueError(f"convertible {t.conv.id!r}: its conversion price rounds down to $0.0000")
    return best, basis


def model_round(terms: RoundTerms) -> RoundResult:
    """The pro-forma of the round by THE METHOD in the module docstring."""
    _validate(terms)
    f = terms.outstanding + terms.rights + terms.pool_available
    effective = tuple(_effective(c, terms.convertibles, terms.closing_on) for c in terms.convertibles)
    post_capped = [t for t in effective if t.cap is not None and t.conv.cap_basis == "post"]
    with localcontext() as ctx:
        ctx.prec = 60
        claimed = sum((t.amount / t.cap for t in post_capped), Decimal(0))
    if claimed >= 1:
        raise ValueError(
            f"the post-money caps claim {claimed:.4f} of the Company Capitalization (must be below 1): "
            + ", ".join(t.conv.id for t in post_capped)
        )

    top_up = 0
    shares = tuple(0 for _ in effective)
    for iteration in range(1, MAX_ITERATIONS + 1):
        converted = sum(shares)
        pre_shares = f + top_up + converted
        round_units = _price_floor(terms.pre_money, pre_shares)
        if round_units <= 0:
            raise ValueError(
                f"the round price rounds down to $0.0000 ({terms.pre_money} over {pre_shares} shares)"
            )
        priced = tuple(_convert(t, round_units, f, f + converted) for t in effective)
        new_shares = tuple(
            _shares_floor(t.amount, units) for t, (units, _) in zip(effective, priced, strict=True)
        )
        bought = tuple(_shares_floor(inv.amount, round_units) for inv in terms.investors)
        total = pre_shares + sum(bought)
        new_top_up = max(0, _ceil_mul(terms.pool_target, total) - terms.pool_available)
        if new_top_up == top_up and new_shares == shares:
            price = _units_to_price(round_units)
            with localcontext() as ctx:
                ctx.prec = 100
                post_money = price * total
            return RoundResult(
                price=price,
                pre_money_shares=pre_shares,
                pool_top_up=top_up,
                new_shares=tuple((inv.holder_id, n) for inv, n in zip(terms.investors, bought, strict=True)),
                conversions=tuple(
                    Conversion(t.conv.id, t.conv.holder_id, t.amount, _units_to_price(units), n, basis)
                    for t, (units, basis), n in zip(effective, priced, shares, strict=True)
                ),
                post_money_shares=total,
                post_money=post_money,
                pool_after=terms.pool_available + top_up,
                iterations=iteration,
            )
        top_up, shares = new_top_up, new_shares
    raise ValueError(
        f"the round does not settle in {MAX_ITERATIONS} iterations "
        "(the caps, discounts and pool target leave too little for the pre-money)"
    )


# pickled fast (`core.heap`): a book's fold snapshot, what a checking child sends back
fast_pickling(globals())
