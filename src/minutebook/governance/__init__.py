"""Governance: directors and officers, board and stockholder action, and the procedure that every act
(issuance, designation, amendment, bylaw change) must have followed, checked against `law`.

Owns: the procedures built on the rules — approvals resolved to outcomes (`approvals`), the amendment
workflow (`amend`), the whole book checked as history (`audit`), the compliance calendar, and the YAML story
format (`story`, `story_yaml`).
May import: `core`, `law`, `ingest`, `tax`. Never store, book, cli or ocf: no I/O, no SQL.
"""
