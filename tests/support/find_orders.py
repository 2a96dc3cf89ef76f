"""Find a seeded order in a given state through the API (the newest first)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from agent.backends.demo.ids import order_id
from agent.config import Config
from tests.support.api import Api


async def find_order(
    api: Api, config: Config, wanted: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The newest seeded order whose details satisfy ``wanted``."""
    db = config.demo_db_path
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        numbers = [row[0] for row in conn.execute("SELECT number FROM orders ORDER BY number DESC")]
    for number in numbers:
        detail = await api.read(f"/orders/{order_id(number)}")
        if wanted(detail):
            return detail
    raise AssertionError("no seeded order matches")
