"""Customer action rules, pure: the happy path and each refusal of every action."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from agent.domain.customer.addresses import (
    add_address,
    delete_address,
    edit_address,
    set_primary_address,
)
from agent.domain.customer.credit import (
    adjust_store_credit,
    delete_store_credit,
    edit_store_credit_expiry,
    issue_store_credit,
    resend_store_credit_email,
)
from agent.domain.customer.login import add_login, require_password_change
from agent.domain.customer.profile import (
    add_segment,
    disable_account,
    edit_general,
    enable_account,
    lock_account,
    remove_segment,
    send_password_reset,
    set_attribute,
    unlock_account,
)
from agent.domain.outcome import ActionContext, ActionRefused
from shared_schema import actions_customers as req
from shared_schema.entities import (
    Address,
    Contact,
    ContactType,
    CustomerDetail,
    Note,
    StoreCredit,
    StoreCreditTransaction,
)

CTX = ActionContext(who="Dana Reyes", session_id="s1", now="2026-11-26T14:00:00Z")
HOME = Address(address1="1 Main St", city="Austin", state="TX", postal_code="78701", country="US")
WORK = Address(address1="9 Work Rd", city="Austin", state="TX", postal_code="78702", country="US")


class NoLookup:
    """Customer rules read no other entity; logins are free unless ``taken`` names them."""

    def __init__(self, taken: dict[str, int] | None = None) -> None:
        self.taken = taken or {}

    def customer_holding(self, login: str, value: str, other_than: int) -> int | None:
        holder = self.taken.get(value.lower())
        return holder if holder != other_than else None

    def customer(self, customer_id: int) -> BaseModel:
        raise AssertionError("unexpected lookup")

    def order(self, number: int) -> BaseModel:
        raise AssertionError("unexpected lookup")

    def return_(self, number: int) -> BaseModel:
        raise AssertionError("unexpected lookup")


LOOKUP = NoLookup()


def _contact(cid: int, address: Address, *types: tuple[str, bool]) -> Contact:
    return Contact(
        id=cid,
        label=f"C{cid}",
        first_name="Ana",
        last_name="Ruiz",
        email="ana@example.com",
        phone="+1 512 555 0100",
        address=address,
        types=[ContactType(name=n, is_primary=p) for n, p in types],
    )  # type: ignore[arg-type]


def customer(**changes: Any) -> CustomerDetail:
    doc = CustomerDetail(
        id="1001",
        version=3,
        first_name="Ana",
        last_name="Ruiz",
        full_name="Ana Ruiz",
        initials="AR",
        email="ana@example.com",
        username="ana",
        phone="+1 512 555 0100",
        registered=True,
        account_status="Active",
        customer_set="default",
        segments=["VIP"],
        created_at="2024-01-01T00:00:00Z",
        updated_at="2025-01-01T00:00:00Z",
        accepts_marketing=False,
        tax_exempt=False,
        tax_id="",
        currency="USD",
        lifetime_value_cents=0,
        order_count=0,
        last_order_at=None,
        primary_address=HOME,
        contacts=[
            _contact(1, HOME, ("Billing", True), ("Shipping", True)),
            _contact(2, WORK, ("Shipping", False)),
        ],
        payment_methods=[],
        attributes=[],
        wishlists=[],
        notes=[
            Note(
                id="1001-note-1",
                text="Prefers email",
                created_at="2025-01-01T00:00:00Z",
                created_by="Sam",
            )
        ],
        store_credits=[
            StoreCredit(
                code="SC-0000000001",
                credit_type="StoreCredit",
                currency="USD",
                initial_balance_cents=5000,
                current_balance_cents=3000,
                activated_at="2025-01-01T00:00:00Z",
                transactions=[
                    StoreCreditTransaction(
                        id=1,
                        at="2025-01-01T00:00:00Z",
                        transaction_type="Created",
                        impact_cents=5000,
                    ),
                    StoreCreditTransaction(
                        id=2,
                        at="2025-02-01T00:00:00Z",
                        transaction_type="Debit",
                        impact_cents=-2000,
                    ),
                ],
            )
        ],
    )
    return doc.model_copy(update=changes)


def refused(fn: Any, doc: CustomerDetail, request: Any) -> ActionRefused:
    with pytest.raises(ActionRefused) as caught:
        fn(doc, request, CTX, LOOKUP)
    return caught.value


# --- general info -------------------------------------------------------------------------


def test_edit_general_changes_only_the_fields_sent() -> None:
    request = req.EditGeneralRequest(
        expected_version=3,
        first_name="Anna",
        email="a@b.example",
        tax_exempt=True,
        last_name="Ruiz",
    )
    out = edit_general(customer(), request, CTX, LOOKUP)
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("first_name", "Ana", "Anna"),
        ("email", "ana@example.com", "a@b.example"),
        ("tax_exempt", False, True),
    ]
    assert (out.document.full_name, out.document.initials) == ("Anna Ruiz", "AR")
    assert out.document.username == "ana" and out.document.accepts_marketing is False


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"email": "not-an-email"}, "invalid_email", "email"),
        ({"email": "a@b"}, "invalid_email", "email"),
        ({"first_name": "   "}, "blank_name", "first_name"),
        ({"username": "has space"}, "invalid_username", "username"),
        ({"first_name": "Ana"}, "no_change", "(body)"),
    ],
)
def test_edit_general_refuses_bad_input(fields: dict[str, Any], code: str, field: str) -> None:
    problem = refused(
        edit_general, customer(), req.EditGeneralRequest(expected_version=3, **fields)
    )
    assert (problem.status, problem.code, problem.field) == (422, code, field)


@pytest.mark.parametrize(
    ("fields", "login"),
    [
        ({"email": "Taken@Example.com"}, "email"),
        ({"username": "TAKEN.LOGIN"}, "username"),
    ],
)
def test_a_login_another_customer_holds_is_refused(fields: dict[str, Any], login: str) -> None:
    lookup = NoLookup({"taken@example.com": 42, "taken.login": 42})
    with pytest.raises(ActionRefused) as caught:
        edit_general(customer(), req.EditGeneralRequest(expected_version=3, **fields), CTX, lookup)
    problem = caught.value
    assert (problem.status, problem.code, problem.field) == (409, f"{login}_taken", login)
    assert "Customer 42" in problem.message
    mine = NoLookup({"ana@example.com": int(customer().id)})  # a change of case only is fine
    out = edit_general(
        customer(), req.EditGeneralRequest(expected_version=3, email="Ana@Example.com"), CTX, mine
    )
    assert out.document.email == "Ana@Example.com"


def test_guest_has_no_username() -> None:
    problem = refused(
        edit_general,
        customer(registered=False, username=""),
        req.EditGeneralRequest(expected_version=3, username="newlogin"),
    )
    assert (problem.status, problem.code) == (409, "guest_account")


def test_request_model_refuses_wrong_types() -> None:
    with pytest.raises(ValidationError):
        req.EditGeneralRequest.model_validate({"expected_version": 3, "tax_exempt": "yes"})
    with pytest.raises(ValidationError):
        req.EditGeneralRequest.model_validate({"expected_version": 3, "nickname": "x"})


# --- account ------------------------------------------------------------------------------


def test_disable_enable_unlock() -> None:
    request = req.AccountRequest(expected_version=3)
    out = disable_account(customer(), request, CTX, LOOKUP)
    assert out.document.account_status == "Disabled"
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("account_status", "Active", "Disabled")
    ]
    assert (
        enable_account(
            customer(account_status="Disabled"), request, CTX, LOOKUP
        ).document.account_status
        == "Active"
    )
    assert (
        unlock_account(
            customer(account_status="Locked"), request, CTX, LOOKUP
        ).document.account_status
        == "Active"
    )


def test_account_refusals() -> None:
    request = req.AccountRequest(expected_version=3)
    assert (
        refused(disable_account, customer(account_status="Disabled"), request).code
        == "already_disabled"
    )
    assert refused(enable_account, customer(), request).code == "not_disabled"
    assert refused(unlock_account, customer(), request).code == "not_locked"
    guest = customer(registered=False, username="")
    for rule in (disable_account, enable_account, unlock_account, send_password_reset):
        assert refused(rule, guest, request).code == "guest_account"
    assert (
        refused(send_password_reset, customer(account_status="Disabled"), request).code
        == "account_disabled"
    )


def test_lock_account_stops_sign_ins_until_unlocked() -> None:
    request = req.AccountRequest(expected_version=3)
    out = lock_account(customer(), request, CTX, LOOKUP)
    assert out.document.account_status == "Locked"
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("account_status", "Active", "Locked")
    ]
    assert out.emails == [] and "unlocked" in out.message
    assert unlock_account(out.document, request, CTX, LOOKUP).document.account_status == "Active"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"account_status": "Locked"}, "already_locked"),
        ({"account_status": "Disabled"}, "account_disabled"),
        ({"registered": False, "username": ""}, "guest_account"),
    ],
)
def test_lock_account_refusals(changes: dict[str, Any], code: str) -> None:
    problem = refused(lock_account, customer(**changes), req.AccountRequest(expected_version=3))
    assert (problem.status, problem.code) == (409, code)


def test_password_reset_emails_the_account_and_changes_nothing() -> None:
    doc = customer()
    out = send_password_reset(doc, req.AccountRequest(expected_version=3), CTX, LOOKUP)
    assert out.changes == [] and out.document == customer()
    assert [(e.template, e.to) for e in out.emails] == [("password_reset", "ana@example.com")]


# --- attributes and segments ----------------------------------------------------------------


def test_set_and_remove_attribute() -> None:
    fqn = "tenant~loyalty-tier"
    out = set_attribute(
        customer(),
        req.SetAttributeRequest(expected_version=3, fqn=fqn, values=["Gold"]),
        CTX,
        LOOKUP,
    )
    assert [(a.fqn, a.label, a.values) for a in out.document.attributes] == [
        (fqn, "Loyalty tier", ["Gold"])
    ]
    out = set_attribute(
        out.document, req.SetAttributeRequest(expected_version=3, fqn=fqn, values=[]), CTX, LOOKUP
    )
    assert out.document.attributes == [] and out.changes[0].old == ["Gold"]


def test_attribute_refusals() -> None:
    assert (
        refused(
            set_attribute,
            customer(),
            req.SetAttributeRequest(expected_version=3, fqn="tenant~nope", values=["x"]),
        ).code
        == "unknown_attribute"
    )
    assert (
        refused(
            set_attribute,
            customer(),
            req.SetAttributeRequest(
                expected_version=3, fqn="tenant~loyalty-tier", values=["Platinum"]
            ),
        ).code
        == "invalid_attribute_value"
    )
    assert (
        refused(
            set_attribute,
            customer(),
            req.SetAttributeRequest(expected_version=3, fqn="tenant~loyalty-tier", values=[]),
        ).code
        == "no_change"
    )


def test_segments() -> None:
    out = add_segment(
        customer(), req.SegmentRequest(expected_version=3, segment="Newsletter"), CTX, LOOKUP
    )
    assert out.document.segments == ["VIP", "Newsletter"]
    out = remove_segment(
        customer(), req.SegmentRequest(expected_version=3, segment="VIP"), CTX, LOOKUP
    )
    assert out.document.segments == [] and out.changes[0].old == ["VIP"]
    assert (
        refused(add_segment, customer(), req.SegmentRequest(expected_version=3, segment="VIP")).code
        == "already_in_segment"
    )
    assert (
        refused(
            remove_segment, customer(), req.SegmentRequest(expected_version=3, segment="Loyalty")
        ).code
        == "not_in_segment"
    )
    assert (
        refused(
            add_segment, customer(), req.SegmentRequest(expected_version=3, segment="Gold")
        ).code
        == "unknown_segment"
    )


# --- addresses ------------------------------------------------------------------------------


def _primaries(doc: CustomerDetail) -> dict[str, list[int]]:
    return {
        name: [c.id for c in doc.contacts for t in c.types if t.name == name and t.is_primary]
        for name in ("Billing", "Shipping")
    }


def _address_in(**changes: Any) -> req.AddressIn:
    base = {
        "address1": "5 New Ave",
        "city": "Toronto",
        "state": "ON",
        "postal_code": "M5V",
        "country": "CA",
    }
    return req.AddressIn(**(base | changes))


def test_add_primary_billing_address_moves_the_primary() -> None:
    request = req.AddAddressRequest(
        expected_version=3,
        first_name="Ana",
        address=_address_in(),
        label="Cottage",
        types=[req.ContactTypeIn(name="Billing", is_primary=True)],
    )
    out = add_address(customer(), request, CTX, LOOKUP)
    assert _primaries(out.document) == {"Billing": [3], "Shipping": [1]}
    assert out.document.primary_address == Address(**_address_in().model_dump())
    assert {c.field for c in out.changes} == {"contacts[1]", "contacts[3]", "primary_address"}


def test_edit_delete_and_set_primary_keep_one_primary_per_type() -> None:
    out = edit_address(
        customer(),
        req.EditAddressRequest(
            expected_version=3, contact_id=2, address=_address_in(city="Ottawa")
        ),
        CTX,
        LOOKUP,
    )
    assert out.document.contacts[1].address.city == "Ottawa"
    assert [c.field for c in out.changes] == ["contacts[2]"]
    out = delete_address(
        customer(), req.ContactRequest(expected_version=3, contact_id=1), CTX, LOOKUP
    )
    assert _primaries(out.document) == {"Billing": [], "Shipping": [2]}
    assert out.document.primary_address == WORK
    out = set_primary_address(
        customer(),
        req.SetPrimaryAddressRequest(expected_version=3, contact_id=2, type="Shipping"),
        CTX,
        LOOKUP,
    )
    assert _primaries(out.document) == {"Billing": [1], "Shipping": [2]}
    out = set_primary_address(
        customer(),
        req.SetPrimaryAddressRequest(expected_version=3, contact_id=2, type="Billing"),
        CTX,
        LOOKUP,
    )
    assert _primaries(out.document) == {"Billing": [2], "Shipping": [1]}
    assert out.document.primary_address == WORK


def test_address_refusals() -> None:
    assert (
        refused(
            edit_address,
            customer(),
            req.EditAddressRequest(expected_version=3, contact_id=9, label="x"),
        ).code
        == "address_not_found"
    )
    assert (
        refused(
            edit_address,
            customer(),
            req.EditAddressRequest(expected_version=3, contact_id=1, email="nope"),
        ).code
        == "invalid_email"
    )
    assert (
        refused(
            edit_address,
            customer(),
            req.EditAddressRequest(expected_version=3, contact_id=1, label="C1"),
        ).code
        == "no_change"
    )
    assert (
        refused(
            delete_address, customer(), req.ContactRequest(expected_version=3, contact_id=9)
        ).code
        == "address_not_found"
    )
    assert (
        refused(
            set_primary_address,
            customer(),
            req.SetPrimaryAddressRequest(expected_version=3, contact_id=1, type="Billing"),
        ).code
        == "no_change"
    )
    assert (
        refused(
            add_address,
            customer(),
            req.AddAddressRequest(
                expected_version=3,
                first_name="A",
                address=_address_in(),
                types=[req.ContactTypeIn(name="Billing"), req.ContactTypeIn(name="Billing")],
            ),
        ).code
        == "duplicate_type"
    )
    with pytest.raises(ValidationError):
        _address_in(country="Canada")


# --- store credit ---------------------------------------------------------------------------


def test_issue_store_credit() -> None:
    out = issue_store_credit(
        customer(),
        req.IssueStoreCreditRequest(expected_version=3, amount_cents=2500, comments="Late parcel"),
        CTX,
        LOOKUP,
    )
    credit = out.document.store_credits[-1]
    assert credit.code.startswith("SC-") and len(credit.code) == 13
    assert (credit.current_balance_cents, credit.currency, credit.expires_at) == (
        2500,
        "USD",
        "2027-11-26T14:00:00Z",
    )
    assert [(t.transaction_type, t.impact_cents, t.comments) for t in credit.transactions] == [
        ("Created", 2500, "Late parcel")
    ]
    assert "$25.00" in out.message


def test_issue_store_credit_refusals() -> None:
    assert (
        refused(
            issue_store_credit,
            customer(),
            req.IssueStoreCreditRequest(expected_version=3, amount_cents=100, currency="CAD"),
        ).code
        == "currency_mismatch"
    )
    for cents in (0, -5, req.MAX_CREDIT_CENTS + 1):
        with pytest.raises(ValidationError):
            req.IssueStoreCreditRequest(expected_version=3, amount_cents=cents)


def test_adjust_store_credit_records_a_transaction() -> None:
    out = adjust_store_credit(
        customer(),
        req.AdjustStoreCreditRequest(expected_version=3, code="SC-0000000001", amount_cents=-3000),
        CTX,
        LOOKUP,
    )
    credit = out.document.store_credits[0]
    assert credit.current_balance_cents == 0
    assert (credit.transactions[-1].id, credit.transactions[-1].impact_cents) == (3, -3000)
    assert [(c.old, c.new) for c in out.changes] == [(3000, 0)]


def test_adjust_store_credit_refusals() -> None:
    def adjust(code: str, cents: int) -> ActionRefused:
        return refused(
            adjust_store_credit,
            customer(),
            req.AdjustStoreCreditRequest(expected_version=3, code=code, amount_cents=cents),
        )

    below = adjust("SC-0000000001", -3001)
    assert (below.status, below.code, below.field) == (422, "balance_below_zero", "amount_cents")
    assert "$30.00" in below.message
    assert adjust("SC-404", 100).code == "credit_not_found"
    assert adjust("SC-0000000001", 0).code == "invalid_amount"
    assert adjust("SC-0000000001", req.MAX_CREDIT_CENTS).code == "balance_too_high"


# --- login: forced password change, a login for a guest ---------------------------------------


def guest(**changes: Any) -> CustomerDetail:
    return customer(registered=False, username="", **changes)


def test_require_password_change_sets_the_flag() -> None:
    out = require_password_change(customer(), req.AccountRequest(expected_version=3), CTX, LOOKUP)
    assert out.document.password_change_required is True
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("password_change_required", False, True)
    ]
    assert out.emails == [] and "next sign-in" in out.message


def test_require_password_change_refusals() -> None:
    request = req.AccountRequest(expected_version=3)
    again = refused(require_password_change, customer(password_change_required=True), request)
    assert (again.status, again.code) == (409, "password_change_already_required")
    assert (refused(require_password_change, guest(), request).code) == "guest_account"


def test_add_login_registers_the_guest_and_mails_a_set_password_link() -> None:
    out = add_login(
        guest(), req.AddLoginRequest(expected_version=3, username=" ana.r "), CTX, LOOKUP
    )
    doc = out.document
    assert (doc.registered, doc.username, doc.email) == (True, "ana.r", "ana@example.com")
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("username", "", "ana.r"),
        ("registered", False, True),
    ]
    assert [(e.template, e.to) for e in out.emails] == [("set_password", "ana@example.com")]
    assert "password" not in out.document.model_dump_json().replace("password_change", "")
    # Afterwards the registered-only actions are offered, the login no longer.
    from agent.domain.customer.offers import refresh_customer_actions

    actions = refresh_customer_actions(doc).available_actions
    assert {"send_password_reset", "require_password_change", "disable_account"} <= set(actions)
    assert "add_login" not in actions


def test_add_login_with_its_own_email() -> None:
    out = add_login(
        guest(),
        req.AddLoginRequest(expected_version=3, username="ana.r", email="Ana.R@Example.org"),
        CTX,
        LOOKUP,
    )
    assert out.document.email == "Ana.R@Example.org"
    assert ("email", "ana@example.com", "Ana.R@Example.org") in [
        (c.field, c.old, c.new) for c in out.changes
    ]
    assert out.emails[0].to == "Ana.R@Example.org"


@pytest.mark.parametrize(
    ("doc", "fields", "status", "code", "field"),
    [
        (customer(), {"username": "ana.r"}, 409, "already_registered", None),
        (guest(), {"username": "has space"}, 422, "invalid_username", "username"),
        (guest(), {"username": "ana.r", "email": "nope"}, 422, "invalid_email", "email"),
        (guest(email=""), {"username": "ana.r"}, 422, "email_required", "email"),
    ],
)
def test_add_login_refusals(
    doc: CustomerDetail, fields: dict[str, Any], status: int, code: str, field: str | None
) -> None:
    problem = refused(add_login, doc, req.AddLoginRequest(expected_version=3, **fields))
    assert (problem.status, problem.code, problem.field) == (status, code, field)


@pytest.mark.parametrize(
    ("fields", "login"),
    [
        ({"username": "Taken.Login"}, "username"),
        ({"username": "free.login", "email": "TAKEN@example.com"}, "email"),
        ({"username": "free.login"}, "email"),  # the account's own email is held elsewhere
    ],
)
def test_add_login_refuses_a_login_another_account_holds(
    fields: dict[str, Any], login: str
) -> None:
    lookup = NoLookup({"taken.login": 42, "taken@example.com": 42})
    doc = guest(email="taken@example.com") if "email" not in fields else guest()
    with pytest.raises(ActionRefused) as caught:
        add_login(doc, req.AddLoginRequest(expected_version=3, **fields), CTX, lookup)
    assert (caught.value.status, caught.value.code, caught.value.field) == (
        409,
        f"{login}_taken",
        login,
    )
    assert "Customer 42" in caught.value.message


def test_add_login_has_no_password_field() -> None:
    with pytest.raises(ValidationError):
        req.AddLoginRequest.model_validate(
            {"expected_version": 3, "username": "ana.r", "password": "hunter22"}
        )


# --- store credit: expiry, deletion, the email ------------------------------------------------


def unspent(**changes: Any) -> StoreCredit:
    base: dict[str, Any] = {
        "code": "GC-0000000002",
        "credit_type": "GiftCard",
        "currency": "USD",
        "initial_balance_cents": 2500,
        "current_balance_cents": 2500,
        "activated_at": "2026-06-01T00:00:00Z",
        "expires_at": "2027-06-01T00:00:00Z",
        "transactions": [
            StoreCreditTransaction(
                id=1, at="2026-06-01T00:00:00Z", transaction_type="Created", impact_cents=2500
            )
        ],
    }
    return StoreCredit(**(base | changes))


def with_credits(*extra: StoreCredit) -> CustomerDetail:
    return customer(store_credits=[*customer().store_credits, *extra])


def expiry(code: str, day: str) -> req.EditStoreCreditExpiryRequest:
    return req.EditStoreCreditExpiryRequest(expected_version=3, code=code, expires_on=day)


def test_change_the_expiry_date() -> None:
    out = edit_store_credit_expiry(
        with_credits(unspent()), expiry("GC-0000000002", "2028-01-31"), CTX, LOOKUP
    )
    credit = out.document.store_credits[1]
    assert credit.expires_at == "2028-01-31T23:59:59Z"
    assert credit.current_balance_cents == 2500 and len(credit.transactions) == 1
    assert [(c.field, c.old, c.new) for c in out.changes] == [
        ("store_credits[GC-0000000002].expires_at", "2027-06-01T00:00:00Z", "2028-01-31T23:59:59Z")
    ]
    # Today is allowed (valid through the end of the day); an expired credit comes back.
    lapsed = unspent(expires_at="2026-11-01T00:00:00Z")
    out = edit_store_credit_expiry(
        with_credits(lapsed), expiry("GC-0000000002", "2026-11-26"), CTX, LOOKUP
    )
    assert out.document.store_credits[1].expires_at == "2026-11-26T23:59:59Z"
    assert "can be spent again" in out.message
    # A credit without an expiry date gets one.
    out = edit_store_credit_expiry(customer(), expiry("SC-0000000001", "2027-01-01"), CTX, LOOKUP)
    assert out.changes[0].old is None


@pytest.mark.parametrize(
    ("code", "day", "status", "error"),
    [
        ("GC-0000000002", "2026-11-25", 422, "expiry_in_past"),
        ("GC-0000000002", "2026-02-30", 422, "invalid_date"),
        ("GC-0000000002", "2037-01-01", 422, "expiry_too_far"),
        ("GC-0000000002", "2027-06-01", 422, "no_change"),
        ("SC-404", "2027-01-01", 422, "credit_not_found"),
    ],
)
def test_expiry_refusals(code: str, day: str, status: int, error: str) -> None:
    problem = refused(edit_store_credit_expiry, with_credits(unspent()), expiry(code, day))
    assert (problem.status, problem.code) == (status, error)
    assert problem.field == ("code" if error == "credit_not_found" else "expires_on")


def test_expiry_before_activation_is_refused() -> None:
    future = unspent(activated_at="2027-01-01T00:00:00Z", expires_at="2028-01-01T00:00:00Z")
    problem = refused(
        edit_store_credit_expiry, with_credits(future), expiry("GC-0000000002", "2026-12-31")
    )
    assert (problem.code, problem.field) == ("expiry_before_activation", "expires_on")
    with pytest.raises(ValidationError):
        expiry("GC-0000000002", "31/12/2027")


def test_delete_an_unspent_credit_keeps_its_history_in_the_change() -> None:
    out = delete_store_credit(
        with_credits(unspent()),
        req.StoreCreditRequest(expected_version=3, code="GC-0000000002"),
        CTX,
        LOOKUP,
    )
    assert [c.code for c in out.document.store_credits] == ["SC-0000000001"]
    [change] = out.changes
    assert (change.field, change.new) == ("store_credits[GC-0000000002]", None)
    assert change.old["current_balance_cents"] == 2500
    assert change.old["transactions"][0]["transaction_type"] == "Created"
    assert "$25.00 is gone" in out.message
    # A credit adjusted down to zero (no order spent it) can go too, quietly.
    emptied = unspent(
        current_balance_cents=0,
        transactions=[
            *unspent().transactions,
            StoreCreditTransaction(
                id=2, at=CTX.now, transaction_type="Adjustment", impact_cents=-2500
            ),
        ],
    )
    out = delete_store_credit(
        with_credits(emptied),
        req.StoreCreditRequest(expected_version=3, code="GC-0000000002"),
        CTX,
        LOOKUP,
    )
    assert out.message == "Deleted GC-0000000002"


def test_a_credit_spent_on_an_order_is_not_deleted() -> None:
    request = req.StoreCreditRequest(expected_version=3, code="SC-0000000001")
    problem = refused(delete_store_credit, customer(), request)
    assert (problem.status, problem.code) == (409, "credit_used")
    assert "spent on an order (1 debit)" in problem.message
    assert (
        refused(
            delete_store_credit, customer(), req.StoreCreditRequest(expected_version=3, code="nope")
        ).code
        == "credit_not_found"
    )


def test_resend_the_credit_email() -> None:
    out = resend_store_credit_email(
        with_credits(unspent()),
        req.StoreCreditRequest(expected_version=3, code="GC-0000000002"),
        CTX,
        LOOKUP,
    )
    assert out.changes == [] and out.document == with_credits(unspent())
    [email] = out.emails
    assert (email.template, email.to) == ("store_credit", "ana@example.com")
    assert "GC-0000000002" in email.subject and "$25.00" in email.subject


@pytest.mark.parametrize(
    ("credit", "code"),
    [
        (unspent(current_balance_cents=0), "credit_empty"),
        (unspent(expires_at="2026-11-26T13:59:59Z"), "credit_expired"),
    ],
)
def test_resend_refusals(credit: StoreCredit, code: str) -> None:
    problem = refused(
        resend_store_credit_email,
        with_credits(credit),
        req.StoreCreditRequest(expected_version=3, code="GC-0000000002"),
    )
    assert (problem.status, problem.code, problem.field) == (409, code, "code")
    no_email = with_credits(unspent()).model_copy(update={"email": ""})
    assert (
        refused(
            resend_store_credit_email,
            no_email,
            req.StoreCreditRequest(expected_version=3, code="GC-0000000002"),
        ).code
        == "no_email"
    )
