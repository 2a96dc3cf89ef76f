"""One vocabulary of display words: every code the agent sends has its label in GET /info, the
labels read as words (never "DifferentExpectations" or "Vip"), and the CLI, the admin console
and the agent's own messages use the same words and money format as the panel."""

from __future__ import annotations

import re

import pytest

from agent.domain.catalog import all_actions
from shared_schema import vocab
from shared_schema.labels import label, money_text, vocabulary
from tests.support.api import Api

RAW = re.compile(r"[a-z][A-Z]|^[A-Z_]{4,}$|_")


def test_every_vocabulary_code_reads_as_words() -> None:
    words = vocabulary().labels
    for name in dir(vocab):
        values = getattr(vocab, name)
        if not (name.isupper() and isinstance(values, tuple)):
            continue
        for code in values:
            assert code in words, f"{name}: {code} has no label"
            if code not in ("US", "CA", "GB"):
                assert not RAW.search(words[code]), f"{code} reads {words[code]!r}"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("DifferentExpectations", "Not as Expected"),
        ("PartiallyRefunded", "Partially Refunded"),
        ("FirstTimeBuyer", "First-Time Buyer"),
        ("VIP", "VIP"),
        ("CreditCard", "Credit Card"),
        ("PendingReview", "Pending Review"),
        ("CUSTOMER_CARE", "Customer Care"),
        ("account_created", "Account created"),
    ],
)
def test_the_words_of_codes_from_the_issue(code: str, words: str) -> None:
    assert label(code) == words


def test_money_has_one_format() -> None:
    assert money_text(2500, "CAD") == "CA$25.00"
    assert money_text(123450, "USD") == "$1,234.50"
    assert money_text(-300, "GBP") == "-£3.00"
    assert money_text(5, "CHF") == "0.05 CHF"


async def test_info_serves_a_label_for_every_code_of_the_seeded_store(api: Api) -> None:
    info = await api.read("/info")
    words: dict[str, str] = info["vocabulary"]["labels"]
    assert {a.name for a in all_actions()} <= set(words)
    seen: set[str] = set()
    for row in (await api.read("/search/orders", page_size="60"))["results"]:
        order = await api.read(f"/orders/{row['id']}")
        seen |= {order["status"], order["payment_status"], order["fulfillment_status"]}
        seen |= {order["return_status"], order["channel"]}
        seen |= {p["status"] for p in order["payments"]} | {p["type"] for p in order["payments"]}
        seen |= {s["status"] for s in order["shipments"]}
    for row in (await api.read("/search/returns", page_size="40"))["results"]:
        ret = await api.read(f"/returns/{row['id']}")
        seen |= {ret["status"], ret["return_type"], ret["refund_status"], ret["reason"]}
        seen |= {ret["receive_status"], ret["replace_status"]}
        seen |= {r["reason"] for item in ret["items"] for r in item["reasons"]}
    for row in (await api.read("/search/customers", page_size="40"))["results"]:
        customer = await api.read(f"/customers/{row['id']}")
        seen |= {customer["account_status"], *customer["segments"]}
        seen |= {s["credit_type"] for s in customer["store_credits"]}
        audit = await api.read(f"/customers/{row['id']}/audit-log")
        seen |= {e["action"] for e in audit["entries"]}
    missing = sorted(code for code in seen if code not in words)
    assert not missing, f"codes without a label: {missing}"


async def test_info_names_the_countries(api: Api) -> None:
    countries = (await api.read("/info"))["vocabulary"]["countries"]
    assert countries["CA"] == "Canada" and countries["GB"] == "United Kingdom"
    assert len(countries) > 240 and "ZZ" not in countries
