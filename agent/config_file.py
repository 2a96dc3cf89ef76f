"""Reading config.toml against declared sections: one checker for every section.

A section is declared once, as a ``Section`` of ``Key``s (agent/config.py ``SECTIONS``); adding
one is a single entry there. Every mistake is one line naming the file, the section, the key
and what was expected: a section that is not a table, a value of the wrong type, a value a
key's ``check`` refuses, and an unknown key or section, with the nearest known name suggested.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to fix."""


TYPE_NAMES: dict[type, str] = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    list: "a list",
    float: "a number",
    dict: "a table",
}


@dataclass(frozen=True)
class Key:
    name: str
    kind: type
    # The Config field it sets (defaults to the key's name).
    field: str = ""
    # A further check of a value of the right type: None when fine, else what is expected.
    check: Callable[[Any], str | None] | None = None
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class Section:
    name: str
    keys: tuple[Key, ...]
    # Keys that must never be in the file, with the one-line reason (e.g. secrets).
    forbidden: tuple[tuple[str, str], ...] = ()


def type_name(value: Any) -> str:
    for kind, name in TYPE_NAMES.items():
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return name
    return type(value).__name__


def _is(value: Any, kind: type) -> bool:
    if kind is int and isinstance(value, bool):
        return False
    return isinstance(value, kind)


def suggestion(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def read_sections(path: Path, raw: dict[str, Any], sections: Iterable[Section]) -> dict[str, Any]:
    """Config field -> value for every key present in ``raw``; ConfigError on any mistake."""
    by_name = {section.name: section for section in sections}
    for name in raw:
        if name not in by_name:
            raise ConfigError(
                f"{path}: unknown section [{name}]{suggestion(name, by_name)} "
                f"(known: {', '.join(sorted(by_name))})"
            )
    out: dict[str, Any] = {}
    for name, table in raw.items():
        section = by_name[name]
        if not isinstance(table, dict):
            raise ConfigError(
                f"{path}: {name} must be a table ([{name}] followed by its keys), "
                f"not {type_name(table)}"
            )
        out.update(_read_section(path, section, table))
    return out


def _read_section(path: Path, section: Section, table: dict[str, Any]) -> dict[str, Any]:
    keys = {key.name: key for key in section.keys}
    out: dict[str, Any] = {}
    for name, value in table.items():
        where = f"{path}: [{section.name}] {name}"
        reason = dict(section.forbidden).get(name)
        if reason is not None:
            raise ConfigError(f"{where} is not allowed here: {reason}")
        key = keys.get(name)
        if key is None:
            raise ConfigError(
                f"{path}: [{section.name}] unknown key '{name}'{suggestion(name, keys)} "
                f"(known: {', '.join(keys)})"
            )
        if not _is(value, key.kind):
            raise ConfigError(f"{where} must be {TYPE_NAMES[key.kind]}, not {type_name(value)}")
        expected = key.check(value) if key.check else None
        if expected is not None:
            raise ConfigError(f"{where} must be {expected}, not {value!r}")
        out[key.field or key.name] = key.convert(value) if key.convert else value
    return out
