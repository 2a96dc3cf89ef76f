"""Keep the agent's files to its own OS user: folders 0700, files 0600 (docs/security.md).

``private_umask`` makes everything created afterwards private, SQLite's ``-wal``/``-shm``
files included. ``tighten`` walks the data and config folders at start and takes group and
other bits off anything looser, logging a warning for each, so files from an older agent or a
copy made with a wide umask stop being readable by other users. Windows has no such modes;
there both are no-ops and the folders' ACLs (per-user profile folders) apply.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
HAS_MODES = os.name == "posix"


def private_umask() -> None:
    if HAS_MODES:
        os.umask(PRIVATE_UMASK)


def tighten(folders: Iterable[Path]) -> list[Path]:
    """Take group/other bits off each folder and the entries in it; what changed.

    One level only: the agent keeps its files at the top of its folders, and a ``--data-dir``
    pointed at a large folder must not make the start walk it.
    """
    changed: list[Path] = []
    if not HAS_MODES:
        return changed
    for folder in dict.fromkeys(folders):
        for path in [folder, *_walk(folder)]:
            if _tighten_one(path):
                changed.append(path)
    return changed


def _walk(folder: Path) -> Iterable[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _tighten_one(path: Path) -> bool:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return False
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o077:
        return False
    wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else mode & 0o700
    os.chmod(path, wanted)
    log.warning("%s was mode %o, readable by other users; now %o", path, mode, wanted)
    return True
