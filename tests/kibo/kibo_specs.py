"""Where Kibo's OpenAPI documents come from: found on disk, or fetched and checked by SHA-256.

Kibo publishes them in a public repository without a licence file, so this project never
copies them in; ``kibo_specs.json`` pins the commit and each file's SHA-256 instead. Places
looked at, in order (docs/testing.md, "Kibo's OpenAPI documents"):

1. ``$KIBO_OPENAPI_DIR`` — when set, the only place looked at;
2. ``../shared/kibo-openapi`` beside the repository;
3. ``.cache/kibo-openapi`` in the repository, which ``make kibo-specs`` fills:

    .venv/bin/python -m tests.kibo.kibo_specs [--base-url URL] [--dest DIR]

A place counts only when every pinned file is there with its pinned SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = ROOT.parent / "shared" / "kibo-openapi"
CACHE_DIR = ROOT / ".cache" / "kibo-openapi"
ENV_VAR = "KIBO_OPENAPI_DIR"
COMMAND = "make kibo-specs"
DOWNLOAD_TIMEOUT_S = 120


class SpecsMissing(RuntimeError):
    """No place holds the pinned documents; the message says where we looked and what to run."""


class SpecsRefused(RuntimeError):
    """A download that is missing or does not match its pinned SHA-256."""


@dataclass(frozen=True)
class Manifest:
    repository: str
    commit: str
    folder: str
    files: Mapping[str, str]  # file name -> SHA-256 (hex)

    @property
    def base_url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repository}/{self.commit}/{self.folder}/"


MANIFEST_FILE = Path(__file__).with_name("kibo_specs.json")


def load_manifest(path: Path = MANIFEST_FILE) -> Manifest:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Manifest(raw["repository"], raw["commit"], raw["folder"], dict(raw["files"]))


MANIFEST = load_manifest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problems(folder: Path, manifest: Manifest = MANIFEST) -> list[str]:
    """What keeps ``folder`` from holding the pinned documents; empty when it does."""
    found = []
    for name, expected in manifest.files.items():
        path = folder / name
        if not path.is_file():
            found.append(f"{path} is missing")
        elif (got := sha256(path.read_bytes())) != expected:
            found.append(f"{path} has SHA-256 {got}, not the pinned {expected}")
    return found


def places(env: Mapping[str, str] = os.environ) -> list[Path]:
    chosen = env.get(ENV_VAR)
    return [Path(chosen)] if chosen else [SHARED_DIR, CACHE_DIR]


def locate(manifest: Manifest = MANIFEST, env: Mapping[str, str] = os.environ) -> Path:
    """The first place holding every pinned document, or SpecsMissing saying why."""
    seen = []
    for place in places(env):
        found = problems(place, manifest)
        if not found:
            return place
        seen.append(f"{place}: " + ("no such folder" if not place.is_dir() else found[0]))
    raise SpecsMissing(
        f"Kibo's OpenAPI documents are missing; run `{COMMAND}` to fetch them "
        f"(or set {ENV_VAR}). Looked at: " + "; ".join(seen)
    )


def download(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as answer:
            data: bytes = answer.read()
            return data
    except (urllib.error.URLError, OSError) as exc:
        raise SpecsRefused(f"{url} could not be fetched: {exc}") from exc


def fetch(dest: Path, base_url: str | None = None, manifest: Manifest = MANIFEST) -> list[str]:
    """Download each pinned file not yet in ``dest``; a file is written only once its SHA-256
    matches. Returns the names written."""
    base = base_url or manifest.base_url
    base = base if base.endswith("/") else base + "/"
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, expected in manifest.files.items():
        target = dest / name
        if target.is_file() and sha256(target.read_bytes()) == expected:
            continue
        data = download(base + name)
        if (got := sha256(data)) != expected:
            raise SpecsRefused(
                f"{base + name} has SHA-256 {got}, not the pinned {expected}; nothing written"
            )
        part = target.with_name(name + ".part")
        part.write_bytes(data)
        part.replace(target)
        written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help=f"default: {MANIFEST.base_url}")
    parser.add_argument("--dest", type=Path, help=f"default: {CACHE_DIR}")
    args = parser.parse_args(argv)
    if args.dest is None and args.base_url is None:
        try:
            print(f"Kibo's OpenAPI documents are in {locate()}")
            return 0
        except SpecsMissing:
            pass
    dest = args.dest or CACHE_DIR
    try:
        written = fetch(dest, args.base_url)
    except SpecsRefused as exc:
        print(f"kibo-specs: {exc}", file=sys.stderr)
        return 1
    print(f"Kibo's OpenAPI documents (commit {MANIFEST.commit[:12]}) are in {dest}", end="")
    print(f"; fetched {', '.join(written)}" if written else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
