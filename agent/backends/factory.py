"""Pick and open the configured backend."""

from __future__ import annotations

from agent.backends.base import Backend
from agent.config import Config, ConfigError


def open_backend(config: Config) -> Backend:
    if config.backend == "demo":
        from agent.backends.demo.backend import DemoBackend

        return DemoBackend.open(
            config.demo_db_path,
            scale=config.demo_scale,
            seed=config.demo_seed,
            map_store=config.demo_map_store,
        )
    if config.backend == "kibo":
        from agent.backends.kibo.backend import KiboBackend

        return KiboBackend.open(config.kibo, config.data_dir)
    raise ConfigError(f"the '{config.backend}' backend is not available in this version")
