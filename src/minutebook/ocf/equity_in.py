"""Equity compensation and convertibles from OCF (import): plans, vesting terms, valuations and the equity
transactions into the events of `core.equity` — the inverse of `ocf.equity_out`, whose table says what maps to
what. Foreign packages are read as OCF means them:

- an award's class is its `stock_class_id`, else its plan's first class; `OPTION` with the deprecated
  `option_grant_type` ISO/NSO is that option type; termination windows in months or years count 30 or 365 days;
- a `vestings` array becomes the award's own schedule (months from the grant date; dates that are not whole
  months from it cannot be, and are reported); vesting terms our schedules cannot say are reported, the awards
  naming them then vest as OCF's `vestings`, or not at all;
- a `TX_VESTING_START` on or before the grant is the grant's vesting start, a later one `VestingStarted`;
- an exercise, release or conversion names the `TX_STOCK_ISSUANCE`s it results in: they become the
  `SharesIssued` with the award id (`settles`), and their quantities the shares issued for it; a stock issuance
  with `issuance_type` RSA (or vesting) is a restricted stock award;
- a balance security of an award (a partial exercise or cancellation in OCF's traversal style) continues the award.

An award naming a plan that is not in the package is read as granted outside a plan (a warning). What names a
stakeholder, class or security that is not there, or a quantity that is not one, is a bad item
(`Report.bad`). What minutebook has no model for (SARs, transfers and acceptances of awards, warrants and
convertibles, returns to pool, a convertible's cancellation or retraction, `CONVERTIBLE_SECURITY`s) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..core.events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    Body,
    ConvertibleConverted,
    ConvertibleIssued,
    PlanAdopted,
    PoolChanged,
    ValuationRecorded,
    VestingAccelerated,
    VestingDefined,
    VestingEventOccurred,
    VestingStarted,
)
from ..core.heap import day
from ..core.vesting import Schedule, Tranche, add_months, checked
from .equity_out import WINDOW_REASONS
from .package import Item, Package
from .report import Report
from .traverse import number, whole
from .vesting_map import event_condition_ids, schedule

EQUITY_TX = {
    "TX_EQUITY_COMPENSATION_ISSUANCE",
    "TX_EQUITY_COMPENSATION_EXERCISE",
    "TX_EQUITY_COMPENSATION_RELEASE",
    "TX_EQUITY_COMPENSATION_CANCELLATION",
    "TX_EQUITY_COMPENSATION_RETRACTION",
    "TX_WARRANT_ISSUANCE",
    "TX_WARRANT_EXERCISE",
    "TX_WARRANT_CANCELLATION",
    "TX_WARRANT_RETRACTION",
    "TX_CONVERTIBLE_ISSUANCE",
    "TX_CONVERTIBLE_CONVERSION",
    "TX_STOCK_PLAN_POOL_ADJUSTMENT",
    "TX_VESTING_START",
    "TX_VESTING_EVENT",
    "TX_VESTING_ACCELERATION",
}
ISSUANCES = ("TX_EQUITY_COMPENSATION_ISSUANCE", "TX_WARRANT_ISSUANCE", "TX_STOCK_ISSUANCE")
_REASONS = {v: k for k, v in WINDOW_REASONS.items()}
_DAYS = {"DAYS": 1, "MONTHS": 30, "YEARS": 365}
_EXERCISE = re.compile(r"^(?:(\d+) rights; )?(cash|net|cashless|release); \$([0-9.]+)$")
_CONVERSION = re.compile(r"^converted on the (cap|discount|round) basis(?:; round price \$([0-9.]+))?$")
_ADOPTED = re.compile(r"^minutebook: adopted (\d{4}-\d{2}-\d{2})$")
_KIND = re.compile(r"^minutebook: kind (\w+)$")
_HOW = re.compile(r"^(forfeited|expired|cancelled|retracted)(?:: (.*))?$", re.S)


# OCF's default_cancellation_behavior → what the plan does with a forfeited award's shares (core: `Plan.on_forfeit`);
# DEFINED_PER_PLAN_SECURITY is read as a return to the pool (each security's own choice is not modelled)
_FORFEIT = {"RETIRE": "retire", "HOLD_AS_CAPITAL_STOCK": "hold", "RETURN_TO_POOL": "return"}


@dataclass(slots=True)
class Made:
    """An event made from an item: its date, its place (the item's position; `sub` orders several from one) and
    body (an `AwardGranted` is built last, once its vesting start is known: `grant`)."""

    on: date
    pos: int
    sub: int
    body: Body | None
    item: Item
    grant: dict | None = None
    rank: int = 4


@dataclass(slots=True)
class EquityIn:
    pkg: Package
    report: Report
    classes: dict[str, str]  # OCF stock class id -> class key
    holders: dict[str, str]
    approve: Callable[[Item], tuple[str, ...]]  # the approvals of an item's approval dates
    approve_pair: Callable[[Item], tuple[str | None, str | None]]  # (board's, stockholders')
    position: Callable[[Item], int]
    formation: date
    supplements: dict[str, dict] = field(default_factory=dict)
    made: list[Made] = field(default_factory=list)
    kept: list[Item] = field(default_factory=list)
    refused: list[Item] = field(default_factory=list)
    settles: dict[str, str] = field(default_factory=dict)  # stock security id -> award or convertible id
    rsa: dict[str, dict] = field(default_factory=dict)  # stock security id -> its AwardGranted's fields
    plans: dict[str, str] = field(default_factory=dict)  # plan id -> class key
    terms: dict[str, list[dict]] = field(default_factory=dict)  # terms id -> its conditions (mappable ones)
    awards: dict[str, dict] = field(default_factory=dict)  # security id -> grant fields (+ "_left", "_terms")
    alias: dict[str, str] = field(default_factory=dict)  # balance security id -> award id
    convertibles: dict[str, str] = field(default_factory=dict)  # security id -> convertible id
    stock: dict[str, Item] = field(default_factory=dict)  # stock issuance by security id

    # --- helpers ----------------------------------------------------------------------------------------

    def _bad(self, it: Item, text: str, path: str = "") -> None:
        self.report.bad(it.file, it.label, f"$.items[{it.index}]{path}", text, "MB-OCF-UNRESOLVED")
        self.refused.append(it)

    def _make(
        self, it: Item, body: Body | None, sub: int = 0, grant: dict | None = None, rank: int = 4
    ) -> Made:
        on = day(it.data.get("date") or it.data.get("effective_date"))
        m = Made(on, self.position(it), sub, body, it, grant, rank)
        self.made.append(m)
        return m

    def _qty(self, it: Item, key: str = "quantity") -> int | None:
        v = it.data.get(key)
        q = whole(v) if isinstance(v, str) else None
        if q is None or q <= 0:
            self._bad(it, f"{key} {v} is not a positive whole number", f".{key}")
            return None
        return q

    def _money(self, it: Item, m: dict | None) -> Decimal | None:
        if not m:
            return None
        if m.get("currency") != "USD":
            self.report.warn(
                it.file,
                it.label,
                f"$.items[{it.index}]",
                f"an amount in {m.get('currency')}, read as dollars",
                "MB-OCF-CURRENCY",
            )
        return number(m["amount"])

    # --- objects ------------------------------------------------------------------------------------------

    def objects(self, first_use: dict[str, str]) -> None:
        """Plans, vesting terms and valuations (`first_use`: plan id -> the date of the first item naming it)."""
        for it in self.pkg.of("vesting_terms_files"):
            try:
                s = schedule(it.data["vesting_conditions"])
            except (ValueError, ArithmeticError) as ex:
                self.report.warn(
                    it.file,
                    it.label,
                    f"$.items[{it.index}]",
                    f"vesting minutebook cannot model: {ex}; kept",
                    "MB-OCF-NOT-MODELLED",
                )
                self.kept.append(it)
                continue
            self.terms[it.id] = it.data["vesting_conditions"]
            body = VestingDefined(it.id, it.data["name"], s.to_dict())
            self.made.append(Made(self.formation, self.position(it), 0, body, it, rank=2))
        first_class = next(iter(self.classes.values()), None)
        for it in self.pkg.of("stock_plans_files"):
            d = it.data
            ids = d.get("stock_class_ids") or ([d["stock_class_id"]] if d.get("stock_class_id") else [])
            cls = self.classes.get(ids[0]) if ids else first_class
            reserved = whole(d["initial_shares_reserved"])
            if cls is None or reserved is None or reserved < 0:
                why = (
                    f"stock class {ids[0]!r} is not in the package"
                    if cls is None
                    else "reserve not a whole number"
                )
                self._bad(it, why)
                continue
            self.plans[it.id] = cls
            adopted = next((m.group(1) for c in d.get("comments", ()) if (m := _ADOPTED.match(c))), None)
            on = adopted or d.get("board_approval_date") or first_use.get(it.id) or self.formation.isoformat()
            board, holders = self.approve_pair(it)
            body = PlanAdopted(
                it.id, d["plan_name"], reserved, cls,
                _FORFEIT.get(d.get("default_cancellation_behavior"), "return"), board, holders,
            )  # fmt: skip
            self.made.append(Made(day(on), self.position(it), 0, body, it, rank=2))
        for it in self.pkg.of("valuations_files"):
            d = it.data
            cls = self.classes.get(d["stock_class_id"])
            if cls is None:
                self._bad(it, f"stock class {d['stock_class_id']!r} is not in the package")
                continue
            kind = next((m.group(1) for c in d.get("comments", ()) if (m := _KIND.match(c))), "409A")
            ap = self.approve(it)
            body = ValuationRecorded(
                it.id,
                cls,
                self._money(it, d["price_per_share"]),
                d.get("provider"),
                kind,
                ap[0] if ap else None,
            )
            self._make(it, body, rank=3)

    # --- transactions -------------------------------------------------------------------------------------

    def scan(self, txs: list[Item]) -> None:
        """Before the replay: stock issuances by security id, the balance securities of awards."""
        for it in txs:
            if it.type == "TX_STOCK_ISSUANCE":
                self.stock.setdefault(it.data["security_id"], it)
        for it in txs:
            if it.type.startswith(("TX_EQUITY_COMPENSATION_", "TX_WARRANT_")) and it.data.get(
                "balance_security_id"
            ):
                self.alias[it.data["balance_security_id"]] = it.data["security_id"]

    def _award(self, it: Item) -> dict | None:
        sid = it.data["security_id"]
        while sid in self.alias and sid not in self.awards:
            sid = self.alias[sid]
        a = self.awards.get(sid)  # an RSA too: `_rsa` keeps it under its own security id
        if a is None:
            self._bad(it, f"security {it.data['security_id']} is not an award placed from the package")
        return a

    def run(self, txs: list[Item]) -> None:
        issued = {it.data["security_id"] for it in txs if it.type in ISSUANCES}
        early: dict[str, list[Item]] = {}  # a vesting start dated before its grant, until the grant
        for it in sorted(txs, key=lambda it: (it.data["date"], self.position(it))):
            sid = it.data.get("security_id", "")
            if it.type == "TX_VESTING_START" and sid in issued and sid not in self.awards:
                early.setdefault(sid, []).append(it)
                continue
            self._one(it)
            if it.type in ISSUANCES:
                for x in early.pop(sid, ()):
                    self._one(x)
        for items in early.values():
            for x in items:
                self._one(x)

    def _one(self, it: Item) -> None:  # noqa: C901 - one branch per transaction type
        if True:
            t, d = it.type, it.data
            if t == "TX_STOCK_ISSUANCE":
                self._rsa(it)
            elif t in ("TX_EQUITY_COMPENSATION_ISSUANCE", "TX_WARRANT_ISSUANCE"):
                if d["security_id"] in self.alias:
                    return  # a balance: the award continues
                self._grant(it)
            elif t == "TX_STOCK_PLAN_POOL_ADJUSTMENT":
                if d.get("stock_plan_id") not in self.plans:
                    self._bad(it, f"stock plan {d.get('stock_plan_id')!r} is not in the package")
                    return
                q = whole(d["shares_reserved"])
                if q is None or q < 0:
                    self._bad(it, f"shares_reserved {d['shares_reserved']} is not a whole number")
                    return
                board, sh = self.approve_pair(it)
                self._make(it, PoolChanged(d["stock_plan_id"], q, board, sh))
            elif t == "TX_VESTING_START":
                a = self._award(it)
                if a is None:
                    return
                if a.get("vesting_start") is None and d["date"] <= a["_on"]:
                    a["vesting_start"] = day(d["date"])
                else:
                    self._make(it, VestingStarted(a["award_id"]))
            elif t == "TX_VESTING_EVENT":
                a = self._award(it)
                if a is None:
                    return
                names = {
                    v: k for k, v in event_condition_ids(self.terms.get(a.get("vesting") or "", [])).items()
                }
                name = names.get(d["vesting_condition_id"])
                if name is None:
                    self._bad(
                        it, f"{d['vesting_condition_id']!r} is not a milestone of the award's vesting terms"
                    )
                    return
                self._make(it, VestingEventOccurred(name, a["award_id"]))
            elif t == "TX_VESTING_ACCELERATION":
                a = self._award(it)
                q = self._qty(it) if a is not None else None
                if q is not None:
                    trig = d["reason_text"] if d["reason_text"] in ("single", "double", "board") else "board"
                    self._make(it, VestingAccelerated(a["award_id"], q, trig))
            elif t in (
                "TX_EQUITY_COMPENSATION_EXERCISE",
                "TX_EQUITY_COMPENSATION_RELEASE",
                "TX_WARRANT_EXERCISE",
            ):
                self._exercise(it)
            elif t in ("TX_EQUITY_COMPENSATION_CANCELLATION", "TX_WARRANT_CANCELLATION"):
                a = self._award(it)
                q = self._qty(it) if a is not None else None
                if q is not None:
                    m = _HOW.match(d.get("reason_text") or "")
                    how, reason = (
                        (m.group(1), m.group(2)) if m else ("cancelled", d.get("reason_text") or None)
                    )
                    a["_left"] -= q
                    self._make(it, AwardEnded(a["award_id"], q, how, reason))
            elif t in ("TX_EQUITY_COMPENSATION_RETRACTION", "TX_WARRANT_RETRACTION"):
                a = self._award(it)
                if a is not None:
                    m = _HOW.match(d.get("reason_text") or "")
                    reason = m.group(2) if m and m.group(1) == "retracted" else d.get("reason_text") or None
                    self._make(it, AwardEnded(a["award_id"], max(a["_left"], 0), "retracted", reason))
                    a["_left"] = 0
            elif t == "TX_CONVERTIBLE_ISSUANCE":
                self._convertible(it)
            elif t == "TX_CONVERTIBLE_CONVERSION":
                self._conversion(it)

    def _rsa(self, it: Item) -> None:
        d = it.data
        if (
            d.get("issuance_type") != "RSA"
            and not d.get("vesting_terms_id")
            and not d.get("vestings")
            and not d.get("stock_plan_id")
        ):
            return  # stock issued outside a plan, unrestricted: the ledger's alone (stock from a plan is an award)
        sid = d["security_id"]
        if d["stakeholder_id"] not in self.holders or d["stock_class_id"] not in self.classes:
            return  # the traversal reports it
        q = whole(d["quantity"])
        if q is None or q < 0:
            return
        fields = self._common(it, "rsa", sid, q, self.classes[d["stock_class_id"]])
        if fields is None:
            return
        fields["exercise_price"] = self._money(it, d.get("share_price"))
        self.rsa[sid] = fields
        self.awards[sid] = fields

    def _common(self, it: Item, kind: str, sid: str, q: int, cls: str) -> dict | None:
        d = it.data
        plan = d.get("stock_plan_id")
        if plan and plan not in self.plans:
            self.report.warn(
                it.file, it.label, f"$.items[{it.index}].stock_plan_id",
                f"stock plan {plan!r} is not in the package: read as granted outside a plan", "MB-OCF-NO-PLAN",
            )  # fmt: skip
            plan = None
        vesting = d.get("vesting_terms_id")
        if vesting and vesting not in self.terms:
            if not d.get("vestings"):
                self.report.warn(
                    it.file, it.label, f"$.items[{it.index}].vesting_terms_id",
                    f"vesting terms {vesting!r} not modelled: the award is read without vesting", "MB-OCF-VESTING",
                )  # fmt: skip
            vesting = None
        ap = self.approve(it)
        fields = {
            "award_id": sid, "holder_id": d["stakeholder_id"], "kind": kind, "quantity": q, "class_key": cls,
            "plan_id": plan, "vesting": vesting, "approved_by": ap[0] if ap else None,
            "_on": d["date"], "_left": q,
        }  # fmt: skip
        if d.get("vestings") and vesting is None:
            fields["vesting"] = self._vestings(it, sid, q)
            if fields["vesting"]:
                fields["vesting_start"] = day(d["date"])
        supp = self.supplements.get(sid, {})
        if supp.get("acceleration"):
            fields["acceleration"] = dict(supp["acceleration"])
        return fields

    def _vestings(self, it: Item, sid: str, q: int) -> str | None:
        start = day(it.data["date"])
        tranches = []
        for v in it.data["vestings"]:
            on = day(v["date"])
            months = (on.year - start.year) * 12 + on.month - start.month
            amount = number(v["amount"])
            if months < 0 or add_months(start, months) != on or amount <= 0:
                self.report.warn(
                    it.file, it.label, f"$.items[{it.index}].vestings",
                    f"vesting on {v['date']} is not a whole number of months after the grant: read without vesting",
                    "MB-OCF-VESTING",
                )  # fmt: skip
                return None
            tranches.append(Tranche(months, Fraction(str(amount)) / q))
        try:
            s = checked(Schedule(tuple(tranches)))
        except Exception:  # noqa: BLE001 - reported below
            self.report.warn(
                it.file, it.label, f"$.items[{it.index}].vestings", "vestings do not add up to the award: read "
                "without vesting", "MB-OCF-VESTING",
            )  # fmt: skip
            return None
        tid = f"{sid}.vestings"
        self.terms[tid] = []
        self._make(it, VestingDefined(tid, f"vestings of {sid}", s.to_dict()), sub=-2)
        return tid

    def _grant(self, it: Item) -> None:
        d = it.data
        sid = d["security_id"]
        if sid in self.awards:
            self._bad(it, f"security {sid} was issued before")
            return
        if d["stakeholder_id"] not in self.holders:
            self._bad(it, f"stakeholder {d['stakeholder_id']!r} is not in the package")
            return
        if it.type == "TX_WARRANT_ISSUANCE":
            kind, cls_id, mech = "warrant", None, None
            for trig in d["exercise_triggers"]:
                right = trig.get("conversion_right", {})
                cls_id = cls_id or right.get("converts_to_stock_class_id")
                mech = mech or right.get("conversion_mechanism")
            if "quantity" not in d and mech and mech.get("type") == "FIXED_AMOUNT_CONVERSION":
                d = {**d, "quantity": mech["converts_to_quantity"]}
            if "quantity" not in d or cls_id is None:
                self.report.warn(
                    it.file, it.label, f"$.items[{it.index}]", "a warrant for no fixed number of shares of a class: "
                    "kept", "MB-OCF-NOT-MODELLED",
                )  # fmt: skip
                self.kept.append(it)
                return
        else:
            comp = d["compensation_type"]
            if comp not in ("OPTION", "OPTION_ISO", "OPTION_NSO", "RSU"):
                self.kept.append(it)
                return
            kind = "rsu" if comp == "RSU" else "option"
            cls_id = d.get("stock_class_id")
        cls = self.classes.get(cls_id) if cls_id else self.plans.get(d.get("stock_plan_id") or "")
        if cls is None:
            self._bad(
                it, f"stock class {cls_id!r} is not in the package" if cls_id else "names no stock class"
            )
            return
        q = whole(d["quantity"]) if isinstance(d.get("quantity"), str) else None
        if q is None or q <= 0:
            self._bad(it, f"quantity {d.get('quantity')} is not a positive whole number", ".quantity")
            return
        fields = self._common(it, kind, sid, q, cls)
        if fields is None:
            return
        fields["exercise_price"] = self._money(it, d.get("exercise_price"))
        if kind == "warrant":
            fields["expires_on"] = d.get("warrant_expiration_date")
            fields["consideration"] = self._money(it, d.get("purchase_price"))
        else:
            comp = d["compensation_type"]
            fields["option_type"] = (
                comp.removeprefix("OPTION_") if comp in ("OPTION_ISO", "OPTION_NSO")
                else d.get("option_grant_type") if kind == "option" else None
            )  # fmt: skip
            fields["expires_on"] = d.get("expiration_date")
            fields["early_exercise"] = bool(d.get("early_exercisable"))
            wins = {}
            for w in d.get("termination_exercise_windows", ()):
                wins[_REASONS[w["reason"]]] = int(w["period"]) * _DAYS[w["period_type"]]
            fields["exercise_windows"] = wins
        self.awards[sid] = fields
        self._make(it, None, grant=fields)

    def _exercise(self, it: Item) -> None:
        d = it.data
        a = self._award(it)
        if a is None:
            return
        results = d.get("resulting_security_ids") or []
        shares = 0
        for r in results:
            iss = self.stock.get(r)
            if iss is None:
                self._bad(it, f"resulting security {r} has no TX_STOCK_ISSUANCE")
                return
            shares += whole(iss.data["quantity"]) or 0
            self.settles[r] = a["award_id"]
        m = _EXERCISE.match(d.get("consideration_text") or "")
        if it.type == "TX_WARRANT_EXERCISE":
            # a warrant's exercise is terminal in OCF (no quantity, no balance): every right left is used
            q = int(m.group(1)) if m and m.group(1) else a["_left"]
        else:
            q = self._qty(it)
            if q is None:
                return
        method = m.group(2) if m else ("release" if it.type == "TX_EQUITY_COMPENSATION_RELEASE" else "cash")
        paid = Decimal(m.group(3)) if m else self._money(it, d.get("release_price")) or Decimal(0)
        a["_left"] -= q
        self._make(it, AwardExercised(a["award_id"], q, shares, method, paid))

    def _convertible(self, it: Item) -> None:
        d = it.data
        if d["stakeholder_id"] not in self.holders:
            self._bad(it, f"stakeholder {d['stakeholder_id']!r} is not in the package")
            return
        if d["convertible_type"] not in ("SAFE", "NOTE"):
            self.kept.append(it)
            return
        mech: dict = {}
        for trig in d["conversion_triggers"]:
            m = trig.get("conversion_right", {}).get("conversion_mechanism", {})
            if m.get("type") in ("SAFE_CONVERSION", "CONVERTIBLE_NOTE_CONVERSION"):
                mech = m
                break
        supp = self.supplements.get(d["security_id"], {})
        cap = mech.get("conversion_valuation_cap")
        rates = mech.get("interest_rates") or []
        timing = mech.get("conversion_timing")
        body = ConvertibleIssued(
            d["security_id"], d["stakeholder_id"], d["convertible_type"].lower(),
            self._money(it, d["investment_amount"]),
            self._money(it, cap) if cap else None,
            supp.get("cap_basis") or ("pre" if timing == "PRE_MONEY" else "post"),
            number(mech["conversion_discount"]) if mech.get("conversion_discount") else None,
            bool(mech.get("conversion_mfn")),
            number(rates[0]["rate"]) if rates else None,
            day(supp["maturity_on"]) if supp.get("maturity_on") else None,
            (self.approve(it) or (None,))[0],
        )  # fmt: skip
        self.convertibles[d["security_id"]] = d["security_id"]
        self._make(it, body)

    def _conversion(self, it: Item) -> None:
        d = it.data
        conv = self.convertibles.get(d["security_id"])
        if conv is None:
            self._bad(it, f"security {d['security_id']} is not a convertible placed from the package")
            return
        results = d.get("resulting_security_ids") or []
        issues = [self.stock.get(r) for r in results]
        if not issues or None in issues:
            self._bad(it, "its resulting securities have no TX_STOCK_ISSUANCE")
            return
        cls = self.classes.get(issues[0].data["stock_class_id"])
        if cls is None:
            self._bad(it, f"stock class {issues[0].data['stock_class_id']!r} is not in the package")
            return
        for r in results:
            self.settles[r] = conv
        shares = sum(whole(x.data["quantity"]) or 0 for x in issues)
        price = self._money(it, issues[0].data["share_price"])
        m = _CONVERSION.match(d.get("reason_text") or "")
        amount = number(d["quantity_converted"]) if d.get("quantity_converted") else price * shares
        body = ConvertibleConverted(
            conv, cls, shares, price, amount, None, m.group(1) if m else "round",
            Decimal(m.group(2)) if m and m.group(2) else None,
        )  # fmt: skip
        self._make(it, body)

    def finish(self) -> None:
        """Build the grants (their vesting start is known now)."""
        for m in self.made:
            if m.grant is not None:
                m.body = AwardGranted(**_grant_kwargs(m.grant))

    def rsa_grant(self, sid: str) -> AwardGranted | None:
        f = self.rsa.get(sid)
        return AwardGranted(**_grant_kwargs(f)) if f else None


def _grant_kwargs(f: dict) -> dict:
    out = {k: v for k, v in f.items() if not k.startswith("_")}
    if isinstance(out.get("expires_on"), str):
        out["expires_on"] = day(out["expires_on"])
    return out
