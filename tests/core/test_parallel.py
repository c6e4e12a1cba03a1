"""Tests for core/parallel.py: work shared out to forked workers."""

from __future__ import annotations

import gc
import os
import threading
import time

import pytest

from kotacerdas.core import parallel


def test_map_indexed_gives_each_result_in_order() -> None:
    count = parallel.MIN_ITEMS * 2
    assert parallel.map_indexed(lambda i: i * i, count) == [i * i for i in range(count)]


@pytest.mark.skipif(parallel.workers() < 2 or parallel._forking() is None,
                    reason="needs two cores and fork")
def test_workers_leave_the_parents_objects_out_of_their_collections() -> None:
    """Forked workers see the parent's objects frozen (gc.freeze), so a collection in a worker
    does not copy the shared heap; the parent collects them again once the workers are done."""
    assert gc.get_freeze_count() == 0
    frozen = parallel.map_indexed(lambda i: gc.get_freeze_count(), parallel.MIN_ITEMS)
    assert min(frozen) > 0
    assert gc.get_freeze_count() == 0



@pytest.mark.skipif(parallel.workers() < 2 or parallel._forking() is None,
                    reason="needs two cores and fork")
def test_the_parent_is_one_of_the_workers() -> None:
    """One process per core, the parent among them: a job shared out forks one process fewer
    than there are cores, and both kinds take chunks (each item waits a little, so a forked
    worker starts before the parent could take every chunk)."""
    def where(i: int) -> tuple[int, int]:
        time.sleep(0.002)
        return i, os.getpid()

    done = parallel.map_indexed(where, parallel.MIN_ITEMS * 2)
    assert [i for i, _ in done] == list(range(parallel.MIN_ITEMS * 2))
    pids = {pid for _, pid in done}
    assert os.getpid() in pids and 2 <= len(pids) <= parallel.workers()


# --- side_by_side: two short jobs, one in a forked child ----------------------------------------

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _no_child_left() -> bool:
    """Whether this process has no child left to reap (none running, no zombie)."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _alone(timeout: float = 30.0) -> None:
    """Wait for threads that earlier tests left ending (side_by_side forks only when no other
    thread runs, so under load one still finishing made it work here: a flaky test); name any
    that never end."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
    left = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    assert not left, f"threads still running, so side_by_side cannot fork: {left}"


@needs_fork
def test_side_by_side_makes_the_first_value_in_a_child() -> None:
    _alone()
    parent = os.getpid()
    (child, words), mine = parallel.side_by_side(lambda: (os.getpid(), ["a", ("b", 1)]),
                                                 lambda: os.getpid())
    assert mine == parent and child != parent and words == ["a", ("b", 1)]
    assert _no_child_left()


@needs_fork
@pytest.mark.parametrize("failing", ["raises", "not marshal-able", "exits"])
def test_side_by_side_makes_the_value_here_when_the_child_fails(failing: str) -> None:
    parent = os.getpid()

    def first() -> object:
        if os.getpid() != parent:  # only in the child
            if failing == "raises":
                raise OSError("gone")
            if failing == "exits":
                os._exit(3)
            return object()
        return "made here"

    assert parallel.side_by_side(first, lambda: 2) == ("made here", 2)
    assert _no_child_left()


@needs_fork
def test_side_by_side_reaps_its_child_when_the_second_job_fails() -> None:
    def second() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        parallel.side_by_side(lambda: 1, second)
    assert _no_child_left()


def test_side_by_side_forks_nothing_while_other_threads_run() -> None:
    go = threading.Event()
    thread = threading.Thread(target=go.wait)
    thread.start()
    try:
        assert parallel.side_by_side(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        go.set()
        thread.join()


# --- meanwhile: a value made in a forked child while this process goes on ----------------------

@needs_fork
def test_meanwhile_makes_the_value_in_a_child_while_the_block_runs() -> None:
    _alone()
    parent = os.getpid()
    with parallel.meanwhile(lambda: (os.getpid(), {"a/index.html": 7, "b": None})) as value:
        here = os.getpid()
        child, inodes = value()
        assert value() == (child, inodes)  # asked twice: the same value, the child reaped once
    assert here == parent and child != parent and inodes == {"a/index.html": 7, "b": None}
    assert _no_child_left()


@needs_fork
@pytest.mark.parametrize("size", [10, 1_000_000])
def test_meanwhile_reaps_a_child_whose_value_nobody_asked_for(size: int) -> None:
    """The block fails before asking: the child is reaped, even one whose value is larger than
    a pipe holds (it would block writing it: the pipe is closed first)."""
    _alone()
    with pytest.raises(KeyError), parallel.meanwhile(lambda: "x" * size):
        raise KeyError("x")
    assert _no_child_left()


@needs_fork
def test_meanwhile_makes_the_value_here_when_the_child_fails() -> None:
    parent = os.getpid()

    def job() -> str:
        if os.getpid() != parent:
            raise OSError("gone")
        return "made here"

    with parallel.meanwhile(job) as value:
        assert value() == "made here"
    assert _no_child_left()
