"""The admin console's pages: home, the three lists (search + paging) and the three details."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from agent.admin_console.html import (
    CSS,
    CSS_PATH,
    SECTIONS,
    esc,
    facts,
    href,
    link,
    money,
    page,
    table,
    word,
)
from agent.backends.base import Backend
from agent.errors import NotFound
from agent.search.catalog import CATALOG
from agent.search.counting import result_count
from agent.search.params import parse_search_request
from shared_schema.common import KIND_OF, SearchKind
from shared_schema.labels import country_name

routes = web.RouteTableDef()
BACKEND = web.AppKey("admin_backend", Backend)
PAGE_SIZE = 25


def _html(text: str) -> web.Response:
    return web.Response(text=text, content_type="text/html", charset="utf-8")


def _backend(request: web.Request) -> Backend:
    return request.app[BACKEND]


@routes.get(CSS_PATH)
async def stylesheet(request: web.Request) -> web.Response:
    return web.Response(text=CSS, content_type="text/css", charset="utf-8")


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    items = "".join(f"<li>{link('/' + key, label)}</li>" for key, label in SECTIONS)
    return _html(page("Home", f"<h1>Demo Store Admin</h1><ul>{items}</ul>"))


def _section(request: web.Request) -> SearchKind:
    section = request.match_info["section"]
    if section not in KIND_OF:
        raise NotFound(f"No admin screen {section!r}")
    return section


@routes.get("/{section}")
async def listing(request: web.Request) -> web.Response:
    kind = _section(request)
    query = request.rel_url.query
    params = {k: [query[k]] for k in ("q", "page") if query.get(k)}
    params["page_size"] = [str(PAGE_SIZE)]
    search = parse_search_request(CATALOG[kind], params)
    found = await _backend(request).search(kind, search)
    label = dict(SECTIONS)[kind]
    columns = [c for c in found.columns if c.default_visible][:6]
    rows = []
    for row in found.results:
        cells = [_cell(row.get(c.key), c.type, str(row.get("currency", ""))) for c in columns]
        cells[0] = link(href(kind, str(row["id"])), row.get(columns[0].key))
        rows.append(cells)
    pager = []
    if search.page > 1:
        pager.append(link(href(kind, q=search.q, page=search.page - 1), "Previous page"))
    if search.page * PAGE_SIZE < found.total:
        pager.append(link(href(kind, q=search.q, page=search.page + 1), "Next page"))
    body = (
        f"<h1>{esc(label)}</h1>"
        f'<form class="search" method="get" action="/{kind}" role="search">'
        f'<label for="q">Search {esc(label.lower())}</label>'
        f'<input id="q" name="q" type="search" value="{esc(search.q)}">'
        '<button type="submit">Search</button></form>'
        f"<p>{esc(result_count(found.total, found.total_exact, label.lower()))}, "
        f"page {search.page}</p>"
        + table(label, [c.label for c in columns], rows)
        + f'<nav class="pager" aria-label="Pages">{" ".join(pager)}</nav>'
    )
    return _html(page(label, body, section=kind))


def _cell(value: Any, column_type: str, currency: str) -> str:
    if column_type == "money" and isinstance(value, int):
        return money(value, currency)
    if column_type in ("status", "code") and isinstance(value, str):
        return word(value)
    return esc(value)


@routes.get("/{section}/{id}")
async def detail(request: web.Request) -> web.Response:
    kind = _section(request)
    entity = await _backend(request).get_entity(KIND_OF[kind], request.match_info["id"])
    render = {"customers": _customer, "orders": _order, "returns": _return}[kind]
    title, body = render(entity)
    return _html(page(title, body, section=kind))


def _customer_link(customer_id: str | None, name: str) -> str:
    return link(href("customers", customer_id), name) if customer_id else f"{esc(name)} (guest)"


def _notes(notes: list[Any]) -> str:
    rows = [[esc(n.text), esc(n.created_by), esc(n.created_at)] for n in notes]
    return table("Notes", ["Note", "By", "When"], rows)


def _customer(c: Any) -> tuple[str, str]:
    address = c.primary_address
    where = (
        ", ".join(
            p
            for p in (
                address.address1,
                address.city,
                address.state,
                address.postal_code,
                country_name(address.country),
            )
            if p
        )
        if address
        else "No address"
    )
    body = (
        f'<h1 data-kind="customer" data-id="{esc(c.id)}">Customer {esc(c.full_name)}</h1>'
        + facts(
            [
                ("Customer ID", esc(c.id)),
                ("Email", esc(c.email)),
                ("Phone", esc(c.phone)),
                ("Status", word(c.account_status)),
                ("Address", esc(where)),
                ("Orders", esc(c.order_count)),
                ("Lifetime value", money(c.lifetime_value_cents, c.currency)),
            ]
        )
        + f"<p>{link(href('orders', q=c.email), 'Orders of this customer')}</p>"
        + _notes(c.notes)
    )
    return f"Customer {c.full_name}", body


def _order(o: Any) -> tuple[str, str]:
    items = [
        [esc(i.name), esc(i.product_code), esc(i.quantity), money(i.total_cents, o.currency)]
        for i in o.items
    ]
    returns = [[link(href("returns", r.id), f"#{r.number}"), word(r.status)] for r in o.returns]
    body = (
        f'<h1 data-kind="order" data-id="{esc(o.id)}">Order #{esc(o.number)}</h1>'
        + facts(
            [
                ("Status", word(o.status)),
                ("Customer", _customer_link(o.customer_id, o.customer_name)),
                ("Email", esc(o.email)),
                ("Submitted", esc(o.submitted_at)),
                ("Payment", word(o.payment_status)),
                ("Fulfillment", word(o.fulfillment_status)),
                ("Total", money(o.totals.total_cents, o.currency)),
            ]
        )
        + table("Items", ["Item", "Code", "Qty", "Total"], items)
        + table("Returns", ["Return", "Status"], returns)
        + _notes(o.notes)
    )
    return f"Order #{o.number}", body


def _return(r: Any) -> tuple[str, str]:
    items = [[esc(i.name), esc(i.quantity), esc(i.quantity_received)] for i in r.items]
    body = (
        f'<h1 data-kind="return" data-id="{esc(r.id)}">Return #{esc(r.number)}</h1>'
        + facts(
            [
                ("Status", word(r.status)),
                ("Type", word(r.return_type)),
                ("Order", link(href("orders", r.order_id), f"#{r.order_number}")),
                ("Customer", _customer_link(r.customer_id, r.customer_name)),
                ("Reason", word(r.reason)),
                ("Created", esc(r.created_at)),
                ("Refundable", money(r.refundable_cents, r.currency)),
            ]
        )
        + table("Items", ["Item", "Qty", "Received"], items)
        + _notes(r.notes)
    )
    return f"Return #{r.number}", body
