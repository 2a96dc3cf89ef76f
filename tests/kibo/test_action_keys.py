"""Idempotency-Key records of Kibo actions: replay, reuse, in flight, expiry, and an agent
restart (and crash) in between — Kibo never sees a money action twice."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from agent.app import create_app
from agent.backends.kibo.action_keys import FILE_NAME, KEY_RETENTION_S, ActionKeys
from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.config import load_config
from agent.errors import Conflict, Unprocessable
from shared_schema.actions import ActionResult
from tests.kibo.fake_kibo import FakeKibo
from tests.kibo.run_fake import write_agent_config
from tests.support.action_docs import customer_doc
from tests.support.agent_process import AgentProcess
from tests.support.api import TOKEN, Api

ORDER_OPEN = "1b2c3d4e5f60718293a4b5c6d7e8f90a"
CAPTURE = f"/orders/{ORDER_OPEN}/actions/capture_payment"
CAPTURE_CALLS = "/payments/p5002/actions"
BODY = {"expected_version": 3, "payment_id": "p5002", "amount_cents": 5900}


@pytest.fixture
async def api(
    aiohttp_client: Callable[..., Any], tmp_path: Path, client: KiboClient
) -> AsyncIterator[Api]:
    config = load_config(tmp_path, port=0).with_overrides(backend="kibo")
    backend = KiboBackend(client, keys_path=tmp_path / FILE_NAME)
    yield Api(await aiohttp_client(create_app(config, backend=backend, token=TOKEN)))


async def capture(api: Api, key: str, body: dict[str, Any] = BODY) -> tuple[int, Any]:
    return await api.send("POST", CAPTURE, body, headers={"Idempotency-Key": key})


async def test_the_same_key_for_another_request_is_refused(api: Api, fake: FakeKibo) -> None:
    status, _ = await capture(api, "capture-0001")
    assert status == 200
    status, body = await capture(api, "capture-0001", BODY | {"amount_cents": 100})
    assert status == 422 and body["error"]["code"] == "idempotency_key_reused"
    assert len(fake.calls(CAPTURE_CALLS)) == 1


async def test_a_key_still_in_flight_is_not_sent_twice(api: Api, fake: FakeKibo) -> None:
    await api.get(f"/orders/{ORDER_OPEN}")  # token in hand
    fake.delay_s = 0.5
    first = asyncio.create_task(capture(api, "capture-0002"))
    for _ in range(300):
        if fake.calls(CAPTURE_CALLS):
            break
        await asyncio.sleep(0.01)
    status, body = await capture(api, "capture-0002")
    assert status == 409 and body["error"]["code"] == "idempotency_key_in_flight"
    status, done = await first
    assert status == 200, done
    status, again = await capture(api, "capture-0002")
    assert status == 200 and again["replayed"] is True
    assert len(fake.calls(CAPTURE_CALLS)) == 1


async def test_a_try_refused_before_kibo_leaves_the_key_free(api: Api, fake: FakeKibo) -> None:
    status, body = await capture(api, "capture-0003", BODY | {"expected_version": 2})
    assert status == 409 and body["error"]["code"] == "stale_version"
    status, result = await capture(api, "capture-0003")
    assert status == 200 and result["replayed"] is False
    assert len(fake.calls(CAPTURE_CALLS)) == 1


def _result() -> ActionResult:
    return ActionResult(
        kind="customer",
        id="42",
        action="issue_store_credit",
        version=4,
        message="Store credit issued",
        changes=[],
        entity=customer_doc(),
        at="2026-01-01T00:00:00Z",
        by="CSR",
    )


def test_records_expire_after_a_week(tmp_path: Path) -> None:
    now = [1_000_000.0]
    keys = ActionKeys(tmp_path / FILE_NAME, "1/23456", clock=lambda: now[0])
    assert keys.claim("key-00000001", "print-a") is None
    keys.done("key-00000001", _result())
    now[0] += KEY_RETENTION_S - 60
    replay = keys.claim("key-00000001", "print-a")
    assert replay is not None and replay.replayed and replay.version == 4
    with pytest.raises(Unprocessable):
        keys.claim("key-00000001", "print-b")
    now[0] += 120  # a week and a minute
    assert keys.claim("key-00000001", "print-b") is None  # forgotten: a new first try
    keys.close()


def test_a_first_try_left_pending_by_a_stopped_agent_is_of_unknown_outcome(tmp_path: Path) -> None:
    before = ActionKeys(tmp_path / FILE_NAME, "1/23456")
    assert before.claim("key-00000002", "print-a") is None  # sending when the agent died
    before.close()
    after = ActionKeys(tmp_path / FILE_NAME, "1/23456")
    with pytest.raises(Conflict) as caught:
        after.claim("key-00000002", "print-a")
    assert caught.value.code == "outcome_unknown"
    other_tenant = ActionKeys(tmp_path / FILE_NAME, "2/34567")
    assert other_tenant.claim("key-00000002", "print-a") is None
    after.close()
    other_tenant.close()


def _post(agent: AgentProcess, key: str) -> tuple[int, Any]:
    return agent.request("POST", CAPTURE, BODY, headers={"Idempotency-Key": key})


@pytest.mark.slow
async def test_a_replay_survives_an_agent_restart(tmp_path: Path, fake: FakeKibo) -> None:
    data_dir = tmp_path / "data"
    write_agent_config(data_dir, fake.url)
    agent = AgentProcess(data_dir)
    await asyncio.to_thread(agent.start)
    try:
        status, first = await asyncio.to_thread(_post, agent, "capture-restart-1")
        assert status == 200, first
        await asyncio.to_thread(agent.stop)
        await asyncio.to_thread(agent.start)
        status, again = await asyncio.to_thread(_post, agent, "capture-restart-1")
    finally:
        await asyncio.to_thread(agent.stop)
    assert status == 200, again
    assert again["replayed"] is True
    assert again | {"replayed": False} == first
    assert len(fake.calls(CAPTURE_CALLS)) == 1
    assert (data_dir / FILE_NAME).exists()


@pytest.mark.slow
async def test_a_key_in_flight_when_the_agent_died_is_not_sent_again(
    tmp_path: Path, fake: FakeKibo
) -> None:
    data_dir = tmp_path / "data"
    write_agent_config(data_dir, fake.url)
    agent = AgentProcess(data_dir)
    await asyncio.to_thread(agent.start)
    try:
        status, _ = await asyncio.to_thread(agent.request, "GET", f"/orders/{ORDER_OPEN}")
        assert status == 200  # token in hand
        fake.delay_s = 1.0
        sending = asyncio.create_task(asyncio.to_thread(_post, agent, "capture-crash-1"))
        for _ in range(500):
            if fake.calls(CAPTURE_CALLS):
                break
            await asyncio.sleep(0.01)
        assert fake.calls(CAPTURE_CALLS)
        await asyncio.to_thread(agent.kill)  # kill -9 while Kibo works on it
        with contextlib.suppress(OSError):
            await sending
        fake.delay_s = 0.0
        await asyncio.to_thread(agent.start)
        status, body = await asyncio.to_thread(_post, agent, "capture-crash-1")
    finally:
        await asyncio.to_thread(agent.stop)
    assert status == 409 and body["error"]["code"] == "outcome_unknown"
    assert len(fake.calls(CAPTURE_CALLS)) == 1
