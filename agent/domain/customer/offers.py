"""What a customer account's state offers (docs/kibo-reference.md §3.1, §5.1).

Disable/enable/unlock/reset and forcing a password change apply to registered shoppers only;
a guest account is offered a login instead. Each customer action's declaration
(customer/actions.py) names the predicate below that says whether the state allows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.domain import catalog
from shared_schema.entities import CustomerDetail


@dataclass(frozen=True)
class CustomerState:
    account_status: str
    registered: bool
    contact_count: int
    note_count: int
    segment_count: int
    store_credit_count: int
    password_change_required: bool = False


def has_contacts(customer: CustomerState) -> bool:
    return customer.contact_count > 0


def has_notes(customer: CustomerState) -> bool:
    return customer.note_count > 0


def has_store_credit(customer: CustomerState) -> bool:
    return customer.store_credit_count > 0


def can_enable(customer: CustomerState) -> bool:
    return customer.registered and customer.account_status == "Disabled"


def enabled_login(customer: CustomerState) -> bool:
    """A registered account not disabled: it can be disabled, or sent a password reset."""
    return customer.registered and customer.account_status != "Disabled"


def can_unlock(customer: CustomerState) -> bool:
    return customer.registered and customer.account_status == "Locked"


def can_require_password_change(customer: CustomerState) -> bool:
    return customer.registered and not customer.password_change_required


def customer_actions(customer: CustomerState) -> list[str]:
    """The customer actions ``customer`` offers, in the order the panel lists them."""
    return catalog.offered("customer", customer)


def customer_state(customer: CustomerDetail) -> CustomerState:
    return CustomerState(
        account_status=customer.account_status,
        registered=customer.registered,
        contact_count=len(customer.contacts),
        note_count=len(customer.notes),
        segment_count=len(customer.segments),
        store_credit_count=len(customer.store_credits),
        password_change_required=customer.password_change_required,
    )


def refresh_customer_actions(customer: CustomerDetail) -> CustomerDetail:
    customer.available_actions = customer_actions(customer_state(customer))
    return customer
