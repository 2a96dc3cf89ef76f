"""Canned Kibo documents for the fake: a small tenant, spelled as Kibo's schemas spell it.

The fake checks each answer against the published documents, so a field Kibo does not
document here fails the test that served it.
"""

from __future__ import annotations

import copy
from typing import Any

Json = dict[str, Any]


def audit(created: str, updated: str | None = None, by: str = "csr@store.example") -> Json:
    return {"createDate": created, "updateDate": updated or created, "createBy": by, "updateBy": by}


SEGMENT_CODES = ("VIP", "Loyalty", "Newsletter", "Wholesale", "AtRisk", "FirstTimeBuyer")


def segment(code: str) -> Json:
    """The tenant's segment with this code (ids as Kibo numbers them: 1, 2, ...)."""
    return {"id": SEGMENT_CODES.index(code) + 1, "code": code, "name": code}


def contact(
    first: str,
    last: str,
    email: str,
    phone: str,
    city: str,
    state: str,
    country: str,
    *,
    contact_id: int = 1,
    types: tuple[str, ...] = ("Billing", "Shipping"),
) -> Json:
    return {
        "id": contact_id,
        "email": email,
        "firstName": first,
        "lastNameOrSurname": last,
        "phoneNumbers": {"home": phone},
        "address": {
            "address1": "12 Main St",
            "cityOrTown": city,
            "stateOrProvince": state,
            "postalOrZipCode": "78701",
            "countryCode": country,
            "addressType": "Residential",
            "isValidated": True,
        },
    } | ({"types": [{"name": t, "isPrimary": True} for t in types]} if types else {})


def account(
    account_id: int,
    first: str,
    last: str,
    email: str,
    phone: str,
    *,
    city: str = "Austin",
    state: str = "TX",
    country: str = "US",
    locked: bool = False,
    active: bool = True,
    segments: tuple[str, ...] = (),
    orders: int = 0,
    spent: float = 0.0,
) -> Json:
    return {
        "id": account_id,
        "emailAddress": email,
        "userName": email,
        "userId": f"u{account_id}",
        "firstName": first,
        "lastName": last,
        "isAnonymous": False,
        "isLocked": locked,
        "isActive": active,
        "acceptsMarketing": True,
        "customerSet": "default",
        "taxExempt": False,
        "taxId": "",
        "commerceSummary": {
            "totalOrderAmount": {"currencyCode": "USD", "amount": spent},
            "orderCount": orders,
            "lastOrderDate": "2026-10-02T15:00:00Z",
        },
        "contacts": [
            contact(first, last, email, phone, city, state, country)
            | {"accountId": account_id, "label": "Home"}
        ],
        "notes": [
            {"id": 1, "content": "Prefers phone calls", "auditInfo": audit("2026-01-05T10:00:00Z")}
        ],
        "attributes": [
            {
                "fullyQualifiedName": "tenant~preferred-contact",
                "attributeDefinitionId": 3,
                "values": ["phone"],
            }
        ],
        "segments": [segment(code) for code in segments],
        "auditInfo": audit("2025-03-01T09:00:00Z", "2026-10-02T15:00:00Z"),
    }


def order_item(line: int, code: str, name: str, quantity: int, price: float) -> Json:
    return {
        "id": f"item{line}",
        "lineId": line,
        "quantity": quantity,
        "product": {"productCode": code, "name": name},
        "unitPrice": {"listAmount": price, "saleAmount": price, "extendedAmount": price * quantity},
        "subtotal": price * quantity,
        "itemTaxTotal": round(price * quantity * 0.08, 2),
        "total": round(price * quantity * 1.08, 2),
    }


def order(
    order_id: str,
    number: int,
    account_id: int | None,
    who: tuple[str, str, str, str],
    *,
    status: str,
    payment_status: str,
    fulfillment: str,
    payment: Json,
    shipped: bool,
    actions: list[str],
    submitted: str,
) -> Json:
    first, last, email, phone = who
    items = [
        order_item(1, "SKU-MUG", "Coffee Mug", 2, 12.5),
        order_item(2, "SKU-TEE", "T-Shirt", 1, 25.0),
    ]
    subtotal = 50.0
    party = contact(first, last, email, phone, "Austin", "TX", "US", types=())
    doc: Json = {
        "id": order_id,
        "orderNumber": number,
        "version": "3",
        "siteId": 23456,
        "tenantId": 1,
        "channelCode": "Web",
        "currencyCode": "USD",
        "type": "Online",
        "email": email,
        "status": status,
        "paymentStatus": payment_status,
        "fulfillmentStatus": fulfillment,
        "returnStatus": "None",
        "submittedDate": submitted,
        "availableActions": actions,
        "restrictEdit": False,
        "restrictCancellation": False,
        "subtotal": subtotal,
        "discountTotal": 0.0,
        "shippingTotal": 5.0,
        "taxTotal": 4.0,
        "total": 59.0,
        "totalCollected": payment["amountCollected"],
        "billingInfo": {"paymentType": "CreditCard", "billingContact": party},
        "fulfillmentInfo": {
            "fulfillmentContact": party,
            "shippingMethodCode": "GROUND",
            "shippingMethodName": "Ground",
        },
        "items": items,
        "payments": [payment],
        "shipments": [
            {
                "number": number * 10 + 1,
                "orderId": order_id,
                "orderNumber": number,
                "shipmentStatus": "FULFILLED" if shipped else "READY",
                "fulfillmentStatus": "Fulfilled" if shipped else "NotFulfilled",
                "shippingMethodName": "Ground",
                "fulfillmentDate": "2026-10-04T12:00:00Z" if shipped else None,
                "packages": [{"carrier": "UPS", "trackingNumbers": ["1Z999"]}] if shipped else [],
                "items": [
                    {
                        "lineId": 1,
                        "originalOrderItemId": "item1",
                        "productCode": "SKU-MUG",
                        "name": "Coffee Mug",
                        "quantity": 2,
                    },
                    {
                        "lineId": 2,
                        "originalOrderItemId": "item2",
                        "productCode": "SKU-TEE",
                        "name": "T-Shirt",
                        "quantity": 1,
                    },
                ],
            }
        ],
        "notes": [
            {
                "id": "n1",
                "text": "Customer called about delivery",
                "auditInfo": audit("2026-10-03T08:00:00Z"),
            }
        ],
        "changeMessages": [
            {
                "id": "c1",
                "subjectType": "Order",
                "verb": "Submitted",
                "message": "Order submitted",
                "createDate": submitted,
                "userFirstName": "Web",
                "userLastName": "Store",
            }
        ],
        "auditInfo": audit(submitted, "2026-10-04T12:00:00Z"),
    }
    if account_id is not None:
        doc["customerAccountId"] = account_id
    return doc


def payment(
    payment_id: str, status: str, requested: float, collected: float, actions: list[str]
) -> Json:
    return {
        "id": payment_id,
        "paymentType": "CreditCard",
        "status": status,
        "amountRequested": requested,
        "amountCollected": collected,
        "amountCredited": 0.0,
        "availableActions": actions,
        "billingInfo": {
            "paymentType": "CreditCard",
            "card": {
                "paymentOrCardType": "Visa",
                "ccLastFour": "4242",
                "expireMonth": 12,
                "expireYear": 2028,
            },
        },
    }


def a_return(
    return_id: str,
    number: int,
    source: Json,
    *,
    status: str,
    kind: str,
    actions: list[str],
    reason: str,
    created: str,
) -> Json:
    billing = source["billingInfo"]["billingContact"]
    doc: Json = {
        "id": return_id,
        "returnNumber": number,
        "originalOrderId": source["id"],
        "originalOrderNumber": source["orderNumber"],
        "status": status,
        "returnType": kind,
        "currencyCode": "USD",
        "availableActions": actions,
        "refundAmount": 0.0,
        "contact": copy.deepcopy(billing),
        "items": [
            {
                "id": f"ri{number}",
                "orderItemId": "item1",
                "orderLineId": 1,
                "product": {
                    "productCode": "SKU-MUG",
                    "name": "Coffee Mug",
                    "price": {"price": 12.5, "salePrice": 12.5},
                },
                "reasons": [{"reason": reason, "quantity": 1}],
                "quantityReceived": 0,
                "quantityRestocked": 0,
                "quantityRefunded": 0,
                "quantityReplaced": 0,
                "quantityShipped": 1,
            }
        ],
        "notes": [],
        "changeMessages": [],
        "auditInfo": audit(created, created),
    }
    if "customerAccountId" in source:
        doc["customerAccountId"] = source["customerAccountId"]
    return doc


def tenant() -> dict[str, Any]:
    """A fresh copy of the fake tenant: accounts, orders, returns, cards, credits, audit."""
    accounts = {
        1001: account(
            1001,
            "Ana",
            "Núñez",
            "ana.nunez@example.com",
            "(512) 555-0134",
            segments=("VIP",),
            orders=2,
            spent=118.0,
        ),
        1002: account(
            1002,
            "John",
            "Smith",
            "john.smith@example.com",
            "512-555-0199",
            locked=True,
            orders=1,
            spent=59.0,
        ),
        1003: account(
            1003,
            "Mei",
            "Chen",
            "mei.chen@example.co.uk",
            "+44 20 7946 0958",
            city="London",
            state="LND",
            country="GB",
            active=False,
        ),
    }
    ana = ("Ana", "Núñez", "ana.nunez@example.com", "(512) 555-0134")
    orders = {
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9": order(
            "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            5001,
            1001,
            ana,
            status="Completed",
            payment_status="Paid",
            fulfillment="Fulfilled",
            shipped=True,
            actions=[],
            payment=payment("p5001", "Collected", 59.0, 59.0, ["CreditPayment"]),
            submitted="2026-10-01T10:00:00Z",
        ),
        "1b2c3d4e5f60718293a4b5c6d7e8f90a": order(
            "1b2c3d4e5f60718293a4b5c6d7e8f90a",
            5002,
            1002,
            ("John", "Smith", "john.smith@example.com", "512-555-0199"),
            status="Accepted",
            payment_status="Pending",
            fulfillment="NotFulfilled",
            shipped=False,
            actions=["CancelOrder", "SetOrderAsProcessing"],
            payment=payment("p5002", "Authorized", 59.0, 0.0, ["CapturePayment"]),
            submitted="2026-10-05T10:00:00Z",
        ),
        "2c3d4e5f60718293a4b5c6d7e8f90a1b": order(
            "2c3d4e5f60718293a4b5c6d7e8f90a1b",
            5003,
            None,
            ("Guest", "Shopper", "guest@example.net", "555-0100"),
            status="Completed",
            payment_status="Paid",
            fulfillment="Fulfilled",
            shipped=True,
            actions=[],
            payment=payment("p5003", "Collected", 59.0, 59.0, ["CreditPayment"]),
            submitted="2026-09-20T10:00:00Z",
        ),
    }
    first, _, third = orders.values()
    returns = {
        "9f8e7d6c5b4a39281706f5e4d3c2b1a0": a_return(
            "9f8e7d6c5b4a39281706f5e4d3c2b1a0",
            7001,
            first,
            status="Authorized",
            kind="Refund",
            actions=["Cancel", "Close"],
            reason="Damaged",
            created="2026-10-06T09:00:00Z",
        ),
        "8e7d6c5b4a39281706f5e4d3c2b1a09f": a_return(
            "8e7d6c5b4a39281706f5e4d3c2b1a09f",
            7002,
            third,
            status="Created",
            kind="Replace",
            actions=["Authorize", "Reject", "Cancel"],
            reason="Defective",
            created="2026-09-25T09:00:00Z",
        ),
    }
    cards = {
        1001: [
            {
                "id": "card1",
                "nameOnCard": "Ana Nunez",
                "cardType": "Visa",
                "cardNumberPart": "************4242",
                "expireMonth": 12,
                "expireYear": 2028,
                "contactId": 1,
                "isDefaultPayMethod": True,
            }
        ]
    }
    credits = [
        {
            "code": "SC-1001-A",
            "creditType": "StoreCredit",
            "currencyCode": "USD",
            "initialBalance": 20.0,
            "currentBalance": 12.5,
            "customerId": 1001,
            "activationDate": "2026-02-01T00:00:00Z",
            "expirationDate": "2027-02-01T00:00:00Z",
        },
        {
            "code": "GC-1002-B",
            "creditType": "GiftCard",
            "currencyCode": "USD",
            "initialBalance": 50.0,
            "currentBalance": 50.0,
            "customerId": 1002,
            "activationDate": "2026-06-01T00:00:00Z",
            "expirationDate": "2027-06-01T00:00:00Z",
        },
    ]
    # SC-1001-A was partly spent on order 5001 (20.00 issued, 12.50 left).
    credit_transactions = {
        "SC-1001-A": [
            {
                "id": 1,
                "transactionType": "Debit",
                "impactAmount": -7.5,
                "orderId": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "comments": "Order 5001",
                "auditInfo": audit("2026-10-01T10:00:00Z"),
            }
        ]
    }
    audit_log = {
        1001: [
            {
                "customerAccountId": 1001,
                "customerAuditEntryId": n,
                "entryDate": f"2026-0{n}-01T10:00:00Z",
                "entryUser": "csr@store",
                "application": "Admin",
                "description": "Updated",
                "fieldPath": "/Customer/EmailAddress",
                "oldValue": f"old{n}@x.com",
                "newValue": f"new{n}@x.com",
            }
            for n in range(1, 4)
        ]
    }
    wishlists = [
        {
            "id": "w1",
            "name": "Birthday",
            "customerAccountId": 1001,
            "items": [
                {
                    "id": "wi1",
                    "quantity": 1,
                    "product": {"productCode": "SKU-TEE", "name": "T-Shirt"},
                    "unitPrice": {"listAmount": 25.0},
                }
            ],
            "auditInfo": audit("2026-06-01T10:00:00Z"),
        }
    ]
    return {
        "accounts": accounts,
        "orders": orders,
        "returns": returns,
        "cards": cards,
        "credits": credits,
        "credit_transactions": credit_transactions,
        "audit": audit_log,
        "wishlists": wishlists,
        "segments": [segment(code) for code in SEGMENT_CODES],
    }
