"""The law as cited rules: each rule has an id, its citation, the dates it is in force, a one-line
summary and a check that returns findings (`law.rules()`, `law.get(rule_id)`; see README.md)."""

from .registry import Rule, get, rules

__all__ = ["Rule", "get", "rules"]
