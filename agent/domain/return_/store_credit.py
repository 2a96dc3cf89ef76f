"""A return refunded to store credit: the customer's store credit grows, or a new one is
issued when none in the return's currency is live (or it would pass the balance limit)."""

from __future__ import annotations

from datetime import datetime, timedelta

from agent.domain.common import changes_between, money, refuse, working_copy
from agent.domain.customer.credit import credit_code
from agent.domain.outcome import ActionContext, Lookup, Update
from shared_schema.actions_customers import MAX_CREDIT_CENTS
from shared_schema.entities import CustomerDetail, ReturnDetail, StoreCredit, StoreCreditTransaction

VALIDITY = timedelta(days=365)


def _later(now: str, delta: timedelta) -> str:
    at = datetime.fromisoformat(now.replace("Z", "+00:00")) + delta
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _live_credit(
    customer: CustomerDetail, currency: str, amount: int, now: str
) -> StoreCredit | None:
    for credit in customer.store_credits:
        live = credit.expires_at is None or credit.expires_at > now
        fits = credit.current_balance_cents + amount <= MAX_CREDIT_CENTS
        if credit.credit_type == "StoreCredit" and credit.currency == currency and live and fits:
            return credit
    return None


def credit_customer(
    ret: ReturnDetail, amount: int, ctx: ActionContext, lookup: Lookup
) -> tuple[Update, str]:
    """The customer's update and the code of the credit that took the money."""
    if ret.customer_id is None:
        refuse(
            f"Return #{ret.number} is a guest's: a guest has no account to hold store "
            "credit; refund to the original payment",
            "guest_store_credit",
            field="method",
        )
    customer = lookup.customer(int(ret.customer_id))
    if not isinstance(customer, CustomerDetail):
        refuse(f"Customer {ret.customer_id} can't be read", "customer_unreadable")
    after = working_copy(customer)
    comment = f"Refund of return #{ret.number} (order #{ret.order_number})"
    credit = _live_credit(after, ret.currency, amount, ctx.now)
    if credit is None:
        credit = StoreCredit(
            code=credit_code(after, "StoreCredit", ctx.now),
            credit_type="StoreCredit",
            currency=ret.currency,
            initial_balance_cents=amount,
            current_balance_cents=amount,
            activated_at=ctx.now,
            expires_at=_later(ctx.now, VALIDITY),
            transactions=[
                StoreCreditTransaction(
                    id=1,
                    at=ctx.now,
                    transaction_type="Created",
                    impact_cents=amount,
                    comments=comment,
                    order_number=ret.order_number,
                )
            ],
        )
        after.store_credits.append(credit)
    else:
        credit.current_balance_cents += amount
        credit.transactions.append(
            StoreCreditTransaction(
                id=max((t.id for t in credit.transactions), default=0) + 1,
                at=ctx.now,
                transaction_type="Credit",
                impact_cents=amount,
                comments=comment,
                order_number=ret.order_number,
            )
        )
    after.updated_at = ctx.now
    update = Update(
        kind="customer",
        number=int(customer.id),
        document=after,
        changes=changes_between(customer, after),
    )
    return update, f"{credit.code} (balance {money(credit.current_balance_cents, ret.currency)})"
