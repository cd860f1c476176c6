"""Storage: the event log in SQL (SQLite by default, PostgreSQL for teams), its hash chain, and the
projections derived from it. Only `log.append` writes events; nothing updates or deletes one."""
