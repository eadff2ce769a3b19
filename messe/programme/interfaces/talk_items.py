"""Each talk's item in the programme's lists, rendered once for what it shows.

After a programme change the lists are rendered again (for the next phone that reads them), and
a move changes one talk or two: rendering every item again was most of a list's time (cProfile,
GET / after a move, before this: about 30 of 45 ms), on the event loop that the scans at the stands
share, at the moment the fan-out to every phone runs too. An item's HTML depends only on the
talk's view (its snapshot, whether a search shows it, its hour in the time index), the event's
address and time zone and the page's language, so it is kept under those, the view as JSON, for
the ``most`` items used last.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup
from starlette.requests import Request

from messe.common.models import Event
from messe.web.templates import RENDER_SLICE_SECONDS, language_of, page_context, templates

ITEM_TEMPLATE = "programme/_talk.html"


class TalkItems:
    def __init__(self, most: int = 4096) -> None:
        self.most = most
        self.rendered = 0  # items rendered (not found kept), for tests
        self._kept: OrderedDict[str, Markup] = OrderedDict()

    def clear(self) -> None:
        self._kept.clear()

    async def render(self, request: Request, event: Event, views: Iterable[dict[str, Any]]) -> dict[int, Markup]:
        """Each view's item by talk id; new ones rendered, handing the loop back between slices."""
        template = templates.get_template(ITEM_TEMPLATE)
        language = language_of(request)
        context: dict[str, Any] | None = None
        items: dict[int, Markup] = {}
        handed_back = time.perf_counter()
        for view in views:
            key = json.dumps([language, event.slug, event.timezone, view], sort_keys=True, default=str,
                             ensure_ascii=False)
            item = self._kept.get(key)
            if item is None:
                context = context or page_context(request, {"event": event})
                item = Markup(template.render({**context, "talk": view}))
                self.rendered += 1
                self._kept[key] = item
                if len(self._kept) > self.most:
                    self._kept.popitem(last=False)
                if time.perf_counter() - handed_back > RENDER_SLICE_SECONDS:
                    await asyncio.sleep(0)
                    handed_back = time.perf_counter()
            else:
                self._kept.move_to_end(key)
            items[view["id"]] = item
        return items


talk_items = TalkItems()
