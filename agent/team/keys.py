"""The Redis keys and channels the team shares (docs/team.md lists what each holds)."""

from __future__ import annotations

PREFIX = "callcenter:team"
DESKS = f"{PREFIX}:desks"  # set of desk names that announced themselves
PRESENCE_CHANNEL = f"{PREFIX}:presence"  # pub/sub: a desk's open records changed
GROUP = "agent"  # the consumer group on every desk's inbox


def desk(name: str) -> str:
    """A desk's heartbeat (expires with the presence TTL): its name and session count."""
    return f"{PREFIX}:desk:{name}"


def record(kind: str, entity_id: str) -> str:
    """Who has a record open: one hash field per desk."""
    return f"{PREFIX}:record:{kind}:{entity_id}"


def inbox(name: str) -> str:
    """A desk's stream of transfer offers and answers."""
    return f"{PREFIX}:inbox:{name}"
