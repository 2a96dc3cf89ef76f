"""Secondary sections of a detail: loaded beside the essential document, degraded when they fail.

A customer is the account plus its saved cards, store credits, wishlists and sign-in state
(whether a password change is required); an order is the order plus its returns — each a Kibo
call of its own. The account (or the order) is essential:
its failure fails the detail. A failing secondary call only empties its section and marks it
in ``unavailable_sections`` with Kibo's message and correlation id. Such a partial detail is
never cached (the next open retries), and the actions that need the missing section are neither
offered nor carried out (503 ``section_unavailable``) until a reload brings it back.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import Any

from agent.errors import ApiError, BackendUnavailable
from shared_schema.common import EntityKind
from shared_schema.entities import SectionName, UnavailableSection

LABELS: dict[SectionName, str] = {
    "payment_methods": "Saved cards",
    "store_credits": "Store credit",
    "wishlists": "Wishlists",
    "login_state": "The sign-in state",
    "returns": "The order's returns",
}
# action -> the section whose contents it acts on (or whose numbers decide what it may do)
NEEDS: dict[str, SectionName] = {
    "adjust_store_credit": "store_credits",  # picks one of the credits by code
    "edit_store_credit_expiry": "store_credits",
    "delete_store_credit": "store_credits",
    "resend_store_credit_email": "store_credits",
    "require_password_change": "login_state",  # offered only when not required already
    "start_return": "returns",  # returnable quantities net of earlier returns
}


@dataclass(frozen=True)
class Failed:
    """What a secondary call answered instead of its data."""

    section: UnavailableSection


def unavailable(section: SectionName, error: ApiError) -> UnavailableSection:
    correlation = error.details.get("correlation_id")
    cid = str(correlation) if correlation else None
    message = f"{LABELS[section]} could not be loaded: {error.message}"
    if cid:
        message += f" (correlation id {cid})"
    return UnavailableSection(section=section, message=message, code=error.code, correlation_id=cid)


async def secondary(section: SectionName, call: Coroutine[Any, Any, Any]) -> Any:
    """The call's answer, or ``Failed`` when Kibo (or the way to it) gave an error."""
    try:
        return await call
    except ApiError as error:
        return Failed(unavailable(section, error))


def split(
    answers: dict[SectionName, Any],
) -> tuple[dict[SectionName, Any], list[UnavailableSection]]:
    """Each section's data (None when it failed) and the failures, in a stable order."""
    data = {name: None if isinstance(a, Failed) else a for name, a in answers.items()}
    failed = [a.section for a in answers.values() if isinstance(a, Failed)]
    return data, failed


def offer(actions: Iterable[str], missing: list[UnavailableSection]) -> list[str]:
    """The actions that do not depend on a missing section."""
    gone = {m.section for m in missing}
    return [a for a in actions if NEEDS.get(a) not in gone]


def require(kind: EntityKind, action: str, detail: Any) -> None:
    """Refuse an action whose section could not be loaded just now (503, naming it)."""
    needed = NEEDS.get(action)
    for missing in getattr(detail, "unavailable_sections", []):
        if missing.section == needed:
            raise BackendUnavailable(
                f"Cannot {action.replace('_', ' ')} on this {kind} right now: "
                f"{missing.message}. Reload it and try again.",
                details={
                    "section": needed,
                    "action": action,
                    "cause": missing.code,
                    **(
                        {"correlation_id": missing.correlation_id} if missing.correlation_id else {}
                    ),
                },
                code="section_unavailable",
            )
