"""The web app from the command line: `minutebook serve` runs it with uvicorn; `minutebook user add|grant|list`
manages who may sign in and their role in each corporation (`book.accounts`).

`serve` names the application by its import string ("minutebook.web.app:create_app"), as uvicorn takes it: the
command line and the web app are sibling adapters and never import each other.
"""

from __future__ import annotations

import os
import sys

import typer

from . import book_common as bc
from .common import fail

user_app = typer.Typer(
    help="Who may sign in to the web app, and their role in each corporation.", no_args_is_help=True
)


def serve_cmd(
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on."),
    port: int = typer.Option(8000, "--port", help="The port to listen on."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Server processes (each keeps its own books open)."
    ),
    db: str = bc.db_option(),
    insecure_cookies: bool = typer.Option(
        False,
        "--insecure-cookies",
        help="Session cookies without the Secure flag (plain http on a host that is not this machine; never in "
        "production).",
    ),
) -> None:
    """Serve the minute book in a browser: every corporation of the database, to the users given roles in it.

    Example: minutebook user add alice && minutebook user grant alice the-auxer-group secretary
    Example: minutebook serve --db .demo/auxer.db --port 8000   (then open http://127.0.0.1:8000)
    """
    import uvicorn

    from ..book.accounts import Accounts

    Accounts.open(db)  # a bad --db fails here, in one line, not in the server's log
    if db:
        os.environ["MINUTEBOOK_DB"] = db
    if insecure_cookies:
        os.environ["MINUTEBOOK_INSECURE_COOKIES"] = "1"
    sys.stderr.write(f"minutebook: serving on http://{host}:{port} (Ctrl-C to stop)\n")
    uvicorn.run(
        "minutebook.web.app:from_environment", factory=True, host=host, port=port, log_level="warning"
    )


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    pw = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return pw


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., metavar="USER"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
    db: str = bc.db_option(),
) -> None:
    """Add a user who may sign in to the web app (the password is stored as an argon2id hash).

    Example: echo 'a long passphrase' | minutebook user add alice --password-stdin
    """
    from ..book.accounts import Accounts
    from ..core.errors import InputError

    try:
        Accounts.open(db).add_user(username, _password(password_stdin))
    except InputError as e:
        raise fail(str(e)) from None
    bc.say(f"user {username} added; give a role with `minutebook user grant {username} CORP ROLE`")


@user_app.command("grant")
def user_grant(
    username: str = typer.Argument(..., metavar="USER"),
    corp: str = typer.Argument(..., metavar="CORP"),
    role: str = typer.Argument(
        ..., metavar="ROLE", help="viewer, counsel, secretary, admin, or none to take away."
    ),
    db: str = bc.db_option(),
) -> None:
    """Give USER a ROLE in corporation CORP (its slug): viewer reads; counsel also reads findings and draws
    documents; secretary also records acts; admin also gives roles.

    Example: minutebook user grant alice the-auxer-group secretary
    """
    from ..book.accounts import Accounts
    from ..core.errors import InputError, NotFoundError

    try:
        Accounts.open(db).grant(username, corp, None if role == "none" else role)
    except (InputError, NotFoundError) as e:
        raise fail(str(e)) from None
    bc.say(f"{username}: {role} in {corp}")


@user_app.command("list")
def user_list(db: str = bc.db_option()) -> None:
    """The users and their roles."""
    from ..book.accounts import Accounts

    acc = Accounts.open(db)
    with_ids = acc.users()
    if not with_ids:
        bc.say("no users yet: `minutebook user add USER`")
    for name in with_ids:
        bc.say(name)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.add_typer(user_app, name="user")
