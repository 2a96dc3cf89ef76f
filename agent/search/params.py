"""Turn a search query string into a checked SearchRequest, or say exactly what is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from agent.errors import BadRequest
from agent.search.catalog import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    KindCatalog,
)

FilterValue = str | int | tuple[str, ...] | tuple[int | None, int | None]
MAX_VALUE_LENGTH = 100
COMMON_PARAMS = ("q", "sort", "order", "page", "page_size")


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    sort: str = "relevance"
    order: Literal["asc", "desc"] = "desc"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    filters: Mapping[str, FilterValue] = field(default_factory=dict)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def _bad(param: str, problem: str) -> BadRequest:
    return BadRequest(
        f"Parameter '{param}': {problem}", details={"param": param}, code="invalid_parameter"
    )


def _single(query: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise _bad(name, "given more than once")
    value = values[0]
    if len(value) > (MAX_QUERY_LENGTH if name == "q" else MAX_VALUE_LENGTH):
        raise _bad(name, "too long")
    return value


def _int(name: str, raw: str, low: int, high: int) -> int:
    text = raw.strip().lstrip("#")
    if not text.isascii() or not text.isdigit():
        raise _bad(name, f"'{raw}' is not a whole number")
    value = int(text)
    if not low <= value <= high:
        raise _bad(name, f"must be between {low} and {high}")
    return value


def _date(name: str, raw: str, end_of_day: bool) -> int:
    try:
        day = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise _bad(name, f"'{raw}' is not a date (YYYY-MM-DD)") from None
    moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min, dt.UTC)
    return int(moment.timestamp())


def _first_order(catalog: KindCatalog, sort: str) -> str:
    """The order when the request names none: the kind's default for its default sort,
    best match first for relevance, else the column's own."""
    if sort == catalog.default_sort:
        return catalog.default_order
    column = catalog.column(sort)
    return column.default_order if column is not None else "desc"


def parse_search_request(catalog: KindCatalog, query: Mapping[str, Sequence[str]]) -> SearchRequest:
    known = {*COMMON_PARAMS, *catalog.params}
    unknown = sorted(set(query) - known)
    if unknown:
        raise BadRequest(
            f"Unknown parameter '{unknown[0]}' for {catalog.kind} search",
            details={"param": unknown[0], "allowed": sorted(known)},
            code="unknown_parameter",
        )
    q = (_single(query, "q") or "").strip()
    sort = _single(query, "sort") or catalog.default_sort
    if sort not in catalog.sort_keys:
        raise BadRequest(
            f"Cannot sort {catalog.kind} by '{sort}'",
            details={"param": "sort", "allowed": list(catalog.sort_keys)},
            code="invalid_sort",
        )
    order = _single(query, "order") or _first_order(catalog, sort)
    if order not in ("asc", "desc"):
        raise _bad("order", "must be 'asc' or 'desc'")
    page = _int("page", _single(query, "page") or "1", 1, MAX_PAGE)
    page_size = _int(
        "page_size", _single(query, "page_size") or str(DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE
    )
    filters: dict[str, FilterValue] = {}
    for fdef in catalog.filters:
        if fdef.type == "enum":
            values = query.get(fdef.key) or []
            chosen: list[str] = []
            allowed = {o.value for o in fdef.options}
            for raw in values:
                for part in (p.strip() for p in raw.split(",")):
                    if not part:
                        continue
                    if part not in allowed:
                        raise BadRequest(
                            f"Parameter '{fdef.key}': '{part}' is not one of the allowed values",
                            details={"param": fdef.key, "allowed": sorted(allowed)},
                            code="invalid_parameter",
                        )
                    if part not in chosen:
                        chosen.append(part)
            if chosen:
                filters[fdef.key] = tuple(chosen)
        elif fdef.type in ("text", "number"):
            text = _single(query, fdef.key)
            if text is None or not text.strip():
                continue
            filters[fdef.key] = (
                _int(fdef.key, text, 0, 2**53) if fdef.type == "number" else text.strip()
            )
        elif fdef.type == "date_range":
            lo_name, hi_name = fdef.params
            lo_raw, hi_raw = _single(query, lo_name), _single(query, hi_name)
            lo = _date(lo_name, lo_raw, False) if lo_raw else None
            hi = _date(hi_name, hi_raw, True) if hi_raw else None
            if lo is not None and hi is not None and lo > hi:
                raise _bad(lo_name, f"is after '{hi_name}'")
            if lo is not None or hi is not None:
                filters[fdef.key] = (lo, hi)
        elif fdef.type == "money_range":
            lo_name, hi_name = fdef.params
            lo_raw, hi_raw = _single(query, lo_name), _single(query, hi_name)
            lo = _int(lo_name, lo_raw, 0, 10**12) if lo_raw else None
            hi = _int(hi_name, hi_raw, 0, 10**12) if hi_raw else None
            if lo is not None and hi is not None and lo > hi:
                raise _bad(lo_name, f"is greater than '{hi_name}'")
            if lo is not None or hi is not None:
                filters[fdef.key] = (lo, hi)
    return SearchRequest(
        q=q,
        sort=sort,
        order=order,  # type: ignore[arg-type]
        page=page,
        page_size=page_size,
        filters=filters,
    )
