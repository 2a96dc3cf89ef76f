"""Build the OpenAPI 3.1 document from the route declarations and the shared_schema models.

``python -m agent.api.openapi`` rewrites shared_schema/openapi.json and the README's route
table; a test fails when either drifts from what this builds.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from agent import __version__
from agent.api.routes import Op, readme_table
from agent.app import ROUTES
from shared_schema.common import ErrorResponse

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "shared_schema" / "openapi.json"
README = ROOT / "README.md"
TABLE_START = "<!-- routes: written by `make openapi` from the route declarations in agent/api -->"
TABLE_END = "<!-- /routes -->"
ID_PATTERN = "^[A-Za-z0-9_-]+$"


def operations() -> list[Op]:
    """Every documented operation: each route's, from its one declaration."""
    return [op for route in ROUTES for op in route.operations()]


def _param(name: str, schema: dict[str, Any], where: str, required: bool) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema}


def _path_id(name: str) -> dict[str, Any]:
    return _param(
        name,
        {"type": "string", "minLength": 1, "maxLength": 64, "pattern": ID_PATTERN},
        "path",
        True,
    )


def _error_ref() -> dict[str, Any]:
    return {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    }


# pydantic writes a bound it cannot attach to a type with its own validator (JsonInt) under
# its Python name; JSON Schema clients and fuzzers only read the standard keywords.
BOUND_KEYWORDS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}


def standard_bounds(node: Any, names: bool = False) -> Any:
    """``node`` with every ``ge``/``le``/``gt``/``lt`` bound renamed to its JSON Schema word;
    ``names``: ``node`` maps names to schemas (``properties``, ``$defs``), renamed never."""
    if isinstance(node, list):
        return [standard_bounds(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        (key if names else BOUND_KEYWORDS.get(key, key)): standard_bounds(
            value, names=not names and key in ("properties", "$defs", "patternProperties")
        )
        for key, value in node.items()
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
            + op.params,
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
                "required": not op.body_optional,
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
        elif op.status == 200:  # this document
            operation["responses"]["200"] = {
                "description": "OpenAPI document",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        for status in op.errors:
            operation["responses"][str(status)] = {"description": "Error", **_error_ref()}
        if op.created:
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
            "schemas": standard_bounds(schemas.get("$defs", {}), names=True),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": paths,
    }


def render() -> str:
    return json.dumps(build_openapi(), indent=2, sort_keys=True) + "\n"


def readme_with_routes(text: str) -> str:
    """``text`` (the README) with the route table between its markers rewritten."""
    head, start, rest = text.partition(TABLE_START)
    _, end, tail = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError(f"README.md lacks the route table markers {TABLE_START} {TABLE_END}")
    return f"{head}{TABLE_START}\n{readme_table(ROUTES)}{TABLE_END}{tail}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    wanted = {
        OUTPUT: render(),
        README: readme_with_routes(README.read_text(encoding="utf-8")),
    }
    if args == ["--check"]:
        stale = [p.name for p, text in wanted.items() if p.read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"{name} is out of date; run `make openapi`", file=sys.stderr)
        return 1 if stale else 0
    for path, text in wanted.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
