"""What every order and return rule shares: refusals, working copies, field-level changes,
history entries and new ids. No I/O; the time is the one in the ActionContext."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel

from agent.domain.outcome import ActionContext, ActionRefused, Change
from shared_schema.entities import ChangeMessage, OrderDetail, ReturnDetail
from shared_schema.labels import money_text

Doc = TypeVar("Doc", bound=BaseModel)

# Bookkeeping fields: they change on every action and are not the CSR's before/after.
_NOT_CHANGES = frozenset({"history", "available_actions", "updated_at", "version"})


def refuse(message: str, code: str, *, field: str | None = None) -> NoReturn:
    """A rule of the entity's state forbids the action (409)."""
    raise ActionRefused(message, status=409, code=code, field=field)


def reject_input(message: str, code: str, field: str) -> NoReturn:
    """The request itself is wrong for this entity (422), e.g. an unknown line."""
    raise ActionRefused(message, status=422, code=code, field=field)


def working_copy(doc: Doc) -> Doc:
    return doc.model_copy(deep=True)


def changes_between(before: BaseModel, after: BaseModel) -> list[Change]:
    """Field-level differences, as dotted paths (``items.2.quantity_cancelled``)."""
    changes: list[Change] = []
    _diff(before.model_dump(mode="json"), after.model_dump(mode="json"), "", changes)
    return changes


def _diff(old: Any, new: Any, path: str, out: list[Change]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            if not path and key in _NOT_CHANGES:
                continue
            _diff(old.get(key), new.get(key), f"{path}.{key}" if path else key, out)
        return
    if isinstance(old, list) and isinstance(new, list):
        _diff_lists(old, new, path, out)
        return
    out.append(Change(field=path, old=old, new=new))


def _diff_lists(old: list[Any], new: list[Any], path: str, out: list[Change]) -> None:
    """Element by element past the common head and tail: a payment added to an order is one
    change ``payments.3``, not the whole list before and after (two copies in the audit log)."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_part, new_part = old[head : len(old) - tail], new[head : len(new) - tail]
    for offset in range(max(len(old_part), len(new_part))):
        where = f"{path}.{head + offset}"
        if offset >= len(old_part):
            out.append(Change(field=where, old=None, new=new_part[offset]))
        elif offset >= len(new_part):
            out.append(Change(field=where, old=old_part[offset], new=None))
        else:
            _diff(old_part[offset], new_part[offset], where, out)


def record(
    doc: OrderDetail | ReturnDetail,
    ctx: ActionContext,
    subject: str,
    verb: str,
    message: str,
    *,
    old: str | None = None,
    new: str | None = None,
    amount_cents: int | None = None,
) -> None:
    """Append a history (Kibo changeMessages) entry and stamp the update time."""
    doc.history.append(
        ChangeMessage(
            at=ctx.now,
            who=ctx.who,
            subject=subject,
            verb=verb,
            message=message,
            old_value=old,
            new_value=new,
            amount_cents=amount_cents,
        )
    )
    doc.updated_at = ctx.now


def next_id(prefix: str, existing: list[str]) -> str:
    """``{prefix}-{n}`` with n one above the highest already used under that prefix."""
    used = [
        int(value.rsplit("-", 1)[1])
        for value in existing
        if value.startswith(f"{prefix}-") and value.rsplit("-", 1)[1].isdigit()
    ]
    return f"{prefix}-{max(used, default=0) + 1}"


def money(cents: int, currency: str) -> str:
    """``CA$12.34`` for messages the CSR reads (the panel's format)."""
    return money_text(cents, currency)
