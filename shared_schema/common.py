"""Building blocks shared by every payload model."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class Model(BaseModel):
    """Base for every payload: unknown fields are refused, output is plain JSON."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False)


def _json_int(value: Any) -> Any:
    """Accept what JSON Schema calls an integer, nothing else.

    pydantic's lax mode would take ``true`` and ``"1"``; the published schema does not.
    ``1.0`` is an integer for JSON Schema, so it stays accepted.
    """
    if isinstance(value, bool | str):
        raise ValueError("must be a JSON integer")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("must be a JSON integer")
    return value


def _json_str(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("must be a JSON string")
    return value


def _json_bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_int)]
JsonStr = Annotated[str, BeforeValidator(_json_str)]
JsonBool = Annotated[bool, BeforeValidator(_json_bool)]

Cents = Annotated[JsonInt, Field(ge=-(10**12), le=10**12, description="Money in minor units")]
EntityKind = Literal["customer", "order", "return"]
TabKind = Literal["search", "customer", "order", "return"]
SearchKind = Literal["customers", "orders", "returns"]
COLLECTIONS: dict[EntityKind, SearchKind] = {
    "customer": "customers",
    "order": "orders",
    "return": "returns",
}
"""Each entity kind's collection: its URL path segment and its search kind."""
KIND_OF: dict[SearchKind, EntityKind] = {c: k for k, c in COLLECTIONS.items()}
EntityId = Annotated[
    JsonStr,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="Opaque entity id"),
]
Timestamp = Annotated[str, Field(description="ISO-8601 date-time in UTC")]


class ErrorBody(Model):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(Model):
    error: ErrorBody


class Health(Model):
    status: Literal["ok"]
    product: Literal["callcenter-agent"]
    api_version: Literal[1]
    version: str


class Handshake(Model):
    """The agent's proof that it knows the pairing token, before a client sends it."""

    product: Literal["callcenter-agent"]
    server_nonce: str = Field(description="Fresh random text chosen by the agent")
    proof: str = Field(
        description="Lower-case hex HMAC-SHA256 under the token of "
        "'callcenter-handshake-v1|<port>|<client_nonce>|<server_nonce>'"
    )
    token_id: str = Field(
        description="First 16 hex digits of SHA-256 of 'callcenter-token-id|<token>': a client "
        "whose token differs (rotated) tells that apart from a listener with no proof"
    )
