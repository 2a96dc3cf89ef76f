"""The action catalogue: every action declared once, complete, and what is derived from it."""

from __future__ import annotations

import inspect
from dataclasses import replace

import pytest

from agent.domain import catalog
from agent.domain.customer.offers import CustomerState
from agent.domain.order.offers import OrderState, PaymentState
from agent.domain.return_.offers import ReturnState
from shared_schema.actions import ACTION_GROUPS, ActionRequest
from tests.support.api import Api

PACKAGES = {
    "customer": "agent.domain.customer",
    "order": "agent.domain.order",
    "return": "agent.domain.return_",
}

ORDER = OrderState(
    status="Accepted",
    fulfillment_status="NotFulfilled",
    restrict_edit=False,
    restrict_cancellation=False,
    units_fulfilled=0,
    units_open=2,
    units_returnable=0,
    refundable_cents=0,
    has_fulfilled_shipment=False,
    payments=(PaymentState("Authorized", 5000, 1000, 0),),
    note_count=1,
)
RETURN = ReturnState("Authorized", "Replace", 2, 1, 0, 500, 0, False, note_count=1)
CUSTOMER = CustomerState("Locked", True, 1, 1, 1, 1)
# States between them offering every action once: a predicate nothing satisfies is a bug.
STATES = {
    "order": [
        ORDER,
        replace(ORDER, status="Pending"),
        replace(ORDER, status="PendingReview"),
        replace(ORDER, units_returnable=1, refundable_cents=1, has_fulfilled_shipment=True),
    ],
    "return": [RETURN, replace(RETURN, status="Created"), replace(RETURN, return_type="Refund")],
    "customer": [
        CUSTOMER,
        replace(CUSTOMER, account_status="Active"),
        replace(CUSTOMER, account_status="Disabled"),
        replace(CUSTOMER, registered=False),
    ],
}


@pytest.mark.parametrize("action", catalog.all_actions(), ids=lambda a: f"{a.kind}-{a.name}")
def test_each_declaration_is_complete(action: catalog.Action[object]) -> None:
    assert issubclass(action.request, ActionRequest)
    assert action.group in ACTION_GROUPS
    assert action.label and action.label[0].isupper()
    # Its rule is a function of its entity's package (or the notes every entity shares).
    module = inspect.getmodule(action.rule)
    assert module is not None
    assert module.__name__.startswith((PACKAGES[action.kind], "agent.domain.notes"))
    assert list(inspect.signature(action.rule).parameters)[1:] == ["request", "ctx", "lookup"]


@pytest.mark.parametrize("kind", sorted(STATES))
def test_every_action_is_offered_by_some_state(kind: str) -> None:
    offered = {name for state in STATES[kind] for name in catalog.offered(kind, state)}  # type: ignore[arg-type]
    assert offered == {a.name for a in catalog.actions_of(kind)}


def test_an_action_declared_twice_is_refused() -> None:
    action = catalog.all_actions()[0]
    with pytest.raises(ValueError, match="declared twice"):
        catalog.declare((action,), (replace(action, label="Again"),))


def test_offers_follow_the_declaration_order() -> None:
    for kind, states in STATES.items():
        order = [a.name for a in catalog.actions_of(kind)]
        for state in states:
            names = catalog.offered(kind, state)  # type: ignore[arg-type]
            assert names == sorted(names, key=order.index)


async def test_the_catalogue_endpoint_lists_every_declaration(api: Api) -> None:
    body = await api.read("/actions")
    assert body["groups"] == list(ACTION_GROUPS)
    listed = {(a["kind"], a["name"]): a for a in body["actions"]}
    assert set(listed) == {a.key for a in catalog.all_actions()}
    for action in catalog.all_actions():
        info = listed[action.key]
        assert (info["label"], info["group"], info["request_schema"]) == (
            action.label,
            action.group,
            action.request.__name__,
        )
        assert info["needs_idempotency_key"] == action.money_or_cancel
        confirm = action.money_or_cancel or action.destructive or action.moves_status
        assert info["confirm"] == confirm
