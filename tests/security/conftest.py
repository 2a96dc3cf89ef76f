"""One real agent process per module, on a free loopback port, with a copy of the demo store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.live import LiveAgent, copy_store


@pytest.fixture(scope="module")
def live_agent(tmp_path_factory: pytest.TempPathFactory, seeded_store: Path) -> Iterator[LiveAgent]:
    data_dir = copy_store(seeded_store, tmp_path_factory.mktemp("live") / "data")
    agent = LiveAgent(data_dir).start()
    try:
        yield agent
    finally:
        agent.stop()
