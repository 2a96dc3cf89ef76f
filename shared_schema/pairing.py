"""Native messaging between the panel and `callcenter-agent native-host` (not HTTP): the panel
asks for the pairing, the host answers with where the agent listens and its token, or with an
``ErrorResponse``. Each message is JSON after a 4-byte length in native byte order."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import JsonInt, Model


class PairingRequest(Model):
    type: Literal["pairing"]


class PairingAnswer(Model):
    type: Literal["pairing"]
    product: Literal["callcenter-agent"]
    version: str
    port: JsonInt = Field(ge=1, le=65535, description="Where the agent listens (or last did)")
    token: str = Field(min_length=32, max_length=128, description="The pairing token")
    admin_console: str | None = Field(
        description=(
            "The demo admin console's base URL when the agent serves it, else null. For people"
            " and scripts: the extension takes the console from GET /info once paired"
        )
    )
