"""What the agent says about itself once the token is accepted."""

from __future__ import annotations

from typing import Literal

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
    vocabulary: Vocabulary
