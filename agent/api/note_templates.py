"""Note templates: list, create, edit and delete them, and fill one in for the note being
written (docs/note-templates.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from agent.api.common import BACKEND, SESSIONS, ok
from agent.api.routes import RouteTable
from agent.domain.note_templates import fill
from agent.errors import Unprocessable
from shared_schema.common import EntityKind
from shared_schema.note_templates import (
    NoteFilled,
    NoteFillIn,
    NoteTemplate,
    NoteTemplateIn,
    NoteTemplates,
)

routes = RouteTable()


@routes.get(
    "/note-templates", "The note templates and the placeholders they may hold", NoteTemplates
)
async def list_templates(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].note_templates())


@routes.post(
    "/note-templates",
    "Add a note template",
    NoteTemplate,
    body=NoteTemplateIn,
    errors=(400, 409, 422),
)
async def create_template(request: web.Request, body: NoteTemplateIn) -> web.Response:
    return ok(request.app[SESSIONS].create_note_template(body))


@routes.put(
    "/note-templates/{name}",
    "Change a note template's name or text",
    NoteTemplate,
    body=NoteTemplateIn,
    errors=(400, 404, 409, 422),
)
async def replace_template(request: web.Request, body: NoteTemplateIn) -> web.Response:
    return ok(request.app[SESSIONS].replace_note_template(request.match_info["name"], body))


@routes.delete("/note-templates/{name}", "Delete a note template", NoteTemplates, errors=(404,))
async def delete_template(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].delete_note_template(request.match_info["name"]))


@routes.post(
    "/note-templates/{name}/fill",
    "The template's text with the call's or record's values in its placeholders",
    NoteFilled,
    body=NoteFillIn,
    errors=(400, 404, 422),
)
async def fill_template(request: web.Request, body: NoteFillIn) -> web.Response:
    template = request.app[SESSIONS].note_template(request.match_info["name"])
    return ok(fill(template.name, template.body, await _values(request, body)))


async def _values(request: web.Request, where: NoteFillIn) -> dict[str, str]:
    """The placeholders' values: the record the note is on, else the call's active tab, else
    its newest tab of that kind; a return brings its order, an order its customer."""
    if (where.kind is None) != (where.id is None):
        raise Unprocessable(
            "Name the record with both kind and id, or neither",
            details={"field": "kind" if where.kind is None else "id"},
            code="incomplete_record",
        )
    refs: dict[EntityKind, str] = {}
    if where.kind and where.id:
        refs[where.kind] = where.id
    if where.session_id:
        session = request.app[SESSIONS].session(where.session_id)
        if session.customer_id:
            refs.setdefault("customer", session.customer_id)
        tabs = sorted(
            session.tabs, key=lambda t: (t.id != session.active_tab_id, -session.tabs.index(t))
        )
        for tab in tabs:
            if tab.kind in ("order", "return") and tab.entity_id:
                refs.setdefault(tab.kind, tab.entity_id)
    values = {"today": (where.today or dt.datetime.now(dt.UTC).date()).isoformat()}
    backend = request.app[BACKEND]
    if "return" in refs:
        ret: Any = await backend.get_entity("return", refs["return"])
        values |= {"return.number": str(ret.number), "return.status": ret.status}
        refs.setdefault("order", ret.order_id)
    if "order" in refs:
        order: Any = await backend.get_entity("order", refs["order"])
        values |= {"order.number": str(order.number), "order.status": order.status}
        if order.customer_id:
            refs.setdefault("customer", order.customer_id)
        else:  # a guest: the order names them
            values |= {
                "customer.full_name": order.customer_name,
                "customer.email": order.email,
                "customer.phone": order.phone,
            }
    if "customer" in refs:
        customer: Any = await backend.get_entity("customer", refs["customer"])
        values |= {
            f"customer.{field}": getattr(customer, field)
            for field in ("first_name", "last_name", "full_name", "email", "phone", "id")
        }
    return {name: value for name, value in values.items() if value}
