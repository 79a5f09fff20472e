"""settled() keeps the collector off the objects alive when it starts, and only meanwhile."""

import gc
import weakref

from ledger.heap import settled


def test_settled_freezes_for_the_pass_and_nests():
    assert gc.get_freeze_count() == 0
    with settled():
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with settled():  # a catch-up inside an import
            assert gc.get_freeze_count() >= frozen
        assert gc.get_freeze_count() >= frozen  # the inner pass did not thaw the outer one
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_made_before_a_pass_is_collected_after_it():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a
    ref = weakref.ref(a)
    with settled():
        del a, b
        gc.collect()
        assert ref() is not None  # a cycle alive at the start is out of the collector's reach
    assert ref() is None  # and back within it afterwards: collected as the pass ends


def test_cyclic_garbage_from_before_the_pass_is_freed_when_it_ends():
    """Thawed objects land in the oldest generation: without the final collection, stores
    closed before a pass kept their connections until some rare full collection."""

    class Node:
        pass

    a = Node()
    a.self = a
    ref = weakref.ref(a)
    del a  # garbage, not yet collected
    with settled():
        pass
    assert ref() is None
