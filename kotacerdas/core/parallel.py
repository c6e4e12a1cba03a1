"""Spread CPU-bound work (Markdown, templates) over the machine's cores with forked workers.

Forked workers inherit the parent's memory copy-on-write (the site model, the Markdown converter,
compiled templates), so only chunk numbers go in and results come out: no worker re-parses what the
parent already has. Small jobs stay in-process, where a pool would cost more than it saves, and
do not import ``multiprocessing`` either (``_forking``). The parent's objects are out of the cycle
collector's reach while the workers live (``_frozen``), so sharing them stays cheap.
"""

from __future__ import annotations

import contextlib
import gc
import os
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:
    from multiprocessing.context import ForkContext

MIN_ITEMS = 150
_task: Callable[[int], Any] | None = None


def _run(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None
    return [_task(i) for i in range(*bounds)]


def workers() -> int:
    """How many processes to use: one per core (the parent waits while they work)."""
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
    global _task
    n = workers()
    if not worth_sharing(count) or (forking := _forking()) is None:
        return [task(i) for i in range(count)]
    # a few chunks per worker, so one slow chunk does not idle the rest
    size = max(1, -(-count // (n * 4)))
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    _task = task
    try:
        with _frozen(), forking.Pool(n) as pool:
            results = pool.map(_run, chunks, chunksize=1)
    finally:
        _task = None
    return [item for chunk in results for item in chunk]


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
