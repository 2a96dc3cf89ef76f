"""Which pure rule applies each management action.

Rule modules (the packages ``customer``, ``order``, ``return_`` of agent/domain)
register their functions with ``@rule(kind, name)``; ``get_rule`` imports them on first use,
so a backend needs no list of modules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from agent.domain.outcome import ActionContext, ActionOutcome, Lookup
from shared_schema.common import EntityKind

Rule = Callable[[Any, Any, ActionContext, Lookup], ActionOutcome]
"""(current document, validated request, context, lookup) -> outcome; raises ActionRefused."""

RULE_PACKAGES: dict[str, str] = {
    "customer": "customer",
    "order": "order",
    "return": "return_",
}

_RULES: dict[tuple[str, str], Rule] = {}
_loaded: set[str] = set()


def rule(kind: EntityKind, name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        key = (kind, name)
        if key in _RULES and _RULES[key] is not fn:
            raise ValueError(f"rule {key} registered twice")
        _RULES[key] = fn
        return fn

    return register


def get_rule(kind: str, name: str) -> Rule | None:
    load_rule_modules(kind)
    return _RULES.get((kind, name))


def load_rule_modules(kind: str) -> None:
    """Import the kind's rule modules once (one kind's modules never break another's)."""
    if kind in _loaded or kind not in RULE_PACKAGES:
        return
    package = importlib.import_module(f"agent.domain.{RULE_PACKAGES[kind]}")
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{module.name}")
    _loaded.add(kind)
