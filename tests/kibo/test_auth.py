"""OAuth client credentials: one token, refreshed before expiry, one retry on 401."""

from __future__ import annotations

import logging

import pytest

from agent.backends.kibo.client import KiboClient
from agent.backends.kibo.connection import resolve
from agent.backends.kibo.secret import Secret
from agent.config import KiboSettings
from agent.errors import BackendUnavailable
from tests.kibo.conftest import make_client
from tests.kibo.fake_kibo import CLIENT_SECRET, SITE, TENANT, FakeKibo

ACCOUNTS = "/commerce/customer/accounts"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_one_token_serves_many_calls_with_tenant_and_site_headers(
    client: KiboClient, fake: FakeKibo
) -> None:
    for _ in range(3):
        await client.get(ACCOUNTS, {"pageSize": 1})
    assert len(fake.calls("/oauth")) == 1
    oauth = fake.calls("/oauth")[0]
    assert oauth.body == {
        "client_id": fake_client_id(client),
        "client_secret": CLIENT_SECRET,
        "grant_type": "client_credentials",
    }
    for seen in fake.calls(ACCOUNTS):
        assert seen.headers["x-vol-tenant"] == TENANT
        assert seen.headers["x-vol-site"] == SITE
        assert seen.headers["Authorization"].startswith("Bearer tok-")


def fake_client_id(client: KiboClient) -> str:
    return client.connection.client_id


async def test_the_token_is_refreshed_before_it_expires(
    settings: KiboSettings, fake: FakeKibo
) -> None:
    fake.token_lifetime_s = 1800
    clock = Clock()
    client = make_client(settings, clock=clock)
    try:
        await client.get(ACCOUNTS)
        clock.now += 1800 - 300 - 1  # just inside the 5-minute margin: reuse
        await client.get(ACCOUNTS)
        assert len(fake.calls("/oauth")) == 1
        clock.now += 2  # past it: a new token before Kibo says 401
        await client.get(ACCOUNTS)
        assert len(fake.calls("/oauth")) == 2
        assert [r.headers["Authorization"] for r in fake.calls(ACCOUNTS)][-1].endswith("tok-1")
    finally:
        await client.close()


async def test_a_401_fetches_a_new_token_and_retries_once(
    client: KiboClient, fake: FakeKibo
) -> None:
    await client.get(ACCOUNTS)
    fake.revoke_tokens()
    data = await client.get(ACCOUNTS)
    assert data["totalCount"] == 3
    assert len(fake.calls("/oauth")) == 2
    assert len(fake.calls(ACCOUNTS)) == 3  # first, the refused one, the retry


async def test_a_second_401_is_reported_not_looped(client: KiboClient, fake: FakeKibo) -> None:
    from tests.kibo.fake_kibo import Fault

    fake.faults.append(Fault(401, ACCOUNTS, times=2))
    with pytest.raises(BackendUnavailable) as caught:
        await client.get(ACCOUNTS)
    assert caught.value.code == "kibo_auth_failed"
    assert len(fake.calls(ACCOUNTS)) == 2


async def test_wrong_credentials_say_what_to_check(settings: KiboSettings, fake: FakeKibo) -> None:
    client = KiboClient(resolve(settings), Secret("wrong"))
    try:
        with pytest.raises(BackendUnavailable) as caught:
            await client.get(ACCOUNTS)
    finally:
        await client.close()
    assert caught.value.code == "kibo_auth_failed"
    assert "client_id" in caught.value.message
    assert caught.value.details["correlation_id"].startswith("corr-")


async def test_secret_and_tokens_never_reach_the_logs(
    client: KiboClient, fake: FakeKibo, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.kibo.fake_kibo import Fault

    caplog.set_level(logging.DEBUG)
    fake.faults.append(Fault(503, ACCOUNTS))
    await client.get(ACCOUNTS)
    text = caplog.text + repr(client.tokens._token) + repr(client.tokens._secret)
    assert CLIENT_SECRET not in text
    assert not any(token in text for token in fake.tokens)
