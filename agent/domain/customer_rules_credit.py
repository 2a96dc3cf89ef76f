"""Pure rules of store credit: issue a credit, adjust a balance. Transactions are the history.

Both move money, so the API requires an Idempotency-Key for them. A balance never goes below
zero; amounts are integer minor units in the customer's currency.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from agent.domain.customer_rules import invalid
from agent.domain.outcome import ActionContext, ActionOutcome, ActionRefused, Change, Lookup
from agent.domain.rules_registry import rule
from shared_schema.actions_customers import (
    MAX_CREDIT_CENTS,
    AdjustStoreCreditRequest,
    IssueStoreCreditRequest,
)
from shared_schema.entities import CustomerDetail, StoreCredit, StoreCreditTransaction

VALIDITY = timedelta(days=365)


def money(cents: int, currency: str) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d} {currency}"


def credit_code(doc: CustomerDetail, credit_type: str, now: str) -> str:
    """A code unique per customer, time and count: 'SC-' or 'GC-' and 10 digits."""
    seed = f"{doc.id}:{now}:{len(doc.store_credits)}:{credit_type}"
    digits = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big") % 10**10
    return f"{'GC' if credit_type == 'GiftCard' else 'SC'}-{digits:010d}"


def _plus_year(now: str) -> str:
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) + VALIDITY
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@rule("customer", "issue_store_credit")
def issue_store_credit(doc: CustomerDetail, request: IssueStoreCreditRequest,
                       ctx: ActionContext, lookup: Lookup) -> ActionOutcome:
    if not 0 < request.amount_cents <= MAX_CREDIT_CENTS:
        raise invalid(f"The amount must be more than 0 and at most "
                      f"{money(MAX_CREDIT_CENTS, doc.currency)}", "amount_cents",
                      "invalid_amount")
    if request.currency is not None and request.currency != doc.currency:
        raise invalid(f"Customer {doc.id} buys in {doc.currency}, not {request.currency}",
                      "currency", "currency_mismatch")
    code = credit_code(doc, request.credit_type, ctx.now)
    if any(credit.code == code for credit in doc.store_credits):
        raise ActionRefused(f"Store credit {code} exists already", code="duplicate_credit")
    comments = request.comments.strip() or f"Issued by {ctx.who}"
    credit = StoreCredit(
        code=code,
        credit_type=request.credit_type,
        currency=doc.currency,
        initial_balance_cents=request.amount_cents,
        current_balance_cents=request.amount_cents,
        activated_at=ctx.now,
        expires_at=_plus_year(ctx.now),
        transactions=[StoreCreditTransaction(id=1, at=ctx.now, transaction_type="Created",
                                             impact_cents=request.amount_cents,
                                             comments=comments)],
    )
    doc.store_credits.append(credit)
    amount = money(request.amount_cents, doc.currency)
    label = "gift card" if request.credit_type == "GiftCard" else "store credit"
    return ActionOutcome(doc, [Change(f"store_credits[{code}]", None, credit.model_dump(
        mode="json", exclude={"transactions"}))], f"Issued {amount} of {label} ({code})")


@rule("customer", "adjust_store_credit")
def adjust_store_credit(doc: CustomerDetail, request: AdjustStoreCreditRequest,
                        ctx: ActionContext, lookup: Lookup) -> ActionOutcome:
    credit = next((c for c in doc.store_credits if c.code == request.code), None)
    if credit is None:
        raise invalid(f"Customer {doc.id} has no store credit '{request.code}'", "code",
                      "credit_not_found")
    if request.amount_cents == 0:
        raise invalid("An adjustment of 0 changes nothing", "amount_cents", "invalid_amount")
    balance = credit.current_balance_cents + request.amount_cents
    if balance < 0:
        raise ActionRefused(
            f"Cannot take {money(-request.amount_cents, credit.currency)} from {credit.code}: "
            f"its balance is {money(credit.current_balance_cents, credit.currency)} and a "
            "balance never goes below zero", status=422, code="balance_below_zero",
            field="amount_cents")
    if balance > MAX_CREDIT_CENTS:
        raise invalid(f"A balance may not exceed {money(MAX_CREDIT_CENTS, credit.currency)}",
                      "amount_cents", "balance_too_high")
    old = credit.current_balance_cents
    credit.current_balance_cents = balance
    credit.transactions.append(StoreCreditTransaction(
        id=max((t.id for t in credit.transactions), default=0) + 1,
        at=ctx.now,
        transaction_type="Adjustment",
        impact_cents=request.amount_cents,
        comments=request.comments.strip() or f"Adjusted by {ctx.who}",
    ))
    change = Change(f"store_credits[{credit.code}].current_balance_cents", old, balance)
    return ActionOutcome(doc, [change], f"Adjusted {credit.code} by "
                         f"{money(request.amount_cents, credit.currency)}: balance now "
                         f"{money(balance, credit.currency)}")
