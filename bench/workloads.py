"""The bench's queries, drawn from the store itself with fixed random seeds.

Each workload is a list of ``(kind, params)``: the query string of
``GET /api/v1/search/{kind}``. The same store gives the same queries on every run.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass

Request = tuple[str, dict[str, str]]


@dataclass(frozen=True)
class Workload:
    name: str
    target: str  # what the issue asks, for the report
    p50_ms: float | None
    p99_ms: float
    requests: list[Request]


def _sample(conn: sqlite3.Connection, table: str, columns: str, n: int) -> list[tuple]:
    """``n`` rows spread over the table, the same ones on every run."""
    top = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 1
    rng = random.Random(table)
    rows: list[tuple] = []
    sql = f"SELECT {columns} FROM {table} WHERE rowid >= ? LIMIT 1"
    while len(rows) < n:
        row = conn.execute(sql, (rng.randint(1, top),)).fetchone()
        if row:
            rows.append(row)
    return rows


def _typed(name: str) -> list[str]:
    """What a CSR types on the way to a name: 2, 3, 5 letters, then a second word begun."""
    first, _, last = name.partition(" ")
    return [first[:2], first[:3], first[:5], f"{first} {last[:2]}", last[:4]]


def _day(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date().isoformat()


ORDER_SORTS = (
    "number",
    "customer_name",
    "status",
    "total",
    "submitted_at",
    "item_count",
    "channel",
    "payment_status",
    "fulfillment_status",
    "type",
    "email",
)
STATUSES = ("Completed", "Processing", "Accepted", "Cancelled", "Submitted")


def _order_filters(rng: random.Random, submitted_at: int) -> dict[str, str]:
    day = 86_400
    choice = rng.randrange(5)
    if choice == 0:
        return {"status": rng.choice(STATUSES)}
    if choice == 1:
        return {"type": rng.choice(("Online", "Offline"))}
    if choice == 2:
        return {"channel": rng.choice(("Web", "CallCenter"))}
    if choice == 3:
        return {
            "submitted_from": _day(submitted_at - 30 * day),
            "submitted_to": _day(submitted_at),
        }
    return {"status": rng.choice(STATUSES), "channel": "Web"}


def _list(rng: random.Random, submitted_at: int, pages: tuple[int, ...]) -> dict[str, str]:
    return {
        **_order_filters(rng, submitted_at),
        "sort": rng.choice(ORDER_SORTS),
        "order": rng.choice(("asc", "desc")),
        "page": str(rng.choice(pages)),
    }


def build(conn: sqlite3.Connection, n: int) -> list[Workload]:
    rng = random.Random(7)
    orders = _sample(conn, "orders", "number, customer_name, email, phone_digits, submitted_at", n)
    customers = _sample(conn, "customers", "id, first_name || ' ' || last_name, email, phone", n)
    returns = _sample(conn, "returns", "number, customer_name, email", n)
    words = [p for o in orders for p in _typed(o[1]) if p.strip()]
    words += [o[2].split("@")[0][:k] for o in orders for k in (3, 6)]
    return [
        Workload(
            "orders typeahead", "p50 < 2, p99 < 8", 2, 8, [("orders", {"q": q}) for q in words]
        ),
        Workload(
            "customers typeahead",
            "p99 < 8",
            None,
            8,
            [("customers", {"q": p}) for c in customers for p in _typed(c[1]) if p.strip()],
        ),
        Workload(
            "returns typeahead",
            "p99 < 8",
            None,
            8,
            [("returns", {"q": p}) for r in returns for p in _typed(r[1]) if p.strip()],
        ),
        Workload(
            "exact id / #number",
            "p99 < 3",
            None,
            3,
            [
                *(("orders", {"q": q}) for o in orders for q in (f"#{o[0]}", str(o[0]))),
                *(("customers", {"q": str(c[0])}) for c in customers),
                *(("returns", {"q": f"#{r[0]}"}) for r in returns),
            ],
        ),
        Workload(
            "email prefix",
            "p99 < 3",
            None,
            3,
            [
                (kind, {"q": email[: email.index("@") + 1 + k]})
                for kind, email in [
                    *(("customers", c[2]) for c in customers),
                    *(("orders", o[2]) for o in orders),
                ]
                for k in (0, 3)
            ],
        ),
        Workload(
            "phone digits",
            "p99 < 3",
            None,
            3,
            [
                *(
                    ("customers", {"q": q})
                    for c in customers
                    for q in (c[3], "".join(ch for ch in c[3] if ch.isdigit())[:6])
                ),
                *(("orders", {"q": o[3]}) for o in orders),
            ],
        ),
        Workload(
            "filter + sort lists",
            "p99 < 10",
            None,
            10,
            [("orders", _list(rng, o[4], (1, 1, 2, 3))) for o in orders],
        ),
        Workload(
            "deep pages (10-400)",
            "< 100",
            None,
            100,
            [("orders", _list(rng, o[4], (10, 40, 100, 400))) for o in orders],
        ),
        Workload("worst case", "< 100", None, 100, worst_case(orders)),
        Workload("kibo dashboard filters", "p99 < 100", None, 100, dashboard_filters(conn, n)),
    ]


def dashboard_filters(conn: sqlite3.Connection, n: int) -> list[Request]:
    """What Kibo's dashboards filter by (issue 17): first / last name in each Name Match,
    External ID, Location, a card's last four, a return by its order's number."""
    rng = random.Random(17)
    out: list[Request] = []
    for name, external, location in _sample(
        conn, "orders", "customer_name, external_id, location", n
    ):
        first, _, last = name.partition(" ")
        last = last or first
        out += [
            ("orders", {"first_name": first, "name_match": "exact"}),
            ("orders", {"last_name": last[:3], "sort": rng.choice(ORDER_SORTS)}),
            ("orders", {"last_name": last[1:5], "name_match": "contains"}),
            ("customers", {"first_name": first[:2], "last_name": last[:2]}),
            ("orders", {"external_id": external or "MP-1"}),
            ("orders", {"location": location, "sort": rng.choice(ORDER_SORTS)}),
            ("orders", {"q": f"{rng.randrange(10_000):04d}"}),
        ]
    out += [("returns", {"q": str(r[0])}) for r in _sample(conn, "returns", "order_number", n)]
    return out


def worst_case(orders: list[tuple]) -> list[Request]:
    """1-char queries, ``com``-like tokens, text sorted by a column over ~1M hits."""
    out: list[Request] = []
    for letter in "acjmsx":
        out += [
            ("orders", {"q": letter}),
            ("customers", {"q": letter}),
            ("orders", {"q": letter, "sort": "total"}),
            ("orders", {"q": letter, "sort": "customer_name", "order": "asc"}),
            ("orders", {"q": letter, "status": "Completed", "sort": "item_count"}),
        ]
    for token in ("com", "co", "gmail", "mail", "john", "smith"):
        out += [("orders", {"q": token}), ("orders", {"q": token, "sort": "total"})]
    for o in orders[:20]:
        out.append(("orders", {"q": o[1].split()[0][:3], "status": "Cancelled", "sort": "total"}))
    return out


def mixed(workloads: list[Workload], size: int) -> list[Request]:
    """The concurrency mix: 55% orders typeahead, 15% customers, 10% lookups, 20% lists."""
    by_name = {w.name: w.requests for w in workloads}
    rng = random.Random(11)
    shares = [
        ("orders typeahead", 55),
        ("customers typeahead", 15),
        ("exact id / #number", 4),
        ("phone digits", 3),
        ("email prefix", 3),
        ("filter + sort lists", 20),
    ]
    pool = [name for name, share in shares for _ in range(share)]
    return [rng.choice(by_name[rng.choice(pool)]) for _ in range(size)]
