"""A failing secondary Kibo call (cards, store credits, wishlists, the sign-in state, an order's
returns) leaves the detail standing with that section marked unavailable; the essential call
still fails it. Partial details are not cached, and actions needing the missing section are
refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from agent.api.common import BACKEND
from agent.app import create_app
from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.client import KiboClient
from agent.config import load_config
from tests.kibo.fake_kibo import FakeKibo, Fault
from tests.support.api import TOKEN, Api

CREDITS = "/commerce/customer/credits"
ACCOUNT = "/commerce/customer/accounts/1001"
ORDER_SHIPPED = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
DOWN = {
    "message": "Store credit service down",
    "errorCode": "SERVICE_UNAVAILABLE",
    "correlationId": "corr-credits-1",
}


@pytest.fixture
async def api(
    aiohttp_client: Callable[..., Any], tmp_path: Path, client: KiboClient
) -> AsyncIterator[Api]:
    config = load_config(tmp_path, port=0).with_overrides(backend="kibo")
    yield Api(await aiohttp_client(create_app(config, backend=KiboBackend(client), token=TOKEN)))


def credits_down(fake: FakeKibo, reads: int = 1) -> None:
    """The credits call answers 503 for ``reads`` reads (each read is tried 3 times)."""
    fake.faults.append(Fault(503, CREDITS, body=DOWN, times=3 * reads))


async def test_failing_store_credits_leave_the_rest_of_the_customer(
    api: Api, fake: FakeKibo
) -> None:
    _, complete = await api.get("/customers/1001")
    assert complete["unavailable_sections"] == []
    assert complete["store_credits"] and "adjust_store_credit" in complete["available_actions"]
    api_backend_cache_clear(api)
    credits_down(fake)
    status, partial = await api.get("/customers/1001")
    assert status == 200, partial
    assert partial["unavailable_sections"] == [
        {
            "section": "store_credits",
            "code": "kibo_unavailable",
            "correlation_id": "corr-credits-1",
            "message": "Store credit could not be loaded: Kibo is unavailable: "
            "Store credit service down (correlation id corr-credits-1)",
        }
    ]
    assert partial["store_credits"] == []
    assert "adjust_store_credit" not in partial["available_actions"]
    assert "issue_store_credit" in partial["available_actions"]
    for field in ("full_name", "contacts", "payment_methods", "wishlists", "notes"):
        assert partial[field] == complete[field], field
    # Without the credits, only the account's part of the version is known.
    assert partial["version"] >> 16 == complete["version"] >> 16


async def test_the_account_call_failing_still_fails_the_customer(api: Api, fake: FakeKibo) -> None:
    # Matches the account and its sub-resources alike: every try of both fails.
    fake.faults.append(
        Fault(503, ACCOUNT, body={"message": "Maintenance", "correlationId": "corr-acct"}, times=20)
    )
    status, body = await api.get("/customers/1001")
    assert status == 503 and body["error"]["code"] == "kibo_unavailable"
    assert body["error"]["details"]["correlation_id"] == "corr-acct"
    assert "Maintenance" in body["error"]["message"]


async def test_a_partial_customer_is_not_cached_and_the_next_open_retries(
    api: Api, fake: FakeKibo
) -> None:
    credits_down(fake, reads=2)
    for _ in range(2):
        status, partial = await api.get("/customers/1001")
        assert status == 200 and [u["section"] for u in partial["unavailable_sections"]] == [
            "store_credits"
        ]
    assert len(fake.calls(ACCOUNT)) - len(fake.calls(f"{ACCOUNT}/")) == 2  # not from a cache
    assert not fake.faults
    _, complete = await api.get("/customers/1001")
    assert complete["unavailable_sections"] == []
    assert complete["store_credits"][0]["current_balance_cents"] == 1250
    assert "adjust_store_credit" in complete["available_actions"]
    await api.get("/customers/1001")  # complete: now served by the cache
    assert len(fake.calls(ACCOUNT)) - len(fake.calls(f"{ACCOUNT}/")) == 3


async def test_failing_cards_and_wishlists_are_marked_each(api: Api, fake: FakeKibo) -> None:
    fake.faults.extend([Fault(404, f"{ACCOUNT}/cards"), Fault(500, "/commerce/wishlists", times=3)])
    status, partial = await api.get("/customers/1001")
    assert status == 200, partial
    marked = {u["section"]: u for u in partial["unavailable_sections"]}
    assert set(marked) == {"payment_methods", "wishlists"}
    assert marked["payment_methods"]["message"].startswith("Saved cards could not be loaded: ")
    assert marked["wishlists"]["code"] == "kibo_error"
    assert partial["payment_methods"] == [] and partial["wishlists"] == []
    assert partial["store_credits"]  # the credits call went through


async def test_failing_returns_leave_the_order_without_return_numbers(
    api: Api, fake: FakeKibo
) -> None:
    _, complete = await api.get(f"/orders/{ORDER_SHIPPED}")
    assert "start_return" in complete["available_actions"]
    api_backend_cache_clear(api)
    fake.faults.append(
        Fault(
            503,
            "/commerce/returns",
            times=3,
            body={"message": "Returns service down", "correlationId": "corr-ret"},
        )
    )
    status, partial = await api.get(f"/orders/{ORDER_SHIPPED}")
    assert status == 200, partial
    [missing] = partial["unavailable_sections"]
    assert (missing["section"], missing["correlation_id"]) == ("returns", "corr-ret")
    assert "Returns service down" in missing["message"]
    assert partial["returns"] == []
    # Returned/returnable quantities are unknown: nothing is offered for a new return.
    assert [i["quantity_returnable"] for i in partial["items"]] == [0, 0]
    assert "start_return" not in partial["available_actions"]
    for field in ("number", "version", "payments", "shipments", "totals", "notes"):
        assert partial[field] == complete[field], field
    status, again = await api.get(f"/orders/{ORDER_SHIPPED}")
    assert again["unavailable_sections"] == [] and again["returns"]


async def test_an_action_needing_the_missing_section_is_refused(api: Api, fake: FakeKibo) -> None:
    _, customer = await api.get("/customers/1001")
    credits_down(fake)
    status, body = await api.send(
        "POST",
        "/customers/1001/actions/adjust_store_credit",
        {
            "expected_version": customer["version"],
            "code": customer["store_credits"][0]["code"],
            "amount_cents": 500,
            "comments": "Goodwill",
        },
        headers={"Idempotency-Key": "adjust-0001"},
    )
    assert status == 503 and body["error"]["code"] == "section_unavailable"
    assert "Store credit could not be loaded" in body["error"]["message"]
    assert body["error"]["details"]["section"] == "store_credits"
    assert not fake.calls("/transactions")
    _, order = await api.get(f"/orders/{ORDER_SHIPPED}")
    fake.faults.append(Fault(503, "/commerce/returns", times=3))
    status, body = await api.send(
        "POST",
        f"/orders/{ORDER_SHIPPED}/actions/start_return",
        {
            "expected_version": order["version"],
            "return_type": "Refund",
            "items": [{"line_id": 2, "quantity": 1, "reason": "Damaged"}],
        },
    )
    assert status == 503 and body["error"]["details"]["section"] == "returns"
    assert not [c for c in fake.calls("/commerce/returns") if c.method == "POST"]


async def test_other_actions_work_and_report_no_change_of_a_missing_section(
    api: Api, fake: FakeKibo
) -> None:
    _, customer = await api.get("/customers/1001")
    credits_down(fake, reads=2)  # the action's re-read before and after
    status, result = await api.send(
        "POST",
        "/customers/1001/actions/add_note",
        {"expected_version": customer["version"], "text": "Called about credit"},
    )
    assert status == 200, result
    assert result["entity"]["unavailable_sections"][0]["section"] == "store_credits"
    fields = [c["field"] for c in result["changes"]]
    assert "notes.count" in fields and not any(f.startswith("store_credits") for f in fields)


async def test_a_missing_sign_in_state_withholds_the_forced_password_change(
    api: Api, fake: FakeKibo
) -> None:
    _, complete = await api.get("/customers/1001")
    assert "require_password_change" in complete["available_actions"]
    api_backend_cache_clear(api)
    fake.faults.append(
        Fault(
            503,
            f"{ACCOUNT}/loginstate",
            times=6,
            body={"message": "Login service down", "correlationId": "corr-login"},
        )
    )
    status, partial = await api.get("/customers/1001")
    assert status == 200, partial
    [missing] = partial["unavailable_sections"]
    assert (missing["section"], missing["correlation_id"]) == ("login_state", "corr-login")
    assert missing["message"].startswith("The sign-in state could not be loaded: ")
    assert partial["password_change_required"] is False
    assert "require_password_change" not in partial["available_actions"]
    assert "send_password_reset" in partial["available_actions"]
    status, body = await api.send(
        "POST",
        "/customers/1001/actions/require_password_change",
        {"expected_version": partial["version"]},
    )
    assert status == 503 and body["error"]["code"] == "section_unavailable", body
    assert body["error"]["details"]["section"] == "login_state"
    assert not fake.calls("/Set-Password-Change-Required")


def api_backend_cache_clear(api: Api) -> None:
    """Forget cached details, as if the CSR opened the record after the cache's few seconds."""
    api.app[BACKEND].cache.clear()
