"""What the agent says about itself once the token is accepted."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import JsonInt, Model
from .labels import Vocabulary
from .limits import Limits


class Info(Model):
    product: Literal["callcenter-agent"]
    api_version: Literal[1]
    version: str
    backend: Literal["demo", "kibo"]
    csr_name: str
    sessions: JsonInt
    live_clients: JsonInt
    limits: Limits
    admin_console_url: str | None = Field(
        None,
        description="The demo admin console this agent serves (serve --admin-port), e.g. "
        "'http://127.0.0.1:47822'; null when it serves none. The extension trusts the demo "
        "console profile only there.",
    )
    vocabulary: Vocabulary
