"""The bench's HTTP client, run as its own process so it does not share the agent's GIL.

Reads a job as JSON on stdin and writes the measurements as JSON on stdout:

    {"base": url, "token": str, "warmup": [request, …],
     "sequential": {name: [request, …]}, "clients": 16, "concurrent": [request, …],
     "abandon": [request, …]}

A request is ``[kind, {param: value}]``. Latencies are milliseconds from sending the request
to having read the whole body, over one keep-alive connection per client.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

import aiohttp

Request = tuple[str, dict[str, str]]


async def _get(session: aiohttp.ClientSession, base: str, request: Request) -> tuple[float, int]:
    kind, params = request
    started = time.perf_counter()
    async with session.get(f"{base}/api/v1/search/{kind}", params=params) as response:
        await response.read()
        return (time.perf_counter() - started) * 1000, response.status


async def _sequential(session: aiohttp.ClientSession, base: str, requests: list[Request]) -> dict:
    times: list[float] = []
    failed: list[Any] = []
    for request in requests:
        ms, status = await _get(session, base, request)
        times.append(ms)
        if status != 200:
            failed.append([status, request])
    return {"times": times, "failed": failed}


async def _concurrent(
    base: str, headers: dict[str, str], clients: int, requests: list[Request]
) -> dict:
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    times: list[float] = []
    failed = 0

    async def client() -> None:
        nonlocal failed
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
            while not queue.empty():
                ms, status = await _get(session, base, queue.get_nowait())
                times.append(ms)
                failed += status != 200

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return {"times": times, "failed": failed, "seconds": elapsed}


async def _abandon(base: str, headers: dict[str, str], requests: list[Request]) -> dict:
    """Send slow requests and hang up after 5 ms each; the agent should stop their queries."""
    abandoned = 0
    timeout = aiohttp.ClientTimeout(total=0.005)
    for request in requests:
        async with aiohttp.ClientSession(headers=headers) as session:
            try:
                await _get_with_timeout(session, base, request, timeout)
            except TimeoutError:
                abandoned += 1
    return {"abandoned": abandoned}


async def _get_with_timeout(
    session: aiohttp.ClientSession, base: str, request: Request, timeout: aiohttp.ClientTimeout
) -> None:
    kind, params = request
    async with session.get(
        f"{base}/api/v1/search/{kind}", params=params, timeout=timeout
    ) as response:
        await response.read()


async def main() -> None:
    job = json.load(sys.stdin)
    base, headers = job["base"], {"Authorization": f"Bearer {job['token']}"}
    result: dict[str, Any] = {}
    async with aiohttp.ClientSession(headers=headers) as session:
        await _sequential(session, base, job["warmup"])
        result["sequential"] = {
            name: await _sequential(session, base, requests)
            for name, requests in job["sequential"].items()
        }
    if job.get("concurrent"):
        result["concurrent"] = await _concurrent(base, headers, job["clients"], job["concurrent"])
    if job.get("abandon"):
        result["abandon"] = await _abandon(base, headers, job["abandon"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
