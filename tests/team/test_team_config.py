"""The [team] section: parsed in its own module, refused with one line naming the problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.config import ConfigError, load_config
from agent.team.config import TeamSettings
from agent.team.secret import load_password


def _config(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def test_without_a_team_section_the_desk_is_alone(tmp_path: Path) -> None:
    assert _config(tmp_path, '[agent]\ncsr_name = "Dana"\n').team is None


def test_the_section_is_read(tmp_path: Path) -> None:
    config = _config(
        tmp_path, '[team]\nredis_url = "rediss://redis.example:6380/1"\ndesk_name = "Dana"\n'
    )
    assert config.team == TeamSettings(redis_url="rediss://redis.example:6380/1", desk_name="Dana")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('redis_ur = "redis://x"', "unknown key 'redis_ur'; did you mean 'redis_url'?"),
        ('redis_url = "redis://x"\npresence_ttl = "30"', "presence_ttl must be an integer"),
        ("redis_url = 6379", "redis_url must be a string"),
        ('redis_url = "http://x"', "starts with redis:// or rediss://"),
        ('desk_name = "Dana"', "needs redis_url"),
        ('redis_url = "redis://x"\npassword = "hunter2"', "never put the Redis password here"),
        ('redis_url = "redis://:hunter2@x:6379/0"', "redis_url must not hold the password"),
        ('redis_url = "http://u:hunter2@x"', "redis_url must not hold the password"),
        ('redis_url = "redis://x"\npresence_ttl = 600', "presence_ttl must be 2-60 seconds"),
    ],
)
def test_a_bad_section_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        _config(tmp_path, f"[team]\n{text}\n")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_the_password_comes_from_a_private_file_or_the_environment(tmp_path: Path) -> None:
    secret = tmp_path / "redis-password"
    secret.write_text("s3cret\n", encoding="utf-8")
    os.chmod(secret, 0o644)
    settings = TeamSettings(redis_url="redis://x", password_file=str(secret))
    with pytest.raises(ValueError, match="chmod 600"):
        load_password(settings)
    os.chmod(secret, 0o600)
    assert load_password(settings) == "s3cret"
    from_env = TeamSettings(redis_url="redis://x", password_env="TEAM_PW")
    assert load_password(from_env, {"TEAM_PW": "pw"}) == "pw"
    assert load_password(from_env, {}) is None
