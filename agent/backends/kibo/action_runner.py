"""Carry out a management action on Kibo: check, send, re-read, answer.

1. Re-read the entity from Kibo (not the cache) and refuse a stale ``expected_version`` (409)
   or an action the current state does not offer (409); an action needing a section Kibo
   could not load just now is refused too (503, sections.py). Order edits also send Kibo's own
   ``version`` so Kibo refuses a change that raced ours.
2. Send the plan's calls in order. Writes are never retried by the client.
3. A repeated Idempotency-Key answers the first result without calling Kibo again; a key
   still in flight, reused for another request, or whose write's outcome is unknown (timeout,
   connection lost, 5xx, a plan half done) is refused (agent/backends/kibo/action_keys.py keeps
   these records on disk, so an agent restart does not forget them).
4. Invalidate the cache for every entity touched, whatever the outcome (a failed or timed-out
   write too), and answer with the fresh document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from agent.backends.kibo import sections
from agent.backends.kibo.action_keys import ActionKeys, fingerprint
from agent.backends.kibo.action_plan import ActionPlan
from agent.backends.kibo.client import KiboClient
from agent.backends.kibo.map_customer import versions_match
from agent.domain.outcome import ActionContext
from agent.errors import ApiError, BackendUnavailable, Conflict, UpstreamError
from shared_schema.actions import ActionRequest, ActionResult, EntityKey, FieldChange
from shared_schema.common import EntityKind

Loader = Callable[[EntityKind, str], Awaitable[tuple[Any, Any]]]
Planner = Callable[[EntityKind, str, ActionRequest, Any, Any], Awaitable[ActionPlan]]


@dataclass
class _Progress:
    reached_kibo: bool = False  # a write was sent (or may have been): the key is spent


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            if key not in ("available_actions", "unavailable_sections"):
                out |= _flat(inner, f"{prefix}{key}.")
        return out
    if isinstance(value, list):
        return {prefix[:-1] + ".count": len(value)}
    return {prefix[:-1]: value}


def changes(before: BaseModel, after: BaseModel) -> list[FieldChange]:
    """What differs; a section missing on either side is left out (its emptiness says nothing)."""
    old, new = _flat(before.model_dump()), _flat(after.model_dump())
    unknown = {
        f"{m.section}." for doc in (before, after) for m in getattr(doc, "unavailable_sections", [])
    }
    return [
        FieldChange(field=k, old=old.get(k), new=new.get(k))
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k) and not k.startswith(tuple(unknown))
    ]


class ActionRunner:
    def __init__(
        self,
        client: KiboClient,
        load: Loader,
        plan: Planner,
        invalidate: Callable[[EntityKind, str], None],
        keys: ActionKeys,
    ) -> None:
        self._client = client
        self._load = load
        self._plan = plan
        self._invalidate = invalidate
        self.keys = keys

    async def perform(
        self,
        kind: EntityKind,
        entity_id: str,
        action: str,
        request: ActionRequest,
        ctx: ActionContext,
        idempotency_key: str | None,
    ) -> ActionResult:
        if idempotency_key is None:
            return await self._perform(kind, entity_id, action, request, ctx, _Progress())
        replay = self.keys.claim(idempotency_key, fingerprint(kind, entity_id, action, request))
        if replay is not None:
            return replay
        progress = _Progress()
        try:
            result = await self._perform(kind, entity_id, action, request, ctx, progress)
        except BaseException:
            if progress.reached_kibo:
                self.keys.uncertain(idempotency_key)
            else:
                self.keys.forget(idempotency_key)
            raise
        self.keys.done(idempotency_key, result)
        return result

    async def _perform(
        self,
        kind: EntityKind,
        entity_id: str,
        action: str,
        request: ActionRequest,
        ctx: ActionContext,
        progress: _Progress,
    ) -> ActionResult:
        raw, before = await self._load(kind, entity_id)
        current = (
            versions_match(request.expected_version, before)
            if kind == "customer"
            else request.expected_version == before.version
        )
        if not current:
            raise Conflict(
                f"The {kind} changed since you loaded it: reload and try again",
                details={"current_version": before.version},
                code="stale_version",
            )
        sections.require(kind, action, before)
        if action not in before.available_actions:
            raise Conflict(
                f"'{action}' is not possible for this {kind} right now",
                details={"available_actions": before.available_actions},
                code="action_not_allowed",
            )
        plan = await self._plan(kind, action, request, raw, before)
        touched = ((kind, entity_id), *plan.related)
        try:
            answer = await self._send(plan, progress)
        finally:
            # Done, refused, failed or timed out: what the cache holds may be stale now, and a
            # reload must ask Kibo (a retry after an unknown outcome must not pay twice).
            for other_kind, other_id in touched:
                self._invalidate(other_kind, other_id)
        try:
            _, after = await self._load(kind, entity_id)
        except ApiError as exc:
            exc.details = exc.details | {"outcome": "applied", "calls_completed": len(plan.calls)}
            raise
        created = None
        if plan.creates and isinstance(answer, dict) and isinstance(answer.get("id"), str):
            created = EntityKey(kind=plan.creates, id=answer["id"])
        return ActionResult(
            kind=kind,
            id=entity_id,
            action=action,
            version=after.version,
            message=plan.message,
            changes=changes(before, after),
            entity=after,
            related=[EntityKey(kind=k, id=i) for k, i in plan.related],
            created=created,
            at=ctx.now,
            by=ctx.who,
        )

    async def _send(self, plan: ActionPlan, progress: _Progress) -> Any:
        answer: Any = None
        for done, call in enumerate(plan.calls):
            # From here on a failure may leave a change behind: the key is not reusable.
            progress.reached_kibo = True
            try:
                answer = await self._client.call(
                    call.method, call.path, params=call.params, body=call.body, what=call.what
                )
            except ApiError as exc:
                unknown = isinstance(exc, UpstreamError) or (
                    isinstance(exc, BackendUnavailable)
                    and exc.code in ("kibo_timeout", "kibo_unreachable", "kibo_unavailable")
                )
                # A clean refusal of the first call changed nothing.
                progress.reached_kibo = unknown or done > 0
                exc.details = exc.details | {
                    "calls_completed": done,
                    "outcome": "unknown" if unknown else "refused",
                }
                raise
        return answer
