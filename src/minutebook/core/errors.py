"""The one exception root, and its branches, for misuse and I/O.

A problem in the user's data is a `Finding`, not an exception. Exceptions are raised only when
minutebook cannot do what it was asked (a missing file, an unreadable encoding, a bad argument);
each branch also inherits the builtin a Python caller would expect to catch.
"""

from __future__ import annotations


class MinutebookError(Exception):
    """Root of every exception minutebook raises on purpose."""


class InputError(MinutebookError, ValueError):
    """Input that cannot be read at all: empty, binary, undecodable, too large, no charter in it."""


class NotFoundError(MinutebookError, LookupError):
    """A file, corporation, version or rule that does not exist."""
