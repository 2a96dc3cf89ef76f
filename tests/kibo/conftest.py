"""Fixtures for the Kibo backend: the fake tenant on a loopback port and a backend on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient, RetryPolicy
from agent.backends.kibo.connection import resolve
from agent.backends.kibo.secret import Secret
from agent.config import KiboSettings
from tests.kibo.fake_kibo import CLIENT_ID, CLIENT_SECRET, SITE, TENANT, FakeKibo
from tests.kibo.openapi_docs import require_documents

FAST_RETRY = RetryPolicy(attempts=3, base_delay_s=0.01, max_delay_s=0.05)


@pytest.fixture
async def fake() -> AsyncIterator[FakeKibo]:
    require_documents()  # skips (fails under CI=true) without Kibo's documents
    server = FakeKibo()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    assert server.violations == [], "requests/answers outside Kibo's documents"


@pytest.fixture
def settings(fake: FakeKibo) -> KiboSettings:
    return KiboSettings(tenant=TENANT, site=SITE, api_host=fake.url, client_id=CLIENT_ID)


def make_client(settings: KiboSettings, **kwargs: object) -> KiboClient:
    options: dict[str, object] = {"retry": FAST_RETRY} | kwargs
    return KiboClient(resolve(settings), Secret(CLIENT_SECRET), **options)  # type: ignore[arg-type]


@pytest.fixture
async def client(settings: KiboSettings) -> AsyncIterator[KiboClient]:
    kibo = make_client(settings)
    yield kibo
    await kibo.close()


@pytest.fixture
async def backend(client: KiboClient) -> AsyncIterator[KiboBackend]:
    kibo = KiboBackend(client)
    yield kibo
    await kibo.close()
