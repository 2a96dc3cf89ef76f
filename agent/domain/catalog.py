"""Which management actions exist, their request models, and which need an Idempotency-Key.

Backend-neutral: the demo store implements each with a pure rule in agent/domain, the Kibo
backend maps each to Kibo's endpoint. Names match ``available_actions`` on the entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_schema.actions import ActionInfo, ActionRequest
from shared_schema.common import EntityKind


@dataclass(frozen=True)
class ActionDef:
    kind: EntityKind
    name: str
    label: str
    request: type[ActionRequest]
    money_or_cancel: bool = False  # needs an Idempotency-Key and a confirmation
    destructive: bool = False  # asks for confirmation
    moves_status: bool = False  # changes what the warehouse does next: asks for confirmation

    def info(self) -> ActionInfo:
        return ActionInfo(
            kind=self.kind,
            name=self.name,
            label=self.label,
            request_schema=self.request.__name__,
            needs_idempotency_key=self.money_or_cancel,
            confirm=self.money_or_cancel or self.destructive or self.moves_status,
        )


_ACTIONS: dict[tuple[str, str], ActionDef] = {}


def register(*defs: ActionDef) -> None:
    for action in defs:
        key = (action.kind, action.name)
        if key in _ACTIONS:
            raise ValueError(f"action {key} registered twice")
        _ACTIONS[key] = action


def find(kind: str, name: str) -> ActionDef | None:
    _load()
    return _ACTIONS.get((kind, name))


def all_actions() -> list[ActionDef]:
    _load()
    return list(_ACTIONS.values())


def _load() -> None:
    # The definitions register themselves on import; importing here keeps callers simple.
    from agent.domain.customer import actions as _customer  # noqa: F401
    from agent.domain.order import actions as _order  # noqa: F401
    from agent.domain.return_ import actions as _return  # noqa: F401
