"""The contract checks themselves: the fake cannot drift from Kibo's published documents."""

from __future__ import annotations

import pytest

from tests.kibo import openapi_docs
from tests.kibo.kibo_specs import MANIFEST
from tests.kibo.openapi_docs import ContractError, check_request, check_response

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture(autouse=True)
def _documents() -> None:
    openapi_docs.require_documents()


def test_the_pinned_documents_are_all_loaded() -> None:
    names = [d.name for d in openapi_docs.documents()]
    assert names == list(openapi_docs.DOCUMENTS) == list(MANIFEST.files)
    assert len(names) == 4 and all(d.raw["paths"] for d in openapi_docs.documents())


def test_an_undocumented_query_parameter_is_refused() -> None:
    with pytest.raises(ContractError, match="undocumented query parameter"):
        check_request("GET", "/api/commerce/orders", {"orderBy": "x"}, AUTH, None)


def test_a_path_kibo_does_not_have_is_refused() -> None:
    with pytest.raises(ContractError, match="no Kibo document"):
        check_request("GET", "/api/commerce/orderz", {}, AUTH, None)


def test_a_bad_parameter_type_and_missing_bearer_are_refused() -> None:
    with pytest.raises(ContractError):
        check_request("GET", "/api/commerce/orders", {"pageSize": "many"}, AUTH, None)
    with pytest.raises(ContractError):
        check_request("GET", "/api/commerce/orders", {}, {}, None)


def test_an_oauth_body_with_unknown_fields_is_refused() -> None:
    with pytest.raises(ContractError, match="body"):
        check_request(
            "POST", "/api/platform/applications/authtickets/oauth", {}, {}, b'{"clientId": "x"}'
        )


def test_an_answer_with_a_field_kibo_does_not_document_is_refused() -> None:
    with pytest.raises(ContractError, match="does not name"):
        check_response(
            "GET",
            "/api/commerce/orders/abc",
            {},
            200,
            {"id": "abc", "orderNumber": 1, "customerName": "invented"},
        )
    with pytest.raises(ContractError):
        check_response("GET", "/api/commerce/orders/abc", {}, 200, {"orderNumber": "one"})
