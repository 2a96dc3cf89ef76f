"""The link to the team's Redis: connected, down (the agent keeps working and says so),
reconnecting with backoff after Redis comes back; doctor's check."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from typing import Any

from agent.config import load_config
from agent.team.config import TeamSettings
from agent.team.diagnose import team_checks
from tests.support.agent_process import free_port
from tests.support.api import Api
from tests.support.redis_server import RedisServer
from tests.team.conftest import MakeDesk


async def first_customer(desk: Any, index: int = 0) -> str:
    status, found = await desk.call("GET", f"/search/customers?page_size={index + 1}")
    assert status == 200, found
    return str(found["results"][index]["id"])


async def test_without_a_team_section_team_says_single_desk(api: Api) -> None:
    status, body = await api.get("/team")
    assert status == 200
    assert body["enabled"] is False
    assert body["connected"] is False


async def test_a_desk_connects_and_names_itself(make_desk: MakeDesk) -> None:
    desk = await make_desk("Dana")
    status = await desk.wait_team(lambda s: s["connected"])
    assert status == {**status, "enabled": True, "desk": "Dana", "detail": ""}


async def test_the_team_keeps_its_own_private_file_out_of_state_db(make_desk: MakeDesk) -> None:
    desk = await make_desk("Dana")
    await desk.wait_team(lambda s: s["connected"])
    assert stat.S_IMODE((desk.data_dir / "team.db").stat().st_mode) == 0o600
    with sqlite3.connect(desk.data_dir / "state.db") as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"incoming", "outgoing"}


async def test_with_redis_unreachable_the_agent_works_and_says_so(make_desk: MakeDesk) -> None:
    desk = await make_desk("Lee", url=f"redis://127.0.0.1:{free_port()}/0")
    await asyncio.sleep(0.3)
    status = await desk.team()
    assert status["enabled"] is True
    assert status["connected"] is False
    assert status["detail"]
    opened = await desk.open_customer(await first_customer(desk))
    assert opened["created"] is True


async def test_the_link_comes_back_after_redis_restarts(
    make_desk: MakeDesk, redis: RedisServer
) -> None:
    desk = await make_desk("Dana")
    await desk.wait_team(lambda s: s["connected"])
    redis.kill()
    await desk.wait_team(lambda s: not s["connected"])
    assert any(e["type"] == "team" and not e["data"]["connected"] for e in desk.events)
    redis.start()
    await desk.wait_team(lambda s: s["connected"])
    assert desk.events[-1]["type"] in ("team", "sessions")


def test_doctor_checks_the_connection(tmp_path, redis: RedisServer) -> None:  # type: ignore[no-untyped-def]
    config = load_config(tmp_path, csr_name="Dana")
    up = config.with_overrides(team=TeamSettings(redis_url=redis.url))
    [check] = team_checks(up)
    assert check.ok, check.detail
    assert "Dana" in check.detail
    down = config.with_overrides(
        team=TeamSettings(redis_url=f"redis://user:pw@127.0.0.1:{free_port()}/0")
    )
    [check] = team_checks(down)
    assert not check.ok
    assert "pw" not in check.detail
    assert team_checks(config) == []
