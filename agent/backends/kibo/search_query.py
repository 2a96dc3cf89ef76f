"""Our search request (kind, free text, filters, sort, page) as Kibo list-call parameters.

Free text (agent/search/text.py): a number is the exact customer id / order number / return
number; text with ``@`` is the start of the email; a phone is matched in the phone fields;
words go to Kibo's ``q`` quick search (Kibo decides which fields it covers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.backends.kibo.convert import INT32_MAX
from agent.backends.kibo.filter_syntax import all_of, any_of, from_epoch, term
from agent.errors import BadRequest
from agent.search.params import FilterValue, SearchRequest
from agent.search.text import TextPlan, interpret
from shared_schema.common import SearchKind

PHONE_KINDS = ("home", "mobile", "work")


@dataclass(frozen=True)
class KindMap:
    path: str
    number_field: str
    number_label: str
    email_field: str
    contact_prefix: str  # where the phones live
    sorts: dict[str, str]  # our sort key -> Kibo sortBy fields
    filters: dict[str, Callable[[FilterValue], str]]
    response_fields: str
    unsupported_filters: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class KiboQuery:
    path: str
    params: dict[str, str | int]
    interpretation: str
    impossible: bool = False  # the text can match nothing: skip the call


def _eq_any(kibo_field: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        values = value if isinstance(value, tuple) else (value,)
        return any_of(term(kibo_field, "eq", str(v)) for v in values)

    return build


def _number(kibo_field: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        if not isinstance(value, int) or value > INT32_MAX:
            return term(kibo_field, "eq", -1)
        return term(kibo_field, "eq", value)

    return build


def _starts(kibo_field: str) -> Callable[[FilterValue], str]:
    return lambda value: term(kibo_field, "sw", str(value).lower())


def _dates(kibo_field: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        lo, hi = value if isinstance(value, tuple) else (None, None)
        return all_of(
            [
                term(kibo_field, "ge", from_epoch(lo)) if isinstance(lo, int) else "",
                term(kibo_field, "le", from_epoch(hi)) if isinstance(hi, int) else "",
            ]
        )

    return build


def _money(kibo_field: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        lo, hi = value if isinstance(value, tuple) else (None, None)
        return all_of(
            [
                term(kibo_field, "ge", lo / 100) if isinstance(lo, int) else "",
                term(kibo_field, "le", hi / 100) if isinstance(hi, int) else "",
            ]
        )

    return build


def _phone(prefix: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        return any_of(term(f"{prefix}.phoneNumbers.{k}", "cont", digits) for k in PHONE_KINDS)

    return build


def _name_words(first: str, last: str) -> Callable[[FilterValue], str]:
    def build(value: FilterValue) -> str:
        words = str(value).split()[:4]
        return all_of(any_of([term(first, "sw", w), term(last, "sw", w)]) for w in words)

    return build


_STATUS_TERMS = {
    "Active": all_of([term("isActive", "eq", True), term("isLocked", "eq", False)]),
    "Disabled": term("isActive", "eq", False),
    "Locked": term("isLocked", "eq", True),
}


def _account_status(value: FilterValue) -> str:
    values = value if isinstance(value, tuple) else (value,)
    groups = [_STATUS_TERMS[str(v)] for v in values]
    return any_of(f"({g})" if " and " in g and len(groups) > 1 else g for g in groups)


def _return_customer(value: FilterValue) -> str:
    plan = interpret(str(value), "customer id")
    if plan.number is not None:
        return _number("customerAccountId")(plan.number)
    if plan.email_prefix:
        return term("contact.email", "sw", plan.email_prefix)
    return _name_words("contact.firstName", "contact.lastNameOrSurname")(" ".join(plan.words))


KINDS: dict[str, KindMap] = {
    "customers": KindMap(
        path="/commerce/customer/accounts",
        number_field="id",
        number_label="customer id",
        email_field="emailAddress",
        contact_prefix="contacts",
        sorts={
            "id": "id",
            "name": "lastName {o},firstName {o}",
            "email": "emailAddress",
            "account_status": "isActive",
            "customer_set": "customerSet",
            "order_count": "commerceSummary.orderCount",
            "lifetime_value": "commerceSummary.totalOrderAmount.amount",
            "created_at": "auditInfo.createDate",
        },
        filters={
            "name": _name_words("firstName", "lastName"),
            "email": _starts("emailAddress"),
            "phone": _phone("contacts"),
            "account_status": _account_status,
            "customer_set": _eq_any("customerSet"),
            "segment": _eq_any("segments.code"),
            "created": _dates("auditInfo.createDate"),
        },
        response_fields="",
    ),
    "orders": KindMap(
        path="/commerce/orders",
        number_field="orderNumber",
        number_label="order number",
        email_field="email",
        contact_prefix="billingInfo.billingContact",
        sorts={
            "number": "orderNumber",
            "customer_name": "billingInfo.billingContact.lastNameOrSurname",
            "email": "email",
            "status": "status",
            "payment_status": "paymentStatus",
            "fulfillment_status": "fulfillmentStatus",
            "return_status": "returnStatus",
            "type": "type",
            "channel": "channelCode",
            "total": "total",
            "submitted_at": "submittedDate",
        },
        filters={
            "number": _number("orderNumber"),
            "status": _eq_any("status"),
            "payment_status": _eq_any("paymentStatus"),
            "fulfillment_status": _eq_any("fulfillmentStatus"),
            "return_status": _eq_any("returnStatus"),
            "type": _eq_any("type"),
            "channel": _eq_any("channelCode"),
            "email": _starts("email"),
            "customer_id": _number("customerAccountId"),
            "submitted": _dates("submittedDate"),
            "total": _money("total"),
        },
        response_fields="startIndex,pageSize,pageCount,totalCount,items(id,orderNumber,email,"
        "status,paymentStatus,fulfillmentStatus,returnStatus,type,channelCode,"
        "siteId,total,currencyCode,submittedDate,customerAccountId,"
        "items(quantity),billingInfo(billingContact),"
        "fulfillmentInfo(fulfillmentContact),auditInfo)",
        unsupported_filters=frozenset({"site"}),
    ),
    "returns": KindMap(
        path="/commerce/returns",
        number_field="returnNumber",
        number_label="return number",
        email_field="contact.email",
        contact_prefix="contact",
        sorts={
            "number": "returnNumber",
            "order_number": "originalOrderNumber",
            "customer_name": "contact.lastNameOrSurname",
            "email": "contact.email",
            "status": "status",
            "return_type": "returnType",
            "refund_status": "refundStatus",
            "refund_total": "refundAmount",
            "created_at": "auditInfo.createDate",
        },
        filters={
            "number": _number("returnNumber"),
            "order_number": _number("originalOrderNumber"),
            "status": _eq_any("status"),
            "return_type": _eq_any("returnType"),
            "refund_status": _eq_any("refundStatus"),
            "reason": _eq_any("items.reasons.reason"),
            "customer": _return_customer,
            "customer_id": _number("customerAccountId"),
            "created": _dates("auditInfo.createDate"),
        },
        response_fields="",
    ),
}


def _text_filter(kind: KindMap, plan: TextPlan) -> tuple[str, str]:
    """(filter, q) for the free text."""
    if plan.number is not None:
        return _number(kind.number_field)(plan.number), ""
    if plan.email_prefix:
        return term(kind.email_field, "sw", plan.email_prefix), ""
    if plan.kind == "phone" and plan.phone_prefix:
        return _phone(kind.contact_prefix)(plan.phone_prefix), ""
    if plan.words:
        return "", " ".join(plan.words)
    return "", ""


def _interpretation(plan: TextPlan, label: str) -> str:
    if plan.number is not None:
        return f"{label} {plan.number}"
    return plan.interpretation


def build_query(kind_name: SearchKind, request: SearchRequest) -> KiboQuery:
    kind = KINDS[kind_name]
    plan = interpret(request.q, kind.number_label)
    text_filter, q = _text_filter(kind, plan)
    filters = [text_filter]
    for key, value in request.filters.items():
        if key in kind.unsupported_filters or key not in kind.filters:
            raise BadRequest(
                f"The Kibo backend cannot filter {kind_name} by '{key}'",
                details={"param": key},
                code="filter_not_supported",
            )
        filters.append(kind.filters[key](value))
    params: dict[str, str | int] = {"startIndex": request.offset, "pageSize": request.page_size}
    expression = all_of(filters)
    if expression:
        params["filter"] = expression
    if q:
        params["q"] = q
    if request.sort != "relevance":
        sort = kind.sorts.get(request.sort)
        if sort is None:
            raise BadRequest(
                f"The Kibo backend cannot sort {kind_name} by '{request.sort}'",
                details={"param": "sort"},
                code="sort_not_supported",
            )
        params["sortBy"] = (
            sort.format(o=request.order) if "{o}" in sort else f"{sort} {request.order}"
        )
    if kind.response_fields:
        params["responseFields"] = kind.response_fields
    impossible = plan.kind == "nothing" or (plan.kind == "phone" and not plan.phone_prefix)
    return KiboQuery(
        path=kind.path,
        params=params,
        interpretation=_interpretation(plan, kind.number_label),
        impossible=impossible,
    )
