"""The heap keeper: what survives a full collection is frozen so the next one walks only what is
new, and frozen garbage is still collected when the hub settles the heap."""

from __future__ import annotations

import gc
import weakref

import pytest

from messe.live.heap import HeapKeeper


class Node:
    def __init__(self) -> None:
        self.partner: Node | None = None


@pytest.fixture
def keeper():
    keeper = HeapKeeper(quiet_seconds=0.0)
    keeper.watch_collections()
    yield keeper
    keeper.unwatch_collections()
    gc.unfreeze()


def test_survivors_of_a_full_collection_are_frozen_once(keeper):
    gc.unfreeze()
    long_lived = [Node() for _ in range(1000)]
    keeper.keep_survivors()
    assert gc.get_freeze_count() == 0  # no full collection yet: nothing to keep
    gc.collect()
    keeper.keep_survivors()
    frozen = gc.get_freeze_count()
    assert frozen >= len(long_lived)
    assert gc.get_count()[2] == 0 and len(gc.get_objects(generation=2)) == 0
    more = [Node() for _ in range(1000)]
    keeper.keep_survivors()  # no full collection since: the new objects stay collectable
    assert gc.get_freeze_count() == frozen
    assert any(obj is more[0] for obj in gc.get_objects())


def test_frozen_garbage_cycles_are_collected_when_the_heap_is_settled(keeper):
    gc.unfreeze()
    a, b = Node(), Node()
    a.partner, b.partner = b, a
    gone = weakref.ref(a)
    gc.collect()
    keeper.keep_survivors()
    del a, b
    gc.collect()
    assert gone() is not None  # frozen: the collector does not look at it
    keeper.settle()
    assert gone() is None


def test_a_heap_frozen_to_twice_its_settled_size_is_settled_when_quiet(keeper):
    gc.unfreeze()
    keeper.settle()
    assert not keeper.due(connections=0)
    grown = [[Node()] for _ in range(2 * gc.get_freeze_count() + 1000)]
    gc.collect()
    keeper.keep_survivors()
    assert keeper.due(connections=0)
    assert len(grown) > 0


def test_asking_whether_a_round_is_due_never_walks_the_frozen_heap(keeper, monkeypatch):
    """The hub asks once a second; counting the frozen heap walks every object in it (17 ms for
    1.5 million), which stalled every request on the loop that long."""
    keeper.settle()
    def walk() -> int:
        raise AssertionError("due() counted the frozen heap")
    monkeypatch.setattr(gc, "get_freeze_count", walk)
    for _ in range(3):
        keeper.due(connections=2000)
