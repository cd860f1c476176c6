"""Work beside the caller on the machine's other core: `beside(work)` starts `work()` in a forked child process and
gives back a function that answers what `work()` returns. The child shares the caller's memory as it was at the
fork (copy on write: nothing is sent to it), sends its answer down a pipe (pickled), and leaves without running the
parent's exit handlers. A child that fails, dies or cannot be forked is answered for by running `work()` in the
caller, so the answer is always `work()`'s — it only comes sooner. `beside_each(works)` does several pieces one after
the other in one child and sends each answer as soon as it is ready. Where the platform does not fork, or another
thread runs (a fork copies only the calling thread; a lock another holds would stay locked in the child), `work()`
runs at once in the caller.

`work` must be pure: it may read anything the caller holds, and changes nothing outside its answer (the caller
does not see what the child changes). For a batch large enough to pay for the fork (a few milliseconds) and the
pickle (about a microsecond for a small object).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


_CHUNK = 1 << 20
"""Bytes the caller gathers before it writes to the child's pipe, and the pipe's capacity where the system allows:
a chunk then passes in one write and one read, where a pipe of 64 KiB passed it in sixteen, each of which woke the
other process (on a virtual machine, a wake-up can take a millisecond: through a small pipe the two processes
waited on each other more than they worked)."""


def _widen(fd: int) -> None:
    """Make the pipe `fd` hold a chunk (Linux's F_SETPIPE_SZ); elsewhere, or above the system's limit, as it is."""
    import fcntl

    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _CHUNK)


class ChildFailed(RuntimeError):
    """A child fed by `fed` ended without an answer (killed, out of memory): its work was not done."""


def fed(
    make: Callable[[], tuple[Callable[[bytes], None], Callable[[], T]]],
) -> tuple[Callable[[bytes], None], Callable[[], T]]:
    """Work done beside the caller on lines the caller makes as it goes: `make()` gives (step, finish); the returned
    (send, answer) sends each line (bytes without a line break) to `step` in a forked child, down a pipe, while the
    caller goes on; `answer()` ends the lines and gives `finish()`'s answer (`ChildFailed` if the child died; call it
    whatever happens, or the child waits for more lines). Where
    the platform does not fork or another thread runs, `step` runs in the caller as each line is sent."""
    if not can_fork():
        step, finish = make()
        return step, finish
    try:
        lines_r, lines_w = os.pipe()
        ans_r, ans_w = os.pipe()
        _widen(lines_w)
        pid = os.fork()
    except OSError:
        step, finish = make()
        return step, finish
    if pid == 0:  # pragma: no cover - the child; its work is checked through the parent's answer
        try:
            gc.freeze()  # what the fork copied: the collector leaves it alone (its passes would copy every page)
            os.close(lines_w)
            os.close(ans_r)
            step, finish = make()
            rest = b""
            # each read takes what the pipe holds, not waiting for a whole chunk
            for chunk in iter(functools.partial(os.read, lines_r, _CHUNK), b""):
                *done, rest = (rest + chunk).split(b"\n")
                for line in done:
                    step(line)
            os.close(lines_r)
            data = pickle.dumps(finish(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(ans_w, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(lines_r)
    os.close(ans_w)
    out = os.fdopen(lines_w, "wb", buffering=_CHUNK)
    got: list = []

    def send(line: bytes) -> None:
        try:
            out.write(line + b"\n")
        except BrokenPipeError:
            raise ChildFailed("the process beside ended before its work") from None

    def answer() -> T:
        if not got:
            with contextlib.suppress(BrokenPipeError):
                out.close()
            with os.fdopen(ans_r, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            if not data:
                raise ChildFailed("the process beside ended without an answer")
            got.append(pickle.loads(data))
        return got[0]

    return send, answer


def beside(work: Callable[[], T]) -> Callable[[], T]:
    """`work()` started in a child process (where the platform forks and no other thread runs, else here); call the
    result for its answer (waited for once, then kept)."""
    return beside_each([work])[0]


def beside_each(works: Sequence[Callable[[], Any]]) -> list[Callable[[], Any]]:
    """`beside` for several pieces of work, done one after the other in one child, each answer sent as soon as it is
    ready: the k-th function returned answers `works[k]()` (the first can be used while the child goes on with the
    next). A child that dies partway is answered for by the caller from the first piece it did not send."""
    if not can_fork():
        return [_now(w) for w in works]
    try:
        spool = tempfile.TemporaryFile(prefix="mb-beside-")  # noqa: SIM115 - closed once the child has ended
    except OSError:
        return [_now(x) for x in works]
    try:
        r, w = os.pipe()
        pid = os.fork()
    except OSError:
        spool.close()
        return [_now(x) for x in works]
    if pid == 0:  # pragma: no cover - the child; its work is checked through the parent's answers
        try:
            gc.freeze()
            os.close(r)
            fd = spool.fileno()
            for work in works:
                try:
                    data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: BLE001 - the parent does this piece itself and meets the error
                    break
                # into the spool first, then its size down the pipe: a write that never waits for the parent to read
                # (a pipe holds 64 KiB; an answer, megabytes)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.write(w, len(data).to_bytes(8, "little"))
        finally:
            os._exit(0)
    os.close(w)
    pipe = os.fdopen(r, "rb", buffering=0)
    got: list = []  # the answers so far, in order
    ended: list[bool] = []  # the child has sent all it will
    at = [0]  # where the next answer begins in the spool

    def end() -> None:
        ended.append(True)
        pipe.close()
        spool.close()
        os.waitpid(pid, 0)

    def receive(k: int) -> None:
        while len(got) <= k and not ended:
            size = b""
            while len(size) < 8:
                more = pipe.read(8 - len(size))
                if not more:
                    break
                size += more
            n = int.from_bytes(size, "little")
            data = os.pread(spool.fileno(), n, at[0]) if len(size) == 8 else b""
            if len(size) < 8 or len(data) < n:
                end()
                break
            at[0] += n
            got.append(pickle.loads(data))
        if len(got) == len(works) and not ended:
            end()
        while len(got) <= k:  # not sent: done here, in order
            got.append(works[len(got)]())

    def answer(k: int) -> Callable[[], Any]:
        def one():
            receive(k)
            return got[k]

        return one

    return [answer(k) for k in range(len(works))]


def _now(work: Callable[[], T]) -> Callable[[], T]:
    answer = work()
    return lambda: answer
