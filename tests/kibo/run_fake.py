"""Run the fake Kibo tenant by hand and point an agent at it.

    .venv/bin/python -m tests.kibo.run_fake --data-dir /tmp/kibo-agent
    .venv/bin/callcenter-agent serve --data-dir /tmp/kibo-agent --backend kibo

Writes ``config.toml`` and a 0600 secret file into the data dir, then serves until Ctrl+C.
Requests outside Kibo's published documents are printed as they happen.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from pathlib import Path

from tests.kibo.fake_kibo import CLIENT_ID, CLIENT_SECRET, SITE, TENANT, FakeKibo


def write_agent_config(data_dir: Path, url: str) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = data_dir / "kibo-secret"
    secret.write_text(CLIENT_SECRET)
    secret.chmod(0o600)
    config = data_dir / "config.toml"
    config.write_text(
        f'[backend]\nkind = "kibo"\n\n[kibo]\ntenant = "{TENANT}"\nsite = "{SITE}"\n'
        f'api_host = "{url}"\nclient_id = "{CLIENT_ID}"\nsecret_file = "{secret}"\n'
    )
    return config


async def serve(data_dir: Path) -> None:
    fake = FakeKibo()
    url = await fake.start()
    config = write_agent_config(data_dir, url)
    print(f"fake Kibo tenant at {url}; agent config in {config}", flush=True)
    print(f"run: callcenter-agent serve --data-dir {data_dir} --backend kibo", flush=True)
    seen = 0
    try:
        while True:
            await asyncio.sleep(0.5)
            for problem in fake.violations[seen:]:
                print(f"CONTRACT: {problem}", flush=True)
            seen = len(fake.violations)
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.data_dir))


if __name__ == "__main__":
    main()
