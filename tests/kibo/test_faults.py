"""Remote faults: bounded retries for reads only, deadlines, Kibo errors in our error model,
and cancellation that reaches Kibo."""

from __future__ import annotations

import asyncio

import pytest

from agent.backends.kibo.client import KiboClient
from agent.config import KiboSettings
from agent.errors import BackendUnavailable, Conflict, NotFound, Unprocessable, UpstreamError
from tests.kibo.conftest import make_client
from tests.kibo.fake_kibo import FakeKibo, Fault

ACCOUNTS = "/commerce/customer/accounts"
ORDER = "/commerce/orders/0a1b2c3d4e5f60718293a4b5c6d7e8f9"


async def test_429_and_5xx_on_a_read_are_retried_with_backoff(
    client: KiboClient, fake: FakeKibo
) -> None:
    fake.faults.extend([Fault(429, ACCOUNTS, retry_after="0"), Fault(502, ACCOUNTS)])
    data = await client.get(ACCOUNTS)
    assert data["totalCount"] == 3
    assert len(fake.calls(ACCOUNTS)) == 3


async def test_retries_are_bounded_and_keep_kibos_message_and_correlation_id(
    client: KiboClient, fake: FakeKibo
) -> None:
    fake.faults.append(
        Fault(
            503,
            ACCOUNTS,
            times=5,
            body={
                "message": "System maintenance",
                "errorCode": "SYSTEM_MAINTENANCE",
                "correlationId": "abc-123",
            },
        )
    )
    with pytest.raises(BackendUnavailable) as caught:
        await client.get(ACCOUNTS)
    assert len(fake.calls(ACCOUNTS)) == 3
    error = caught.value
    assert error.status == 503 and error.code == "kibo_unavailable"
    assert "System maintenance" in error.message
    assert error.details == {
        "kibo_status": 503,
        "kibo_error_code": "SYSTEM_MAINTENANCE",
        "correlation_id": "abc-123",
    }


async def test_a_500_becomes_a_502(client: KiboClient, fake: FakeKibo) -> None:
    fake.faults.append(Fault(500, ACCOUNTS, times=3))
    with pytest.raises(UpstreamError) as caught:
        await client.get(ACCOUNTS)
    assert caught.value.status == 502


async def test_a_write_is_never_sent_twice(client: KiboClient, fake: FakeKibo) -> None:
    fake.faults.append(Fault(503, "/notes", times=3))
    with pytest.raises(BackendUnavailable):
        await client.call("POST", f"{ORDER}/notes", body={"text": "Called back"}, what="order")
    assert len(fake.calls("/notes")) == 1


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        (409, Conflict, "kibo_conflict"),
        (400, Unprocessable, "kibo_rejected"),
        (404, NotFound, "order_not_found"),
    ],
)
async def test_kibo_refusals_map_to_our_statuses(
    client: KiboClient, fake: FakeKibo, status: int, error: type, code: str
) -> None:
    fake.faults.append(
        Fault(status, "/notes", body={"message": "Order version mismatch", "correlationId": "c-9"})
    )
    with pytest.raises(error) as caught:
        await client.call("POST", f"{ORDER}/notes", body={"text": "x"}, what="order")
    assert caught.value.code == code
    assert "Order version mismatch" in caught.value.message
    assert caught.value.details["correlation_id"] == "c-9"


async def test_a_slow_kibo_hits_the_deadline(settings: KiboSettings, fake: FakeKibo) -> None:
    client = make_client(settings, read_deadline_s=0.2)
    fake.delay_s = 1.0
    try:
        with pytest.raises(BackendUnavailable) as caught:
            await client.get(ACCOUNTS, what="customer")
    finally:
        await client.close()
    assert caught.value.code == "kibo_timeout"
    assert caught.value.status == 503


async def test_an_unreachable_host_is_a_503(settings: KiboSettings) -> None:
    from dataclasses import replace

    from tests.support.agent_process import free_port

    client = make_client(replace(settings, api_host=f"http://127.0.0.1:{free_port()}"))
    try:
        with pytest.raises(BackendUnavailable) as caught:
            await client.get(ACCOUNTS)
    finally:
        await client.close()
    assert caught.value.code == "kibo_unreachable"


async def test_cancelling_the_caller_cancels_the_upstream_request(
    client: KiboClient, fake: FakeKibo
) -> None:
    await client.get(ACCOUNTS)  # token in hand
    fake.delay_s = 2.0
    task = asyncio.create_task(client.get(ACCOUNTS))
    for _ in range(100):
        if len(fake.calls(ACCOUNTS)) == 2:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):
        if fake.cancelled:
            break
        await asyncio.sleep(0.01)
    assert fake.cancelled == 1


def test_retry_after_is_honoured_but_capped() -> None:
    from agent.backends.kibo.client import RetryPolicy

    policy = RetryPolicy(base_delay_s=0.2, max_delay_s=2.0)
    assert policy.delay(0, "1") == 1.0
    assert policy.delay(0, "120") == 2.0
    assert [policy.delay(n, None) for n in range(5)] == [0.2, 0.4, 0.8, 1.6, 2.0]
