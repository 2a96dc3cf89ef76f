"""The fake Kibo tenant on its own event loop in a background thread.

For synchronous tests (the Playwright browser tests, subprocess agents driven with urllib):

    with FakeKiboThread() as fake:
        write_agent_config(data_dir, fake.url)      # tests/kibo/run_fake.py
        ...                                         # start the agent, drive the panel
    assert fake.server.violations == []
"""

from __future__ import annotations

import asyncio
import threading
from types import TracebackType

from tests.kibo.fake_kibo import FakeKibo

START_TIMEOUT_S = 10.0


class FakeKiboThread:
    def __init__(self) -> None:
        self.server = FakeKibo()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="fake-kibo", daemon=True
        )

    @property
    def url(self) -> str:
        return self.server.url

    def __enter__(self) -> FakeKiboThread:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(START_TIMEOUT_S)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(START_TIMEOUT_S)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(START_TIMEOUT_S)
        self._loop.close()
