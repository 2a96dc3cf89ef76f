"""Handing a call to a colleague's desk, exactly once, over Redis Streams.

Each desk reads its own inbox stream in a consumer group. An offer is recorded in the
receiver's ledger when read and acknowledged (XACK) only after the receiver's answer is
committed locally and sent back; the answer in the sender's inbox is acknowledged after the
sender closed its session. An acknowledged entry is deleted at once, so an inbox holds only
what is not answered yet. An entry read but not acknowledged stays pending and is read again
after a restart (XAUTOCLAIM, then the pending list), so a restart of either desk or of Redis
(with append-only persistence) loses nothing and repeats nothing: both sides are idempotent
by the offer id (docs/team.md).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from redis.exceptions import ResponseError

from agent.errors import Conflict, NotFound
from agent.sessions.holds import held_seconds
from agent.sessions.rules import MAX_SESSIONS
from agent.team import keys
from agent.team.handoff import HandedSession, hand_over, take_over
from agent.team.ledger import Incoming, Ledger, Outgoing
from shared_schema.sessions import SessionsState
from shared_schema.team import TransferAccepted, TransferOffer, TransferRequest

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from agent.team.link import TeamLink


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Transfers:
    def __init__(
        self, link: TeamLink, ledger: Ledger, on_sessions: Callable[[SessionsState], None]
    ) -> None:
        self.link = link
        self.ledger = ledger
        self.on_sessions = on_sessions
        self._unanswered: dict[str, str] = {}  # offer id -> its inbox entry, read, not acked

    def status_part(self) -> dict[str, Any]:
        return {
            "incoming": [
                TransferOffer(
                    id=o.id,
                    from_desk=o.from_desk,
                    to_desk=self.link.desk,
                    title=o.title,
                    offered_at=o.offered_at,
                    status="pending",
                )
                for o in self.ledger.pending_incoming()
            ],
            "outgoing": [
                TransferOffer(
                    id=o.id,
                    from_desk=self.link.desk,
                    to_desk=o.to_desk,
                    title=o.title,
                    offered_at=o.offered_at,
                    status=o.status,
                    session_id=o.session_id,
                )
                for o in self.ledger.recent_outgoing()
            ],
        }

    # Sender

    async def offer(self, session_id: str, wanted: TransferRequest) -> TransferOffer:
        client, to_desk = self.link.require(), wanted.to_desk
        if to_desk == self.link.desk:
            raise Conflict("a call cannot be transferred to its own desk", code="same_desk")
        if self.ledger.pending_outgoing_for(session_id) is not None:
            raise Conflict("this call already waits for a colleague", code="transfer_pending")
        session, drafts = self.link.sessions.export(session_id)
        beat = await client.get(keys.desk(to_desk))
        if beat is None:
            raise NotFound(f"desk {to_desk!r} is not online", code="desk_offline")
        if int(json.loads(beat).get("sessions", 0)) >= MAX_SESSIONS:
            raise Conflict(
                f"{to_desk} already has {MAX_SESSIONS} sessions",
                code="receiver_full",
                details={"desk": to_desk},
            )
        out = Outgoing(secrets.token_hex(8), to_desk, session_id, session.title, _now(), "pending")
        handed = hand_over(session, drafts, out.offered_at)
        self.ledger.offer(out)
        entry = {
            "type": "offer",
            "id": out.id,
            "from": self.link.desk,
            "title": out.title,
            "at": out.offered_at,
            "session": handed.model_dump_json(),
        }
        await client.xadd(keys.inbox(to_desk), entry)  # type: ignore[arg-type]
        self.link.changed()
        return self._outgoing(out)

    def _outgoing(self, out: Outgoing) -> TransferOffer:
        return TransferOffer(
            id=out.id,
            from_desk=self.link.desk,
            to_desk=out.to_desk,
            title=out.title,
            offered_at=out.offered_at,
            status=out.status,
            session_id=out.session_id,
        )

    # Receiver

    async def answer(self, offer_id: str, accept: bool) -> TransferAccepted | None:
        """Takes or declines a pending offer; what was taken (with its holds) when accepted."""
        offer = self.ledger.incoming(offer_id)
        if offer is None or offer.status != "pending":
            raise NotFound(f"no pending transfer offer {offer_id}", code="offer_not_found")
        client = self.link.require()
        taken = None
        if accept:
            handed = HandedSession.model_validate_json(offer.payload)
            session, drafts = take_over(handed, f"t{offer.id}", offer.offered_at)
            state = self.link.sessions.adopt(session, drafts)
            self.ledger.answer_incoming(offer.id, "accepted", session.id)
            self.on_sessions(state)
            taken = TransferAccepted(
                session_id=session.id,
                state=state,
                held_seconds=held_seconds(session, _now()),
                on_hold=handed.on_hold,
            )
        else:
            self.ledger.answer_incoming(offer.id, "declined", None)
        answered = self.ledger.incoming(offer.id)
        assert answered is not None
        await self._reply(client, answered, taken.held_seconds if taken else None)
        entry_id = self._unanswered.pop(offer.id, None)
        if entry_id is not None:  # else it is read again after a restart and acked then
            await self._done(client, entry_id)
        self.link.changed()
        return taken

    async def _reply(
        self, client: aioredis.Redis, offer: Incoming, held: int | None = None
    ) -> None:
        """Answers the sender. An acceptance still says how long the call has been on hold, for
        senders of the previous version; a sender now wraps up from its own record."""
        entry = {"type": offer.status, "id": offer.id, "by": self.link.desk}
        if offer.status == "accepted":
            if held is None:
                handed = HandedSession.model_validate_json(offer.payload)
                taken, _ = take_over(handed, f"t{offer.id}", offer.offered_at)
                held = held_seconds(taken, _now())
            entry["held"] = str(held)
        await client.xadd(keys.inbox(offer.from_desk), entry)  # type: ignore[arg-type]

    # The inbox

    async def consume(self, client: aioredis.Redis) -> None:
        inbox, me = keys.inbox(self.link.desk), self.link.desk
        try:
            await client.xgroup_create(inbox, keys.GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        await client.xautoclaim(inbox, keys.GROUP, me, min_idle_time=0, start_id="0-0")
        pending = await client.xreadgroup(keys.GROUP, me, {inbox: "0"}, count=500)
        await self._handle(client, pending)
        block = int(self.link.settings.refresh_seconds * 1000)
        while True:
            fresh = await client.xreadgroup(keys.GROUP, me, {inbox: ">"}, count=50, block=block)
            await self._handle(client, fresh)

    async def _handle(self, client: aioredis.Redis, batches: Any) -> None:
        changed = False
        for _stream, entries in batches or []:
            for entry_id, fields in entries:
                if await self._entry(client, entry_id, fields):
                    await self._done(client, entry_id)
                changed = True
        if changed:
            self.link.changed()

    async def _done(self, client: aioredis.Redis, entry_id: str) -> None:
        """Acknowledges an entry and deletes it from the inbox, together (MULTI): an inbox
        holds only entries not yet acknowledged, however old. Trimming by position (XTRIM
        MINID or MAXLEN) was not used: an offer still waiting for an answer would either stop
        the trim or be dropped with the answered ones around it."""
        inbox = keys.inbox(self.link.desk)
        async with client.pipeline(transaction=True) as pipe:
            pipe.xack(inbox, keys.GROUP, entry_id)
            pipe.xdel(inbox, entry_id)
            await pipe.execute()

    async def _entry(self, client: aioredis.Redis, entry_id: str, fields: dict[str, str]) -> bool:
        """Handles one inbox entry; True when it may be acknowledged."""
        kind, offer_id = fields.get("type"), fields.get("id", "")
        if kind == "offer":
            offer = self.ledger.receive(
                Incoming(
                    offer_id,
                    fields.get("from", "?"),
                    fields.get("title", ""),
                    fields.get("at", _now()),
                    fields.get("session", "{}"),
                    "pending",
                    None,
                )
            )
            if offer.status == "pending":
                self._unanswered[offer_id] = entry_id
                return False  # acknowledged once answered
            await self._reply(client, offer)  # answered before a crash: say so again
            return True
        if kind in ("accepted", "declined"):
            out = self.ledger.outgoing(offer_id)
            if out is not None and out.status == "pending":
                if kind == "accepted":
                    by = fields.get("by", out.to_desk)
                    line = f"Transferred to {by} at {_now()}"
                    state = self.link.sessions.close_transferred(out.session_id, by, line)
                    if state is not None:
                        self.on_sessions(state)
                self.ledger.settle_outgoing(offer_id, kind)
            return True
        return True  # not ours to read: acknowledged so it does not linger
