"""Carry out a management action on Kibo: check, send, re-read, answer.

1. Re-read the entity from Kibo (not the cache) and refuse a stale ``expected_version`` (409)
   or an action the current state does not offer (409). Order edits also send Kibo's own
   ``version`` so Kibo refuses a change that raced ours.
2. Send the plan's calls in order. Writes are never retried by the client.
3. A repeated Idempotency-Key answers the first result without calling Kibo again. When a
   write's outcome is unknown (timeout, connection lost, 5xx) the key is remembered as
   uncertain: repeating it is refused until the CSR has reloaded the entity and decides anew.
4. Invalidate the cache for every entity touched and answer with the fresh document.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel

from agent.backends.kibo.action_plan import ActionPlan
from agent.backends.kibo.client import KiboClient
from agent.domain.outcome import ActionContext
from agent.errors import ApiError, BackendUnavailable, Conflict, UpstreamError
from shared_schema.actions import ActionRequest, ActionResult, EntityKey, FieldChange
from shared_schema.common import EntityKind

MAX_REMEMBERED_KEYS = 1000
Loader = Callable[[EntityKind, str], Awaitable[tuple[Any, Any]]]
Planner = Callable[[EntityKind, str, ActionRequest, Any, Any], Awaitable[ActionPlan]]
UNCERTAIN = "uncertain"


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            if key != "available_actions":
                out |= _flat(inner, f"{prefix}{key}.")
        return out
    if isinstance(value, list):
        return {prefix[:-1] + ".count": len(value)}
    return {prefix[:-1]: value}


def changes(before: BaseModel, after: BaseModel) -> list[FieldChange]:
    old, new = _flat(before.model_dump()), _flat(after.model_dump())
    return [FieldChange(field=k, old=old.get(k), new=new.get(k))
            for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


class ActionRunner:
    def __init__(self, client: KiboClient, load: Loader, plan: Planner,
                 invalidate: Callable[[EntityKind, str], None]) -> None:
        self._client = client
        self._load = load
        self._plan = plan
        self._invalidate = invalidate
        self._keys: OrderedDict[tuple[str, ...], ActionResult | str] = OrderedDict()

    def _remember(self, key: tuple[str, ...], value: ActionResult | str) -> None:
        self._keys[key] = value
        while len(self._keys) > MAX_REMEMBERED_KEYS:
            self._keys.popitem(last=False)

    async def perform(self, kind: EntityKind, entity_id: str, action: str,
                      request: ActionRequest, ctx: ActionContext,
                      idempotency_key: str | None) -> ActionResult:
        key = (kind, entity_id, action, idempotency_key) if idempotency_key else None
        if key is not None and key in self._keys:
            seen = self._keys[key]
            if isinstance(seen, ActionResult):
                return seen.model_copy(update={"replayed": True})
            raise Conflict("The first try with this Idempotency-Key may or may not have reached "
                           "Kibo. Reload the entity, check, and use a new key to try again.",
                           details={"kind": kind, "id": entity_id}, code="outcome_unknown")
        raw, before = await self._load(kind, entity_id)
        if request.expected_version != before.version:
            raise Conflict(f"The {kind} changed since you loaded it: reload and try again",
                           details={"current_version": before.version}, code="stale_version")
        if action not in before.available_actions:
            raise Conflict(f"'{action}' is not possible for this {kind} right now",
                           details={"available_actions": before.available_actions},
                           code="action_not_allowed")
        plan = await self._plan(kind, action, request, raw, before)
        answer = await self._send(plan, key)
        for other_kind, other_id in ((kind, entity_id), *plan.related):
            self._invalidate(other_kind, other_id)
        try:
            _, after = await self._load(kind, entity_id)
        except ApiError as exc:
            if key is not None:
                self._remember(key, UNCERTAIN)
            exc.details = exc.details | {"outcome": "applied", "calls_completed":
                                         len(plan.calls)}
            raise
        created = None
        if plan.creates and isinstance(answer, dict) and isinstance(answer.get("id"), str):
            created = EntityKey(kind=plan.creates, id=answer["id"])
        result = ActionResult(
            kind=kind, id=entity_id, action=action, version=after.version,
            message=plan.message, changes=changes(before, after), entity=after,
            related=[EntityKey(kind=k, id=i) for k, i in plan.related], created=created,
            at=ctx.now, by=ctx.who)
        if key is not None:
            self._remember(key, result)
        return result

    async def _send(self, plan: ActionPlan, key: tuple[str, ...] | None) -> Any:
        answer: Any = None
        for done, call in enumerate(plan.calls):
            try:
                answer = await self._client.call(call.method, call.path, params=call.params,
                                                 body=call.body, what=call.what)
            except ApiError as exc:
                unknown = isinstance(exc, UpstreamError) or (
                    isinstance(exc, BackendUnavailable)
                    and exc.code in ("kibo_timeout", "kibo_unreachable", "kibo_unavailable"))
                if unknown and key is not None:
                    self._remember(key, UNCERTAIN)
                exc.details = exc.details | {"calls_completed": done,
                                             "outcome": "unknown" if unknown else "refused"}
                raise
        return answer
