"""The Typer application `minutebook` and its entry point."""

from __future__ import annotations

import logging
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError  # typer vendors click

from ..core.errors import MinutebookError
from .book_common import OPENED
from .common import EXIT_DATABASE, fail, refuse, set_actor

app = typer.Typer(
    name="minutebook",
    help="A corporation's minute book as code: read filed charters, keep the record, check it against the DGCL.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    actor: str = typer.Option(
        None,
        "--actor",
        metavar="NAME",
        help="Who acts: recorded on every event this command writes "
        "(default: $MINUTEBOOK_ACTOR, else your user name).",
    ),
) -> None:
    """minutebook: a corporation's minute book as code."""
    set_actor(actor)


from . import read_cmds  # noqa: E402 - `minutebook read` (its FILE argument, options and --jsonl runner)

read_cmds.register(app)

from . import book_cmds, book_views, gov_cmds, transfer_cmds  # noqa: E402 - the book's commands, registered on `app`

book_cmds.register(app)
book_views.register(app)
transfer_cmds.register(app)

from . import certificates  # noqa: E402 - the certificate register (§158)

certificates.register(app)
gov_cmds.register(app)

from . import tax_cmds  # noqa: E402 - franchise tax and the compliance calendar

tax_cmds.register(app)

from . import ocf_cmds  # noqa: E402 - Open Cap Format export, import and validation

ocf_cmds.register(app)

from . import matter_cmds  # noqa: E402 - `minutebook matter`: §§144, 220, 122(18), 147, 266, 102(b)(7)

matter_cmds.register(app)

from . import correct_cmds  # noqa: E402 - correcting the record: void, correct

correct_cmds.register(app)

from . import doc_cmds  # noqa: E402 - papers drawn from the book (`render`): doc list, render, cure, drawn, match

doc_cmds.register(app)

from . import equity_cmds  # noqa: E402 - plans, grants, exercises, SAFEs and notes, rounds

equity_cmds.register(app)

from . import proof_cmds  # noqa: E402 - a record a third party can verify: key, checkpoint, proof (issue 17)

proof_cmds.register(app)

from . import web_cmds  # noqa: E402 - the web app: serve, and its users (issue 19)

web_cmds.register(app)


_DATES = ("--as-of", "--on")
"""The two names a command's date goes by: a view's day (`captable --as-of`), an act's effective date (`issue --on`)."""


def _date_hint(e: UsageError) -> str:
    """For a date given under the other kind of command's name (`captable --on`, `issue --as-of`): the name this
    command takes it by. Click's own suggestion goes by spelling, and the two names share none."""
    name = getattr(e, "option_name", None)
    if name is None:
        # a command that reads unknown options as arguments (a share count of "-5" reaches its own check) names
        # them as "unexpected extra argument(s) (...)"
        words = e.format_message().replace("(", " ").replace(")", " ").split()
        name = next((w for w in words if w in _DATES), None)
    if name not in _DATES or e.ctx is None:
        return ""
    takes = {o for p in e.ctx.command.params for o in getattr(p, "opts", ())}
    other = [o for o in _DATES if o != name and o in takes]
    return f"; this command takes its date as {other[0]}" if other else ""


def main() -> None:
    # psycopg logs a second error met while it ends a pipeline the first one broke (the server gone): with no handler
    # of its own, Python's last resort would print that record on stderr, below the error's one line
    logging.getLogger("psycopg").addHandler(logging.NullHandler())
    # Typer's own usage errors (a missing option, an unknown one) would print a multi-line box; run
    # non-standalone and print them as one line like every other error.
    try:
        rc = app(prog_name="minutebook", standalone_mode=False)
    except NoArgsIsHelpError as e:
        sys.stdout.write(e.ctx.get_help() + "\n")
        rc = 2
    except UsageError as e:
        where = e.ctx.command_path if e.ctx else "minutebook"
        rc = fail(
            f"{where}: {e.format_message()}{_date_hint(e)} (see `{where} --help`)", e.exit_code
        ).exit_code
    except ClickException as e:
        rc = fail(e.format_message(), e.exit_code).exit_code
    except MinutebookError as e:
        rc = refuse(e).exit_code  # exit 3 for a database file that cannot be read
    except (KeyboardInterrupt, typer.Abort):
        rc = fail("interrupted", 130).exit_code
    except BrokenPipeError:
        rc = 0
    except Exception as e:
        from ..store.db import BUSY_WAIT_S, damaged, failed, first_line, locked

        where = OPENED[0] if OPENED else "the database"
        if locked(e):  # another program's write under way: one line, exit 3, nothing of this command written
            why = f"another program held the database's write lock for {BUSY_WAIT_S} s ({first_line(e)})"
            rc = fail(f"{where}: {why}; nothing written, try again once it is done", EXIT_DATABASE).exit_code
        elif failed(e):  # the server, not the command: one line naming the database, exit 3
            why = f"the database failed before the command ended ({first_line(e)})"
            rc = fail(f"{where}: {why}; `minutebook log` shows what is recorded", EXIT_DATABASE).exit_code
        # a damaged SQLite file found while reading it, after it opened: one line naming it, exit 3
        elif damaged(e):
            rc = fail(f"{where}: the database file is damaged ({first_line(e)})", EXIT_DATABASE).exit_code
        else:  # a bug: its traceback is wanted
            raise
    raise SystemExit(rc if isinstance(rc, int) else 0)
