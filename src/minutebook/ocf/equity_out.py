"""Equity compensation and convertibles as OCF objects and transactions (export): `EquityOut` follows the book's
events in order beside `securities.Securities`.

- `PlanAdopted`: `STOCK_PLAN` (initial_shares_reserved, stock_class_ids, default_cancellation_behavior,
  approvals; its date in a comment `minutebook: adopted DATE`). `PoolChanged`: `TX_STOCK_PLAN_POOL_ADJUSTMENT`
  (shares_reserved: the new total).
- `VestingDefined`: `VESTING_TERMS` (`ocf.vesting_map`; allocation CUMULATIVE_ROUND_DOWN, as `core.vesting`
  rounds). `ValuationRecorded`: `VALUATION` (409A; another kind named in a comment `minutebook: kind board`).
- `AwardGranted` option or rsu: `TX_EQUITY_COMPENSATION_ISSUANCE` (OPTION_ISO/OPTION_NSO/OPTION, RSU; the award
  id is the security id; windows in days, a `default` window written for each reason); warrant:
  `TX_WARRANT_ISSUANCE` (one ELECTIVE_AT_WILL trigger `<id>.EXERCISE` for a fixed amount of its class); rsa: the
  `TX_STOCK_ISSUANCE` of its `SharesIssued` (issuance_type RSA, vesting_terms_id, stock_plan_id).
- The grant's `vesting_start` and `VestingStarted`: `TX_VESTING_START` (condition "start").
- `AwardExercised`: `TX_EQUITY_COMPENSATION_EXERCISE` / `_RELEASE` (RSUs) / `TX_WARRANT_EXERCISE`, whose
  resulting_security_ids name the `TX_STOCK_ISSUANCE` of the `SharesIssued` with that award id; the method and
  the amount paid in consideration_text (`[N rights; ]METHOD; $AMOUNT`).
- `AwardEnded`: `TX_EQUITY_COMPENSATION_CANCELLATION` / `_RETRACTION`, `TX_WARRANT_CANCELLATION` / `_RETRACTION`
  (reason_text `HOW[: REASON]`).
- `VestingEventOccurred`: `TX_VESTING_EVENT` per award whose terms wait for the milestone.
  `VestingAccelerated`: `TX_VESTING_ACCELERATION` (reason_text: the trigger).
- `ConvertibleIssued`: `TX_CONVERTIBLE_ISSUANCE` (SAFE_CONVERSION or CONVERTIBLE_NOTE_CONVERSION: cap, discount,
  MFN, timing, interest). `ConvertibleConverted`: `TX_CONVERTIBLE_CONVERSION` (quantity_converted: the amount;
  resulting_security_ids as for exercises; the basis and round price in reason_text).

minutebook keeps an award as one security: a partial exercise or cancellation names no balance security, and later
transactions act on the same security id (as OCF-Tools' own samples do). What a grant or a convertible says that
OCF has no field for (acceleration terms, a note's maturity or cap basis) goes to the extension file
(`ocf.extension`) as `supplements`, keyed by security id; an event with no OCF form at all (`AwardRepriced`:
v1.2.0 has no repricing transaction; an `AwardEnded` of an RSA; a milestone no award waits for) goes there whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..core.events import (
    AwardEnded,
    AwardExercised,
    AwardGranted,
    ConvertibleConverted,
    ConvertibleIssued,
    Event,
    PlanAdopted,
    PoolChanged,
    SharesIssued,
    ValuationRecorded,
    VestingAccelerated,
    VestingDefined,
    VestingEventOccurred,
    VestingStarted,
)
from ..core.vesting import schedule_from_dict
from .approvals import Approvals
from .securities import money, numeric
from .vesting_map import conditions, event_condition_ids

WINDOW_REASONS = {  # ours -> OCF's TerminationWindowType
    "voluntary": "VOLUNTARY_OTHER",
    "good reason": "VOLUNTARY_GOOD_CAUSE",
    "retirement": "VOLUNTARY_RETIREMENT",
    "involuntary": "INVOLUNTARY_OTHER",
    "death": "INVOLUNTARY_DEATH",
    "disability": "INVOLUNTARY_DISABILITY",
    "cause": "INVOLUNTARY_WITH_CAUSE",
}
COMPENSATION = {("option", "ISO"): "OPTION_ISO", ("option", "NSO"): "OPTION_NSO", ("option", None): "OPTION"}


def exercise_trigger(award_id: str) -> str:
    return f"{award_id}.EXERCISE"


def conversion_trigger(conv_id: str) -> str:
    return f"{conv_id}.CONVERSION"


def windows(d: dict) -> list[dict]:
    out = []
    default = d.get("default")
    for ours, theirs in WINDOW_REASONS.items():
        days = d.get(ours, default)
        if days is not None:
            out.append({"reason": theirs, "period": int(days), "period_type": "DAYS"})
    return out


def exercise_text(method: str, consideration: Decimal, quantity: int | None = None) -> str:
    """`[N rights; ]METHOD; $AMOUNT` — what an exercise says that OCF's exercise has no field for."""
    head = f"{quantity} rights; " if quantity is not None else ""
    return f"{head}{method}; ${numeric(consideration)}"


@dataclass(frozen=True, slots=True)
class Award:
    """What the later events of an award need of its grant (a book's every grant is kept: a few fields each)."""

    award_id: str
    kind: str
    plan_id: str | None
    vesting: str | None
    vesting_start: date | None
    quantity: int


@dataclass(slots=True)
class EquityOut:
    class_id: Callable[[str, str | None], str]
    approvals: Approvals
    plans: list[dict] = field(default_factory=list)
    terms: list[dict] = field(default_factory=list)
    valuations: list[dict] = field(default_factory=list)
    txs: list[dict] = field(default_factory=list)
    leftover: list[Event] = field(default_factory=list)  # events with no OCF form (to the extension)
    supplements: dict[str, dict] = field(default_factory=dict)
    awards: dict[str, Award] = field(default_factory=dict)
    security_of: dict[str, str] = field(default_factory=dict)  # award -> the security id OCF knows it by
    milestones: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # terms id -> milestone -> condition id
    pending: dict[str, dict] = field(default_factory=dict)  # award/convertible -> its exercise/conversion tx
    used: dict[str, int] = field(default_factory=dict)  # award -> rights exercised or ended so far
    # told of a transaction made by an earlier event that `issued` changes (the export has written it already)
    reopened: Callable[[dict], None] | None = None
    _seq: int = 0
    _n: int = 0

    def _tx(self, kind: str, on: str, **fields) -> dict:
        self._n += 1
        tx = {"object_type": kind, "id": f"TX-{self._seq:06d}-e{self._n}", "date": on, **fields}
        self.txs.append(tx)
        return tx

    def _start(self, on: str, award_id: str) -> None:
        self._tx(
            "TX_VESTING_START",
            on,
            security_id=self.security_of.get(award_id, award_id),
            vesting_condition_id="start",
        )

    def rsa_fields(self, b: SharesIssued) -> dict:
        """What the `TX_STOCK_ISSUANCE` of a restricted stock award's shares says about the award."""
        a = self.awards.get(b.award_id or "")
        if a is None or a.kind != "rsa":
            return {}
        out: dict = {"issuance_type": "RSA"}
        if a.plan_id:
            out["stock_plan_id"] = a.plan_id
        if a.vesting:
            out["vesting_terms_id"] = a.vesting
        return out

    def issued(self, e: Event, b: SharesIssued, security_id: str) -> None:
        """A `SharesIssued` naming an award or a convertible: its security is what the exercise or conversion
        results in (an RSA's: the award's security, whose vesting may start now)."""
        if not b.award_id:
            return
        tx = self.pending.get(b.award_id)
        if tx is not None:
            tx["resulting_security_ids"].append(security_id)
            if self.reopened is not None:
                self.reopened(tx)
        a = self.awards.get(b.award_id)
        if a is not None and a.kind == "rsa" and b.award_id not in self.security_of:
            self.security_of[b.award_id] = security_id
            if a.vesting_start is not None and a.vesting:
                self._start(a.vesting_start.isoformat(), b.award_id)

    def event(self, e: Event) -> None:  # noqa: C901 - one branch per event type
        self._seq, self._n = e.seq or 0, 0
        b, on = e.body, e.effective_on.isoformat()
        if isinstance(b, PlanAdopted):
            plan = {"object_type": "STOCK_PLAN", "id": b.plan_id, "plan_name": b.name}
            plan.update(self.approvals.dates([b.approved_by, b.stockholder_approval]))
            plan.update(
                initial_shares_reserved=numeric(b.reserved),
                default_cancellation_behavior={"retire": "RETIRE", "hold": "HOLD_AS_CAPITAL_STOCK"}.get(
                    b.on_forfeit, "RETURN_TO_POOL"
                ),
                stock_class_ids=[self.class_id(b.class_key, None)],
                comments=[f"minutebook: adopted {on}"],
            )
            self.plans.append(self.approvals.note(plan, [b.approved_by, b.stockholder_approval]))
        elif isinstance(b, PoolChanged):
            tx = self._tx(
                "TX_STOCK_PLAN_POOL_ADJUSTMENT",
                on,
                stock_plan_id=b.plan_id,
                **self.approvals.dates([b.approved_by, b.stockholder_approval]),
                shares_reserved=numeric(b.reserved),
            )
            self.approvals.note(tx, [b.approved_by, b.stockholder_approval])
        elif isinstance(b, VestingDefined):
            s = schedule_from_dict(b.schedule)
            conds = conditions(s)
            self.milestones[b.terms_id] = event_condition_ids(conds)
            self.terms.append(
                {
                    "object_type": "VESTING_TERMS",
                    "id": b.terms_id,
                    "name": b.name,
                    "description": s.describe(),
                    "allocation_type": "CUMULATIVE_ROUND_DOWN",
                    "vesting_conditions": conds,
                }
            )
        elif isinstance(b, ValuationRecorded):
            v = {"object_type": "VALUATION", "id": b.valuation_id}
            if b.provider:
                v["provider"] = b.provider
            v.update(self.approvals.dates([b.approved_by]))
            v.update(
                price_per_share=money(b.price_per_share),
                effective_date=on,
                stock_class_id=self.class_id(b.class_key, None),
                valuation_type="409A",
            )
            if b.kind != "409A":
                v["comments"] = [f"minutebook: kind {b.kind}"]
            self.valuations.append(self.approvals.note(v, [b.approved_by]))
        elif isinstance(b, AwardGranted):
            self._grant(e, b, on)
        elif isinstance(b, VestingStarted):
            self._start(on, b.award_id)
        elif isinstance(b, AwardExercised):
            self._exercise(e, b, on)
        elif isinstance(b, AwardEnded):
            self._ended(e, b, on)
        elif isinstance(b, VestingEventOccurred):
            targets = [b.award_id] if b.award_id else [a.award_id for a in self.awards.values()]
            done = False
            for aid in targets:
                a = self.awards.get(aid)
                cond = self.milestones.get(a.vesting or "", {}).get(b.event) if a is not None else None
                if cond is None:
                    continue
                sid = self.security_of.get(aid, aid)
                self._tx("TX_VESTING_EVENT", on, security_id=sid, vesting_condition_id=cond)
                done = True
            if not done:
                self.leftover.append(e)
        elif isinstance(b, VestingAccelerated):
            self._tx(
                "TX_VESTING_ACCELERATION",
                on,
                security_id=self.security_of.get(b.award_id, b.award_id),
                quantity=numeric(b.quantity),
                reason_text=b.trigger,
            )
        elif isinstance(b, ConvertibleIssued):
            self._convertible(b, on)
        elif isinstance(b, ConvertibleConverted):
            text = f"converted on the {b.basis} basis"
            if b.round_price is not None:
                text += f"; round price ${numeric(b.round_price)}"
            self.pending[b.convertible_id] = self._tx(
                "TX_CONVERTIBLE_CONVERSION",
                on,
                security_id=b.convertible_id,
                reason_text=text,
                quantity_converted=numeric(b.amount),
                trigger_id=conversion_trigger(b.convertible_id),
                resulting_security_ids=[],
            )
        else:
            self.leftover.append(e)

    def _grant(self, e: Event, b: AwardGranted, on: str) -> None:
        self.awards[b.award_id] = Award(b.award_id, b.kind, b.plan_id, b.vesting, b.vesting_start, b.quantity)
        if b.acceleration:
            self.supplements.setdefault(b.award_id, {})["acceleration"] = dict(b.acceleration)
        if b.kind == "rsa":
            return  # its stock issuance says it (`rsa_fields`)
        base: dict = {"security_id": b.award_id, "custom_id": b.award_id, "stakeholder_id": b.holder_id}
        base.update(self.approvals.dates([b.approved_by]))
        self.approvals.note(base, [b.approved_by])
        base["security_law_exemptions"] = []
        cls = self.class_id(b.class_key, b.series_key)
        if b.kind == "warrant":
            tx = self._tx(
                "TX_WARRANT_ISSUANCE",
                on,
                **base,
                quantity=numeric(b.quantity),
                quantity_source="INSTRUMENT_FIXED",
            )
            if b.exercise_price is not None:
                tx["exercise_price"] = money(b.exercise_price)
            tx["purchase_price"] = money(b.consideration or Decimal(0))
            tx["exercise_triggers"] = [
                {
                    "trigger_id": exercise_trigger(b.award_id),
                    "nickname": "Exercisable at will",
                    "type": "ELECTIVE_AT_WILL",
                    "conversion_right": {
                        "type": "WARRANT_CONVERSION_RIGHT",
                        "conversion_mechanism": {
                            "type": "FIXED_AMOUNT_CONVERSION",
                            "converts_to_quantity": numeric(b.quantity),
                        },
                        "converts_to_stock_class_id": cls,
                    },
                }
            ]
            if b.expires_on is not None:
                tx["warrant_expiration_date"] = b.expires_on.isoformat()
            if b.vesting:
                tx["vesting_terms_id"] = b.vesting
        else:
            tx = self._tx("TX_EQUITY_COMPENSATION_ISSUANCE", on, **base)
            if b.plan_id:
                tx["stock_plan_id"] = b.plan_id
            tx["stock_class_id"] = cls
            tx["compensation_type"] = "RSU" if b.kind == "rsu" else COMPENSATION[("option", b.option_type)]
            tx["quantity"] = numeric(b.quantity)
            if b.exercise_price is not None:
                tx["exercise_price"] = money(b.exercise_price)
            if b.kind == "option":
                tx["early_exercisable"] = bool(b.early_exercise)
            if b.vesting:
                tx["vesting_terms_id"] = b.vesting
            tx["expiration_date"] = b.expires_on.isoformat() if b.expires_on else None
            tx["termination_exercise_windows"] = windows(b.exercise_windows)
        if b.vesting_start is not None and b.vesting:
            self._start(b.vesting_start.isoformat(), b.award_id)

    def _exercise(self, e: Event, b: AwardExercised, on: str) -> None:
        a = self.awards.get(b.award_id)
        if a is None or a.kind == "rsa":
            self.leftover.append(e)
            return
        if a.kind == "warrant":
            tx = self._tx(
                "TX_WARRANT_EXERCISE",
                on,
                security_id=b.award_id,
                consideration_text=exercise_text(b.method, b.consideration, b.quantity),
                trigger_id=exercise_trigger(b.award_id),
                resulting_security_ids=[],
            )
        elif a.kind == "rsu" or b.method == "release":
            tx = self._tx(
                "TX_EQUITY_COMPENSATION_RELEASE",
                on,
                security_id=b.award_id,
                settlement_date=on,
                quantity=numeric(b.quantity),
                release_price=money(b.consideration),
                resulting_security_ids=[],
            )
            if b.method != "release":
                tx["consideration_text"] = exercise_text(b.method, b.consideration)
        else:
            tx = self._tx(
                "TX_EQUITY_COMPENSATION_EXERCISE",
                on,
                security_id=b.award_id,
                quantity=numeric(b.quantity),
                resulting_security_ids=[],
            )
            if b.method != "cash" or b.consideration:
                tx["consideration_text"] = exercise_text(b.method, b.consideration)
        self.pending[b.award_id] = tx
        self.used[b.award_id] = self.used.get(b.award_id, 0) + b.quantity

    def _ended(self, e: Event, b: AwardEnded, on: str) -> None:
        a = self.awards.get(b.award_id)
        if a is None or a.kind == "rsa":
            self.leftover.append(e)
            return
        prefix = "TX_WARRANT" if a.kind == "warrant" else "TX_EQUITY_COMPENSATION"
        text = b.how + (f": {b.reason}" if b.reason else "")
        if b.how == "retracted" and b.quantity == self._remaining(a):
            self._tx(f"{prefix}_RETRACTION", on, security_id=b.award_id, reason_text=text)
        else:
            self._tx(
                f"{prefix}_CANCELLATION",
                on,
                security_id=b.award_id,
                reason_text=text,
                quantity=numeric(b.quantity),
            )
        self.used[b.award_id] = self.used.get(b.award_id, 0) + b.quantity

    def _remaining(self, a: Award) -> int:
        return a.quantity - self.used.get(a.award_id, 0)

    def _convertible(self, b: ConvertibleIssued, on: str) -> None:
        supp: dict = {}
        if b.kind == "safe":
            mech: dict = {"type": "SAFE_CONVERSION", "conversion_mfn": bool(b.mfn)}
        else:
            rates = []
            if b.interest_rate is not None:
                rates.append({"rate": numeric(b.interest_rate), "accrual_start_date": on})
            mech = {
                "type": "CONVERTIBLE_NOTE_CONVERSION",
                "interest_rates": rates,
                "day_count_convention": "ACTUAL_365",
                "interest_payout": "DEFERRED",
                "interest_accrual_period": "DAILY",
                "compounding_type": "SIMPLE",
                "conversion_mfn": bool(b.mfn),
            }
            if b.cap_basis != "post":
                supp["cap_basis"] = b.cap_basis
        if b.discount is not None:
            mech["conversion_discount"] = numeric(b.discount)
        if b.cap is not None:
            mech["conversion_valuation_cap"] = money(b.cap)
        if b.kind == "safe":
            mech["conversion_timing"] = "PRE_MONEY" if b.cap_basis == "pre" else "POST_MONEY"
        if b.maturity_on is not None:
            supp["maturity_on"] = b.maturity_on.isoformat()
        if supp:
            self.supplements.setdefault(b.convertible_id, {}).update(supp)
        tx = self._tx(
            "TX_CONVERTIBLE_ISSUANCE",
            on,
            security_id=b.convertible_id,
            custom_id=b.convertible_id,
            stakeholder_id=b.holder_id,
            **self.approvals.dates([b.approved_by]),
            security_law_exemptions=[],
            convertible_type="SAFE" if b.kind == "safe" else "NOTE",
            investment_amount=money(b.amount),
            conversion_triggers=[
                {
                    "trigger_id": conversion_trigger(b.convertible_id),
                    "nickname": "Next equity financing",
                    "type": "AUTOMATIC_ON_CONDITION",
                    "trigger_condition": "Converts at the corporation's next priced equity financing",
                    "conversion_right": {
                        "type": "CONVERTIBLE_CONVERSION_RIGHT",
                        "conversion_mechanism": mech,
                        "converts_to_future_round": True,
                    },
                }
            ],
            seniority=1,
        )
        self.approvals.note(tx, [b.approved_by])

    def final_supplements(self) -> dict[str, dict]:
        return dict(sorted(self.supplements.items()))
