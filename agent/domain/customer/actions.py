"""Customer actions: names as in available_actions.customer_actions, one request model each."""

from __future__ import annotations

from agent.domain.catalog import ActionDef, register
from shared_schema.actions_customers import (
    AccountRequest,
    AddAddressRequest,
    AddCustomerNoteRequest,
    AddLoginRequest,
    AdjustStoreCreditRequest,
    ContactRequest,
    DeleteCustomerNoteRequest,
    EditAddressRequest,
    EditCustomerNoteRequest,
    EditGeneralRequest,
    EditStoreCreditExpiryRequest,
    IssueStoreCreditRequest,
    SegmentRequest,
    SetAttributeRequest,
    SetPrimaryAddressRequest,
    StoreCreditRequest,
)

register(
    ActionDef("customer", "edit_general", "Edit general info", EditGeneralRequest),
    ActionDef("customer", "add_address", "Add address", AddAddressRequest),
    ActionDef("customer", "edit_address", "Edit address", EditAddressRequest),
    ActionDef("customer", "delete_address", "Delete address", ContactRequest, destructive=True),
    ActionDef("customer", "set_primary_address", "Set primary address", SetPrimaryAddressRequest),
    ActionDef("customer", "disable_account", "Disable account", AccountRequest, destructive=True),
    ActionDef("customer", "enable_account", "Enable account", AccountRequest),
    ActionDef("customer", "unlock_account", "Unlock account", AccountRequest),
    ActionDef("customer", "send_password_reset", "Send password reset", AccountRequest),
    ActionDef("customer", "require_password_change", "Require password change", AccountRequest),
    ActionDef("customer", "add_login", "Add login", AddLoginRequest),
    ActionDef("customer", "add_note", "Add note", AddCustomerNoteRequest),
    ActionDef("customer", "edit_note", "Edit note", EditCustomerNoteRequest),
    ActionDef(
        "customer", "delete_note", "Delete note", DeleteCustomerNoteRequest, destructive=True
    ),
    ActionDef("customer", "set_attribute", "Set attribute", SetAttributeRequest),
    ActionDef("customer", "add_segment", "Add to segment", SegmentRequest),
    ActionDef("customer", "remove_segment", "Remove from segment", SegmentRequest),
    ActionDef(
        "customer",
        "issue_store_credit",
        "Issue store credit",
        IssueStoreCreditRequest,
        money_or_cancel=True,
    ),
    ActionDef(
        "customer",
        "adjust_store_credit",
        "Adjust store credit",
        AdjustStoreCreditRequest,
        money_or_cancel=True,
    ),
    ActionDef(
        "customer",
        "edit_store_credit_expiry",
        "Change store credit expiry date",
        EditStoreCreditExpiryRequest,
    ),
    # Takes whatever balance is left away from the shopper: a key and a confirmation.
    ActionDef(
        "customer",
        "delete_store_credit",
        "Delete store credit",
        StoreCreditRequest,
        money_or_cancel=True,
        destructive=True,
    ),
    ActionDef(
        "customer", "resend_store_credit_email", "Resend store credit email", StoreCreditRequest
    ),
)
