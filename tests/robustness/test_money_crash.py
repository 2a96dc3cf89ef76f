"""Money under kill -9: a real agent takes a stream of money actions (store credit issued and
adjusted, order refunds, payment credits and appeasements, return refunds to the payment or to
store credit), each with its own Idempotency-Key and the entity's current version, some meant
to be refused (over-refunds, debits below zero, stale versions). After a number of applied
actions (drawn per round, not timed) it is killed with SIGKILL a moment after the next request
is sent, and restarted on the same data dir. Each time (money_ledger.check reads the file):

* every acknowledged action is in the store exactly once and whole — idempotency row, audit
  rows and its record in the document — and nothing else is; versions and amounts add up to
  exactly the applied actions; balances never go negative, refunds never pass what is
  refundable; ``PRAGMA integrity_check`` is ok;
* the request in flight at the kill, sent again with its key, is applied once or replayed,
  never twice; acknowledged ones sent again are replayed and change nothing.
"""

from __future__ import annotations

import http.client
import random
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.robustness.money_ledger import Key, Move, Store, check, read_store, tag
from tests.security.live import LiveAgent, copy_store

# 4 pieces of 15 kills: 60 kills and at least 600 applied actions in all, in pieces short
# enough to run one at a time; `make check` leaves them out (marker slow).
PIECES = 4
KILLS = 15
APPLIED_PER_KILL = (6, 16)
SEED = 5_0420
SMALL = 40  # cents: the most one action moves, so the budgets last the whole stream


def details(agent: LiveAgent, kind: str, query: str) -> list[dict[str, Any]]:
    _, found = agent.call("GET", f"/search/{kind}s?{query}")
    return [agent.call("GET", f"/{kind}s/{row['id']}")[1] for row in found["results"]]


def creditable(payment: dict[str, Any]) -> int:
    return int(payment["amount_collected_cents"] - payment["amount_credited_cents"])


class Stream:
    """The client: picks a money action, reads its entity fresh, sends it tagged."""

    def __init__(self, agent: LiveAgent) -> None:
        self.agent = agent
        returns = [
            r
            for r in details(agent, "return", "status=Authorized&page_size=20")
            if r["return_type"] == "Refund"
            and r["refundable_cents"] >= 3000
            and "refund" in r["available_actions"]
        ]
        self.returns = [r["id"] for r in returns[:3]]
        busy = {r["order_number"] for r in returns[:3]}
        orders = [
            o
            for o in details(agent, "order", "page_size=60&sort=total&order=desc")
            if o["number"] not in busy
        ]
        self.orders = [
            o["id"]
            for o in orders
            if {"refund", "credit_payment"} <= set(o["available_actions"])
            and o["totals"]["refundable_cents"] >= 5000
        ][:3]
        appeasable = [
            o
            for o in orders
            if o["id"] not in self.orders
            and "appeasement" in o["available_actions"]
            and o["totals"]["refunded_cents"] == 0
            and o["totals"]["collected_cents"] == o["totals"]["total_cents"]
        ]
        assert appeasable, "no fully paid order to appease in the demo store"
        self.appeased = appeasable[0]
        self.customers = [
            c["id"]
            for c in details(agent, "customer", "page_size=60&sort=order_count&order=desc")
            if c["account_status"] == "Active"
            and any(s["current_balance_cents"] >= 1000 for s in c["store_credits"])
        ][:3]
        assert len(self.returns) == len(self.orders) == len(self.customers) == 3, (
            "the demo store lacks refundable returns, refundable orders or store credit"
        )
        self.watched = {("customer", int(c)) for c in self.customers}
        self.watched |= {("order", o["number"]) for o in orders if o["id"] in self.orders}
        self.watched.add(("order", self.appeased["number"]))
        for ret in returns[:3]:
            self.watched |= {("return", ret["number"]), ("order", ret["order_number"])}
            if ret["customer_id"]:
                self.watched.add(("customer", int(ret["customer_id"])))

    def move(self, rng: random.Random, conn: http.client.HTTPConnection, serial: int) -> Move:
        builder = rng.choices(
            [self.adjust, self.issue, self.refund, self.credit, self.appease, self.refund_return],
            [25, 8, 15, 12, 12, 28],
        )[0]
        move = builder(rng, conn, tag(serial))
        if move.expect_ok and rng.random() < 0.05:  # a CSR looking at an old version
            move.body["expected_version"] -= 1
            move.expect_ok = False
        return move

    def read(self, conn: http.client.HTTPConnection, path: str) -> dict[str, Any]:
        status, doc = self.agent.call("GET", path, conn=conn)
        assert status == 200, (path, doc)
        return doc

    def adjust(self, rng: random.Random, conn: Any, mark: str) -> Move:
        cid = rng.choice(self.customers)
        customer = self.read(conn, f"/customers/{cid}")
        credit = rng.choice(customer["store_credits"])
        balance = credit["current_balance_cents"]
        amount, ok = rng.choice([rng.randint(1, SMALL), -rng.randint(1, SMALL)]), True
        if -amount > balance or rng.random() < 0.1:
            amount, ok = -(balance + 1), False  # below zero: refused
        body = {"code": credit["code"], "amount_cents": amount, "comments": mark}
        return self._move(
            mark,
            "customer",
            int(cid),
            "adjust_store_credit",
            customer,
            body,
            ok,
            {("customer", int(cid)): amount},
        )

    def issue(self, rng: random.Random, conn: Any, mark: str) -> Move:
        cid = rng.choice(self.customers)
        customer = self.read(conn, f"/customers/{cid}")
        amount = rng.randint(1, 500)
        return self._move(
            mark,
            "customer",
            int(cid),
            "issue_store_credit",
            customer,
            {"amount_cents": amount, "comments": mark},
            True,
            {("customer", int(cid)): amount},
        )

    def refund(self, rng: random.Random, conn: Any, mark: str) -> Move:
        order = self.read(conn, f"/orders/{rng.choice(self.orders)}")
        left = min(
            order["totals"]["refundable_cents"], sum(creditable(p) for p in order["payments"])
        )
        amount = rng.randint(1, SMALL)
        ok = amount <= left and rng.random() > 0.1
        amount = amount if ok else left + 1
        body = {"amount_cents": amount, "reason_code": "Goodwill", "note": mark}
        return self._move(
            mark,
            "order",
            order["number"],
            "refund",
            order,
            body,
            ok,
            {("order", order["number"]): amount},
            emails=1,
        )

    def credit(self, rng: random.Random, conn: Any, mark: str) -> Move:
        order = self.read(conn, f"/orders/{rng.choice(self.orders)}")
        payment = max(order["payments"], key=creditable)
        amount = rng.randint(1, SMALL)
        ok = amount <= creditable(payment) and rng.random() > 0.1
        amount = amount if ok else creditable(payment) + 1
        body = {"payment_id": payment["id"], "amount_cents": amount, "note": mark}
        return self._move(
            mark,
            "order",
            order["number"],
            "credit_payment",
            order,
            body,
            ok,
            {("order", order["number"]): amount},
        )

    def appease(self, rng: random.Random, conn: Any, mark: str) -> Move:
        order = self.read(conn, f"/orders/{self.appeased['id']}")
        shipping = order["totals"]["shipping_cents"]
        lines = [
            i
            for i in order["items"]
            if i["quantity"] > i["quantity_cancelled"] and i["unit_price_cents"] > SMALL
        ]
        ok = rng.random() > 0.1 and bool(shipping or lines)
        if not lines or (shipping and rng.random() < 0.5):
            cut = rng.randint(1, min(SMALL, shipping)) if ok else shipping + 1
            adjustment: dict[str, Any] = {"type": "shipping", "amount_cents": cut}
        else:
            line = rng.choice(lines)
            price = line["unit_price_cents"] - (rng.randint(1, SMALL) if ok else 0)
            adjustment = {
                "type": "item_price",
                "line_id": line["line_id"],
                "unit_price_cents": price,
            }
        body = {"adjustment": adjustment, "reason_code": "PriceMatch", "note": mark}
        return self._move(mark, "order", order["number"], "appeasement", order, body, ok, {})

    def refund_return(self, rng: random.Random, conn: Any, mark: str) -> Move:
        ret = self.read(conn, f"/returns/{rng.choice(self.returns)}")
        order = self.read(conn, f"/orders/{ret['order_id']}")
        method = "StoreCredit" if ret["customer_id"] and rng.random() < 0.4 else "OriginalPayment"
        left = min(ret["refundable_cents"], order["totals"]["refundable_cents"])
        if method == "OriginalPayment":
            left = min(left, sum(creditable(p) for p in order["payments"]))
        amount = rng.randint(1, SMALL)
        ok = amount <= left and rng.random() > 0.1
        amount = amount if ok else ret["refundable_cents"] + 1
        body = {"mode": "manual", "amount_cents": amount, "method": method, "note": mark}
        deltas = {("return", ret["number"]): amount, ("order", ret["order_number"]): amount}
        if method == "StoreCredit":
            deltas[("customer", int(ret["customer_id"]))] = amount
        return self._move(mark, "return", ret["number"], "refund", ret, body, ok, deltas, emails=1)

    @staticmethod
    def _move(
        mark: str,
        kind: str,
        number: int,
        action: str,
        doc: dict[str, Any],
        body: dict[str, Any],
        ok: bool,
        deltas: dict[Key, int],
        emails: int = 0,
    ) -> Move:
        path = f"/{kind}s/{doc['id']}/actions/{action}"
        return Move(
            mark,
            (kind, number),
            path,
            {"expected_version": doc["version"], **body},
            ok,
            frozenset(deltas) | {(kind, number)},
            deltas,
            emails,
        )

    def send(self, move: Move, conn: http.client.HTTPConnection | None = None) -> tuple[int, Any]:
        headers = {"Idempotency-Key": move.tag, "X-Callcenter-Session": move.tag}
        return self.agent.call("POST", move.path, move.body, conn=conn, headers=headers)


def expect(move: Move, status: int, answer: Any) -> None:
    if move.expect_ok:
        assert status == 200 and not answer["replayed"], (move, status, answer)
    else:
        assert status in (409, 422), (move, status, answer)


@pytest.mark.slow
@pytest.mark.parametrize("piece", range(PIECES))
def test_kill_9_moves_money_once(piece: int, tmp_path: Path, seeded_store: Path) -> None:
    rng = random.Random(SEED + piece)
    plan = random.Random(-(SEED + piece))  # when to kill: apart from the stream's choices
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data")).start()
    db = agent.data_dir / "demo.db"
    try:
        stream = Stream(agent)
        start: Store = read_store(db, stream.watched)
        appeased: Key = ("order", stream.appeased["number"])
        moves: dict[str, Move] = {}
        sure: set[str] = set()
        replays = resent = resent_applied = promised = 0
        for _ in range(KILLS):
            # Kill once this many actions are applied, a moment after sending the next one:
            # the count, not the machine's speed, sets how much each round does.
            target = plan.randint(*APPLIED_PER_KILL)
            promised += target
            conn = agent.connection(timeout=10)
            in_flight: Move | None = None
            killer: threading.Timer | None = None
            applied = 0
            try:
                while True:
                    move = stream.move(rng, conn, len(moves))
                    if applied >= target and killer is None:
                        killer = threading.Timer(plan.uniform(0, 0.01), agent.kill)
                        killer.start()
                    moves[move.tag] = in_flight = move
                    status, answer = stream.send(move, conn)
                    expect(move, status, answer)
                    if status == 200:
                        sure.add(move.tag)
                        move.version = answer["version"]
                        applied += 1
                    in_flight = None
            except (OSError, http.client.HTTPException):
                pass  # the agent died under us
            finally:
                if killer is not None:
                    killer.join()
                conn.close()
            assert killer is not None and applied >= target, (applied, target)
            assert agent.proc is not None and agent.proc.returncode == -9
            maybe = {in_flight.tag} if in_flight and in_flight.expect_ok else set()
            held = check(db, start, moves, sure, maybe, appeased)
            agent.start()
            if in_flight is not None:  # its answer was lost: the CSR retries with its key
                resent += 1
                status, answer = stream.send(in_flight)
                if in_flight.tag in held:
                    assert status == 200 and answer["replayed"], (in_flight, status, answer)
                    resent_applied += 1
                else:
                    expect(in_flight, status, answer)
                if status == 200:
                    sure.add(in_flight.tag)
                    in_flight.version = answer["version"]
            for name in rng.sample(sorted(sure), min(2, len(sure))):
                status, answer = stream.send(moves[name])
                assert status == 200 and answer["replayed"], (name, status, answer)
                assert answer["version"] == moves[name].version
                replays += 1
            check(db, start, moves, sure, set(), appeased)
        refused = sum(not m.expect_ok for m in moves.values())
        assert len(sure) >= promised >= KILLS * 10
        assert refused > KILLS and resent >= KILLS // 3
        print(
            f"\nmoney crash {piece + 1}/{PIECES}: {KILLS} kill -9 survived, {len(sure)} money "
            f"actions applied once, {refused} refused; {resent} sent again after the kill cut "
            f"their answer off ({resent_applied} of them already applied), {replays} replays "
            f"changed nothing"
        )
    finally:
        agent.stop()
