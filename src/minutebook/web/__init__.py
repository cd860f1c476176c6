"""The web app (issue 19): the minute book in a browser, for several people at once, each with a role in some
corporations. An adapter on top of `book`, like `cli`: FastAPI, server-rendered Jinja2 pages with HTMX (vendored in
`static/`, no build step), every page with a JSON twin (`/c/{corp}/captable` and `/c/{corp}/captable.json`), the
JSON routes listed in FastAPI's OpenAPI document. `minutebook serve` runs it with uvicorn.

Modules: `app` (the application, errors, static files), `access` (sessions, CSRF, roles: who may see what), `pages`
(the twin routes), `views` (the read pages), `forms` (the acts recorded through the book's append path), `members`
(signing in and out, roles), `charts` (inline SVG), `tables` (CSV and XLSX downloads).
May import: `book`, `render`, `tax`, `governance.calendar`, `core` types. Never `store` or `cli`.
"""

from .app import create_app

__all__ = ["create_app"]
