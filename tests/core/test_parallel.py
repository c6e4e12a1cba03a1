"""Tests for core/parallel.py: work shared out to forked workers."""

from __future__ import annotations

import gc

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
