"""Our search request (kind, free text, filters, sort, page) as Kibo list-call parameters.

Every field sent is one Kibo's own admin code, SDK tests or samples use (docs/kibo.md keeps the
table of fields and their evidence). A filter with no such field stays in the panel, marked
unavailable with the reason, and is refused with a 400 rather than answered wrongly; a column
Kibo cannot sort by is unsortable. Field names are sent lower-case, as Kibo's admin sends them.

Free text (agent/search/text.py): a number is the customer id / order number / return number
and, when typed as bare digits, also a phone; text with ``@`` is the start of the email; a
phone is matched in the phone fields (agent/backends/kibo/search_text.py); words go to Kibo's
quick search ``q``, each as a prefix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from agent.backends.kibo.convert import INT32_MAX
from agent.backends.kibo.filter_syntax import Value, all_of, any_of, from_epoch, term
from agent.backends.kibo.search_text import (
    case_forms,
    phone_terms,
    quick_search,
    starts_with,
    typed_words,
)
from agent.errors import BadRequest
from agent.search.params import FilterValue, SearchRequest
from agent.search.text import TextPlan, interpret
from shared_schema.common import SearchKind


@dataclass(frozen=True)
class Lookups:
    """What a filter needs Kibo to tell first: segment ids by code, order ids by number."""

    segment_ids: dict[str, int] = field(default_factory=dict)
    order_ids: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    filter: str = ""
    words: tuple[str, ...] = ()  # for Kibo's q
    impossible: bool = False  # matches nothing: skip the call


Builder = Callable[[FilterValue, Lookups], Part]


@dataclass(frozen=True)
class KindMap:
    path: str
    number_field: str
    number_label: str
    email_fields: tuple[str, ...]
    phone_prefix: str  # where the phones live
    sorts: dict[str, str]  # our sort key -> sortBy, "{o}" the direction
    filters: dict[str, Builder]
    unavailable: dict[str, str]  # our filter key -> why Kibo cannot apply it
    default_sort: str  # ours, when the catalog's default is not sortable here
    response_fields: str = ""
    # Another number bare digits find, and the builder of its term (returns: the order's).
    other_number: tuple[str, Builder] | None = None
    # The First Name and Last Name filters' fields, compared as Name Match says.
    name_fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KiboQuery:
    path: str
    params: dict[str, str | int]
    interpretation: str
    impossible: bool = False  # the text or a filter can match nothing: skip the call
    exact: dict[str, str | int] | None = None  # the call finding the number typed, shown first


def _values(value: FilterValue) -> tuple[str, ...]:
    return tuple(str(v) for v in (value if isinstance(value, tuple) else (value,)))


def _eq_any(kibo_field: str) -> Builder:
    return lambda value, _: Part(any_of(term(kibo_field, "eq", v) for v in _values(value)))


def _number(kibo_field: str) -> Builder:
    def build(value: FilterValue, _: Lookups) -> Part:
        if not isinstance(value, int) or not 0 < value <= INT32_MAX:
            return Part(impossible=True)
        return Part(term(kibo_field, "eq", value))

    return build


def _email(*kibo_fields: str) -> Builder:
    return lambda value, _: Part(starts_with(kibo_fields, "".join(str(value).split()), name=False))


def _range(kibo_field: str, convert: Callable[[int], Value]) -> Builder:
    def build(value: FilterValue, _: Lookups) -> Part:
        lo, hi = value if isinstance(value, tuple) else (None, None)
        ends = [(op, end) for op, end in (("ge", lo), ("le", hi)) if isinstance(end, int)]
        return Part(all_of(term(kibo_field, op, convert(end)) for op, end in ends))

    return build


def _phone(prefix: str) -> Builder:
    def build(value: FilterValue, _: Lookups) -> Part:
        plan = interpret(str(value))
        digits = plan.phone_prefix or "".join(ch for ch in str(value) if ch.isdigit())
        if len(digits) < 3:
            return Part(impossible=True)
        return Part(phone_terms(prefix, digits, str(value)))

    return build


def _name_words(value: FilterValue, _: Lookups) -> Part:
    words = typed_words(str(value))
    return Part(words=tuple(words)) if words else Part(impossible=True)


def _segments(value: FilterValue, lookups: Lookups) -> Part:
    ids = [lookups.segment_ids[c] for c in _values(value) if c in lookups.segment_ids]
    if not ids:
        return Part(impossible=True)
    return Part(any_of(term("segments.id", "eq", i) for i in ids))


def _return_order(value: FilterValue, lookups: Lookups) -> Part:
    order_id = lookups.order_ids.get(value) if isinstance(value, int) else None
    return Part(term("originalorderid", "eq", order_id)) if order_id else Part(impossible=True)


def _return_customer(value: FilterValue, lookups: Lookups) -> Part:
    plan = interpret(str(value), "customer id")
    if plan.number is not None:
        return _number("customeraccountid")(plan.number, lookups)
    if plan.email_prefix:
        return _email("contact.email")(value, lookups)
    words = typed_words(str(value))[:4]
    if not words:
        return Part(impossible=True)
    return Part(
        all_of(starts_with(("contact.firstname", "contact.lastnameorsurname"), w) for w in words)
    )


# Name Match -> Kibo's operator: the whole field, its start, or anywhere in it.
NAME_OPERATORS = {"exact": "eq", "starts": "sw", "contains": "cont"}


def _name(kibo_field: str, typed: str, match: str) -> Part:
    """One name filter: the typed name, its words' spacing tidied, in the case forms a stored
    name may have (as typed, lower-case, capitalised, each word capitalised)."""
    text = " ".join(typed.split())
    if not text:
        return Part(impossible=True)
    forms = [*case_forms(text), " ".join(w[:1].upper() + w[1:].lower() for w in text.split())]
    operator = NAME_OPERATORS.get(match, "sw")
    return Part(any_of(term(kibo_field, operator, f) for f in dict.fromkeys(forms)))


# Shown to the CSR beside the disabled filter; docs/kibo.md says which field lacks evidence.
UNCONFIRMED = "the store's search has no {} filter we could confirm"

KINDS: dict[str, KindMap] = {
    "customers": KindMap(
        path="/commerce/customer/accounts",
        number_field="customeraccountid",
        number_label="customer id",
        email_fields=("emailaddress", "contacts.email"),
        phone_prefix="contacts",
        sorts={
            "id": "id {o}",
            "name": "lastname {o} and firstname {o}",
            "email": "emailaddress {o}",
            "account_status": "isactive {o}",
            "order_count": "commercesummary.ordercount {o}",
            "lifetime_value": "commercesummary.totalorderamount {o}",
            "created_at": "createdate {o}",
        },
        filters={
            "name": _name_words,
            "email": _email("emailaddress", "contacts.email"),
            "phone": _phone("contacts"),
            "customer_set": _eq_any("customerset"),
            "segment": _segments,
        },
        name_fields={"first_name": "firstname", "last_name": "lastname"},
        unavailable={
            "account_status": "the store's search cannot tell active accounts from locked ones",
            "created": UNCONFIRMED.format("creation date"),
        },
        default_sort="relevance",
    ),
    "orders": KindMap(
        path="/commerce/orders",
        number_field="ordernumber",
        number_label="order number",
        email_fields=("email", "billinginfo.billingcontact.email"),
        phone_prefix="billinginfo.billingcontact",
        sorts={
            "number": "ordernumber {o}",
            "customer_name": "billingcontact.lastname {o} and billingcontact.firstname {o}",
            "status": "status {o}",
            "type": "type {o}",
            "total": "total {o}",
            "submitted_at": "submitteddate {o}",
        },
        filters={
            "number": _number("ordernumber"),
            "status": _eq_any("status"),
            "payment_status": _eq_any("paymentstatus"),
            "fulfillment_status": _eq_any("fulfillmentstatus"),
            "type": _eq_any("type"),
            "channel": _eq_any("channelcode"),
            "email": _email("email", "billinginfo.billingcontact.email"),
            "customer_id": _number("customeraccountid"),
            "submitted": _range("submitteddate", from_epoch),
            "total": _range("total", lambda cents: cents / 100),
        },
        name_fields={
            "first_name": "billinginfo.billingcontact.firstname",
            "last_name": "billinginfo.billingcontact.lastnameorsurname",
        },
        unavailable={
            "return_status": UNCONFIRMED.format("return status"),
            "site": "the store filters orders by site number, not by site name",
            "external_id": UNCONFIRMED.format("external id"),
            "location": UNCONFIRMED.format("location"),
        },
        default_sort="submitted_at",
        # One level of nesting, whole sub-objects (as in Kibo's own sample code).
        response_fields="items(id,orderNumber,email,status,paymentStatus,fulfillmentStatus,"
        "returnStatus,type,channelCode,siteId,total,currencyCode,submittedDate,"
        "customerAccountId,externalId,locationCode,items,billingInfo,fulfillmentInfo,auditInfo),"
        "startIndex,pageSize,pageCount,totalCount",
    ),
    "returns": KindMap(
        path="/commerce/returns",
        number_field="returnnumber",
        number_label="return number",
        email_fields=("contact.email",),
        phone_prefix="contact",
        sorts={"number": "returnnumber {o}"},
        filters={
            "number": _number("returnnumber"),
            "order_number": _return_order,
            "status": _eq_any("returnstatus"),
            "refund_status": _eq_any("refundstatus"),
            "customer": _return_customer,
            "customer_id": _number("customeraccountid"),
        },
        name_fields={"first_name": "contact.firstname", "last_name": "contact.lastnameorsurname"},
        unavailable={
            "return_type": UNCONFIRMED.format("return type"),
            "reason": UNCONFIRMED.format("return reason"),
            "created": UNCONFIRMED.format("creation date"),
            "external_id": UNCONFIRMED.format("external id"),
            "location": UNCONFIRMED.format("location"),
        },
        default_sort="number",
        other_number=("original order number", _return_order),
    ),
}


def typed_order(kind_name: SearchKind, typed: str) -> int | None:
    """The order number bare digits typed in a return search name (its id is looked up)."""
    other = KINDS[kind_name].other_number
    return interpret(typed, "number", other[0]).other_number if other else None


def exact_number(plan: TextPlan) -> int | None:
    """The number typed as bare digits, when Kibo can hold it: its record is looked up on its
    own and shown first (the other matches leave it out)."""
    if plan.kind == "digits" and plan.number is not None and 0 < plan.number <= INT32_MAX:
        return plan.number
    return None


def _text_part(kind: KindMap, plan: TextPlan, typed: str, lookups: Lookups) -> Part:
    if plan.kind == "number" and plan.number is not None:
        return _number(kind.number_field)(plan.number, Lookups())
    if plan.email_prefix:
        return Part(starts_with(kind.email_fields, "".join(typed.split()), name=False))
    if plan.kind in ("digits", "phone"):
        other = Part(impossible=True)
        if kind.other_number and plan.other_number is not None:
            other = kind.other_number[1](plan.other_number, lookups)
        if not plan.phone_prefix and other.impossible:
            return Part(impossible=True)
        phones = (
            phone_terms(kind.phone_prefix, plan.phone_prefix, typed) if plan.phone_prefix else ""
        )
        found = any_of([t for t in (other.filter, phones) if t])
        number = exact_number(plan)
        besides = term(kind.number_field, "ne", number) if number is not None else ""
        return Part(all_of([found, besides]) if besides else found)
    if plan.words:
        return Part(words=tuple(typed_words(typed)))
    return Part(impossible=plan.kind == "nothing")


def _sort(kind_name: SearchKind, kind: KindMap, request: SearchRequest, default: str) -> str:
    if request.sort == "relevance":
        return ""
    key = request.sort
    if key not in kind.sorts and key == default:
        key = kind.default_sort  # the catalog's default, where Kibo cannot sort by it
        if key == "relevance":
            return ""
    sort = kind.sorts.get(key)
    if sort is None:
        raise BadRequest(
            f"The Kibo backend cannot sort {kind_name} by '{request.sort}'",
            details={"param": "sort"},
            code="sort_not_supported",
        )
    return sort.format(o=request.order)


def refuse_filter(kind_name: SearchKind, key: str, why: str) -> BadRequest:
    return BadRequest(
        f"The Kibo backend cannot filter {kind_name} by '{key}': {why}",
        details={"param": key},
        code="filter_not_supported",
    )


def build_query(
    kind_name: SearchKind,
    request: SearchRequest,
    lookups: Lookups | None = None,
    *,
    catalog_default: str = "",
    extra_filter: str = "",
) -> KiboQuery:
    """``catalog_default``: the catalog's default sort key (replaced by the kind's own when
    Kibo cannot sort by it); ``extra_filter``: a Kibo term the caller adds (related lists)."""
    kind = KINDS[kind_name]
    lookups = lookups or Lookups()
    plan = interpret(request.q, kind.number_label, kind.other_number and kind.other_number[0])
    parts = [_text_part(kind, plan, request.q, lookups)]
    match = str(request.filters.get("name_match") or "starts")
    for key, value in request.filters.items():
        if key in kind.unavailable:
            raise refuse_filter(kind_name, key, kind.unavailable[key])
        if key == "name_match":
            continue  # how the name filters compare
        if key in kind.name_fields:
            parts.append(_name(kind.name_fields[key], str(value), match))
            continue
        if key not in kind.filters:
            raise refuse_filter(kind_name, key, "it is not mapped")
        parts.append(kind.filters[key](value, lookups))
    # A page holding only the record typed still asks for one row: its answer has the count.
    params: dict[str, str | int] = {
        "startIndex": request.offset,
        "pageSize": max(1, request.limit),
    }
    expression = all_of([extra_filter, *(p.filter for p in parts)])
    if expression:
        params["filter"] = expression
    words = list(dict.fromkeys(w for p in parts for w in p.words))
    if words:
        params["q"] = quick_search(words)
    number = exact_number(plan)
    exact = None
    if number is not None:
        exact = {"startIndex": 0, "pageSize": 1, **{k: v for k, v in params.items() if k == "q"}}
        filters = [term(kind.number_field, "eq", number), *(p.filter for p in parts[1:])]
        exact["filter"] = all_of([extra_filter, *filters])
        if kind.response_fields:
            exact["responseFields"] = kind.response_fields
    sort = _sort(kind_name, kind, request, catalog_default)
    if sort:
        params["sortBy"] = sort
    if kind.response_fields:
        params["responseFields"] = kind.response_fields
    interpretation = (
        f"{kind.number_label} {plan.number}"
        if plan.kind == "number" and plan.number is not None
        else plan.interpretation
    )
    return KiboQuery(
        path=kind.path,
        params=params,
        interpretation=interpretation,
        impossible=any(p.impossible for p in parts),
        exact=None if any(p.impossible for p in parts[1:]) else exact,
    )
