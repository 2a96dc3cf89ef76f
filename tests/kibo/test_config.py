"""Kibo configuration: hosts, ids and the client secret (env or a 0600 file, never shown)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from agent.backends.kibo.connection import resolve
from agent.backends.kibo.diagnose import doctor_checks
from agent.backends.kibo.secret import load_secret
from agent.config import ConfigError, KiboSettings, load_config
from tests.kibo.fake_kibo import CLIENT_SECRET, FakeKibo

BASE = KiboSettings(
    tenant="12345", site="23456", api_host="t12345.sandbox.mozu.com", client_id="app.id"
)


def test_a_bare_host_becomes_https_and_auth_defaults_to_it() -> None:
    conn = resolve(BASE)
    assert conn.api_base == "https://t12345.sandbox.mozu.com"
    assert conn.oauth_url == (
        "https://t12345.sandbox.mozu.com/api/platform/applications/authtickets/oauth"
    )
    home = resolve(replace(BASE, auth_host="https://home.mozu.com/"))
    assert home.auth_base == "https://home.mozu.com"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"tenant": ""}, "tenant"),
        ({"tenant": "t123"}, "tenant"),
        ({"site": "us"}, "site"),
        ({"site": ""}, "site is missing.*site-level"),
        ({"api_host": "t12345-s99.sandbox.mozu.com"}, "names site 99"),
        ({"api_host": "t777-s23456.sandbox.mozu.com"}, "names tenant 777"),
        ({"client_id": ""}, "client_id"),
        ({"api_host": ""}, "api_host"),
        ({"api_host": "http://t1.sandbox.mozu.com"}, "https"),
        ({"api_host": "https://t1.sandbox.mozu.com/api/commerce"}, "without a path"),
    ],
)
def test_bad_settings_name_the_key(change: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        resolve(replace(BASE, **change))


def test_a_site_host_names_the_site() -> None:
    conn = resolve(replace(BASE, site="", api_host="t12345-s23456.sandbox.mozu.com"))
    assert conn.site == "23456"
    assert resolve(replace(BASE, api_host="t12345-s23456.sandbox.mozu.com")).site == "23456"


def test_secret_from_the_environment_is_never_shown() -> None:
    secret = load_secret(BASE, {"CALLCENTER_KIBO_CLIENT_SECRET": " s3cret \n"})
    assert secret.reveal() == "s3cret"
    assert "s3cret" not in repr(secret) + str(secret) + f"{secret}"


def test_a_missing_secret_says_where_to_put_it() -> None:
    with pytest.raises(ConfigError, match="CALLCENTER_KIBO_CLIENT_SECRET"):
        load_secret(BASE, {})


def test_a_secret_file_must_be_private(tmp_path: Path) -> None:
    path = tmp_path / "kibo-secret"
    path.write_text("filesecret\n")
    settings = replace(BASE, secret_file=str(path))
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_secret(settings, {})
    path.chmod(0o600)
    assert load_secret(settings, {}).reveal() == "filesecret"
    path.write_text("")
    with pytest.raises(ConfigError, match="empty"):
        load_secret(settings, {})


def test_config_toml_refuses_the_secret_itself(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[backend]\nkind = "kibo"\n[kibo]\ntenant = "1"\nclient_secret = "oops"\n'
    )
    with pytest.raises(ConfigError, match="never put the Kibo client secret here"):
        load_config(tmp_path)


def run_doctor(settings: KiboSettings) -> dict[str, tuple[bool, str, str]]:
    checks = asyncio.run(doctor_checks(settings))
    return {c.name: (c.ok, c.detail, c.fix) for c in checks}


async def test_doctor_checks_host_credentials_and_a_read(
    settings: KiboSettings, fake: FakeKibo, tmp_path: Path
) -> None:
    path = tmp_path / "secret"
    path.write_text(CLIENT_SECRET)
    path.chmod(0o600)
    checks = {c.name: c for c in await doctor_checks(replace(settings, secret_file=str(path)))}
    assert [c.ok for c in checks.values()] == [True] * 7, checks
    assert "lists 3 customers and read customer 1001" in checks["kibo read"].detail
    assert "lists 3 orders and read order 0a1b2c3d" in checks["kibo orders"].detail
    assert "lists 2 returns and read return 9f8e7d6c" in checks["kibo returns"].detail
    assert [c.path for c in fake.calls("/commerce/returns")] == [
        "/api/commerce/returns",
        "/api/commerce/returns/9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    ]
    assert CLIENT_SECRET not in repr(checks)
    bad = tmp_path / "bad"
    bad.write_text("wrong")
    bad.chmod(0o600)
    checks = {c.name: c for c in await doctor_checks(replace(settings, secret_file=str(bad)))}
    assert not checks["kibo credentials"].ok
    assert "client_id" in checks["kibo credentials"].fix


async def test_doctor_names_the_site_when_orders_fail(
    settings: KiboSettings, fake: FakeKibo, tmp_path: Path
) -> None:
    path = tmp_path / "secret"
    path.write_text(CLIENT_SECRET)
    path.chmod(0o600)
    wrong_site = replace(settings, site="99999", secret_file=str(path))
    checks = {c.name: c for c in await doctor_checks(wrong_site)}
    assert checks["kibo read"].ok  # accounts are tenant-level
    for name in ("kibo orders", "kibo returns"):
        assert not checks[name].ok and "x-vol-site" in checks[name].detail
        assert "[kibo] site" in checks[name].fix and "99999" in checks[name].fix


def test_doctor_without_config_or_secret_gives_fixes() -> None:
    checks = run_doctor(KiboSettings())
    assert checks["kibo config"][0] is False and "tenant" in checks["kibo config"][1]
    checks = run_doctor(replace(BASE, secret_env="NO_SUCH_VARIABLE_FOR_TESTS"))
    assert (
        checks["kibo secret"][0] is False
        and "NO_SUCH_VARIABLE_FOR_TESTS" in checks["kibo secret"][2]
    )


def test_doctor_reports_an_unreachable_host() -> None:
    from tests.support.agent_process import free_port

    settings = replace(BASE, api_host=f"http://127.0.0.1:{free_port()}")
    checks = run_doctor(replace(settings, secret_env="HOME"))
    assert checks["kibo host"][0] is False and "api_host" in checks["kibo host"][2]
