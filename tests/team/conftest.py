"""Team tests: one real redis-server for the run (flushed per test), and desks — whole agent
apps, each with its own data dir and demo store copy — served on real loopback ports."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from agent.team.config import TeamSettings
from tests.support.redis_server import RedisServer
from tests.team.desk import DeskApp

TTL = 2  # seconds: presence lives this long without a refresh (the default is 30)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis(redis_server: RedisServer) -> RedisServer:
    if redis_server.proc is None or redis_server.proc.poll() is not None:
        redis_server.start()
    redis_server.flush()
    return redis_server


MakeDesk = Callable[..., Awaitable[DeskApp]]


@pytest.fixture
async def make_desk(
    tmp_path: Path, seeded_store: Path, redis: RedisServer
) -> AsyncIterator[MakeDesk]:
    desks: list[DeskApp] = []

    async def make(name: str, url: str | None = None, **team: object) -> DeskApp:
        data_dir = tmp_path / name
        if not data_dir.exists():
            data_dir.mkdir()
            shutil.copy(seeded_store, data_dir / "demo.db")
        settings = TeamSettings(
            redis_url=url or redis.url,
            desk_name=name,
            presence_ttl=TTL,
            **team,  # type: ignore[arg-type]
        )
        desk = await DeskApp(name, data_dir, settings).start()
        desks.append(desk)
        return desk

    yield make
    for desk in desks:
        await desk.stop()
