"""The row columns of an entity, derived from its document.

Once an action has changed an entity its document is the truth; the row keeps the columns
search, filters and the derived documents of other entities read, so they stay in step.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from agent.backends.demo.seed_people import national_digits
from shared_schema.common import EntityKind
from shared_schema.entities import CustomerDetail, OrderDetail, ReturnDetail

TABLES: dict[str, tuple[str, str]] = {
    "customer": ("customers", "id"),
    "order": ("orders", "number"),
    "return": ("returns", "number"),
}


def unix(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def _phone(phone: str) -> dict[str, str]:
    digits = national_digits(phone)
    return {"phone_digits": digits, "phone_last4": digits[-4:]}


def customer_columns(doc: CustomerDetail) -> dict[str, Any]:
    address = doc.primary_address
    return {
        "first_name": doc.first_name,
        "last_name": doc.last_name,
        "email": doc.email.lower(),
        "username": doc.username,
        "phone": doc.phone,
        **_phone(doc.phone),
        "account_status": doc.account_status,
        "customer_set": doc.customer_set,
        "segments": ",".join(doc.segments),
        "updated_at": unix(doc.updated_at),
        "address1": address.address1 if address else "",
        "city": address.city if address else "",
        "state": address.state if address else "",
        "postal_code": address.postal_code if address else "",
        "country": address.country if address else "",
        "accepts_marketing": int(doc.accepts_marketing),
        "tax_exempt": int(doc.tax_exempt),
        "tax_id": doc.tax_id,
        "order_count": doc.order_count,
        "lifetime_value_cents": doc.lifetime_value_cents,
        "last_order_at": unix(doc.last_order_at) if doc.last_order_at else None,
    }


def order_columns(doc: OrderDetail) -> dict[str, Any]:
    items = [
        [i.product_code, i.quantity, i.unit_price_cents, i.quantity_fulfilled, i.quantity_returned]
        for i in doc.items
    ]
    return {
        "customer_id": int(doc.customer_id) if doc.customer_id is not None else None,
        "customer_name": doc.customer_name,
        "email": doc.email.lower(),
        **_phone(doc.phone),
        "status": doc.status,
        "payment_status": doc.payment_status,
        "fulfillment_status": doc.fulfillment_status,
        "return_status": doc.return_status,
        "type": doc.type,
        "channel": doc.channel,
        "site": doc.site,
        "currency": doc.currency,
        "submitted_at": unix(doc.submitted_at),
        "updated_at": unix(doc.updated_at),
        "total_cents": doc.totals.total_cents,
        "collected_cents": doc.totals.collected_cents,
        "item_count": sum(i.quantity for i in doc.items),
        "items": json.dumps(items, separators=(",", ":")),
        "restrict_edit": int(doc.restrict_edit),
        "restrict_cancel": int(doc.restrict_cancellation),
    }


def return_columns(doc: ReturnDetail) -> dict[str, Any]:
    items = [[i.order_line_id, i.product_code, i.quantity, i.unit_price_cents] for i in doc.items]
    return {
        "order_number": doc.order_number,
        "customer_id": int(doc.customer_id) if doc.customer_id is not None else None,
        "customer_name": doc.customer_name,
        "email": doc.email.lower(),
        "status": doc.status,
        "return_type": doc.return_type,
        "refund_status": doc.refund_status,
        "reason": doc.reason,
        "currency": doc.currency,
        "created_at": unix(doc.created_at),
        "updated_at": unix(doc.updated_at),
        "refund_cents": doc.refunded_cents,
        "item_count": sum(i.quantity for i in doc.items),
        "items": json.dumps(items, separators=(",", ":")),
    }


def row_columns(kind: EntityKind, doc: BaseModel) -> dict[str, Any]:
    """Every column of the kind's table but the key, ``version`` and ``doc``.

    Returns keep their phone columns: a return document carries no phone.
    """
    if kind == "customer":
        assert isinstance(doc, CustomerDetail)
        return customer_columns(doc)
    if kind == "order":
        assert isinstance(doc, OrderDetail)
        return order_columns(doc)
    assert isinstance(doc, ReturnDetail)
    return return_columns(doc)
