"""Cheap deterministic draws for the demo seed: weighted lookup tables, exact sampling,
time stamps spread over a window.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

TABLE_BITS = 10


def weighted_table(choices: Sequence[tuple[T, float]]) -> list[T]:
    """A 1024-entry list in which each value fills its share: draw with
    ``table[rng.getrandbits(TABLE_BITS)]``. Every value with a positive weight gets a slot."""
    size = 1 << TABLE_BITS
    positive = [(value, weight) for value, weight in choices if weight > 0]
    total = sum(weight for _, weight in positive)
    slots = [max(1, int(weight / total * size)) for _, weight in positive]
    slots[slots.index(max(slots))] += size - sum(slots)
    return [value for (value, _), count in zip(positive, slots, strict=True) for _ in range(count)]


class ExactSampler:
    """Selection sampling: over ``population`` calls, ``take()`` says yes exactly ``wanted``
    times (Knuth's algorithm S), so the seed hits its counts without a second pass."""

    def __init__(self, rng: random.Random, population: int, wanted: int) -> None:
        self._rng = rng
        self._left = population
        self._wanted = min(wanted, population)

    def take(self) -> bool:
        chosen = self._left > 0 and self._rng.random() * self._left < self._wanted
        self._left -= 1
        if chosen:
            self._wanted -= 1
        return chosen


def spread_times(rng: random.Random, count: int, start: int, end: int) -> list[int]:
    """``count`` non-decreasing unix times in [start, end), denser towards the end like a
    growing business's orders."""
    span = end - start
    random_ = rng.random
    return [start + int(span * ((k + random_()) / count) ** 0.8) for k in range(count)]
