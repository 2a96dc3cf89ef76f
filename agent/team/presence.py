"""Who else has a record open: each desk writes one field per open record (its name, since
when, last refresh) into the record's hash, refreshes it every third of the TTL, and tells the
others on a pub/sub channel when its set of open records changes. A field not refreshed
within the TTL is ignored and removed, so a desk that goes away vanishes within a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from agent.team import keys
from agent.team.wire import LINK_ERRORS, dumps, now_ms
from shared_schema.team import Colleague, Desk, RecordPresence

if TYPE_CHECKING:
    import redis.asyncio as aioredis

    from agent.team.link import TeamLink

Record = tuple[str, str]  # (kind, entity id)


def iso(ms: int) -> str:
    return (
        datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )


class Presence:
    def __init__(self, link: TeamLink) -> None:
        self.link = link
        self.open: dict[Record, int] = {}  # this desk's open records -> opened at (ms)
        self.announced: set[Record] = set()
        self.others: dict[Record, list[Colleague]] = {}
        self.desks: list[Desk] = []
        self.poke = asyncio.Event()

    @property
    def ttl(self) -> int:
        return self.link.settings.presence_ttl

    def sessions_changed(self) -> None:
        self.poke.set()

    def status_part(self) -> dict[str, Any]:
        return {
            "desks": list(self.desks),
            "presence": [
                RecordPresence(kind=kind, id=eid, others=others)
                for (kind, eid), others in sorted(self.others.items())
                if others
            ],
        }

    def colleagues_on(self, kind: str, entity_id: str) -> list[Colleague]:
        return list(self.others.get((kind, entity_id), []))

    async def fresh_colleagues_on(self, kind: str, entity_id: str) -> list[Colleague]:
        """Asks Redis now when the link is up; else what the link last saw."""
        client = self.link.client
        if not self.link.connected or client is None:
            return self.colleagues_on(kind, entity_id)
        try:
            fields = await asyncio.wait_for(client.hgetall(keys.record(kind, entity_id)), 1.5)
        except LINK_ERRORS:
            return self.colleagues_on(kind, entity_id)
        return self._colleagues(fields, now_ms())

    # The link's services, run while Redis answers

    async def keep_announced(self, client: aioredis.Redis) -> None:
        self.announced = set()  # after a reconnect, announce everything again
        while True:
            await self.announce(client, now_ms())
            await self.refresh(client, now_ms())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.poke.wait(), self.link.settings.refresh_seconds)
            self.poke.clear()

    async def listen(self, client: aioredis.Redis) -> None:
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(keys.PRESENCE_CHANNEL)
            while True:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=self.link.settings.refresh_seconds
                )
                if message is None or message.get("type") != "message":
                    continue
                try:
                    news = json.loads(message["data"])
                    desk, records = news["desk"], {tuple(r) for r in news["records"]}
                except (ValueError, KeyError, TypeError):
                    continue
                mine = records & set(self.open)
                if desk != self.link.desk and mine:
                    await self.reread(client, sorted(mine), now_ms())
        finally:
            await pubsub.aclose()

    async def announce(self, client: aioredis.Redis, now: int) -> None:
        state = self.link.sessions.state()
        current = {
            (tab.kind, tab.entity_id)
            for session in state.sessions
            for tab in session.tabs
            if tab.entity_id is not None
        }
        self.open = {record: self.open.get(record, now) for record in current}
        desk = self.link.desk
        pipe = client.pipeline(transaction=False)
        for (kind, eid), since in self.open.items():
            key = keys.record(kind, eid)
            pipe.hset(key, desk, dumps({"since": since, "seen": now}))
            pipe.expire(key, self.ttl)
        gone = self.announced - set(self.open)
        for kind, eid in gone:
            pipe.hdel(keys.record(kind, eid), desk)
        pipe.set(keys.desk(desk), dumps({"sessions": len(state.sessions)}), ex=self.ttl)
        pipe.sadd(keys.DESKS, desk)
        changed = gone | (set(self.open) - self.announced)
        if changed:
            pipe.publish(
                keys.PRESENCE_CHANNEL,
                dumps({"desk": desk, "records": sorted(changed)}),
            )
        await pipe.execute()
        self.announced = set(self.open)

    async def refresh(self, client: aioredis.Redis, now: int) -> None:
        """Reads who else has this desk's records open, and which desks are online."""
        records = sorted(self.open)
        pipe = client.pipeline(transaction=False)
        for kind, eid in records:
            pipe.hgetall(keys.record(kind, eid))
        pipe.smembers(keys.DESKS)
        *hashes, names = await pipe.execute()
        others = {
            record: found
            for record, fields in zip(records, hashes, strict=True)
            if (found := self._colleagues(fields, now))
        }
        names = sorted(n for n in names if n != self.link.desk)
        beats = await client.mget([keys.desk(n) for n in names]) if names else []
        desks, gone = [], []
        for name, beat in zip(names, beats, strict=True):
            if beat is None:
                gone.append(name)
                continue
            desks.append(Desk(name=name, sessions=int(json.loads(beat).get("sessions", 0))))
        if gone:
            await client.srem(keys.DESKS, *gone)
        if others != self.others or desks != self.desks:
            self.others, self.desks = others, desks
            self.link.changed()

    async def reread(self, client: aioredis.Redis, records: list[Record], now: int) -> None:
        """Re-reads only the records a colleague's news names (the desks list waits for the
        next refresh)."""
        pipe = client.pipeline(transaction=False)
        for kind, eid in records:
            pipe.hgetall(keys.record(kind, eid))
        others = dict(self.others)
        for record, fields in zip(records, await pipe.execute(), strict=True):
            found = self._colleagues(fields, now)
            if found:
                others[record] = found
            else:
                others.pop(record, None)
        if others != self.others:
            self.others = others
            self.link.changed()

    def _colleagues(self, fields: dict[Any, Any], now: int) -> list[Colleague]:
        found = []
        for desk, raw in sorted(fields.items()):
            if desk == self.link.desk:
                continue
            try:
                entry = json.loads(raw)
                seen, since = int(entry["seen"]), int(entry["since"])
            except (ValueError, KeyError, TypeError):
                continue
            if now - seen <= self.ttl * 1000:
                found.append(Colleague(desk=desk, since=iso(since)))
        return found

    async def leave(self, client: aioredis.Redis) -> None:
        """A clean goodbye: this desk's fields and heartbeat go at once."""
        desk = self.link.desk
        pipe = client.pipeline(transaction=False)
        for kind, eid in self.announced:
            pipe.hdel(keys.record(kind, eid), desk)
        pipe.delete(keys.desk(desk))
        pipe.srem(keys.DESKS, desk)
        if self.announced:
            pipe.publish(
                keys.PRESENCE_CHANNEL, dumps({"desk": desk, "records": sorted(self.announced)})
            )
        await pipe.execute()
