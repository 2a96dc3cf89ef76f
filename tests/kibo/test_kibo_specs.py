"""Finding and fetching Kibo's OpenAPI documents: pinned by SHA-256, refused when they differ.

The downloads come from a real HTTP server on loopback serving a temporary folder (the real
source, GitHub, is not reachable from the test machine).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kibo import kibo_specs, openapi_docs
from tests.kibo.kibo_specs import (
    MANIFEST,
    Manifest,
    SpecsMissing,
    SpecsRefused,
    fetch,
    locate,
    problems,
    sha256,
)

FILES = {"a.json": b'{"openapi": "3.0.1"}', "b.json": b'{"paths": {}}'}
SMALL = Manifest("example/specs", "0" * 40, "docs", {n: sha256(d) for n, d in FILES.items()})


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder and the loopback URL that serves it."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def write(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_the_manifest_pins_a_commit_and_every_document() -> None:
    assert re.fullmatch(r"[0-9a-f]{40}", MANIFEST.commit)
    assert MANIFEST.repository == "KiboSoftware/kibo-open-api-specs"
    assert MANIFEST.base_url.startswith("https://raw.githubusercontent.com/KiboSoftware/")
    assert MANIFEST.commit in MANIFEST.base_url
    assert tuple(MANIFEST.files) == openapi_docs.DOCUMENTS
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in MANIFEST.files.values())


def test_fetch_writes_each_pinned_file_once(served: tuple[Path, str], tmp_path: Path) -> None:
    folder, url = served
    write(folder, FILES)
    dest = tmp_path / "cache"
    assert fetch(dest, url, SMALL) == ["a.json", "b.json"]
    assert problems(dest, SMALL) == []
    assert (dest / "a.json").read_bytes() == FILES["a.json"]
    assert fetch(dest, url, SMALL) == []  # already there and matching: nothing fetched


def test_a_download_with_another_hash_is_refused_and_not_written(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = served
    write(folder, FILES | {"b.json": b'{"paths": {"/x": {}}}'})
    dest = tmp_path / "cache"
    with pytest.raises(SpecsRefused, match=r"b\.json has SHA-256 [0-9a-f]{64}, not the pinned"):
        fetch(dest, url, SMALL)
    assert sorted(p.name for p in dest.iterdir()) == ["a.json"]


def test_a_file_the_server_lacks_is_reported_by_name(
    served: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = served
    write(folder, {"a.json": FILES["a.json"]})
    with pytest.raises(SpecsRefused, match=r"b\.json could not be fetched: HTTP Error 404"):
        fetch(tmp_path / "cache", url, SMALL)


def test_problems_name_a_missing_file_and_a_changed_one(tmp_path: Path) -> None:
    folder = write(tmp_path / "docs", {"a.json": b"{}"})
    found = problems(folder, SMALL)
    assert len(found) == 2
    assert "a.json has SHA-256" in found[0] and SMALL.files["a.json"] in found[0]
    assert found[1].endswith("b.json is missing")


def test_the_env_folder_is_the_only_place_looked_at_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write(tmp_path / "good", FILES)
    monkeypatch.setattr(kibo_specs, "SHARED_DIR", good)
    assert locate(SMALL, {"KIBO_OPENAPI_DIR": str(good)}) == good
    with pytest.raises(SpecsMissing, match="make kibo-specs") as missing:
        locate(SMALL, {"KIBO_OPENAPI_DIR": str(tmp_path / "empty")})
    assert str(good) not in str(missing.value) and "empty: no such folder" in str(missing.value)


def test_shared_comes_before_the_cache_and_a_wrong_copy_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = write(tmp_path / "shared", {"a.json": b"{}", "b.json": FILES["b.json"]})
    cache = write(tmp_path / "cache", FILES)
    monkeypatch.setattr(kibo_specs, "SHARED_DIR", shared)
    monkeypatch.setattr(kibo_specs, "CACHE_DIR", cache)
    assert locate(SMALL, {}) == cache
    write(shared, FILES)
    assert locate(SMALL, {}) == shared
    (shared / "a.json").unlink()
    (cache / "b.json").unlink()
    with pytest.raises(SpecsMissing) as missing:
        locate(SMALL, {})
    assert "a.json is missing" in str(missing.value) and "b.json is missing" in str(missing.value)


@pytest.mark.parametrize(
    ("ci", "outcome"), [("", pytest.skip.Exception), ("true", pytest.fail.Exception)]
)
def test_without_documents_tests_skip_but_fail_under_ci(
    ci: str, outcome: type[BaseException], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIBO_OPENAPI_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("CI", ci)
    openapi_docs.docs_dir.cache_clear()
    try:
        with pytest.raises(outcome, match="run `make kibo-specs`"):
            openapi_docs.require_documents()
    finally:
        openapi_docs.docs_dir.cache_clear()


def test_the_command_fetches_the_real_documents_and_refuses_a_changed_one(
    served: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openapi_docs.require_documents()
    folder, url = served
    write(folder, {n: (openapi_docs.docs_dir() / n).read_bytes() for n in MANIFEST.files})
    dest = tmp_path / "cache"
    assert kibo_specs.main(["--base-url", url, "--dest", str(dest)]) == 0
    assert (
        problems(dest) == [] and "fetched openapi_appdevelopement.json" in capsys.readouterr().out
    )
    with (folder / "openapi_customer.json").open("ab") as changed:
        changed.write(b" ")
    (dest / "openapi_customer.json").unlink()
    assert kibo_specs.main(["--base-url", url, "--dest", str(dest)]) == 1
    assert "openapi_customer.json has SHA-256" in capsys.readouterr().err
    assert not (dest / "openapi_customer.json").exists()
