"""Storage: the event log in SQL (SQLite by default, PostgreSQL for teams), its hash chain, and the
projections derived from it. Only `log.append` writes events, called by the book's one append path;
nothing updates or deletes one.

Owns: the SQL schema and migrations, engines and transactions (`db`: reads in one snapshot, a file that is not a
readable minutebook database named as such), the log and its hash chain (`log`), its Merkle tree (`tree`), the
book's public key, signed checkpoints and time stamps and the log held to them (`checkpoints`), the projections
(`projections`), the checks beyond the chain — the schema's protections, the stored documents, the corporation's
row (`integrity`) — and the file format of an exported book (`export`).
May import: `core` only (and SQLAlchemy, Alembic, psycopg).
"""
