"""The action catalogue: one declaration per management action, and what is derived from it.

An ``Action`` carries everything the agent knows about one action: its kind and name, the
label and menu group the panel shows, its request model, the pure rule that applies it, when
an entity's state offers it, and the flags that decide the Idempotency-Key and the
confirmation. The declarations live beside their rules, one table per entity
(customer/actions.py, order/actions.py, return_/actions.py, imported by name below, so a
misnamed module fails loudly instead of declaring nothing). From them come ``GET /actions``,
each entity's ``available_actions`` (in declaration order), the rule the demo store runs and
the OpenAPI path of each action; a backend keys its own hooks by ``Action.key``.

Backend-neutral: nothing here knows how a backend carries an action out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from shared_schema.actions import ActionGroup, ActionInfo, ActionRequest
from shared_schema.common import EntityKind

State = TypeVar("State")
Offered = Callable[[State], bool]
"""Does an entity's state (the entity's offers.py) allow the action."""
Rule = Callable[[Any, Any, ActionContext, Lookup], ActionOutcome]
"""(current document, validated request, context, lookup) -> outcome; raises ActionRefused."""


def always(state: object) -> bool:
    """Offered whatever the state (e.g. adding a note)."""
    return True


@dataclass(frozen=True)
class Action(Generic[State]):
    kind: EntityKind
    name: str
    label: str
    group: ActionGroup  # the panel's menu group
    request: type[ActionRequest]
    rule: Rule
    offered: Offered[State]
    money_or_cancel: bool = False  # needs an Idempotency-Key and a confirmation
    destructive: bool = False  # asks for confirmation
    moves_status: bool = False  # changes what the warehouse does next: asks for confirmation

    @property
    def key(self) -> tuple[EntityKind, str]:
        return (self.kind, self.name)

    def info(self) -> ActionInfo:
        return ActionInfo(
            kind=self.kind,
            name=self.name,
            label=self.label,
            group=self.group,
            request_schema=self.request.__name__,
            needs_idempotency_key=self.money_or_cancel,
            confirm=self.money_or_cancel or self.destructive or self.moves_status,
        )


_ACTIONS: dict[tuple[str, str], Action[Any]] = {}
_BY_KIND: dict[str, tuple[Action[Any], ...]] = {}


def find(kind: str, name: str) -> Action[Any] | None:
    return _catalogue().get((kind, name))


def all_actions() -> list[Action[Any]]:
    return list(_catalogue().values())


def actions_of(kind: str) -> tuple[Action[Any], ...]:
    if not _BY_KIND:
        for action in _catalogue().values():
            _BY_KIND[action.kind] = (*_BY_KIND.get(action.kind, ()), action)
    return _BY_KIND.get(kind, ())


def offered(kind: EntityKind, state: Any) -> list[str]:
    """The names of ``kind``'s actions ``state`` allows, in declaration order."""
    return [a.name for a in actions_of(kind) if a.offered(state)]


def _catalogue() -> dict[tuple[str, str], Action[Any]]:
    if not _ACTIONS:
        # Imported on first use: the tables import the rules, and the rules ask this module
        # what a state offers.
        from agent.domain.customer.actions import CUSTOMER_ACTIONS
        from agent.domain.order.actions import ORDER_ACTIONS
        from agent.domain.return_.actions import RETURN_ACTIONS

        _ACTIONS.update(declare(CUSTOMER_ACTIONS, ORDER_ACTIONS, RETURN_ACTIONS))
    return _ACTIONS


def declare(*tables: tuple[Action[Any], ...]) -> dict[tuple[str, str], Action[Any]]:
    """The tables as one catalogue; an action declared twice is an error, not a shadow."""
    out: dict[tuple[str, str], Action[Any]] = {}
    for table in tables:
        for action in table:
            if action.key in out:
                raise ValueError(f"action {action.key} is declared twice")
            out[action.key] = action
    return out
