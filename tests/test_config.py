"""Configuration precedence and the clear errors for a broken config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import ConfigError, load_config
from agent.extension_id import EXTENSION_ID, extension_id_from_key
from tests.support.agent_process import cli


def test_data_dir_alone_holds_the_config_too(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.config_dir == tmp_path.resolve()
    assert config.token_path == tmp_path.resolve() / "token"


def test_env_then_file_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCENTER_AGENT_DATA_DIR", str(tmp_path))
    (tmp_path / "config.toml").write_text('[agent]\nport = 48000\ncsr_name = "Dana"\n')
    config = load_config()
    assert config.port == 48000 and config.csr_name == "Dana"
    assert load_config(port=49000).port == 49000


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[agent\n", "not valid TOML"),
        ("[agent]\nport = 'x'\n", "port"),
        ("[agent]\nport = true\n", "port"),
        ("[agent]\nport = 70000\n", "out of range"),
        ("[backend]\nkind = 'shopify'\n", "shopify"),
        ("[surprise]\n", "surprise"),
        ("[kibo]\nclient_secret = 's3cret'\n", "secret_env"),
        ("[agent]\nextension_ids = ['abc']\n", "extension_ids"),
        ("[demo]\nmap_store = 'no'\n", "map_store"),
    ],
)
def test_bad_config_is_named(tmp_path: Path, text: str, named: str) -> None:
    (tmp_path / "config.toml").write_text(text)
    with pytest.raises(ConfigError, match=named):
        load_config(tmp_path)


def test_demo_store_mapping_is_on_unless_turned_off(tmp_path: Path) -> None:
    assert load_config(tmp_path).demo_map_store is True
    (tmp_path / "config.toml").write_text("[demo]\nmap_store = false\n")
    assert load_config(tmp_path).demo_map_store is False


def test_pinned_extension_id_matches_manifest_key() -> None:
    import json

    manifest = json.loads((Path(__file__).parents[1] / "extension" / "manifest.json").read_text())
    assert extension_id_from_key(manifest["key"]) == EXTENSION_ID
    assert manifest["host_permissions"] == ["http://127.0.0.1/*"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('agent = "x"\n', "agent must be a table ([agent] followed by its keys), not a string"),
        (
            "backend = 1\n",
            "backend must be a table ([backend] followed by its keys), not an integer",
        ),
        ("demo = [1, 2]\n", "demo must be a table ([demo] followed by its keys), not a list"),
        ("[agent]\nport = '1'\n", "[agent] port must be an integer, not a string"),
        ("[agent]\nprot = 48000\n", "[agent] unknown key 'prot'; did you mean 'port'?"),
        ("[demo]\nscael = 'large'\n", "[demo] unknown key 'scael'; did you mean 'scale'?"),
        ("[backend]\nknd = 'kibo'\n", "[backend] unknown key 'knd'; did you mean 'kind'?"),
        ("[kibo]\ntennant = 'x'\n", "[kibo] unknown key 'tennant'; did you mean 'tenant'?"),
        ("[kibo]\ntenant = 5\n", "[kibo] tenant must be a string, not an integer"),
        ("[agnet]\n", "unknown section [agnet]; did you mean 'agent'?"),
    ],
)
def test_a_config_mistake_is_one_line_naming_file_key_and_expectation(
    tmp_path: Path, text: str, line: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(text)
    result = cli("status", data_dir=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"callcenter-agent: error: {config.resolve()}: {line}")
    assert "Traceback" not in result.stderr
