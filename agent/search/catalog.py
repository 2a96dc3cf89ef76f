"""What each search kind offers: its columns, sorts and Advanced Search filters.

Backend-neutral: the demo store maps these keys to SQL, the Kibo backend to its filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared_schema import limits, vocab
from shared_schema.common import SearchKind
from shared_schema.labels import label
from shared_schema.search import Column, ColumnType, FilterDef, FilterOption

MAX_QUERY_LENGTH = limits.SEARCH_QUERY_MAX_LENGTH
MAX_PAGE_SIZE = limits.SEARCH_MAX_PAGE_SIZE
DEFAULT_PAGE_SIZE = limits.SEARCH_PAGE_SIZE
MAX_PAGE = limits.SEARCH_MAX_PAGE
COUNT_CAP = 10_000


def _col(
    key: str, label: str, type_: ColumnType, sortable: bool = True, visible: bool = True
) -> Column:
    # Text sorts A to Z first; numbers, money, dates and statuses largest or newest first.
    first = "asc" if type_ in ("text", "code") else "desc"
    return Column(
        key=key,
        label=label,
        type=type_,
        sortable=sortable,
        default_visible=visible,
        default_order=first,
    )


def _enum(key: str, title: str, values: tuple[str, ...]) -> FilterDef:
    return FilterDef(
        key=key,
        label=title,
        type="enum",
        params=[key],
        multiple=True,
        options=[FilterOption(value=v, label=label(v)) for v in values],
    )


def _text(key: str, label: str, help_: str) -> FilterDef:
    return FilterDef(key=key, label=label, type="text", params=[key], help=help_)


# How the first and last name filters compare (Kibo's dashboards: Exact or Contains).
NAME_MATCHES = ("starts", "exact", "contains")
NAME_MATCH_LABELS = {"starts": "Starts with", "exact": "Exact", "contains": "Contains"}


def _names(first: str, last: str) -> tuple[FilterDef, ...]:
    match = FilterDef(
        key="name_match",
        label="Name Match",
        type="enum",
        params=["name_match"],
        options=[FilterOption(value=v, label=NAME_MATCH_LABELS[v]) for v in NAME_MATCHES],
        default="starts",
        help="How First Name and Last Name compare: each word starts a word of the name, is "
        "the whole name, or is inside a word of it; case and accents ignored",
    )
    return (
        _text("first_name", "First Name", first),
        _text("last_name", "Last Name", last),
        match,
    )


def _number(key: str, label: str, help_: str) -> FilterDef:
    return FilterDef(key=key, label=label, type="number", params=[key], help=help_)


def _dates(key: str, label: str) -> FilterDef:
    return FilterDef(
        key=key,
        label=label,
        type="date_range",
        params=[f"{key}_from", f"{key}_to"],
        help="Both days included",
    )


def _money(key: str, label: str) -> FilterDef:
    return FilterDef(
        key=key,
        label=label,
        type="money_range",
        params=[f"{key}_min", f"{key}_max"],
        help="In each record's own currency, e.g. 25 or 19.99; both ends included",
    )


@dataclass(frozen=True)
class KindCatalog:
    kind: SearchKind
    columns: tuple[Column, ...]
    filters: tuple[FilterDef, ...]
    default_sort: str
    default_order: str

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def filter(self, key: str) -> FilterDef | None:
        return next((f for f in self.filters if f.key == key), None)

    @property
    def sort_keys(self) -> tuple[str, ...]:
        return ("relevance", *(c.key for c in self.columns if c.sortable))

    @property
    def params(self) -> dict[str, FilterDef]:
        return {p: f for f in self.filters for p in f.params}


CUSTOMERS = KindCatalog(
    kind="customers",
    columns=(
        _col("id", "Customer ID", "number"),
        _col("name", "Name", "text"),
        _col("email", "Email", "text"),
        _col("phone", "Phone", "text", sortable=False),
        _col("account_status", "Account Status", "status"),
        _col("location", "Location", "text", sortable=False),
        _col("customer_set", "Customer Set", "code", visible=False),
        _col("segments", "Segments", "list", sortable=False, visible=False),
        _col("order_count", "Orders", "number", visible=False),
        _col("lifetime_value", "Lifetime Value", "money"),
        _col("created_at", "Created", "date", visible=False),
    ),
    filters=(
        _text("name", "Name", "First or last name; each word matches the start of a name"),
        *_names("The customer's first name", "The customer's last name"),
        _text("email", "Email", "Start of the email address"),
        _text("phone", "Phone", "Digits in any format; 4 digits also match the last four"),
        _enum("account_status", "Account Status", vocab.ACCOUNT_STATUSES),
        _enum("customer_set", "Customer Set", vocab.CUSTOMER_SETS),
        _enum("segment", "Segment", vocab.SEGMENTS),
        _dates("created", "Created"),
    ),
    default_sort="relevance",
    default_order="desc",
)

ORDERS = KindCatalog(
    kind="orders",
    columns=(
        _col("number", "Order #", "number"),
        _col("customer_name", "Customer", "text"),
        _col("email", "Email", "text", visible=False),
        _col("status", "Status", "status"),
        _col("payment_status", "Payment", "status"),
        _col("fulfillment_status", "Fulfillment", "status"),
        _col("return_status", "Returns", "status", visible=False),
        _col("type", "Type", "code", visible=False),
        _col("channel", "Channel", "code", visible=False),
        _col("site", "Site", "text", visible=False),
        _col("item_count", "Items", "number", visible=False),
        _col("total", "Total", "money"),
        _col("submitted_at", "Submitted", "date"),
        _col("external_id", "External ID", "text", sortable=False, visible=False),
        _col("location", "Location", "text", sortable=False, visible=False),
    ),
    filters=(
        _number("number", "Order Number", "The exact order number"),
        _enum("status", "Status", vocab.ORDER_STATUSES),
        _enum("payment_status", "Payment Status", vocab.ORDER_PAYMENT_STATUSES),
        _enum("fulfillment_status", "Fulfillment Status", vocab.ORDER_FULFILLMENT_STATUSES),
        _enum("return_status", "Return Status", vocab.ORDER_RETURN_STATUSES),
        _enum("type", "Type", vocab.ORDER_TYPES),
        _enum("channel", "Channel", vocab.CHANNELS),
        _enum("site", "Site", vocab.SITES),
        _text("email", "Customer Email", "Start of the customer's email address"),
        *_names(
            "The first word of the order's customer name",
            "The order's customer name after its first word",
        ),
        _number("customer_id", "Customer ID", "Orders of this customer account"),
        _text("external_id", "External ID", "Start of the order's id in another system"),
        _enum("location", "Location", vocab.LOCATIONS),
        _dates("submitted", "Submitted"),
        _money("total", "Order Total"),
    ),
    default_sort="submitted_at",
    default_order="desc",
)

RETURNS = KindCatalog(
    kind="returns",
    columns=(
        _col("number", "Return #", "number"),
        _col("order_number", "Order #", "number"),
        _col("customer_name", "Customer", "text"),
        _col("email", "Email", "text", visible=False),
        _col("status", "Status", "status"),
        _col("return_type", "Type", "code"),
        _col("refund_status", "Refund Status", "status"),
        _col("reason", "Reason", "code", visible=False),
        _col("item_count", "Items", "number", visible=False),
        _col("refund_total", "Refunded", "money", visible=False),
        _col("created_at", "Created", "date"),
        _col("external_id", "External ID", "text", sortable=False, visible=False),
        _col("location", "Location", "text", sortable=False, visible=False),
    ),
    filters=(
        _number("number", "Return Number", "The exact return number"),
        _number("order_number", "Original Order Number", "Returns of this order"),
        _enum("status", "Status", vocab.RETURN_STATUSES),
        _enum("return_type", "Return Type", vocab.RETURN_TYPES),
        _enum("refund_status", "Refund Status", vocab.RETURN_REFUND_STATUSES),
        _enum("reason", "Reason", vocab.RETURN_REASONS),
        _text("customer", "Customer", "Customer id, start of the email, or name words"),
        *_names(
            "The first word of the return's customer name",
            "The return's customer name after its first word",
        ),
        _number("customer_id", "Customer ID", "Returns of this customer account"),
        _text("external_id", "External ID", "Start of the return's id in another system"),
        _enum("location", "Location", vocab.LOCATIONS),
        _dates("created", "Created"),
    ),
    default_sort="created_at",
    default_order="desc",
)

CATALOG: dict[str, KindCatalog] = {c.kind: c for c in (CUSTOMERS, ORDERS, RETURNS)}
