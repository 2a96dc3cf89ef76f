"""The agent's own work around a request, outside the store: checking a search's query string
against its declared parameters, and deriving an entity's ``available_actions`` from the
action declarations (done on every detail the demo store reads and Kibo maps).

Rerun:

    .venv/bin/python bench/declarations_bench.py
    .venv/bin/python bench/declarations_bench.py --rounds 50 --calls 5000

Each round times ``--calls`` calls; prints p50/p95/max of the per-call time in microseconds.
CPU-bound and single-threaded: compare runs on an idle machine (the load average is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.domain.customer.offers import CustomerState, customer_actions
from agent.domain.order.offers import OrderState, PaymentState, order_actions
from agent.domain.return_.offers import ReturnState, return_actions
from agent.search.catalog import CATALOG
from agent.search.params import parse_search_request

QUERY = {
    "q": ["john"],
    "status": ["Completed,Processing"],
    "submitted_from": ["2026-01-01"],
    "sort": ["total"],
    "page_size": ["25"],
}
ORDER = OrderState(
    "Processing", "PartiallyFulfilled", False, False, 1, 2, 1, 5000, True,
    (PaymentState("Authorized", 9000, 4000, 0),), 1,
)  # fmt: skip
RETURN = ReturnState("Authorized", "Replace", 2, 1, 0, 500, 0, False, note_count=1)
CUSTOMER = CustomerState("Active", True, 2, 1, 1, 1)

CASES: dict[str, Callable[[], object]] = {
    "search query string (orders)": lambda: parse_search_request(CATALOG["orders"], QUERY),
    "order available_actions": lambda: order_actions(ORDER),
    "return available_actions": lambda: return_actions(RETURN),
    "customer available_actions": lambda: customer_actions(CUSTOMER),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds of {args.calls} calls")
    print(f"{'case':32} {'p50 µs':>8} {'p95 µs':>8} {'max µs':>8}")
    for name, call in CASES.items():
        call()  # the catalogue loads on first use
        times = sorted(
            t / args.calls * 1e6 for t in timeit.repeat(call, number=args.calls, repeat=args.rounds)
        )
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:32} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f}")


if __name__ == "__main__":
    main()
