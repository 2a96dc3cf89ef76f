"""The agent's HTTP API on the Kibo backend against the fake: search, details, sessions, and
`callcenter-agent serve --backend kibo` / `doctor` as real processes."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from agent.app import create_app
from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.config import KiboSettings, load_config
from tests.kibo.fake_kibo import CLIENT_SECRET, TENANT, FakeKibo
from tests.kibo.openapi_docs import require_documents
from tests.kibo.run_fake import write_agent_config
from tests.support.agent_process import AgentProcess, cli
from tests.support.api import TOKEN, Api

ORDER_5002 = "1b2c3d4e5f60718293a4b5c6d7e8f90a"


@pytest.fixture
async def kibo_api(
    aiohttp_client: Callable[..., Any], tmp_path: Path, client: KiboClient
) -> AsyncIterator[Api]:
    config = load_config(tmp_path, port=0).with_overrides(backend="kibo")
    app = create_app(config, backend=KiboBackend(client), token=TOKEN)
    yield Api(await aiohttp_client(app))


async def test_search_details_and_sessions_end_to_end(kibo_api: Api, fake: FakeKibo) -> None:
    status, found = await kibo_api.get("/search/orders", q="john smi")
    assert status == 200 and found["total_exact"] is True
    row = found["results"][0]
    assert (row["id"], row["number"], row["customer_name"]) == (ORDER_5002, 5002, "John Smith")
    status, order = await kibo_api.get(f"/orders/{row['id']}")
    assert status == 200 and order["number"] == 5002
    assert order["available_actions"][:1] == ["change_billing_address"]
    status, opened = await kibo_api.send("POST", "/sessions", {"kind": "order", "id": row["id"]})
    assert status == 201
    session = opened["state"]["sessions"][0]
    assert session["title"] == "John Smith" and session["customer_id"] == "1002"
    status, _ = await kibo_api.send(
        "POST", f"/sessions/{session['id']}/tabs", {"kind": "customer", "id": "1002"}
    )
    assert status in (200, 201)
    status, customer = await kibo_api.get("/customers/1002")
    assert customer["account_status"] == "Locked"
    status, orders = await kibo_api.get("/customers/1002/orders")
    assert [o["number"] for o in orders["results"]] == [5002]
    status, filters = await kibo_api.get("/search/orders/filters")
    site = next(f for f in filters["filters"] if f["key"] == "site")
    assert site["unavailable"].startswith("the store filters orders by site number")
    assert len(fake.calls(f"/commerce/orders/{ORDER_5002}")) == 1  # the cache served repeats


async def test_kibo_faults_reach_the_panel_as_our_errors(kibo_api: Api, fake: FakeKibo) -> None:
    from tests.kibo.fake_kibo import Fault

    status, body = await kibo_api.get("/orders/ffffffffffffffffffffffffffffffff")
    assert status == 404 and body["error"]["code"] == "order_not_found"
    fake.faults.append(
        Fault(
            503,
            "/commerce/returns",
            times=3,
            body={"message": "Down for maintenance", "correlationId": "corr-x"},
        )
    )
    status, body = await kibo_api.get("/search/returns")
    assert status == 503
    assert body["error"]["details"]["correlation_id"] == "corr-x"
    assert "Down for maintenance" in body["error"]["message"]
    status, body = await kibo_api.get("/search/orders", sort="item_count")
    assert status == 400 and body["error"]["code"] == "sort_not_supported"
    status, _ = await kibo_api.get("/health")
    assert status == 200


def _write_config(data_dir: Path, fake: FakeKibo) -> None:
    write_agent_config(data_dir, fake.url)


@pytest.mark.slow
async def test_serve_with_kibo_backend_runs_against_the_fake(
    tmp_path: Path, fake: FakeKibo
) -> None:
    _write_config(tmp_path, fake)
    agent = AgentProcess(tmp_path)
    await asyncio.to_thread(agent.start)
    try:
        status, info = await asyncio.to_thread(agent.request, "GET", "/info")
        assert status == 200 and info["backend"] == "kibo"
        assert CLIENT_SECRET not in str(info)
        status, found = await asyncio.to_thread(agent.request, "GET", "/search/customers?q=ana")
        assert status == 200 and found["results"][0]["name"] == "Ana Núñez"
        status, opened = await asyncio.to_thread(
            agent.request, "POST", "/sessions", {"kind": "customer", "id": "1001"}
        )
        assert status == 201 and opened["state"]["sessions"][0]["title"] == "Ana Núñez"
        status, _ = await asyncio.to_thread(
            agent.request, "GET", "/returns/9f8e7d6c5b4a39281706f5e4d3c2b1a0"
        )
        assert status == 200
        doctor = await asyncio.to_thread(cli, "doctor", data_dir=tmp_path)
        assert "kibo read" in doctor.stdout and CLIENT_SECRET not in doctor.stdout
        status_out = await asyncio.to_thread(cli, "status", data_dir=tmp_path)
        assert "kibo" in status_out.stdout and CLIENT_SECRET not in status_out.stdout
    finally:
        await asyncio.to_thread(agent.stop)
    assert os.stat(tmp_path / "kibo-secret").st_mode & 0o077 == 0


async def test_doctor_names_a_world_readable_secret(tmp_path: Path, fake: FakeKibo) -> None:
    _write_config(tmp_path, fake)
    (tmp_path / "kibo-secret").chmod(0o644)
    result = await asyncio.to_thread(cli, "doctor", data_dir=tmp_path)
    assert "chmod 600" in result.stdout + result.stderr
    assert CLIENT_SECRET not in result.stdout + result.stderr


def test_settings_fixture_matches_the_fake(settings: KiboSettings) -> None:
    assert settings.tenant == TENANT


async def test_an_abandoned_typeahead_search_is_cancelled_at_kibo(
    kibo_api: Api, fake: FakeKibo
) -> None:
    await kibo_api.get("/search/customers", q="an")  # token in hand
    fake.delay_s = 3.0
    task = asyncio.create_task(kibo_api.get("/search/customers", q="ana"))
    for _ in range(200):
        if len(fake.calls("/commerce/customer/accounts")) == 2:
            break
        await asyncio.sleep(0.01)
    task.cancel()  # the panel aborts the fetch
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(300):
        if fake.cancelled:
            break
        await asyncio.sleep(0.01)
    assert fake.cancelled == 1


def test_serve_refuses_a_world_readable_secret_file(tmp_path: Path) -> None:
    write_agent_config(tmp_path, "http://127.0.0.1:9")
    (tmp_path / "kibo-secret").chmod(0o604)
    result = cli("serve", "--port", "0", data_dir=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "chmod 600" in result.stderr and CLIENT_SECRET not in result.stderr + result.stdout


def test_a_threaded_fake_serves_a_synchronous_agent_session(tmp_path: Path) -> None:
    """What the browser tests need to run the panel flow on the Kibo backend."""
    from tests.kibo.fake_thread import FakeKiboThread

    require_documents()
    with FakeKiboThread() as fake:
        write_agent_config(tmp_path, fake.url)
        agent = AgentProcess(tmp_path).start()
        try:
            status, found = agent.request("GET", "/search/returns?q=7002")
            assert status == 200 and found["results"][0]["number"] == 7002
            status, opened = agent.request(
                "POST", "/sessions", {"kind": "return", "id": found["results"][0]["id"]}
            )
            assert status == 201
            assert opened["state"]["sessions"][0]["title"] == "Guest Shopper"
        finally:
            agent.stop()
    assert fake.server.violations == []
