"""The backend protocol: what the agent needs from a commerce system.

The demo store and the Kibo backend both implement it; handlers only talk to this.
Every method may raise ``agent.errors.ApiError`` subclasses (NotFound for unknown ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from agent.domain.outcome import ActionContext
from agent.search.params import SearchRequest
from shared_schema.actions import ActionRequest, ActionResult, Outbox
from shared_schema.common import EntityKind, SearchKind
from shared_schema.search import FiltersResponse, SearchResponse


@dataclass(frozen=True)
class EntityRef:
    """Enough about an entity to open it in a session."""

    kind: EntityKind
    id: str
    title: str  # tab title, e.g. "Order #12345" or "Ana Núñez"
    customer_key: str  # account id, or the guest's email when there is no account
    customer_id: str | None  # account id as a string; None for a guest
    customer_name: str  # full name; falls back to email, then "Guest"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    next: str = ""  # for a check that passed: the next step, if one is due


class Backend(Protocol):
    @property
    def name(self) -> Literal["demo", "kibo"]: ...

    async def search(self, kind: SearchKind, request: SearchRequest) -> SearchResponse: ...

    def filters(self, kind: SearchKind) -> FiltersResponse: ...

    async def entity_ref(self, kind: EntityKind, entity_id: str) -> EntityRef: ...

    async def get_entity(self, kind: EntityKind, entity_id: str) -> Any:
        """CustomerDetail / OrderDetail / ReturnDetail (shared_schema.entities)."""
        ...

    async def related(
        self, kind: EntityKind, entity_id: str, relation: str, page: int, page_size: int
    ) -> Any:
        """Related lists: customer orders/returns/audit-log, order returns."""
        ...

    async def perform(
        self,
        kind: EntityKind,
        entity_id: str,
        action: str,
        request: ActionRequest,
        ctx: ActionContext,
        idempotency_key: str | None,
    ) -> ActionResult:
        """Apply one management action atomically (agent/domain/catalog.py names them)."""
        ...

    async def outbox(self, limit: int) -> Outbox:
        """Emails the store sent or would send, newest first (the demo records them)."""
        ...

    async def checks(self) -> list[Check]: ...

    async def close(self) -> None: ...
