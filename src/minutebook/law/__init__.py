"""The law as cited rules: each rule has an id, its citation, the dates it is in force, a one-line
summary and a check that returns findings (`law.rules()`, `law.get(rule_id)`; see README.md).

Owns: the rules, pure functions `(event, state before, charter, record) -> findings`, with their
parameters (`params`) and registry; the DGCL rules by section group in `dgcl/`, the ledger's in `ledger`.
May import: `core` (and the standard library). Never governance, store, book, cli or ocf; no I/O.
"""

from .registry import Rule, get, rules

__all__ = ["Rule", "get", "rules"]
