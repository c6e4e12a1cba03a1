"""Spread CPU-bound work (Markdown, templates) over the machine's cores with forked workers.

Forked workers inherit the parent's memory copy-on-write (the site model, the Markdown converter,
compiled templates), so only chunk numbers go in and results come out: no worker re-parses what the
parent already has. The parent is one of the workers (one core each, one process fewer: a forked
worker's copied pages are most of a big build's memory), and every worker, the parent too, takes
the next chunk from one shared counter, so one slow chunk idles nobody. Small jobs stay
in-process, where a pool would cost more than it saves, and do not import ``multiprocessing``
either (``_forking``). The parent's objects are out of the cycle collector's reach while the
workers live (``_frozen``), so sharing them stays cheap.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext

MIN_ITEMS = 150
T = TypeVar("T")
U = TypeVar("U")
_task: Callable[[int], Any] | None = None
_taken: Any = None
"""The number of the next chunk to take, shared by the parent and its forked workers."""


def _drain(chunks: list[tuple[int, int]], taken: Any) -> list[tuple[int, list[Any]]]:
    """Take chunks by the shared counter ``taken`` until none is left: (chunk number, results)."""
    assert _task is not None
    done: list[tuple[int, list[Any]]] = []
    while True:
        with taken.get_lock():
            number = taken.value
            taken.value = number + 1
        if number >= len(chunks):
            return done
        done.append((number, [_task(i) for i in range(*chunks[number])]))


def _drain_forked(chunks: list[tuple[int, int]]) -> list[tuple[int, list[Any]]]:
    """``_drain`` in a forked worker, with the counter it inherited."""
    return _drain(chunks, _taken)


def workers() -> int:
    """How many processes to use: one per core (the parent and ``workers() - 1`` forked ones)."""
    return max(1, min(os.cpu_count() or 1, 8))


def worth_sharing(count: int) -> bool:
    """Whether a job of ``count`` items is large enough for workers (map_indexed runs the rest
    in-process), so a caller can skip preparing one that would not be shared."""
    return workers() >= 2 and count >= MIN_ITEMS


def _forking() -> ForkContext | None:
    """The fork start method, or None where processes cannot fork; the one place
    ``multiprocessing`` is imported, only for a job large enough to share out."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork")


def map_indexed(task: Callable[[int], Any], count: int) -> list[Any]:
    """[task(0), …, task(count - 1)] in order, in parallel when the job is large enough."""
    global _task, _taken
    n = workers()
    if not worth_sharing(count) or (forking := _forking()) is None:
        return [task(i) for i in range(count)]
    # a few chunks per worker, so one slow chunk does not idle the rest
    size = max(1, -(-count // (n * 4)))
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _task, _taken = task, forking.Value("l", 0)
    try:
        with _frozen(), forking.Pool(n - 1) as pool:
            forked = pool.map_async(_drain_forked, [chunks] * (n - 1), chunksize=1)
            done = _drain(chunks, _taken)
            for part in forked.get():
                done += part
    finally:
        _task = _taken = None
    return [item for _, results in sorted(done, key=lambda d: d[0]) for item in results]


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The objects that exist now left out of cycle collections until the workers are done
    (gc.freeze, CPython's advice for forking): a collection marks every object it examines, so
    one in a worker (or in the waiting parent) would copy the pages of the whole shared heap,
    the model and every converted text, into that process's own memory."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def side_by_side(elsewhere: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """(elsewhere(), here()), the first made in a forked child while this process makes the
    second: for two short jobs of system calls (a no-change build's two stamp walks), where a
    pool would cost more than the work. ``elsewhere``'s value must be marshal-able (``meanwhile``
    says what happens when no child can make it)."""
    with meanwhile(elsewhere) as theirs:
        mine = here()
        return theirs(), mine


@contextlib.contextmanager
def meanwhile(job: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """``job`` made in a forked child while the block runs; the block calls what this yields to
    wait for its value (a marshal-able one). Without fork, with other threads running (a forked
    child would hold their locks), or when the child fails, the value is made here when asked
    for. The child is waited for when the block ends, whether or not the value was asked for."""
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or threading is not None and threading.active_count() > 1:
        yield job
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: hand the value back, then leave without any cleanup of the parent's
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                out.write(marshal.dumps(job(), 2))  # type: ignore[arg-type]
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    pipe = os.fdopen(read_end, "rb")
    made: list[T] = []
    waited = False

    def value() -> T:
        nonlocal waited
        if not made:
            data = pipe.read()
            status = os.waitpid(pid, 0)[1]
            waited = True
            if status == 0:
                with contextlib.suppress(ValueError, EOFError, TypeError):
                    made.append(marshal.loads(data))
            if not made:
                made.append(job())
        return made[0]
    try:
        yield value
    finally:
        pipe.close()  # a child still writing gets EPIPE and leaves: never blocked on a full pipe
        if not waited:
            os.waitpid(pid, 0)
