"""What a pure action rule receives and returns. No I/O here: the backend applies outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from shared_schema.common import EntityKind
from shared_schema.entities import Address


class ActionRefused(Exception):
    """The entity's state or the request breaks a rule: 409 (state) or 422 (input)."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 409,
        code: str = "action_not_allowed",
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field


@dataclass(frozen=True)
class ActionContext:
    who: str  # the CSR name from config
    session_id: str | None  # the panel session the action came from
    now: str  # ISO-8601 UTC; rules never read the clock


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Email:
    """A message the store would send; the demo records it in its outbox."""

    template: str
    to: str
    subject: str


@dataclass
class Update:
    """Another existing entity the action changes (e.g. the order a return refunds)."""

    kind: EntityKind
    number: int
    document: BaseModel
    changes: list[Change] = field(default_factory=list)


@dataclass
class Create:
    """A new entity the system creates (a return started from an order, a replacement order).

    ``build`` receives the number the store assigns and returns the new document.
    """

    kind: EntityKind
    build: Any  # Callable[[int], BaseModel]


@dataclass
class ActionOutcome:
    document: BaseModel  # the target entity after the action
    changes: list[Change]
    message: str
    updates: list[Update] = field(default_factory=list)
    creates: list[Create] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)


class Lookup(Protocol):
    """What a rule asks of the store while it runs (inside the transaction): other entities'
    current documents, and the store's own conventions (ids, tax rates)."""

    def customer(self, customer_id: int) -> BaseModel: ...

    def order(self, number: int) -> BaseModel: ...

    def customer_holding(self, login: str, value: str, other_than: int) -> int | None:
        """Another customer whose ``login`` ('email' or 'username') is ``value``, any case."""
        ...

    def entity_id(self, kind: EntityKind, number: int) -> str:
        """The id the store gives the ``kind`` numbered ``number`` (for one a rule creates)."""
        ...

    def tax_rate_bp(self, address: Address) -> int | None:
        """The store's tax rate for a destination, in basis points; None when it knows none."""
        ...
