"""The extension's files themselves: manifest promises, no remote code, imports that resolve."""

from __future__ import annotations

import json
import re
import struct

import pytest

from agent.extension_id import EXTENSION_ID, extension_id_from_key
from tests.browser.conftest import EXTENSION

pytestmark = pytest.mark.browser

MANIFEST = json.loads((EXTENSION / "manifest.json").read_text())
# TypeScript's own files (make jscheck) are not the extension's and never ship.
SOURCES = sorted(
    p
    for p in EXTENSION.rglob("*")
    if p.suffix in {".js", ".html", ".css"} and "node_modules" not in p.parts
)


def test_manifest_permissions_and_pins():
    assert MANIFEST["manifest_version"] == 3
    # Every permission is listed with its reason in extension/README.md ("Permissions").
    assert MANIFEST["permissions"] == [
        "sidePanel",
        "storage",
        "contextMenus",
        "scripting",
        "nativeMessaging",
    ]
    assert MANIFEST["host_permissions"] == ["http://127.0.0.1/*"]
    # Hosts of admin consoles the user adds are asked for then, never at install.
    assert MANIFEST["optional_host_permissions"] == ["https://*/*", "http://*/*"]
    assert MANIFEST["minimum_chrome_version"] == "116"
    assert extension_id_from_key(MANIFEST["key"]) == EXTENSION_ID
    # The only static content script: the admin overlay, on hosts the extension already holds.
    assert MANIFEST["content_scripts"] == [
        {
            "matches": ["http://127.0.0.1/*"],
            "js": ["content/overlay.js"],
            "run_at": "document_idle",
            "all_frames": False,
        }
    ]
    csp = MANIFEST["content_security_policy"]["extension_pages"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    for path in (
        MANIFEST["side_panel"]["default_path"],
        MANIFEST["background"]["service_worker"],
        MANIFEST["options_ui"]["page"],
    ):
        assert (EXTENSION / path).is_file(), path


def test_icons_are_pngs_of_their_size():
    for size, path in MANIFEST["icons"].items():
        data = (EXTENSION / path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (int(size), int(size)), path


def test_no_remote_code_no_eval_no_inline_script():
    # t12345.sandbox.mozu.com: the placeholder shown for a Kibo tenant's admin (never fetched).
    allowed = (
        "http://127.0.0.1",
        "ws://127.0.0.1",
        "http://www.w3.org/2000/svg",
        "https://t12345.sandbox.mozu.com/Admin/s-23456",
    )
    for path in SOURCES:
        text = path.read_text()
        for url in re.findall(r"(?:https?|wss?)://[^\s\"'`)]+", text):
            assert url.startswith(allowed), f"{path.name}: {url}"
        if path.suffix == ".js":
            unsafe = r"\beval\s*\(|new Function\s*\(|\.innerHTML\s*=|insertAdjacentHTML"
            assert not re.search(unsafe, text), path
        if path.suffix == ".html":
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path.name}"
            assert not re.search(r"\son[a-z]+\s*=", text), f"inline handler in {path.name}"


def test_every_import_resolves():
    for path in SOURCES:
        if path.suffix != ".js":
            continue
        for spec in re.findall(r'^import[^;]*?from "(\.[^"]+)";', path.read_text(), re.M | re.S):
            assert (path.parent / spec).resolve().is_file(), f"{path.name} imports missing {spec}"


def test_jsdoc_types_match_the_committed_openapi():
    """lib/schema-types.js is generated from shared_schema/openapi.json, never hand-edited."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_types", EXTENSION / "tools" / "gen_types.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (EXTENSION / "lib" / "schema-types.js").read_text() == gen.render(), (
        "extension/lib/schema-types.js is stale: run python extension/tools/gen_types.py"
    )


def test_the_kind_map_is_the_agents():
    from shared_schema.common import COLLECTIONS

    text = (EXTENSION / "lib" / "kinds.js").read_text()
    literal = re.search(r"COLLECTION_OF = Object\.freeze\((\{.*?\})\)", text)
    assert literal is not None
    pairs = dict(re.findall(r"(\w+): \"(\w+)\"", literal.group(1)))
    assert pairs == COLLECTIONS
    # Nobody keeps a copy of their own.
    copy = re.compile(r"customers: \"customer\"|customer: \"customers\"")
    others = [p for p in SOURCES if p.name != "kinds.js"]
    assert [p.name for p in others if copy.search(p.read_text())] == []
