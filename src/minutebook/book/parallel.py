"""Work beside the caller on the machine's other core: `beside(work)` starts `work()` in a forked child process and
gives back a function that answers what `work()` returns. The child shares the caller's memory as it was at the
fork (copy on write: nothing is sent to it), sends its answer down a pipe (pickled), and leaves without running the
parent's exit handlers. A child that fails, dies or cannot be forked is answered for by running `work()` in the
caller, so the answer is always `work()`'s — it only comes sooner. Where the platform does not fork, or another
thread runs (a fork copies only the calling thread; a lock another holds would stay locked in the child), `work()`
runs at once in the caller.

`work` must be pure: it may read anything the caller holds, and changes nothing outside its answer (the caller
does not see what the child changes). For a batch large enough to pay for the fork (a few milliseconds) and the
pickle (about a microsecond for a small object).
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def beside(work: Callable[[], T]) -> Callable[[], T]:
    """`work()` started in a child process (where the platform forks and no other thread runs, else here); call the
    result for its answer (waited for once, then kept)."""
    if not can_fork():
        answer = work()
        return lambda: answer
    try:
        r, w = os.pipe()
        pid = os.fork()
    except OSError:
        answer = work()
        return lambda: answer
    if pid == 0:  # pragma: no cover - the child; its work is checked through the parent's answer
        try:
            os.close(r)
            try:
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - the parent runs `work` itself and meets the error there
                data = b""
            with os.fdopen(w, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(w)
    got: list = []

    def answer() -> T:
        if not got:
            with os.fdopen(r, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            got.append(pickle.loads(data) if data else work())
        return got[0]

    return answer
