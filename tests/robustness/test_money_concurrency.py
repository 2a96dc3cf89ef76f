"""Money under concurrency: 8 clients refund the same order and debit the same store credit at
once, each from the version it last read. Refunds never exceed what is refundable, balances
never go negative, a repeated Idempotency-Key never moves money twice, and the final amounts
are exactly the starting ones moved by the acknowledged actions.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

from tests.security.live import LiveAgent, copy_store

CLIENTS = 8
ROUNDS = 15
SEED = 31337


def find_refundable_order(agent: LiveAgent) -> dict[str, Any]:
    _, found = agent.call("GET", "/search/orders?page_size=40&sort=total&order=desc")
    for row in found["results"]:
        _, order = agent.call("GET", f"/orders/{row['id']}")
        if order["totals"]["refundable_cents"] >= 5_000:
            return order
    raise AssertionError("no order with money left to refund in the demo store")


def find_store_credit(agent: LiveAgent) -> tuple[dict[str, Any], dict[str, Any]]:
    _, found = agent.call("GET", "/search/customers?page_size=100&sort=order_count&order=desc")
    for row in found["results"]:
        _, customer = agent.call("GET", f"/customers/{row['id']}")
        for credit in customer["store_credits"]:
            if credit["current_balance_cents"] >= 2_000:
                return customer, credit
    raise AssertionError("no customer with a store credit balance in the demo store")


class Race:
    def __init__(self, agent: LiveAgent) -> None:
        self.agent = agent
        self.lock = threading.Lock()
        self.acked: list[tuple[str, int]] = []  # (kind of money move, cents)
        self.errors: list[str] = []
        self.statuses: dict[int, int] = {}

    def note(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def act(self, conn: Any, path: str, body: dict[str, Any], key: str) -> tuple[int, Any]:
        return self.agent.call("POST", path, body, conn=conn, headers={"Idempotency-Key": key})

    def refunds(self, index: int, order_id: str) -> None:
        rng = random.Random(SEED + index)
        conn = self.agent.connection(timeout=30)
        path = f"/orders/{order_id}/actions/refund"
        try:
            for n in range(ROUNDS):
                _, order = self.agent.call("GET", f"/orders/{order_id}", conn=conn)
                left = order["totals"]["refundable_cents"]
                amount = rng.choice([1, 97, max(1, left // 4), left + 1, left])
                body = {
                    "expected_version": order["version"],
                    "amount_cents": max(1, amount),
                    "reason_code": "Goodwill",
                }
                key = f"refund-{index}-{n}-{SEED}"
                status, result = self.act(conn, path, body, key)
                self.note(status)
                if status == 200:
                    totals = result["entity"]["totals"]
                    if totals["refundable_cents"] < 0 or totals["refundable_cents"] > left:
                        self.fail(f"refundable went to {totals['refundable_cents']}")
                    with self.lock:
                        self.acked.append(("refund", body["amount_cents"]))
                    again, replay = self.act(conn, path, body, key)
                    if (
                        again != 200
                        or not replay["replayed"]
                        or replay["version"] != result["version"]
                    ):
                        self.fail(f"retrying {key} gave {again} {replay}")
                elif status not in (409, 422):
                    self.fail(f"refund: {status} {result}")
        finally:
            conn.close()

    def debits(self, index: int, customer_id: str, code: str) -> None:
        rng = random.Random(SEED * 7 + index)
        conn = self.agent.connection(timeout=30)
        path = f"/customers/{customer_id}/actions/adjust_store_credit"
        try:
            for n in range(ROUNDS):
                _, customer = self.agent.call("GET", f"/customers/{customer_id}", conn=conn)
                credit = next(c for c in customer["store_credits"] if c["code"] == code)
                balance = credit["current_balance_cents"]
                amount = rng.choice([-1, -50, -max(1, balance // 3), -(balance + 1), 25])
                body = {
                    "expected_version": customer["version"],
                    "code": code,
                    "amount_cents": amount,
                    "comments": "race",
                }
                key = f"credit-{index}-{n}-{SEED}"
                status, result = self.act(conn, path, body, key)
                self.note(status)
                if status == 200:
                    after = next(c for c in result["entity"]["store_credits"] if c["code"] == code)
                    if after["current_balance_cents"] < 0:
                        self.fail(f"balance went to {after['current_balance_cents']}")
                    with self.lock:
                        self.acked.append(("credit", amount))
                    again, replay = self.act(conn, path, body, key)
                    if again != 200 or not replay["replayed"]:
                        self.fail(f"retrying {key} gave {again} {replay}")
                elif status not in (409, 422):
                    self.fail(f"adjust_store_credit: {status} {result}")
        finally:
            conn.close()


def test_money_moves_once_and_never_below_zero(tmp_path: Path, seeded_store: Path) -> None:
    agent = LiveAgent(copy_store(seeded_store, tmp_path / "data")).start()
    try:
        order = find_refundable_order(agent)
        customer, credit = find_store_credit(agent)
        race = Race(agent)
        threads = [
            threading.Thread(target=race.refunds, args=(i, order["id"]))
            for i in range(CLIENTS // 2)
        ]
        threads += [
            threading.Thread(target=race.debits, args=(i, customer["id"], credit["code"]))
            for i in range(CLIENTS // 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(t.is_alive() for t in threads)
        assert race.errors == []

        _, order_after = agent.call("GET", f"/orders/{order['id']}")
        refunded = sum(cents for kind, cents in race.acked if kind == "refund")
        assert order_after["totals"]["refundable_cents"] == (
            order["totals"]["refundable_cents"] - refunded
        )
        assert order_after["totals"]["refundable_cents"] >= 0
        assert len(order_after["refunds"]) == len(order["refunds"]) + sum(
            kind == "refund" for kind, _ in race.acked
        )

        _, customer_after = agent.call("GET", f"/customers/{customer['id']}")
        credit_after = next(
            c for c in customer_after["store_credits"] if c["code"] == credit["code"]
        )
        moved = sum(cents for kind, cents in race.acked if kind == "credit")
        assert credit_after["current_balance_cents"] == credit["current_balance_cents"] + moved
        assert credit_after["current_balance_cents"] >= 0
        assert any(kind == "refund" for kind, _ in race.acked)
        assert any(kind == "credit" for kind, _ in race.acked)
        print(
            f"\nmoney: {CLIENTS * ROUNDS} concurrent money actions, {len(race.acked)} "
            f"acknowledged (each retried once with its key); statuses {race.statuses}"
        )
    finally:
        agent.stop()
