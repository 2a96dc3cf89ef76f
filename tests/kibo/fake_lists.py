"""What each list call of the fake tenant accepts: filter and sortBy fields, ``q``, the site.

A field is here only with evidence that Kibo accepts it; anything else gets Kibo's 400, so the
backend cannot rely on a field nobody has seen work. Field names compare without case (Kibo's
admin sends ``billinginfo.billingcontact.firstname`` and ``OrderNumber`` alike). Text values
compare with case, except where a Kibo test filters with another case than the data holds.

Evidence, cited per field below (docs/kibo.md keeps the same table):

- ``admin-orders``: Mozu/core-theme Mozu.SiteBuilder.UX.Admin/Helpers/OrderHelpers/
  OrderFilterExtensions.cs and OrderSortExtensions.cs (Kibo's own admin, Mozu era)
- ``admin-returns``: the same folder's ReturnHelpers/ReturnFilterExtensions.cs,
  ReturnSortExtensions.cs and Api/ReturnController.cs (default sort ``returnNumber desc``)
- ``admin-customers``: CustomerHelpers/CustomerFilterExtensions.cs and CustomerSortExtensions.cs
  (accounts and store credits), WishlistHelpers/WishlistFilterExtensions.cs
- ``sdk-tests``: Mozu/mozu-dotnet Mozu.Api.Test/MsTestCases/CustomerTests.cs, OrderTests.cs,
  OrderReturnTests.cs (Kibo's SDK tests, run against a tenant)
- ``kibo-sample``: KiboSoftware/kibo-commerce-mcp src/tools/customer-tools.ts, order-tools.ts
  (Kibo's own sample; deprecated, so only where it agrees with the rest)
- ``help``: Kibo's help on the Customers grid, whose Advanced Filter has a phone number
  (docs/kibo-reference.md §6.4); the field path is the schema's, beside evidenced siblings
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PAGE_SIZE = 200  # "The default value is 20 and the maximum value is 200" (the documents)
DEFAULT_PAGE_SIZE = 20
PHONE_KINDS = ("home", "mobile", "work")


@dataclass(frozen=True)
class Field:
    path: str  # where the value sits in the document
    evidence: str
    fold_case: bool = False  # Kibo compares this text without case (evidence needed)


@dataclass(frozen=True)
class ListRules:
    name: str
    filters: dict[str, Field]
    sorts: dict[str, Field] = field(default_factory=dict)
    q_fields: tuple[str, ...] = ()
    site_level: bool = False  # refused without x-vol-site

    def filter_field(self, name: str) -> Field | None:
        return self.filters.get(name.lower())

    def sort_field(self, name: str) -> Field | None:
        return self.sorts.get(name.lower())


def _phones(prefix: str, path: str, evidence: str) -> dict[str, Field]:
    return {
        f"{prefix}.phonenumbers.{kind}": Field(f"{path}.phoneNumbers.{kind}", evidence)
        for kind in PHONE_KINDS
    }


ACCOUNTS = ListRules(
    "customer accounts",
    filters={
        "customeraccountid": Field("id", "admin-customers: a number typed in quick search"),
        "isactive": Field("isActive", "admin-customers"),
        "customerset": Field("customerSet", "admin-customers"),
        "accounttype": Field("accountType", "admin-customers"),
        "userid": Field("userId", "admin-customers"),
        "segments.id": Field("segments.id", "admin-customers"),
        "acceptsmarketing": Field("acceptsMarketing", "sdk-tests"),
        "firstname": Field("firstName", "sdk-tests (firstname eq)"),
        "lastname": Field("lastName", "sdk-tests (lastname eq)"),
        "emailaddress": Field("emailAddress", "kibo-sample (emailAddress eq)"),
        "contacts.firstname": Field("contacts.firstName", "sdk-tests (eq, sw, cont)"),
        "contacts.lastnameorsurname": Field(
            "contacts.lastNameOrSurname", "sdk-tests (eq, sw, cont)"
        ),
        "contacts.email": Field("contacts.email", "sdk-tests (eq, sw, cont)"),
        "commercesummary.wishlistcount": Field("commerceSummary.wishlistCount", "sdk-tests"),
        "commercesummary.totalorderamount": Field(
            "commerceSummary.totalOrderAmount.amount", "sdk-tests"
        ),
        **_phones("contacts", "contacts", "help: the phone number filter of the Customers grid"),
    },
    sorts={
        "id": Field("id", "admin-customers"),
        "userid": Field("userId", "admin-customers"),
        "isactive": Field("isActive", "admin-customers"),
        "companyororganization": Field("companyOrOrganization", "admin-customers"),
        "createdate": Field("auditInfo.createDate", "admin-customers, sdk-tests"),
        "lastorderdate": Field("commerceSummary.lastOrderDate", "admin-customers"),
        "commercesummary.ordercount": Field("commerceSummary.orderCount", "admin-customers"),
        "commercesummary.wishlistcount": Field(
            "commerceSummary.wishlistCount", "admin-customers, sdk-tests"
        ),
        "commercesummary.totalorderamount": Field(
            "commerceSummary.totalOrderAmount.amount", "admin-customers, sdk-tests"
        ),
        "lastname": Field("lastName", "kibo-sample ('lastName desc')"),
        "firstname": Field("firstName", "admin-customers passes grid columns through"),
        "emailaddress": Field("emailAddress", "kibo-sample ('emailAddress asc')"),
    },
    q_fields=("firstName", "lastName", "emailAddress"),
)

ORDERS = ListRules(
    "orders",
    filters={
        "ordernumber": Field("orderNumber", "admin-orders (OrderNumber eq)"),
        "id": Field("id", "admin-orders"),
        "status": Field("status", "admin-orders; sdk-tests filter 'accepted'", fold_case=True),
        "paymentstatus": Field("paymentStatus", "admin-orders"),
        "fulfillmentstatus": Field("fulfillmentStatus", "admin-orders"),
        "channelcode": Field("channelCode", "admin-orders"),
        "siteid": Field("siteId", "admin-orders"),
        "type": Field("type", "admin-orders"),
        "total": Field("total", "admin-orders (total GE / LE)"),
        "customeraccountid": Field("customerAccountId", "admin-orders (CustomerAccountId eq)"),
        "email": Field("email", "admin-orders (email cont)"),
        "updatedate": Field("auditInfo.updateDate", "admin-orders"),
        "submitteddate": Field("submittedDate", "kibo-sample (submittedDate ge / le)"),
        "billinginfo.billingcontact.firstname": Field(
            "billingInfo.billingContact.firstName", "admin-orders"
        ),
        "billinginfo.billingcontact.lastnameorsurname": Field(
            "billingInfo.billingContact.lastNameOrSurname", "admin-orders"
        ),
        "billinginfo.billingcontact.email": Field(
            "billingInfo.billingContact.email", "admin-orders"
        ),
        "fulfillmentinfo.fulfillmentcontact.email": Field(
            "fulfillmentInfo.fulfillmentContact.email", "admin-orders"
        ),
        **_phones(
            "billinginfo.billingcontact",
            "billingInfo.billingContact",
            "path inferred: the billing contact's names and address are filtered by admin-orders",
        ),
    },
    sorts={
        "ordernumber": Field("orderNumber", "admin-orders (default 'ordernumber desc')"),
        "billingcontact.lastname": Field(
            "billingInfo.billingContact.lastNameOrSurname", "admin-orders"
        ),
        "billingcontact.firstname": Field("billingInfo.billingContact.firstName", "admin-orders"),
        "createdate": Field("auditInfo.createDate", "admin-orders"),
        "total": Field("total", "admin-orders"),
        "status": Field("status", "admin-orders"),
        "type": Field("type", "admin-orders (ordertype -> type)"),
        "submitteddate": Field("submittedDate", "kibo-sample ('submittedDate desc')"),
    },
    q_fields=(
        "billingInfo.billingContact.firstName",
        "billingInfo.billingContact.lastNameOrSurname",
        "email",
    ),
    site_level=True,
)

RETURNS = ListRules(
    "returns",
    filters={
        "returnnumber": Field("returnNumber", "admin-returns"),
        "id": Field("id", "admin-returns"),
        "originalorderid": Field("originalOrderId", "admin-returns, sdk-tests"),
        "returnstatus": Field("status", "admin-returns (the list's status filter)"),
        "receivestatus": Field("receiveStatus", "admin-returns"),
        "refundstatus": Field("refundStatus", "admin-returns"),
        "replacestatus": Field("replaceStatus", "admin-returns"),
        "channelcode": Field("channelCode", "admin-returns"),
        "status": Field("status", "admin-returns (status ne, with originalorderid)"),
        "customeraccountid": Field("customerAccountId", "admin-returns (CustomerAccountId eq)"),
        "contact.firstname": Field("contact.firstName", "admin-returns (sw)"),
        "contact.lastnameorsurname": Field("contact.lastNameOrSurname", "admin-returns (sw)"),
        "contact.email": Field("contact.email", "admin-returns (sw)"),
        **_phones(
            "contact",
            "contact",
            "path inferred: the return contact's names and email are filtered by admin-returns",
        ),
    },
    sorts={"returnnumber": Field("returnNumber", "admin-returns (default 'returnNumber desc')")},
    q_fields=("contact.firstName", "contact.lastNameOrSurname", "contact.email"),
    site_level=True,
)

CREDITS = ListRules(
    "store credits",
    filters={
        "customerid": Field("customerId", "admin-customers (store credit CustomerId eq)"),
        "code": Field("code", "admin-customers (store credit Code sw / eq)"),
    },
)

WISHLISTS = ListRules(
    "wishlists",
    filters={"customeraccountid": Field("customerAccountId", "admin-customers (wishlists)")},
)

SEGMENTS = ListRules(
    "segments",
    filters={"code": Field("code", "admin-customers (code / nameorcode)")},
)

AUDIT_ENTRIES = ListRules(
    "audit log entries",
    filters={},
    sorts={"entrydate": Field("entryDate", "unverified: the agent's newest-first audit log")},
)

RULES = {
    "accounts": ACCOUNTS,
    "orders": ORDERS,
    "returns": RETURNS,
    "credits": CREDITS,
    "wishlists": WISHLISTS,
    "segments": SEGMENTS,
    "audit": AUDIT_ENTRIES,
}
