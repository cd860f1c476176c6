"""The Typer application `minutebook` and its entry point."""

from __future__ import annotations

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


def main() -> None:
    # Typer's own usage errors (a missing option, an unknown one) would print a multi-line box; run
    # non-standalone and print them as one line like every other error.
    try:
        rc = app(prog_name="minutebook", standalone_mode=False)
    except NoArgsIsHelpError as e:
        sys.stdout.write(e.ctx.get_help() + "\n")
        rc = 2
    except UsageError as e:
        where = e.ctx.command_path if e.ctx else "minutebook"
        rc = fail(f"{where}: {e.format_message()} (see `{where} --help`)", e.exit_code).exit_code
    except ClickException as e:
        rc = fail(e.format_message(), e.exit_code).exit_code
    except MinutebookError as e:
        rc = refuse(e).exit_code  # exit 3 for a database file that cannot be read
    except (KeyboardInterrupt, typer.Abort):
        rc = fail("interrupted", 130).exit_code
    except BrokenPipeError:
        rc = 0
    except Exception as e:
        from ..store.db import damaged, first_line

        if not damaged(e):  # a bug: its traceback is wanted
            raise
        # a damaged SQLite file found while reading it, after it opened: one line naming it, exit 3
        where = OPENED[0] if OPENED else "the database"
        rc = fail(f"{where}: the database file is damaged ({first_line(e)})", EXIT_DATABASE).exit_code
    raise SystemExit(rc if isinstance(rc, int) else 0)
