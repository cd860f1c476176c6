"""The `minutebook` command line: Typer app, Rich output in a terminal, plain text when piped.

The top floor: commands parse what the user typed, call the public Python API (`book`, `ingest`, `tax`,
`ocf`) and print what comes back. May import everything below it; nothing imports it.
"""
