"""Configuration precedence and the clear errors for a broken config.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import ConfigError, load_config
from agent.extension_id import EXTENSION_ID, extension_id_from_key


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
