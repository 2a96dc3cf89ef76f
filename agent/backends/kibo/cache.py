"""A small read cache of entity details: a few seconds, a few hundred entries.

Repeated reads while a CSR flips between tabs are served locally; every action through the
agent invalidates the entities it touched, so the CSR never sees their own edit go missing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

DEFAULT_TTL_S = 5.0
DEFAULT_SIZE = 256

Key = tuple[str, str]


class EntityCache:
    def __init__(
        self,
        ttl_s: float = DEFAULT_TTL_S,
        size: int = DEFAULT_SIZE,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.size = size
        self._clock = clock
        self._entries: OrderedDict[Key, tuple[float, Any]] = OrderedDict()
        self.hits = 0

    def get(self, kind: str, entity_id: str) -> Any | None:
        key = (kind, entity_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, value = entry
        if self._clock() - stored_at > self.ttl_s:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return value

    def put(self, kind: str, entity_id: str, value: Any) -> None:
        if self.ttl_s <= 0:
            return
        key = (kind, entity_id)
        self._entries[key] = (self._clock(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def invalidate(self, kind: str, entity_id: str) -> None:
        self._entries.pop((kind, entity_id), None)

    def clear(self) -> None:
        self._entries.clear()
