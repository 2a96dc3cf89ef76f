"""Build the OpenAPI 3.1 document from the shared_schema models.

``python -m agent.api.openapi`` rewrites shared_schema/openapi.json; a test fails when the
committed file drifts from what this builds.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from agent import __version__
from agent.domain.catalog import all_actions
from agent.search.catalog import CATALOG, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from shared_schema import entities
from shared_schema.actions import ActionCatalog, ActionResult, Outbox
from shared_schema.common import ErrorResponse, Health
from shared_schema.info import Info
from shared_schema.search import FiltersResponse, SearchResponse
from shared_schema.sessions import (
    ActivateSession,
    ActivateTab,
    AllPreferences,
    Draft,
    DraftIn,
    Drafts,
    OpenEntity,
    OpenSession,
    OpenSessionResult,
    OpenTabResult,
    Preferences,
    ReopenSession,
    SearchState,
    SessionNotes,
    SessionsState,
)

OUTPUT = Path(__file__).resolve().parents[2] / "shared_schema" / "openapi.json"
ID_PATTERN = "^[A-Za-z0-9_-]+$"


@dataclass
class Op:
    method: str
    path: str
    summary: str
    response: type[BaseModel] | None
    body: type[BaseModel] | None = None
    query: list[dict[str, Any]] = field(default_factory=list)
    errors: tuple[int, ...] = ()
    status: int = 200
    public: bool = False


def _param(
    name: str,
    schema: dict[str, Any],
    where: str = "query",
    required: bool = False,
    description: str = "",
    explode: bool | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": where, "required": required, "schema": schema}
    if description:
        out["description"] = description
    if explode is not None:
        out["style"], out["explode"] = "form", explode
    return out


def _path_id(name: str) -> dict[str, Any]:
    return _param(
        name,
        {"type": "string", "minLength": 1, "maxLength": 64, "pattern": ID_PATTERN},
        "path",
        True,
    )


def _search_params(kind: str) -> list[dict[str, Any]]:
    catalog = CATALOG[kind]
    params = [
        _param(
            "q",
            {"type": "string", "maxLength": MAX_QUERY_LENGTH},
            description="Free text: names, email, phone digits, #number",
        ),
        _param("sort", {"type": "string", "enum": list(catalog.sort_keys)}),
        _param("order", {"type": "string", "enum": ["asc", "desc"]}),
        _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        _param("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
    ]
    for fdef in catalog.filters:
        if fdef.type == "enum":
            # An empty value (``?status=``) selects nothing, like an empty date or number.
            params.append(
                _param(
                    fdef.key,
                    {
                        "type": "array",
                        "items": {
                            "type": "string",
                            "anyOf": [{"enum": [o.value for o in fdef.options]}, {"maxLength": 0}],
                        },
                    },
                    explode=True,
                    description=fdef.label,
                )
            )
        elif fdef.type == "text":
            params.append(
                _param(fdef.key, {"type": "string", "maxLength": 100}, description=fdef.help)
            )
        elif fdef.type in ("number", "money_range"):
            # agent/search/params.py: number filters go to 2**53, money bounds to 10**12
            top = 2**53 if fdef.type == "number" else 10**12
            for name in fdef.params:
                params.append(
                    _param(
                        name,
                        {"type": "integer", "minimum": 0, "maximum": top},
                        description=fdef.help,
                    )
                )
        else:
            # An empty date (a cleared date input) means no bound.
            for name in fdef.params:
                params.append(
                    _param(
                        name,
                        {"type": "string", "anyOf": [{"format": "date"}, {"maxLength": 0}]},
                        description=fdef.help,
                    )
                )
    return params


def _paging() -> list[dict[str, Any]]:
    return [
        _param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        _param("page_size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}),
    ]


def operations() -> list[Op]:
    ops = [
        Op("get", "/health", "Is the agent up (no token needed)", Health, public=True),
        Op("get", "/info", "Who answers: product, version, backend (checks the token)", Info),
        Op("get", "/openapi.json", "This document", None),
    ]
    for kind in CATALOG:
        ops.append(
            Op(
                "get",
                f"/search/{kind}",
                f"Search {kind}",
                SearchResponse,
                query=_search_params(kind),
                errors=(400,),
            )
        )
        ops.append(
            Op("get", f"/search/{kind}/filters", f"Filters and columns for {kind}", FiltersResponse)
        )
    ops += [
        Op("get", "/sessions", "Open sessions, tabs and the landing search page", SessionsState),
        Op(
            "post",
            "/sessions",
            "Open an entity from Start New Call",
            OpenSessionResult,
            OpenSession,
            errors=(400, 404, 409, 422),
        ),
        Op(
            "put",
            "/active-session",
            "Focus a session (null: the landing page; with new_call, a clean one)",
            SessionsState,
            ActivateSession,
            errors=(400, 404, 422),
        ),
        Op("delete", "/sessions/{sid}", "Close a session", SessionsState, errors=(404,)),
        Op(
            "post",
            "/sessions/{sid}/tabs",
            "Open an entity in a session",
            OpenTabResult,
            OpenEntity,
            errors=(400, 404, 422),
        ),
        Op(
            "put",
            "/sessions/{sid}/active-tab",
            "Activate a tab",
            SessionsState,
            ActivateTab,
            errors=(400, 404, 422),
        ),
        Op("delete", "/sessions/{sid}/tabs/{tid}", "Close a tab", SessionsState, errors=(404, 409)),
        Op(
            "put",
            "/sessions/{sid}/search-state",
            "Remember a session's search page",
            SessionsState,
            SearchState,
            errors=(400, 404, 422),
        ),
        Op(
            "put",
            "/sessions/{sid}/notes",
            "Save a session's call notes",
            SessionsState,
            SessionNotes,
            errors=(400, 404, 422),
        ),
        Op(
            "put",
            "/landing/search-state",
            "Remember the Start New Call search page",
            SessionsState,
            SearchState,
            errors=(400, 422),
        ),
        Op(
            "post",
            "/recently-closed/{cid}/reopen",
            "Reopen a recently closed session (or focus its customer's open one)",
            OpenSessionResult,
            ReopenSession,
            errors=(400, 404, 409, 422),
        ),
        Op(
            "get",
            "/sessions/{sid}/tabs/{tid}/drafts",
            "Unsaved form drafts of a tab",
            Drafts,
            errors=(404,),
        ),
        Op(
            "put",
            "/sessions/{sid}/tabs/{tid}/drafts/{form}",
            "Save a form draft",
            Draft,
            DraftIn,
            errors=(400, 404, 422),
        ),
        Op(
            "delete",
            "/sessions/{sid}/tabs/{tid}/drafts/{form}",
            "Discard a form draft",
            Drafts,
            errors=(404, 422),
        ),
        Op("get", "/preferences", "Remembered columns and sort per kind", AllPreferences),
    ]
    for kind in CATALOG:
        ops.append(
            Op(
                "put",
                f"/preferences/{kind}",
                f"Remember {kind} columns and sort",
                AllPreferences,
                Preferences,
                errors=(400, 422),
            )
        )
    ops += [
        Op("get", "/customers/{id}", "Customer details", entities.CustomerDetail, errors=(404,)),
        Op("get", "/orders/{id}", "Order details", entities.OrderDetail, errors=(404,)),
        Op("get", "/returns/{id}", "Return details", entities.ReturnDetail, errors=(404,)),
        Op(
            "get",
            "/customers/{id}/orders",
            "The customer's orders",
            SearchResponse,
            query=_paging(),
            errors=(400, 404),
        ),
        Op(
            "get",
            "/customers/{id}/returns",
            "The customer's returns",
            SearchResponse,
            query=_paging(),
            errors=(400, 404),
        ),
        Op(
            "get",
            "/customers/{id}/audit-log",
            "The customer's audit log",
            entities.AuditLogPage,
            query=_paging(),
            errors=(400, 404),
        ),
        Op(
            "get",
            "/orders/{id}/returns",
            "Returns of the order",
            SearchResponse,
            query=_paging(),
            errors=(400, 404),
        ),
        Op(
            "get",
            "/orders/{id}/audit-log",
            "The order's audit log",
            entities.AuditLogPage,
            query=_paging(),
            errors=(400, 404),
        ),
        Op(
            "get",
            "/returns/{id}/audit-log",
            "The return's audit log",
            entities.AuditLogPage,
            query=_paging(),
            errors=(400, 404),
        ),
        *_action_ops(),
        Op(
            "post",
            "/orders",
            "Refused: orders are created in the store's Orders screen",
            None,
            OpenEntity,
            errors=(405,),
            status=405,
        ),
        Op(
            "get",
            "/events",
            "Live updates: a WebSocket (subprotocol callcenter.v1) sending "
            "JSON messages {seq, type: hello|sessions|preferences|drafts|entity, data}",
            None,
            errors=(400,),
            status=101,
        ),
    ]
    return ops


COLLECTIONS = {"customer": "customers", "order": "orders", "return": "returns"}


def _action_ops() -> list[Op]:
    """The action catalog, the demo outbox and one path per management action."""
    ops = [
        Op(
            "get",
            "/actions",
            "Every management action: request model, idempotency, confirm",
            ActionCatalog,
        ),
        Op(
            "get",
            "/outbox",
            "Emails the store sent or would send (the demo records them)",
            Outbox,
            query=[_param("limit", {"type": "integer", "minimum": 1, "maximum": 500})],
            errors=(400,),
        ),
    ]
    for action in sorted(all_actions(), key=lambda a: (a.kind, a.name)):
        key = _param(
            "Idempotency-Key",
            {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,100}$"},
            "header",
            action.money_or_cancel,
            "The same key on a retry answers the first result; required for actions "
            "that move money or cancel",
        )
        session = _param(
            "X-Callcenter-Session",
            {"type": "string", "pattern": ID_PATTERN},
            "header",
            description="The panel session, recorded in the audit log",
        )
        ops.append(
            Op(
                "post",
                f"/{COLLECTIONS[action.kind]}/{{id}}/actions/{action.name}",
                f"{action.label} ({action.kind})",
                ActionResult,
                action.request,
                query=[key, session],
                errors=(400, 404, 409, 422),
            )
        )
    return ops


def _error_ref() -> dict[str, Any]:
    return {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    }


def _operation_id(op: Op) -> str:
    words = re.sub(r"[^a-z0-9]+", "_", op.path.lower()).strip("_")
    return f"{op.method}_{words}"


def build_openapi() -> dict[str, Any]:
    ops = operations()
    models: set[type[BaseModel]] = {ErrorResponse}
    for op in ops:
        models.update(m for m in (op.response, op.body) if m is not None)
    mode_models: list[tuple[type[BaseModel], Literal["validation"]]] = [
        (m, "validation") for m in sorted(models, key=lambda m: m.__name__)
    ]
    _, schemas = models_json_schema(mode_models, ref_template="#/components/schemas/{model}")
    paths: dict[str, Any] = {}
    for op in ops:
        operation: dict[str, Any] = {
            "operationId": _operation_id(op),
            "summary": op.summary,
            "parameters": [_path_id(p.strip("{}")) for p in op.path.split("/") if p.startswith("{")]
            + op.query,
            "responses": {},
        }
        # The request gate answers before any handler: a path with escapes or dot segments, or
        # a write without X-Callcenter-Api, is 400; a body too large 413, not JSON 415.
        operation["responses"]["400"] = {
            "description": "Refused by the request gate",
            **_error_ref(),
        }
        if not op.public:
            operation["security"] = [{"bearer": []}]
            operation["responses"]["401"] = {
                "description": "Missing or wrong token",
                **_error_ref(),
            }
        if op.body is not None:
            for code, text in (("413", "Body larger than 256 KiB"), ("415", "Body is not JSON")):
                operation["responses"][code] = {"description": text, **_error_ref()}
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{op.body.__name__}"}
                    }
                },
            }
            operation["parameters"].append(
                _param("X-Callcenter-Api", {"type": "string", "enum": ["1"]}, "header", True)
            )
        elif op.method in ("post", "put", "delete"):
            operation["parameters"].append(
                _param("X-Callcenter-Api", {"type": "string", "enum": ["1"]}, "header", True)
            )
        if op.response is not None:
            operation["responses"][str(op.status)] = {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{op.response.__name__}"}
                    }
                },
            }
        elif op.status == 101:
            operation["responses"]["101"] = {"description": "Switching to WebSocket"}
        elif op.path == "/openapi.json":
            operation["responses"]["200"] = {
                "description": "OpenAPI document",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        for status in op.errors:
            operation["responses"][str(status)] = {"description": "Error", **_error_ref()}
        if op.path == "/sessions" and op.method == "post":
            operation["responses"]["201"] = operation["responses"]["200"]
        paths.setdefault(f"/api/v1{op.path}", {})[op.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Call Center Companion agent",
            "version": __version__,
            "description": "Local agent API for the Call Center side panel.",
        },
        "servers": [{"url": "http://127.0.0.1:47821"}],
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": paths,
    }


def render() -> str:
    return json.dumps(build_openapi(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args == ["--check"]:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is out of date; run `python -m agent.api.openapi`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
