"""Kibo's published OpenAPI documents, used to check every request and response of the fake.

``tests/kibo/kibo_specs.py`` finds the documents (``$KIBO_OPENAPI_DIR``, ``../shared/kibo-openapi``
or the cache ``make kibo-specs`` fills); without them the tests that need them skip, or fail
under ``CI=true`` (``require_documents``). openapi-core checks method, path template, parameter
types, bearer auth and bodies; on top of that we refuse what openapi-core lets through:
query parameters the operation does not declare, and response fields its schema does not name
(so a canned answer cannot invent a field Kibo does not document).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from tests.kibo.kibo_specs import MANIFEST, SpecsMissing, locate

DOCUMENTS = tuple(MANIFEST.files)
# A host that matches the documents' "t{tenantId}.{env}.usc1.kibocommerce.com/api" server.
DOC_HOST = "https://t1.sb.usc1.kibocommerce.com"
# The published documents put bearerAuth on every operation, the token endpoint included;
# nobody has a bearer token before asking for one, so security is not checked there.
NO_BEARER_PATHS = frozenset({"/platform/applications/authtickets/oauth"})


class ContractError(AssertionError):
    """A request or response that Kibo's published documents do not allow."""


@dataclass(frozen=True)
class Operation:
    document: str
    template: str
    method: str
    spec: dict[str, Any]
    path_item: dict[str, Any]


@dataclass
class Document:
    name: str
    raw: dict[str, Any]
    api: OpenAPI
    routes: list[tuple[re.Pattern[str], str]]


def _route(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$", re.IGNORECASE)


@cache
def docs_dir() -> Path:
    """Where the pinned documents are; SpecsMissing names the places and ``make kibo-specs``."""
    return locate()


def require_documents() -> None:
    """Skip the calling test when the documents are missing; under ``CI=true``, fail it."""
    try:
        docs_dir()
    except SpecsMissing as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {exc}", pytrace=False)
        pytest.skip(str(exc))


@cache
def documents() -> tuple[Document, ...]:
    loaded = []
    for name in DOCUMENTS:
        raw = json.loads((docs_dir() / name).read_text(encoding="utf-8"))
        api = OpenAPI.from_dict(raw, config=Config(spec_validator_cls=None))
        # Literal paths before templated ones, as Kibo's router would match them.
        templates = sorted(raw["paths"], key=lambda t: (t.count("{"), -len(t)))
        loaded.append(Document(name, raw, api, [(_route(t), t) for t in templates]))
    return tuple(loaded)


def find_operation(method: str, api_path: str) -> tuple[Document, Operation]:
    """The documented operation for ``METHOD /api/...``, or ContractError."""
    path = api_path.removeprefix("/api")
    for doc in documents():
        for pattern, template in doc.routes:
            if pattern.match(path):
                item = doc.raw["paths"][template]
                op = item.get(method.lower())
                if op is None:
                    raise ContractError(f"{method} {template} is not in {doc.name}")
                return doc, Operation(doc.name, template, method.upper(), op, item)
    raise ContractError(f"no Kibo document has a path for {method} {path}")


def _declared_query(op: Operation) -> set[str]:
    params = [*op.path_item.get("parameters", []), *op.spec.get("parameters", [])]
    return {p["name"] for p in params if p.get("in") == "query"}


def check_request(
    method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes | None
) -> Operation:
    doc, op = find_operation(method, path)
    unknown = sorted(set(query) - _declared_query(op))
    if unknown:
        raise ContractError(f"{method} {op.template}: undocumented query parameter {unknown}")
    request_headers = dict(headers)
    if op.template in NO_BEARER_PATHS:
        request_headers.setdefault("Authorization", "Bearer not-needed-for-the-token-call")
    request = MockRequest(
        DOC_HOST,
        method.lower(),
        path,
        args=query,
        headers=request_headers,
        data=body or None,
        content_type="application/json",
    )
    try:
        doc.api.validate_request(request)
    except Exception as exc:  # openapi-core raises a family of validation errors
        cause = exc.__cause__ or exc
        raise ContractError(f"{method} {op.template}: {exc}: {cause}") from exc
    return op


def _resolve(doc: Document, schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc.raw["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _properties(doc: Document, schema: dict[str, Any]) -> dict[str, Any] | None:
    schema = _resolve(doc, schema)
    props: dict[str, Any] = {}
    named = False
    for part in schema.get("allOf", []):
        inner = _properties(doc, part)
        if inner is not None:
            props.update(inner)
            named = True
    if "properties" in schema:
        props.update(schema["properties"])
        named = True
    if schema.get("additionalProperties") not in (None, False) or not named:
        return None
    return props


def undocumented_fields(
    doc: Document, schema: dict[str, Any], value: Any, where: str = "$"
) -> list[str]:
    schema = _resolve(doc, schema)
    if isinstance(value, list) and "items" in schema:
        return [
            f
            for i, v in enumerate(value)
            for f in undocumented_fields(doc, schema["items"], v, f"{where}[{i}]")
        ]
    if not isinstance(value, dict):
        return []
    props = _properties(doc, schema)
    if props is None:
        return []
    out = [f"{where}.{k}" for k in value if k not in props]
    for key, inner in value.items():
        if key in props:
            out += undocumented_fields(doc, props[key], inner, f"{where}.{key}")
    return out


def check_response(
    method: str, path: str, query: dict[str, str], status: int, payload: Any
) -> None:
    doc, op = find_operation(method, path)
    if str(status) not in op.spec.get("responses", {}):
        # Kibo documents only successes for most operations; error bodies follow the shape
        # docs/kibo-reference.md §6.5 infers and cannot be checked against the documents.
        if status < 400:
            raise ContractError(f"{method} {op.template}: status {status} is not documented")
        return
    if payload is None and not op.spec["responses"][str(status)].get("content"):
        return  # documented without a body (some documents write "content": {})
    data = b"" if payload is None else json.dumps(payload).encode()
    request = MockRequest(
        DOC_HOST, method.lower(), path, args=query, headers={"Authorization": "Bearer x"}
    )
    response = MockResponse(data, status_code=status, content_type="application/json")
    try:
        doc.api.validate_response(request, response)
    except Exception as exc:
        cause = exc.__cause__ or exc
        raise ContractError(f"{method} {op.template} -> {status}: {exc}: {cause}") from exc
    content = op.spec["responses"][str(status)].get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is not None and payload is not None:
        extra = undocumented_fields(doc, schema, payload)
        if extra:
            raise ContractError(
                f"{method} {op.template} -> {status}: fields the document "
                f"does not name: {extra[:5]}"
            )
