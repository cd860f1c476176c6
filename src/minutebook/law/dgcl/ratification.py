"""Curing defective corporate acts, 8 Del. C. §§ 204 and 205 (79 Del. Laws c. 72, in force 1 April 2014).

§204: an act within the corporation's power that was not authorised or effected as the DGCL, the charter or
the bylaws required (an issuance without a valid board resolution, stock over the authorized number, a
series fixed by someone the charter could not empower) may be ratified: a board resolution stating the act,
its date and the defect; stockholder approval by the vote the act itself needed (and, for putative stock,
without counting it); a certificate of validation filed where the act needed a filing. §205: the Court of
Chancery may validate or declare invalid such an act, or ratification under §204.

These are the cures the findings of `amendments`, `stock` and `ledger` name for a defective act; they are
listed here so that `minutebook rules` and `explain` show them with their dates. Before 1 April 2014 no
statute ratified a void act (stock issued in breach of the DGCL or the charter was void and could not be
ratified by the common law): the act had to be adopted again, properly.
"""

from __future__ import annotations

from ..registry import describe
from .common import c

describe(
    "dgcl.204.ratification",
    cites=(c("204"),),
    summary="A defective corporate act (putative stock included) may be ratified by the board and, where the act "
    "needed it, the stockholders, with a certificate of validation where it needed a filing.",
    codes=(),
    applied_by="the cure named by findings on defective acts: minutebook.law.dgcl.amendments:CURE_VOTE, "
    "minutebook.law.dgcl.stock:CURE_ISSUE, minutebook.law.dgcl.amendments:BLANK_CHECK_CURES",
)

describe(
    "dgcl.205.court_validation",
    cites=(c("205"),),
    summary="The Court of Chancery may validate (or declare invalid) a defective corporate act, putative stock "
    "or a ratification under §204.",
    codes=(),
    applied_by="named beside §204 where ratification is not available or is contested",
)
