"""The `minutebook` command line: Typer app, Rich output in a terminal, plain text when piped."""
