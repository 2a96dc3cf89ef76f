"""What every team module shares: the errors that mean "the link is down", time and JSON."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from redis.exceptions import RedisError

LINK_ERRORS = (RedisError, OSError, ConnectionError, asyncio.TimeoutError)


def now_ms() -> int:
    return int(time.time() * 1000)


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
