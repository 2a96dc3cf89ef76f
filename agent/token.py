"""The per-install pairing token: created on first use, kept in a file only we can read."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

TOKEN_BYTES = 32


class TokenError(Exception):
    pass


def _valid(text: str) -> bool:
    return 32 <= len(text) <= 128 and text.isascii() and all(c.isalnum() or c in "-_" for c in text)


def read_token(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"cannot read the token file {path}: {exc}") from None
    if not _valid(text):
        raise TokenError(
            f"the token file {path} is damaged; run `callcenter-agent token --rotate` "
            "and pair the extension again"
        )
    return text


def write_token(path: Path, token: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (token + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def ensure_token(path: Path, rotate: bool = False) -> str:
    current = None if rotate else read_token(path)
    if current is not None:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
        return current
    token = secrets.token_urlsafe(TOKEN_BYTES)
    write_token(path, token)
    return token
