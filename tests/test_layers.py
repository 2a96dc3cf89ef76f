"""Who may import whom: the domain rules are plain Python over shared_schema, whatever store or
transport carries them out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = sorted((ROOT / "agent" / "domain").rglob("*.py"))
FORBIDDEN = ("agent.backends", "agent.api", "agent.app", "agent.sessions", "aiohttp", "sqlite3")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", DOMAIN, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_imports_no_backend_and_no_transport(path: Path) -> None:
    bad = sorted(n for n in imports(path) if n.startswith(FORBIDDEN))
    assert bad == [], f"{path.relative_to(ROOT)} imports {bad}"


def test_the_check_sees_the_domain() -> None:
    assert len(DOMAIN) > 20
    assert "agent.domain.catalog" in imports(ROOT / "agent" / "domain" / "order" / "actions.py")
