"""Search payloads: results, columns and the Advanced Search filter catalogue."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .common import JsonInt, Model, SearchKind

# "code": one word of a closed vocabulary (a channel, a reason): shown as its label (labels.py).
ColumnType = Literal["text", "code", "number", "money", "date", "status", "list"]
FilterType = Literal["text", "number", "enum", "date_range", "money_range"]
CellValue = str | int | bool | None


def _row_names_id_and_currency(row: dict[str, CellValue]) -> dict[str, CellValue]:
    for key in ("id", "currency"):
        if not isinstance(row.get(key), str) or not row[key]:
            raise ValueError(f"every search row needs its '{key}' as a string")
    return row


# A result row: the entity id, the currency of its money cells, one value per column key. A
# plain dict (the columns differ per kind); the two fixed keys are checked and published.
SearchRow = Annotated[
    dict[str, CellValue],
    AfterValidator(_row_names_id_and_currency),
    Field(
        json_schema_extra={
            "properties": {
                "id": {"type": "string", "description": "The entity id to open"},
                "currency": {
                    "type": "string",
                    "description": "ISO 4217 code of the row's money cells (e.g. USD, CAD, GBP); "
                    "money is in its minor units",
                },
            },
            "required": ["id", "currency"],
        }
    ),
]


class Column(Model):
    key: str
    label: str
    type: ColumnType
    sortable: bool
    default_visible: bool
    default_order: Literal["asc", "desc"] = Field(
        description="The order a sort by this column starts in when none is given"
    )


class FilterOption(Model):
    value: str
    label: str


class FilterDef(Model):
    key: str
    label: str
    type: FilterType
    params: list[str] = Field(
        description="Query parameters this filter reads: one for text/number/enum, "
        "'<key>_from'/'<key>_to' for date ranges, '<key>_min'/'<key>_max' for money ranges"
    )
    multiple: bool = Field(False, description="enum filters: the parameter may repeat")
    options: list[FilterOption] = Field(default_factory=list)
    help: str = ""
    default: str = Field(
        "", description="enum filters that always hold a value: the one used when none is sent"
    )
    unavailable: str = Field(
        "",
        description="Why this backend cannot apply the filter (empty when it can); the panel "
        "shows it disabled with this reason, and a search using it is refused",
    )


class FiltersResponse(Model):
    kind: SearchKind
    filters: list[FilterDef]
    columns: list[Column]
    default_sort: str
    default_order: Literal["asc", "desc"]


class SearchResponse(Model):
    kind: SearchKind
    q: str
    total: JsonInt = Field(description="Number of hits, or the cap when total_exact is false")
    total_exact: bool = Field(description="false when counting stopped at the cap or deadline")
    page: JsonInt
    page_size: JsonInt
    sort: str
    order: Literal["asc", "desc"]
    interpretation: str = Field(
        "", description="How the free text was read, e.g. 'order number 1234 or phone digits'"
    )
    columns: list[Column]
    results: list[SearchRow] = Field(
        description="Each row has 'id' (the entity id to open), 'currency' (the ISO 4217 code "
        "its money columns are in) plus one value per column key"
    )
