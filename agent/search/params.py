"""A search's query parameters (paging, sort, the kind's filters) and the SearchRequest they
make, checked by the one query validator (agent/query.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from agent.errors import BadRequest
from agent.query import Param, Params, parse_query
from agent.search.catalog import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    KindCatalog,
)
from shared_schema.search import FilterDef

FilterValue = str | int | tuple[str, ...] | tuple[int | None, int | None]
NUMBER_MAX = 2**53  # an exact number filter (order number, customer id)
MONEY_MAX = 10**12  # a money bound, in minor units
PAGING: Params = (
    Param("page", "int", default=1, low=1, high=MAX_PAGE),
    Param("page_size", "int", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE),
)
"""A page of a list: every paged route takes these two."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    sort: str = "relevance"
    order: Literal["asc", "desc"] = "desc"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    filters: Mapping[str, FilterValue] = field(default_factory=dict)
    # Rows shown ahead of the search's own on page 1 (the record typed, docs/search.md): page 1
    # takes that many fewer, and later pages start that many earlier.
    pinned: int = 0

    @property
    def offset(self) -> int:
        return max(0, (self.page - 1) * self.page_size - self.pinned)

    @property
    def limit(self) -> int:
        """How many of the search's own rows the page holds."""
        return self.page_size - self.pinned if self.page == 1 else self.page_size


def search_params(catalog: KindCatalog) -> Params:
    """The query parameters of a search of ``catalog``'s kind: paging, sorting, its filters."""
    if catalog.kind not in _PARAMS:
        _PARAMS[catalog.kind] = _search_params(catalog)
    return _PARAMS[catalog.kind]


_PARAMS: dict[str, Params] = {}


def _search_params(catalog: KindCatalog) -> Params:
    params = [
        Param(
            "q",
            "text",
            default="",
            max_length=MAX_QUERY_LENGTH,
            description="Free text: names, email, phone digits, #number",
        ),
        Param("sort", "choice", allowed=catalog.sort_keys, code="invalid_sort"),
        Param("order", "choice", allowed=("asc", "desc")),
        *PAGING,
    ]
    for fdef in catalog.filters:
        if fdef.type == "enum":
            allowed = tuple(o.value for o in fdef.options)
            params.append(Param(fdef.key, "choices", allowed=allowed, description=fdef.label))
        elif fdef.type == "text":
            params.append(Param(fdef.key, "text", description=fdef.help))
        elif fdef.type in ("number", "money_range"):
            top = NUMBER_MAX if fdef.type == "number" else MONEY_MAX
            params += [Param(name, "int", high=top, description=fdef.help) for name in fdef.params]
        else:
            params += [Param(name, "date", description=fdef.help) for name in fdef.params]
    return tuple(params)


def _moment(day: dt.date | None, end_of_day: bool) -> int | None:
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min, dt.UTC)
    return int(moment.timestamp())


def _range(fdef: FilterDef, lo: int | None, hi: int | None, problem: str) -> FilterValue | None:
    if lo is not None and hi is not None and lo > hi:
        raise BadRequest(
            f"Parameter '{fdef.params[0]}': {problem} '{fdef.params[1]}'",
            details={"param": fdef.params[0]},
            code="invalid_parameter",
        )
    return None if lo is None and hi is None else (lo, hi)


def _first_order(catalog: KindCatalog, sort: str) -> str:
    """The order when the request names none: the kind's default for its default sort,
    best match first for relevance, else the column's own."""
    if sort == catalog.default_sort:
        return catalog.default_order
    column = catalog.column(sort)
    return column.default_order if column is not None else "desc"


def _one(fdef: FilterDef, values: tuple[str, ...]) -> str | None:
    if len(values) > 1:
        raise BadRequest(
            f"'{fdef.key}' takes one value, not {len(values)}",
            details={"param": fdef.key, "allowed": [o.value for o in fdef.options]},
            code="invalid_parameter",
        )
    return values[0] if values else None


def parse_search_request(catalog: KindCatalog, query: Mapping[str, Sequence[str]]) -> SearchRequest:
    return search_request(catalog, parse_query(search_params(catalog), query))


def search_request(catalog: KindCatalog, values: Mapping[str, Any]) -> SearchRequest:
    """The SearchRequest of checked ``search_params`` values."""
    sort = values["sort"] or catalog.default_sort
    order = values["order"] or _first_order(catalog, sort)
    filters: dict[str, FilterValue] = {}
    for fdef in catalog.filters:
        value: FilterValue | None
        if fdef.type == "date_range":
            lo_day, hi_day = (values[name] for name in fdef.params)
            value = _range(fdef, _moment(lo_day, False), _moment(hi_day, True), "is after")
        elif fdef.type == "money_range":
            lo, hi = (values[name] for name in fdef.params)
            value = _range(fdef, lo, hi, "is greater than")
        else:
            value = values[fdef.key]
            if fdef.type == "enum" and not fdef.multiple and isinstance(value, tuple):
                value = _one(fdef, tuple(str(v) for v in value))
        if value is not None and value != ():
            filters[fdef.key] = value
    return SearchRequest(
        q=values["q"],
        sort=sort,
        order=order,  # type: ignore[arg-type]
        page=values["page"],
        page_size=values["page_size"],
        filters=filters,
    )
