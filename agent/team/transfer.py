"""Handing a call to a colleague's desk, exactly once, over Redis Streams.

Each desk reads its own inbox stream in a consumer group. An offer is recorded in the
receiver's ledger when read and acknowledged (XACK) only after the receiver's answer is
committed locally and sent back; the answer in the sender's inbox is acknowledged after the
sender closed its session. An acknowledged entry is deleted at once, so an inbox holds only
what is not answered yet. An entry read but not acknowledged stays pending and is read again
after a restart (XAUTOCLAIM, then the pending list), so a restart of either desk or of Redis
(with append-only persistence) loses nothing and repeats nothing: both sides are idempotent
by the offer id (docs/team.md).

A sender takes an offer back with a withdrawal in the receiver's inbox, after the offer and so
read after it. The receiver withdraws it if still pending and says so; if it had answered, it
says its answer again and that answer wins. The sender's ledger holds the offer ``withdrawing``
until then, and sends the withdrawal again after every reconnect until it is answered.
"""

from __future__ import annotations

import asyncio
import json
import logging
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
from agent.team.wire import LINK_ERRORS
from shared_schema.sessions import SessionsState
from shared_schema.team import TransferAccepted, TransferOffer, TransferRequest

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from agent.team.link import TeamLink

log = logging.getLogger(__name__)
UNSETTLED = ("pending", "withdrawing")  # an offer the receiver may still accept


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
        self._sending: set[asyncio.Task[None]] = set()  # withdrawals on their way

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
            "outgoing": [self._outgoing(o) for o in self.ledger.recent_outgoing()],
            "withdrawn": [
                TransferOffer(
                    id=o.id,
                    from_desk=o.from_desk,
                    to_desk=self.link.desk,
                    title=o.title,
                    offered_at=o.offered_at,
                    status="withdrawn",
                )
                for o in self.ledger.recent_withdrawn_incoming()
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

    async def withdraw(self, offer_id: str) -> TransferOffer:
        """Takes back this desk's offer. Withdrawing it again answers where it stands and sends
        nothing; an offer the receiver already answered cannot be taken back."""
        out = self.ledger.outgoing(offer_id)
        if out is None:
            raise NotFound(f"this desk made no transfer offer {offer_id}", code="offer_not_found")
        if out.status in ("accepted", "declined"):
            raise Conflict(
                f"{out.to_desk} already {out.status} this call",
                code="offer_answered",
                details={"status": out.status},
            )
        if self.ledger.withdraw_outgoing(offer_id):
            await self._send_withdrawal(out)
            self.link.changed()
        now = self.ledger.outgoing(offer_id)
        assert now is not None
        return self._outgoing(now)

    def sessions_changed(self) -> None:
        """A session closed while its offer was pending: the offer is withdrawn, so a later
        accept does not recreate a call that ended here (docs/team.md)."""
        withdrawn = self._withdraw_closed()
        for out in withdrawn:
            task = asyncio.get_running_loop().create_task(self._send_withdrawal(out))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)
        if withdrawn:
            self.link.changed()

    def _withdraw_closed(self) -> list[Outgoing]:
        pending = self.ledger.outgoing_with_status("pending")
        if not pending:
            return []
        open_ids = {s.id for s in self.link.sessions.state().sessions}
        return [
            out
            for out in pending
            if out.session_id not in open_ids and self.ledger.withdraw_outgoing(out.id)
        ]

    async def _send_withdrawal(self, out: Outgoing) -> None:
        """Tells the receiver, when the link is up; otherwise ``consume`` does on reconnect."""
        client = self.link.client if self.link.connected else None
        if client is None:
            return
        try:
            await self._withdrawal(client, out)
        except LINK_ERRORS as exc:
            log.info("team: withdrawal of %s waits for the link (%s)", out.id, exc)

    async def _withdrawal(self, client: aioredis.Redis, out: Outgoing) -> None:
        entry = {"type": "withdraw", "id": out.id, "from": self.link.desk}
        await client.xadd(keys.inbox(out.to_desk), entry)  # type: ignore[arg-type]

    # Receiver

    async def answer(self, offer_id: str, accept: bool) -> TransferAccepted | None:
        """Takes or declines a pending offer; what was taken (with its holds) when accepted."""
        offer = self.ledger.incoming(offer_id)
        if offer is not None and offer.status == "withdrawn" and offer.received:
            raise Conflict(f"{offer.from_desk} withdrew this call", code="offer_withdrawn")
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
        self._withdraw_closed()  # closed while this desk was down or before the send
        for out in self.ledger.outgoing_with_status("withdrawing"):
            await self._withdrawal(client, out)
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
        if kind == "withdraw":
            known = self.ledger.incoming(offer_id)
            if known is not None and known.from_desk != fields.get("from"):
                return True  # only the desk that made an offer takes it back
            offer = self.ledger.withdraw_incoming(offer_id, fields.get("from", "?"))
            await self._reply(client, offer)  # "withdrawn", or the answer that won
            offer_entry = self._unanswered.pop(offer_id, None)
            if offer_entry is not None:
                await self._done(client, offer_entry)
            return True
        if kind in ("accepted", "declined", "withdrawn"):
            out = self.ledger.outgoing(offer_id)
            if out is not None and out.status in UNSETTLED:
                state = None
                if kind == "accepted":  # also when it crossed a withdrawal: the answer wins
                    by = fields.get("by", out.to_desk)
                    line = f"Transferred to {by} at {_now()}"
                    state = self.link.sessions.close_transferred(out.session_id, by, line)
                self.ledger.settle_outgoing(offer_id, kind)
                if state is not None:  # after settling: a closed session is no withdrawal
                    self.on_sessions(state)
            return True
        return True  # not ours to read: acknowledged so it does not linger
