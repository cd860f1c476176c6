"""The law as cited rules: each rule has an id, its citation, and a check that returns findings."""
