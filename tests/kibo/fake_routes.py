"""Which write of the fake tenant answers which ``METHOD path`` (paths as in Kibo's documents).

Each handler gets the tenant's data, the path's parameters, the body and the query, and
answers a document, ``EMPTY`` (a 200 without a body) or raises a ``Refusal``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.kibo import fake_write_credits as credits
from tests.kibo import fake_write_customers as customers
from tests.kibo import fake_write_orders as orders
from tests.kibo import fake_write_returns as returns
from tests.kibo.fake_writes import Json, not_found

Data = dict[str, Any]
Params = dict[str, str]
Handler = Callable[[Data, Params, Any, Params], Any]


def _order(data: Data, p: dict[str, str]) -> Json:
    found = data["orders"].get(p["orderId"])
    if found is None:
        raise not_found(f"order {p['orderId']}")
    result: Json = found
    return result


def _return(data: Data, p: dict[str, str]) -> Json:
    found = data["returns"].get(p["returnId"])
    if found is None:
        raise not_found(f"return {p['returnId']}")
    result: Json = found
    return result


def _account(data: Data, p: dict[str, str]) -> Json:
    raw = p["accountId"]
    found = data["accounts"].get(int(raw)) if raw.isdigit() else None
    if found is None:
        raise not_found(f"account {raw}")
    result: Json = found
    return result


ORDERS = "/commerce/orders/{orderId}"
RETURNS = "/commerce/returns/{returnId}"
ACCOUNTS = "/commerce/customer/accounts/{accountId}"
CREDITS = "/commerce/customer/credits"
SHIPMENTS = "/commerce/shipments/{shipmentNumber}"
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def _pattern(template: str) -> re.Pattern[str]:
    named = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{named}$")


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register a write. Literal paths are registered before templated ones that could match
    them, as Kibo's router would match them."""

    def add(handler: Handler) -> Handler:
        ROUTES.append((method, _pattern(template), handler))
        return handler

    return add


# -- orders ------------------------------------------------------------------------------------


@route("PUT", "/commerce/orders/cancel/{orderId}")
def cancel_order(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.cancel_order(_order(d, p), b)


@route("POST", f"{ORDERS}/notes")
def add_order_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.add_note(_order(d, p), b)


@route("PUT", f"{ORDERS}/notes/{{noteId}}")
def edit_order_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.edit_note(_order(d, p), p["noteId"], b)


@route("DELETE", f"{ORDERS}/notes/{{noteId}}")
def delete_order_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.delete_note(_order(d, p), p["noteId"])


@route("POST", f"{ORDERS}/actions")
def order_action(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.order_action(_order(d, p), b)


@route("PUT", f"{ORDERS}/billinginfo")
def billing_info(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.billing_info(_order(d, p), b, q)


@route("PUT", f"{ORDERS}/fulfillmentinfo")
def fulfillment_info(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.fulfillment_info(_order(d, p), b, q)


@route("PUT", f"{ORDERS}/email/resend")
def resend_confirmation(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.resend_confirmation(d, _order(d, p), b)


@route("POST", f"{ORDERS}/payments/{{paymentId}}/actions")
def payment_action(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.payment_action(_order(d, p), p["paymentId"], b)


@route("POST", f"{ORDERS}/refunds")
def refund(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.refund(_order(d, p), b)


@route("POST", f"{ORDERS}/shipments/{{shipmentNumber}}/item/{{itemId}}/adjustments")
def adjust_item(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.adjust_item(d, _order(d, p), p["shipmentNumber"], p["itemId"], b)


@route("POST", f"{ORDERS}/shipments/{{shipmentNumber}}/adjustments")
def adjust_shipment(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.adjust_shipment(d, _order(d, p), p["shipmentNumber"], b)


@route("PUT", ORDERS)
def update_order(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.update_order(_order(d, p), b, q)


@route("PUT", f"{SHIPMENTS}/canceledItems")
def cancel_items(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.cancel_items(d, p["shipmentNumber"], b)


@route("PUT", f"{SHIPMENTS}/email/resend")
def resend_shipment_email(d: Data, p: Params, b: Any, q: Params) -> Any:
    return orders.resend_shipment_email(d, p["shipmentNumber"])


# -- returns -----------------------------------------------------------------------------------


@route("POST", "/commerce/returns/actions")
def return_action(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.return_action(d, b)


@route("PUT", "/commerce/returns/email/resend")
def resend_return_email(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.resend_email(d, b)


@route("POST", "/commerce/returns")
def create_return(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.create_return(d, b)


@route("PUT", RETURNS)
def receive(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.receive(_return(d, p), b)


@route("POST", f"{RETURNS}/restock")
def restock(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.restock(_return(d, p), b)


@route("POST", f"{RETURNS}/autorefund")
def auto_refund(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.auto_refund(d, _return(d, p), b)


@route("POST", f"{RETURNS}/payments/actions")
def return_payment_action(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.payment_action(d, _return(d, p), b)


@route("POST", f"{RETURNS}/ship")
def ship_replacement(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.ship_replacement(d, _return(d, p), b)


@route("POST", f"{RETURNS}/notes")
def add_return_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.add_note(_return(d, p), b)


@route("PUT", f"{RETURNS}/notes/{{noteId}}")
def edit_return_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.edit_note(_return(d, p), p["noteId"], b)


@route("DELETE", f"{RETURNS}/notes/{{noteId}}")
def delete_return_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return returns.delete_note(_return(d, p), p["noteId"])


# -- customers ---------------------------------------------------------------------------------


@route("POST", "/commerce/customer/accounts/Reset-Password")
def reset_password(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.reset_password(d, b)


@route("PUT", ACCOUNTS)
def update_account(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.update_account(d, _account(d, p), b)


@route("POST", f"{ACCOUNTS}/contacts")
def add_contact(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.add_contact(_account(d, p), b)


@route("PUT", f"{ACCOUNTS}/contacts/{{contactId}}")
def update_contact(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.update_contact(_account(d, p), p["contactId"], b, q)


@route("DELETE", f"{ACCOUNTS}/contacts/{{contactId}}")
def delete_contact(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.delete_contact(_account(d, p), p["contactId"])


@route("POST", f"{ACCOUNTS}/notes")
def add_customer_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.add_note(_account(d, p), b)


@route("PUT", f"{ACCOUNTS}/notes/{{noteId}}")
def edit_customer_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.edit_note(_account(d, p), p["noteId"], b)


@route("DELETE", f"{ACCOUNTS}/notes/{{noteId}}")
def delete_customer_note(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.delete_note(_account(d, p), p["noteId"])


@route("POST", f"{ACCOUNTS}/attributes")
def add_attribute(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.set_attribute(_account(d, p), None, b, q)


@route("PUT", f"{ACCOUNTS}/attributes/{{attributeFQN}}")
def update_attribute(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.set_attribute(_account(d, p), p["attributeFQN"], b, q)


@route("DELETE", f"{ACCOUNTS}/attributes/{{attributeFQN}}")
def delete_attribute(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.delete_attribute(_account(d, p), p["attributeFQN"], q)


@route("POST", f"{ACCOUNTS}/Set-Login-Locked")
def set_login_locked(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.set_login_locked(d, _account(d, p), b, q)


@route("POST", f"{ACCOUNTS}/Set-Password-Change-Required")
def set_password_change_required(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.set_password_change_required(d, _account(d, p), b, q)


@route("POST", f"{ACCOUNTS}/Create-Login")
def create_login(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.create_login(d, _account(d, p), b)


@route("POST", "/commerce/customer/segments/{id}/accounts")
def add_to_segment(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.add_to_segment(d, p["id"], b)


@route("DELETE", "/commerce/customer/segments/{id}/accounts/{accountId}")
def remove_from_segment(d: Data, p: Params, b: Any, q: Params) -> Any:
    return customers.remove_from_segment(d, p["id"], _account(d, p))


# -- store credits -----------------------------------------------------------------------------


@route("POST", CREDITS)
def issue_credit(d: Data, p: Params, b: Any, q: Params) -> Any:
    return credits.issue(d, b)


@route("POST", f"{CREDITS}/{{code}}/transactions")
def add_credit_transaction(d: Data, p: Params, b: Any, q: Params) -> Any:
    return credits.add_transaction(d, p["code"], b)


@route("PUT", f"{CREDITS}/{{code}}/Resend-Email")
def resend_credit_email(d: Data, p: Params, b: Any, q: Params) -> Any:
    return credits.resend_email(d, p["code"])


@route("PUT", f"{CREDITS}/{{code}}")
def update_credit(d: Data, p: Params, b: Any, q: Params) -> Any:
    return credits.update(d, p["code"], b)


@route("DELETE", f"{CREDITS}/{{code}}")
def delete_credit(d: Data, p: Params, b: Any, q: Params) -> Any:
    return credits.delete(d, p["code"])


def find_write(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    """The handler for ``METHOD /commerce/...`` (the path without ``/api``), or None."""
    for route_method, pattern, handler in ROUTES:
        match = pattern.match(path)
        if route_method == method and match:
            return handler, match.groupdict()
    return None
