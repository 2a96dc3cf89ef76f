"""The Kibo backend's hook for each declared action: the builder of its Kibo calls, or an
explicit "not on Kibo".

Keyed like the action catalogue (agent/domain/catalog.py, ``Action.key``): the builders are
the tables of actions_customers.py, actions_orders.py and actions_returns.py. An action
without a hook is never offered on Kibo (``only_mapped``), and ``missing`` names a declaration
nobody hooked, so a new action cannot be forgotten here (tests/kibo/test_action_mapping.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.backends.kibo.actions_customers import CUSTOMER_PLANS
from agent.backends.kibo.actions_customers import NOT_ON_KIBO as CUSTOMERS_NOT_ON_KIBO
from agent.backends.kibo.actions_orders import ORDER_PLANS
from agent.backends.kibo.actions_returns import RETURN_PLANS
from agent.domain import catalog

PLANNED: frozenset[tuple[str, str]] = frozenset(
    {("customer", name) for name in CUSTOMER_PLANS}
    | {("order", name) for name in ORDER_PLANS}
    | {("return", name) for name in RETURN_PLANS}
)
NOT_ON_KIBO: frozenset[tuple[str, str]] = frozenset(
    ("customer", name) for name in CUSTOMERS_NOT_ON_KIBO
)


def only_mapped(kind: str, names: Iterable[str]) -> list[str]:
    """The actions the Kibo backend can carry out: it offers no other."""
    return [name for name in names if (kind, name) in PLANNED]


def missing() -> list[str]:
    """What does not add up: a declaration without a hook, or a hook without a declaration."""
    declared = {a.key for a in catalog.all_actions()}
    problems = [
        f"{kind} action '{name}' has no Kibo hook: map it or add it to NOT_ON_KIBO"
        for kind, name in sorted(declared - PLANNED - NOT_ON_KIBO)
    ]
    problems += [
        f"Kibo hook for undeclared {kind} action '{name}'"
        for kind, name in sorted((PLANNED | NOT_ON_KIBO) - declared)
    ]
    problems += [
        f"{kind} action '{name}' is both mapped and NOT_ON_KIBO"
        for kind, name in sorted(PLANNED & NOT_ON_KIBO)
    ]
    return problems
