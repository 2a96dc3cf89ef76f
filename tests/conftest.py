"""Shared fixtures: a seeded demo store (built once), configs in temp dirs, API clients."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agent.app import create_app
from agent.backends.demo.seed import seed_store
from agent.config import Config, load_config
from tests.support.api import TOKEN, Api


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo store for the whole run; tests copy it."""
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    seed_store(path, "small")
    return path


@pytest.fixture
def agent_config(tmp_path: Path, seeded_store: Path) -> Config:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(seeded_store, data_dir / "demo.db")
    return load_config(data_dir, port=0)


@pytest.fixture
async def api(aiohttp_client: Callable[..., Any], agent_config: Config) -> Api:
    app = create_app(agent_config, token=TOKEN)
    return Api(await aiohttp_client(app))
