"""How many results, in words: "1 order", "2 orders", "1,000+ orders"."""

from __future__ import annotations


def result_count(total: int, exact: bool, plural: str) -> str:
    """``plural`` is a kind's plural ("orders"); a lower bound ("1+") stays plural."""
    noun = plural[:-1] if total == 1 and exact and plural.endswith("s") else plural
    return f"{total:,}{'' if exact else '+'} {noun}"
