"""Management actions: the common request fields and the one answer shape.

Each action has its own request model (shared_schema.actions_customers / _orders / _returns)
deriving from ActionRequest; every action answers with ActionResult.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field

from .common import EntityKind, JsonInt, JsonStr, Model, Timestamp
from .entities import Address, CustomerDetail, OrderDetail, PartyAddress, ReturnDetail
from .labels import is_country


class ActionRequest(Model):
    expected_version: Annotated[JsonInt, Field(ge=1, le=2**31)] = Field(
        description="The entity version the CSR saw; a different current version is a 409"
    )


class EntityKey(Model):
    kind: EntityKind
    id: str
    title: str = ""


class FieldChange(Model):
    field: str = Field(description="Path of the changed field, e.g. 'shipping_address.city'")
    old: Any = None
    new: Any = None


class ActionResult(Model):
    kind: EntityKind
    id: str
    action: str
    version: JsonInt = Field(description="The entity's version after the action")
    message: str = Field(description="What happened, in one sentence for the CSR")
    changes: list[FieldChange]
    entity: CustomerDetail | OrderDetail | ReturnDetail
    related: list[EntityKey] = Field(
        default_factory=list, description="Other entities the action changed"
    )
    created: EntityKey | None = Field(None, description="An entity the action created")
    replayed: bool = Field(False, description="true when this answers a repeated Idempotency-Key")
    at: Timestamp
    by: str


ActionGroup = Literal[
    "Profile",
    "Addresses",
    "Account",
    "Status",
    "Items",
    "Payments",
    "Money",
    "Store credit",
    "Cancel",
    "Returns",
    "Emails",
    "Notes",
]
ACTION_GROUPS: tuple[ActionGroup, ...] = get_args(ActionGroup)
"""The panel's action menu groups, in the order it shows them."""


class ActionInfo(Model):
    kind: EntityKind
    name: str
    label: str
    group: ActionGroup = Field(description="The menu group the panel lists it under")
    request_schema: str = Field(description="Name of the request model in openapi.json")
    needs_idempotency_key: bool
    confirm: bool = Field(
        description="Money-moving, destructive or a status change the warehouse acts on: "
        "the panel asks first"
    )


class ActionCatalog(Model):
    actions: list[ActionInfo]
    groups: list[ActionGroup] = Field(description="The menu groups, in the order to show them")


class OutboxMessage(Model):
    id: JsonInt
    at: Timestamp
    kind: EntityKind
    entity_id: str
    template: str
    to: str
    subject: str
    by: str


class Outbox(Model):
    messages: list[OutboxMessage]


NoteText = Annotated[JsonStr, Field(min_length=1, max_length=250)]


def _known_country(code: str) -> str:
    if not is_country(code):
        raise ValueError(f"'{code}' is not a country (an ISO 3166-1 code such as US, CA or GB)")
    return code


# A country an address may name: its ISO 3166-1 alpha-2 code, from the maintained list.
CountryCode = Annotated[
    JsonStr,
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2"),
    AfterValidator(_known_country),
]
ReasonText = Annotated[JsonStr, Field(max_length=500)]


class AddressIn(Model):
    """An address as a CSR enters it: checked before any rule sees it."""

    address1: Annotated[JsonStr, Field(min_length=1, max_length=200)]
    address2: Annotated[JsonStr, Field(max_length=200)] = ""
    city: Annotated[JsonStr, Field(min_length=1, max_length=100)]
    state: Annotated[JsonStr, Field(max_length=50)] = ""
    postal_code: Annotated[JsonStr, Field(min_length=1, max_length=20)]
    country: CountryCode

    def to_address(self) -> Address:
        return Address.model_validate(self.model_dump())


class PartyAddressIn(Model):
    """Who and where, as entered for an order's billing or shipping contact."""

    first_name: Annotated[JsonStr, Field(min_length=1, max_length=100)]
    last_name: Annotated[JsonStr, Field(max_length=100)] = ""
    email: Annotated[JsonStr, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$")] = ""
    phone: Annotated[JsonStr, Field(max_length=40)] = ""
    address: AddressIn

    def to_party(self) -> PartyAddress:
        return PartyAddress.model_validate(self.model_dump())
