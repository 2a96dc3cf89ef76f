"""Pure rules of store credit: issue, adjust, change the expiry date, delete, resend the email.

Transactions are a credit's history; a deleted credit's last state (transactions included)
stays in the audit log. Issuing, adjusting and deleting move money, so the API requires an
Idempotency-Key for them. A balance never goes below zero; amounts are integer minor units in
the customer's currency.

Our rules where Kibo's documents say nothing (docs/actions.md): an expiry date is today or
later (UTC, the credit stays valid through that day), not before the activation date and at
most ten years ahead; a credit with a Debit transaction (spent on an order) is never deleted;
the email goes out only for a credit with a balance that has not expired.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from agent.domain.common import refuse, reject_input
from agent.domain.outcome import (
    ActionContext,
    ActionOutcome,
    Change,
    Email,
    Lookup,
)
from shared_schema.actions_customers import (
    MAX_CREDIT_CENTS,
    AdjustStoreCreditRequest,
    EditStoreCreditExpiryRequest,
    IssueStoreCreditRequest,
    StoreCreditRequest,
)
from shared_schema.entities import CustomerDetail, StoreCredit, StoreCreditTransaction
from shared_schema.labels import money_text

VALIDITY = timedelta(days=365)
MAX_VALIDITY = timedelta(days=3653)  # ten years: a later expiry date is a typo


def money(cents: int, currency: str) -> str:
    return money_text(cents, currency)


def credit_code(doc: CustomerDetail, credit_type: str, now: str) -> str:
    """A code unique per customer, time and count: 'SC-' or 'GC-' and 10 digits."""
    seed = f"{doc.id}:{now}:{len(doc.store_credits)}:{credit_type}"
    digits = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") % 10**10
    return f"{'GC' if credit_type == 'GiftCard' else 'SC'}-{digits:010d}"


def _plus_year(now: str) -> str:
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) + VALIDITY
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def find_credit(doc: CustomerDetail, code: str) -> StoreCredit:
    credit = next((c for c in doc.store_credits if c.code == code), None)
    if credit is None:
        reject_input(f"Customer {doc.id} has no store credit '{code}'", "credit_not_found", "code")
    return credit


def expiry_for(credit: StoreCredit, expires_on: str, now: str) -> str:
    """The credit's new ``expires_at`` for the day ``expires_on``: its last second (UTC)."""
    try:
        day = date.fromisoformat(expires_on)
    except ValueError:
        reject_input(f"'{expires_on}' is not a date (YYYY-MM-DD)", "invalid_date", "expires_on")
    today = date.fromisoformat(now[:10])
    if day < today:
        reject_input(
            f"{day} is in the past: a store credit cannot expire before today ({today})",
            "expiry_in_past",
            "expires_on",
        )
    activated = date.fromisoformat(credit.activated_at[:10])
    if day < activated:
        reject_input(
            f"{credit.code} was activated on {activated}; it cannot expire before then",
            "expiry_before_activation",
            "expires_on",
        )
    if day > today + MAX_VALIDITY:
        reject_input(
            f"An expiry date may be at most ten years ahead (until {today + MAX_VALIDITY})",
            "expiry_too_far",
            "expires_on",
        )
    if credit.expires_at and credit.expires_at[:10] == day.isoformat():
        reject_input(f"{credit.code} already expires on {day}", "no_change", "expires_on")
    return f"{day.isoformat()}T23:59:59Z"


def spent_on_orders(credit: StoreCredit) -> int:
    """How many Debit transactions the credit has: each spent part of it on an order."""
    return sum(1 for t in credit.transactions if t.transaction_type == "Debit")


def refuse_deleting_spent(code: str, debits: int) -> None:
    if debits:
        refuse(
            f"Cannot delete {code}: it was spent on an order ({debits} debit"
            f"{'s' if debits > 1 else ''}), and the order's payment refers to it; adjust its "
            "balance to zero instead",
            "credit_used",
        )


def check_mailable(credit: StoreCredit, now: str) -> None:
    """The credit's email tells the shopper a code to spend: only while there is something to
    spend and the credit has not expired."""
    if credit.current_balance_cents <= 0:
        refuse(
            f"Cannot resend the email of {credit.code}: nothing is left to spend on it",
            "credit_empty",
            field="code",
        )
    if credit.expires_at and credit.expires_at <= now:
        refuse(
            f"Cannot resend the email of {credit.code}: it expired on "
            f"{credit.expires_at[:10]}; change its expiry date first",
            "credit_expired",
            field="code",
        )


def issue_store_credit(
    doc: CustomerDetail, request: IssueStoreCreditRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    if not 0 < request.amount_cents <= MAX_CREDIT_CENTS:
        reject_input(
            f"The amount must be more than 0 and at most {money(MAX_CREDIT_CENTS, doc.currency)}",
            "invalid_amount",
            "amount_cents",
        )
    if request.currency is not None and request.currency != doc.currency:
        reject_input(
            f"Customer {doc.id} buys in {doc.currency}, not {request.currency}",
            "currency_mismatch",
            "currency",
        )
    code = credit_code(doc, request.credit_type, ctx.now)
    if any(credit.code == code for credit in doc.store_credits):
        refuse(f"Store credit {code} exists already", "duplicate_credit")
    comments = request.comments.strip() or f"Issued by {ctx.who}"
    credit = StoreCredit(
        code=code,
        credit_type=request.credit_type,
        currency=doc.currency,
        initial_balance_cents=request.amount_cents,
        current_balance_cents=request.amount_cents,
        activated_at=ctx.now,
        expires_at=_plus_year(ctx.now),
        transactions=[
            StoreCreditTransaction(
                id=1,
                at=ctx.now,
                transaction_type="Created",
                impact_cents=request.amount_cents,
                comments=comments,
            )
        ],
    )
    doc.store_credits.append(credit)
    amount = money(request.amount_cents, doc.currency)
    label = "gift card" if request.credit_type == "GiftCard" else "store credit"
    return ActionOutcome(
        doc,
        [
            Change(
                f"store_credits[{code}]",
                None,
                credit.model_dump(mode="json", exclude={"transactions"}),
            )
        ],
        f"Issued {amount} of {label} ({code})",
    )


def adjust_store_credit(
    doc: CustomerDetail, request: AdjustStoreCreditRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    credit = find_credit(doc, request.code)
    if request.amount_cents == 0:
        reject_input("An adjustment of 0 changes nothing", "invalid_amount", "amount_cents")
    balance = credit.current_balance_cents + request.amount_cents
    if balance < 0:
        reject_input(
            f"Cannot take {money(-request.amount_cents, credit.currency)} from {credit.code}: "
            f"its balance is {money(credit.current_balance_cents, credit.currency)} and a "
            "balance never goes below zero",
            "balance_below_zero",
            "amount_cents",
        )
    if balance > MAX_CREDIT_CENTS:
        reject_input(
            f"A balance may not exceed {money(MAX_CREDIT_CENTS, credit.currency)}",
            "balance_too_high",
            "amount_cents",
        )
    old = credit.current_balance_cents
    credit.current_balance_cents = balance
    credit.transactions.append(
        StoreCreditTransaction(
            id=max((t.id for t in credit.transactions), default=0) + 1,
            at=ctx.now,
            transaction_type="Adjustment",
            impact_cents=request.amount_cents,
            comments=request.comments.strip() or f"Adjusted by {ctx.who}",
        )
    )
    change = Change(f"store_credits[{credit.code}].current_balance_cents", old, balance)
    return ActionOutcome(
        doc,
        [change],
        f"Adjusted {credit.code} by "
        f"{money(request.amount_cents, credit.currency)}: balance now "
        f"{money(balance, credit.currency)}",
    )


def edit_store_credit_expiry(
    doc: CustomerDetail, request: EditStoreCreditExpiryRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    credit = find_credit(doc, request.code)
    new = expiry_for(credit, request.expires_on, ctx.now)
    old = credit.expires_at
    credit.expires_at = new
    revived = " (it had expired: it can be spent again)" if old and old < ctx.now else ""
    change = Change(f"store_credits[{credit.code}].expires_at", old, new)
    return ActionOutcome(
        doc, [change], f"{credit.code} now expires at the end of {request.expires_on}{revived}"
    )


def delete_store_credit(
    doc: CustomerDetail, request: StoreCreditRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    credit = find_credit(doc, request.code)
    refuse_deleting_spent(credit.code, spent_on_orders(credit))
    doc.store_credits = [c for c in doc.store_credits if c.code != credit.code]
    # The whole credit, transactions included, as the audit row's old value: its history.
    change = Change(f"store_credits[{credit.code}]", credit.model_dump(mode="json"), None)
    balance = credit.current_balance_cents
    gone = f": its balance of {money(balance, credit.currency)} is gone" if balance else ""
    return ActionOutcome(doc, [change], f"Deleted {credit.code}{gone}")


def resend_store_credit_email(
    doc: CustomerDetail, request: StoreCreditRequest, ctx: ActionContext, lookup: Lookup
) -> ActionOutcome:
    credit = find_credit(doc, request.code)
    check_mailable(credit, ctx.now)
    if not doc.email.strip():
        refuse(f"Customer {doc.id} has no email to send it to", "no_email")
    label = "gift card" if credit.credit_type == "GiftCard" else "store credit"
    balance = money(credit.current_balance_cents, credit.currency)
    email = Email("store_credit", doc.email, f"Your {label} {credit.code}: {balance} to spend")
    return ActionOutcome(
        doc, [], f"Sent the email of {credit.code} ({balance}) to {doc.email}", emails=[email]
    )
