"""The First Name and Last Name filters on the demo store, with their Name Match
(docs/search.md, "Filters"): Starts with, Exact or Contains, case and accents ignored.

A customer has both names; an order's or return's customer name is split at its first space
(the first word is the first name, the rest the last name). Each filter is two conditions:

- an FTS term on the kind's ``name`` column, so the index finds the candidates: each word
  ``"w"`` (Exact), ``"w"*`` (Starts with), or, for Contains, the name words of the index's
  vocabulary that hold the typed text (``{fts}_vocab``, search_schema.py, kept a short while;
  more than ``MAX_CONTAINED`` is a 400: type more of the name);
- a check of the candidate row's own first or last name, folded like the index
  (``cc_fold``): equal to the typed words, each word starting a word of it, or inside it.
  One word typed as an order's or return's first name needs no check: the FTS term is
  anchored to the name's first word (``^``).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from agent.backends.demo.search_query import Query
from agent.errors import BadRequest
from agent.search.text import MAX_WORDS, fold, split_words

MAX_CONTAINED = 64  # name words an index lookup may OR together for one typed word
# How long the index's name words are kept: a name first stored meanwhile is not yet found
# by Contains (Starts with and Exact find it at once).
NAME_WORDS_TTL_S = 30.0
_NAME_WORDS: dict[tuple[str, str], tuple[float, tuple[str, ...]]] = {}
NAME_FILTERS = ("first_name", "last_name")
FTS = {"customers": "customers_fts", "orders": "orders_fts", "returns": "returns_fts"}
_SPLIT_AT = "instr(t.customer_name || ' ', ' ')"
PARTS = {
    "customers": {"first_name": "t.first_name", "last_name": "t.last_name"},
    **{
        kind: {
            "first_name": f"substr(t.customer_name, 1, {_SPLIT_AT} - 1)",
            "last_name": f"substr(t.customer_name, {_SPLIT_AT} + 1)",
        }
        for kind in ("orders", "returns")
    },
}


def fold_text(text: str | None) -> str:
    """Words folded as the FTS tokenizer folds them, joined by one space."""
    return " ".join(fold(w) for w in split_words(text or ""))


def prepare(conn: sqlite3.Connection) -> None:
    conn.create_function("cc_fold", 1, fold_text, deterministic=True)


def add_name_filters(
    conn: sqlite3.Connection, query: Query, kind: str, filters: dict[str, Any]
) -> None:
    match = str(filters.get("name_match") or "starts")
    for key in NAME_FILTERS:
        if key not in filters:
            continue
        words = list(dict.fromkeys(fold(w) for w in split_words(str(filters[key]))))[:MAX_WORDS]
        if not words:
            query.add("0")
            continue
        if match == "contains":
            groups = _contained_groups(conn, kind, key, words)
        else:
            # Starts with: every word typed before the last is whole ("O'B" is the word "o"
            # then a word starting "b"); only the last may be cut short.
            last = len(words) - 1
            groups = [
                f'"{w}"' if match == "exact" or i < last else f'"{w}"*' for i, w in enumerate(words)
            ]
        if any(not g for g in groups):
            query.add("0")
            continue
        if kind != "customers" and key == "first_name" and len(words) == 1:
            # An order's first name is its name's first word: the index's initial token
            # answers the filter alone, with no row check.
            query.words.append(f"name : ({' OR '.join(f'^{t}' for t in groups[0].split(' OR '))})")
            continue
        query.words.append("name : (" + " AND ".join(f"({g})" for g in groups) + ")")
        prepare(conn)
        part = f"cc_fold({PARTS[kind][key]})"
        if match == "exact":
            query.add(f"{part} = ?", [" ".join(words)])
        elif match == "contains":
            for w in words:
                query.add(f"instr({part}, ?) > 0", [w])
        else:
            for i, w in enumerate(words):
                whole = i < len(words) - 1
                query.add(f"instr(' ' || {part} || ' ', ?) > 0", [f" {w} " if whole else f" {w}"])


def _contained_groups(conn: sqlite3.Connection, kind: str, key: str, words: list[str]) -> list[str]:
    """For each typed word, the index's name words holding it, as an FTS OR group ('' when
    none). A word held by too many names ("e" of "e Vr") is left to the row check when
    another word narrows the candidates; when every word is that broad, a 400."""
    groups = [_contained(conn, kind, w) for w in words]
    if any(g == "" for g in groups):
        return [""]
    narrow = [g for g in groups if g is not None]
    if not narrow:
        word = words[0]
        raise BadRequest(
            f"More than {MAX_CONTAINED} different names contain “{word}”: type more of the "
            "name, or match names that start with it",
            details={"param": key, "word": word, "max": MAX_CONTAINED},
            code="too_broad",
        )
    return narrow


def _contained(conn: sqlite3.Connection, kind: str, word: str) -> str | None:
    """The index's name words holding ``word`` as an FTS OR group, '' when none, None when
    more than ``MAX_CONTAINED`` do."""
    terms = [t for t in _name_words(conn, kind) if word in t][: MAX_CONTAINED + 1]
    if len(terms) > MAX_CONTAINED:
        return None
    return " OR ".join(f'"{t}"' for t in terms)


def _name_words(conn: sqlite3.Connection, kind: str) -> tuple[str, ...]:
    """Every word of the kind's names in the index. Reading them walks the whole vocabulary
    (email words too: ~80,000 terms, ~100 ms on the 1M-order store) for a few hundred names,
    so they are kept ``NAME_WORDS_TTL_S`` per store file."""
    store = conn.execute("PRAGMA database_list").fetchone()[2]
    now = time.monotonic()
    kept = _NAME_WORDS.get((store, kind))
    if kept is None or now - kept[0] > NAME_WORDS_TTL_S or not store:
        words = tuple(
            row[0] for row in conn.execute(f"SELECT term FROM {FTS[kind]}_vocab WHERE col = 'name'")
        )
        kept = (now, words)
        _NAME_WORDS[(store, kind)] = kept
    return kept[1]
