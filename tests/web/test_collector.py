"""While the application runs, the collector's youngest generation waits for 20,000 new objects;
afterwards the process has its own setting back."""

from __future__ import annotations

import gc

from messe.web.collector import YOUNG_COLLECTION_AFTER, fewer_young_collections


def test_the_threshold_is_raised_while_serving_and_given_back_after():
    before = gc.get_threshold()
    with fewer_young_collections():
        assert gc.get_threshold() == (YOUNG_COLLECTION_AFTER, *before[1:])
    assert gc.get_threshold() == before


async def test_the_running_application_collects_young_objects_less_often(app):
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_AFTER
