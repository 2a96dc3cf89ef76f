"""The demo store's seed: deterministic, complete, coherent and realistic."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from agent.backends.demo import seed as seed_module
from agent.backends.demo.names import CSR_NAMES, NICKNAMES, ascii_slug
from agent.backends.demo.products import PRODUCTS
from agent.backends.demo.seed import SCALES, seed_store, store_is_seeded
from agent.backends.demo.seed_orders import REFERENCE_TIME, shipping_cents
from agent.backends.demo.seed_people import national_digits
from shared_schema import vocab

THREE_YEARS = 3 * 365 * 86_400
TABLES = {
    "customers": "id",
    "customer_segments": "segment, customer_id",
    "orders": "number",
    "returns": "number",
    "audit_log": "id",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "demo.sqlite3"
    seed_store(path)
    return path


@pytest.fixture(scope="module")
def db(store: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    return conn


def rows(db: sqlite3.Connection, sql: str, *params: Any) -> list[sqlite3.Row]:
    return db.execute(sql, params).fetchall()


def column(db: sqlite3.Connection, sql: str, *params: Any) -> list[Any]:
    return [row[0] for row in db.execute(sql, params)]


def content_hash(path: Path) -> str:
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    for table, key in TABLES.items():
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY {key}"):
            digest.update(repr(row).encode())
    meta = conn.execute("SELECT * FROM meta WHERE key != 'seeded_at' ORDER BY key").fetchall()
    digest.update(repr(meta).encode())
    conn.close()
    return digest.hexdigest()


# --- building the file -------------------------------------------------------------------


def test_small_seed_has_the_promised_counts_and_meta(store: Path, db: sqlite3.Connection) -> None:
    size = SCALES["small"]
    for table, expected in (
        ("customers", size.customers),
        ("orders", size.orders),
        ("returns", size.returns),
    ):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected
    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert meta["scale"] == "small"
    assert meta["seed"] == str(seed_module.DEFAULT_SEED)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["seeded_at"])
    assert meta["order_count"] == "3000" and meta["return_count"] == "400"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store_is_seeded(store)


def test_report_describes_the_seed(tmp_path: Path) -> None:
    report = seed_store(tmp_path / "store.db", seed=7)
    assert (report.scale, report.seed) == ("small", 7)
    assert (report.customers, report.orders, report.returns) == (500, 3000, 400)
    assert report.audit_entries >= 500
    assert report.seconds >= report.load_seconds + report.search_seconds


def test_progress_bar_goes_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_store(tmp_path / "store.db", progress=True)
    out, err = capsys.readouterr()
    assert out == ""
    for phase in ("People", "Orders", "Returns", "Customers", "Search index"):
        assert phase in err


def test_search_structures_are_built(db: sqlite3.Connection) -> None:
    names = set(column(db, "SELECT name FROM sqlite_master"))
    assert {"customers_fts", "orders_fts", "returns_fts"} <= names
    hits = column(db, "SELECT rowid FROM customers_fts WHERE customers_fts MATCH 'name:zo*'")
    assert hits


def test_same_seed_gives_identical_rows_and_another_seed_differs(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a" / "s.db", tmp_path / "b" / "s.db", tmp_path / "c.db"
    seed_store(first, seed=42)
    seed_store(second, seed=42)
    seed_store(other, seed=43)
    assert content_hash(first) == content_hash(second)
    assert content_hash(first) != content_hash(other)


def test_failed_seed_leaves_the_old_store_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    seed_store(path, seed=1)
    before = path.read_bytes()

    def crash(conn: sqlite3.Connection) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(seed_module, "build_search_structures", crash)
    with pytest.raises(RuntimeError, match="disk on fire"):
        seed_store(path, seed=2)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.db"]
    assert store_is_seeded(path)


def test_reseeding_replaces_the_store_and_its_stale_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    seed_store(path, seed=1)
    Path(f"{path}-wal").write_bytes(b"stale frames of the old store")
    seed_store(path, seed=2)
    assert not Path(f"{path}-wal").exists()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()[0] == "2"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_store_is_seeded_only_for_a_complete_store(tmp_path: Path) -> None:
    assert not store_is_seeded(tmp_path / "missing.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert not store_is_seeded(garbage)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE meta (key TEXT, value TEXT)").connection.close()
    assert not store_is_seeded(empty)
    assert not (tmp_path / "missing.db").exists()


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        seed_store(tmp_path / "x.db", "huge")  # type: ignore[arg-type]
    assert not any(tmp_path.iterdir())


# --- vocabulary and skew -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "field", "words"),
    [
        ("orders", "status", vocab.ORDER_STATUSES),
        ("orders", "payment_status", vocab.ORDER_PAYMENT_STATUSES),
        ("orders", "fulfillment_status", vocab.ORDER_FULFILLMENT_STATUSES),
        ("orders", "return_status", vocab.ORDER_RETURN_STATUSES),
        ("orders", "type", vocab.ORDER_TYPES),
        ("orders", "channel", vocab.CHANNELS),
        ("orders", "site", vocab.SITES),
        ("returns", "status", vocab.RETURN_STATUSES),
        ("returns", "return_type", vocab.RETURN_TYPES),
        ("returns", "refund_status", vocab.RETURN_REFUND_STATUSES),
        ("returns", "reason", vocab.RETURN_REASONS),
        ("customers", "account_status", vocab.ACCOUNT_STATUSES),
        ("customers", "customer_set", vocab.CUSTOMER_SETS),
        ("customers", "country", vocab.COUNTRIES),
        ("customer_segments", "segment", vocab.SEGMENTS),
    ],
)
def test_every_vocabulary_word_appears(
    db: sqlite3.Connection, table: str, field: str, words: tuple[str, ...]
) -> None:
    assert set(column(db, f"SELECT DISTINCT {field} FROM {table}")) == set(words)


def test_statuses_are_skewed_like_a_real_store(db: sqlite3.Connection) -> None:
    statuses = Counter(column(db, "SELECT status FROM orders"))
    assert statuses.most_common(1)[0][0] == "Completed"
    assert statuses["Completed"] + statuses["Processing"] > 0.75 * 3000
    returns = Counter(column(db, "SELECT status FROM returns"))
    assert returns.most_common(1)[0][0] == "Closed"


def test_open_orders_are_recent(db: sqlite3.Connection) -> None:
    old = REFERENCE_TIME - 30 * 86_400
    stale = column(
        db,
        "SELECT count(*) FROM orders WHERE submitted_at < ? AND status IN "
        "('Pending', 'Submitted', 'Validated', 'Accepted')",
        old,
    )[0]
    assert stale == 0


def test_some_customers_buy_often_and_some_never(db: sqlite3.Connection) -> None:
    counts = column(db, "SELECT order_count FROM customers")
    assert sum(1 for c in counts if c == 0) > 0.1 * len(counts)
    assert sum(1 for c in counts if c >= 10) >= 10
    assert sum(1 for c in counts if 2 <= c <= 5) > 0.1 * len(counts)


def test_returns_per_customer_are_skewed(db: sqlite3.Connection) -> None:
    per_customer = Counter(column(db, "SELECT customer_id FROM returns WHERE customer_id > 0"))
    assert max(per_customer.values()) >= 4
    assert 1 in per_customer.values()
    assert column(db, "SELECT count(*) FROM returns GROUP BY order_number ORDER BY 1 DESC")[0] >= 2


def test_a_few_orders_restrict_edits_and_cancellation(db: sqlite3.Connection) -> None:
    edit, cancel = rows(db, "SELECT sum(restrict_edit), sum(restrict_cancel) FROM orders")[0]
    assert 0.005 * 3000 <= edit <= 0.05 * 3000
    assert 0.005 * 3000 <= cancel <= 0.05 * 3000


# --- coherence ---------------------------------------------------------------------------


def test_order_status_combinations_are_coherent(db: sqlite3.Connection) -> None:
    combos = set(rows(db, "SELECT DISTINCT status, payment_status, fulfillment_status FROM orders"))
    for status, payment, fulfillment in combos:
        # Refunded: paid, then every cent given back by the order's returns.
        if status in ("Completed", "Closed"):
            assert payment in ("Paid", "Refunded") and fulfillment == "Fulfilled"
        if status == "Cancelled":
            assert (payment, fulfillment) == ("Voided", "NotFulfilled")
        if fulfillment != "NotFulfilled":
            assert payment in ("Paid", "Refunded")


def test_type_follows_channel(db: sqlite3.Connection) -> None:
    pairs = set(rows(db, "SELECT DISTINCT channel, type FROM orders"))
    assert {tuple(p) for p in pairs} == {
        ("Web", "Online"),
        ("Marketplace", "Online"),
        ("Store", "Offline"),
        ("CallCenter", "Offline"),
    }


def test_order_items_and_money_add_up(db: sqlite3.Connection) -> None:
    for order in rows(db, "SELECT * FROM orders"):
        items = json.loads(order["items"])
        assert 1 <= len(items) <= 5
        assert len({sku for sku, *_ in items}) == len(items)
        for sku, quantity, price, fulfilled, returned in items:
            assert PRODUCTS[sku][1] == price
            assert 0 <= returned <= fulfilled <= quantity and quantity >= 1
        units = sum(item[1] for item in items)
        shipped = sum(item[3] for item in items)
        assert order["item_count"] == units
        expected_fulfillment = (
            "NotFulfilled"
            if shipped == 0
            else "Fulfilled"
            if shipped == units
            else "PartiallyFulfilled"
        )
        assert order["fulfillment_status"] == expected_fulfillment
        subtotal = sum(item[1] * item[2] for item in items)
        tax = order["total_cents"] - subtotal - shipping_cents(subtotal, order["site"])
        assert 0 <= tax <= subtotal * 0.2 + 1
        paid = order["payment_status"] in ("Paid", "Refunded")
        assert order["collected_cents"] == (order["total_cents"] if paid else 0)


def test_currency_and_site_follow_the_country(db: sqlite3.Connection) -> None:
    currency = {"US Store": "USD", "CA Store": "CAD", "UK Store": "GBP"}
    country = {"US Store": "US", "CA Store": "CA", "UK Store": "GB"}
    for order in rows(
        db,
        "SELECT o.site, o.currency, o.address, c.country FROM orders o "
        "LEFT JOIN customers c ON c.id = o.customer_id",
    ):
        assert currency[order["site"]] == order["currency"]
        where = order["country"] or json.loads(order["address"])["country"]
        assert country[order["site"]] == where


def test_returns_only_claim_fulfilled_units(db: sqlite3.Connection) -> None:
    orders = {row["number"]: row for row in rows(db, "SELECT * FROM orders")}
    claimed: dict[tuple[int, int], int] = defaultdict(int)
    received: dict[tuple[int, int], int] = defaultdict(int)
    for ret in rows(db, "SELECT * FROM returns"):
        order = orders[ret["order_number"]]
        lines = json.loads(order["items"])
        assert order["fulfillment_status"] != "NotFulfilled"
        for key in ("customer_id", "customer_name", "email", "phone_digits", "currency"):
            assert ret[key] == order[key]
        assert order["submitted_at"] <= ret["created_at"] <= ret["updated_at"] <= REFERENCE_TIME
        items = json.loads(ret["items"])
        assert items and ret["item_count"] == sum(item[2] for item in items)
        for line_id, sku, quantity, price in items:
            line = lines[line_id - 1]
            assert (line[0], line[2]) == (sku, price)
            assert 1 <= quantity <= line[3]
            if ret["status"] in ("Created", "Authorized", "Closed"):
                claimed[ret["order_number"], line_id] += quantity
            if ret["status"] == "Closed":
                received[ret["order_number"], line_id] += quantity
    for number, order in orders.items():
        for line_id, line in enumerate(json.loads(order["items"]), 1):
            assert claimed[number, line_id] <= line[3]
            assert received[number, line_id] == line[4]


def test_order_return_status_rolls_up_its_returns(db: sqlite3.Connection) -> None:
    statuses: dict[int, list[str]] = defaultdict(list)
    for number, status in rows(db, "SELECT order_number, status FROM returns"):
        statuses[number].append(status)
    for order in rows(db, "SELECT number, return_status, items FROM orders"):
        items = json.loads(order["items"])
        returned = sum(item[4] for item in items)
        mine = statuses.get(order["number"], [])
        if returned and returned == sum(item[1] for item in items):
            expected = "FullyReturned"
        elif returned:
            expected = "PartiallyReturned"
        elif "Created" in mine or "Authorized" in mine:
            expected = "ReturnRequested"
        else:
            expected = "None"
        assert order["return_status"] == expected, order["number"]


def test_refunds_match_refund_status_and_never_exceed_what_was_collected(
    db: sqlite3.Connection,
) -> None:
    refunded: dict[int, int] = defaultdict(int)
    for ret in rows(db, "SELECT * FROM returns"):
        value = sum(item[2] * item[3] for item in json.loads(ret["items"]))
        refund = ret["refund_cents"]
        refunded[ret["order_number"]] += refund
        if ret["refund_status"] == "NotRefunded":
            assert refund == 0
        elif ret["refund_status"] == "FullyRefunded":
            assert value <= refund <= value * 1.2 + 1
        else:
            assert 0 < refund < value * 1.2
        if ret["return_type"] == "Replace" or ret["status"] in ("Rejected", "Cancelled"):
            assert refund == 0
    for number, total in refunded.items():
        collected = column(db, "SELECT collected_cents FROM orders WHERE number = ?", number)[0]
        assert total <= collected


def test_numbers_grow_with_time(db: sqlite3.Connection) -> None:
    for table, key, when, first in (
        ("customers", "id", "created_at", 1001),
        ("orders", "number", "submitted_at", 10001),
        ("returns", "number", "created_at", 5001),
    ):
        keys = column(db, f"SELECT {key} FROM {table} ORDER BY {key}")
        assert keys == list(range(first, first + len(keys)))
        times = column(db, f"SELECT {when} FROM {table} ORDER BY {key}")
        assert times == sorted(times)


def test_dates_span_three_years_before_the_reference(db: sqlite3.Connection) -> None:
    first, last = rows(db, "SELECT min(submitted_at), max(submitted_at) FROM orders")[0]
    assert REFERENCE_TIME - THREE_YEARS <= first < REFERENCE_TIME - THREE_YEARS + 60 * 86_400
    assert REFERENCE_TIME - 7 * 86_400 < last < REFERENCE_TIME
    latest = rows(
        db,
        "SELECT (SELECT max(updated_at) FROM orders), (SELECT max(updated_at) FROM returns), "
        "(SELECT max(updated_at) FROM customers), (SELECT max(at) FROM audit_log)",
    )[0]
    assert max(latest) <= REFERENCE_TIME
    stale_orders = column(
        db,
        "SELECT count(*) FROM orders o WHERE o.updated_at < o.submitted_at OR o.updated_at < "
        "(SELECT max(r.updated_at) FROM returns r WHERE r.order_number = o.number)",
    )[0]
    assert stale_orders == 0
    late_orders = column(
        db,
        "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.submitted_at < c.created_at",
    )[0]
    assert late_orders == 0


def test_customer_totals_come_from_their_orders(db: sqlite3.Connection) -> None:
    """order_count counts every order (as the Orders tab lists them); the lifetime value and
    the last order date only the orders that were not cancelled."""
    counted = dict(
        rows(
            db,
            "SELECT customer_id, count(*) FROM orders "
            "WHERE customer_id IS NOT NULL GROUP BY customer_id",
        )
    )
    valued = {
        row[0]: tuple(row[1:])
        for row in rows(
            db,
            "SELECT customer_id, sum(total_cents), max(submitted_at) FROM orders "
            "WHERE customer_id IS NOT NULL AND status != 'Cancelled' GROUP BY customer_id",
        )
    }
    for customer in rows(
        db, "SELECT id, order_count, lifetime_value_cents, last_order_at FROM customers"
    ):
        assert customer["order_count"] == counted.get(customer["id"], 0)
        assert tuple(customer[2:]) == valued.get(customer["id"], (0, None))


def test_segment_rows_mirror_the_customer_column(db: sqlite3.Connection) -> None:
    mirrored = defaultdict(set)
    for segment, customer_id in rows(db, "SELECT segment, customer_id FROM customer_segments"):
        mirrored[customer_id].add(segment)
    for customer_id, segments in rows(db, "SELECT id, segments FROM customers"):
        assert set(filter(None, segments.split(","))) == mirrored.get(customer_id, set())
    wholesale = rows(
        db,
        "SELECT customer_set, segments, tax_exempt, tax_id FROM customers "
        "WHERE customer_set = 'wholesale'",
    )
    assert all("Wholesale" in row[1] and row[2] == 1 and row[3] for row in wholesale)
    first_timers = rows(
        db, "SELECT order_count FROM customers WHERE segments LIKE '%FirstTimeBuyer%'"
    )
    assert first_timers and all(row[0] == 1 for row in first_timers)


def test_audit_log_tells_each_customers_story(db: sqlite3.Connection) -> None:
    customers = {row["id"]: row for row in rows(db, "SELECT * FROM customers")}
    entries: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for entry in rows(db, "SELECT * FROM audit_log ORDER BY at, id"):
        assert entry["kind"] == "customer"
        assert entry["who"] in ("system", *CSR_NAMES)
        entries[int(entry["entity_id"])].append(entry)
    assert set(entries) == set(customers)
    assert len(column(db, "SELECT id FROM audit_log")) > len(customers) * 1.5
    actions = Counter(entry["action"] for log in entries.values() for entry in log)
    assert {
        "account_created",
        "address_changed",
        "email_changed",
        "account_disabled",
        "account_locked",
    } <= set(actions)
    for customer_id, log in entries.items():
        customer = customers[customer_id]
        assert log[0]["action"] == "account_created"
        assert log[0]["at"] == customer["created_at"]
        assert customer["updated_at"] == log[-1]["at"]
        latest = {entry["field"]: entry["new_value"] for entry in log if entry["field"]}
        for field, value in latest.items():
            assert str(customer[field]) in (value, {"true": "1", "false": "0"}.get(value))


# --- realism of people -------------------------------------------------------------------


def test_names_keep_their_accents(db: sqlite3.Connection) -> None:
    people = rows(db, "SELECT first_name, last_name FROM customers")
    accented = [p for p in people if not (p[0] + p[1]).isascii()]
    assert len(accented) > 0.15 * len(people)
    everyone = " ".join(p[0] + " " + p[1] for p in people)
    assert any(ch in everyone for ch in "éèëüöåłñçøễ")


def test_emails_come_in_several_styles_and_stay_lower_case(db: sqlite3.Connection) -> None:
    people = rows(db, "SELECT first_name, last_name, email FROM customers")
    emails = [p["email"] for p in people]
    assert len(set(emails)) == len(emails)
    styles: Counter[str] = Counter()
    nicknames = {ascii_slug(k): v for k, v in NICKNAMES.items()}
    for first_name, last_name, email in people:
        assert email == email.lower() and email.isascii()
        local = email.split("@")[0]
        first, last = ascii_slug(first_name), ascii_slug(last_name)
        if local == f"{first}.{last}":
            styles["first.last"] += 1
        elif local == f"{first[0]}{last}":
            styles["flast"] += 1
        elif re.fullmatch(rf"{first}_{last}\d\d", local):
            styles["first_last99"] += 1
        elif first in nicknames and local.startswith(nicknames[first]):
            styles["nickname"] += 1
    assert set(styles) == {"first.last", "flast", "first_last99", "nickname"}
    domains = Counter(email.split("@")[1] for email in emails)
    assert len(domains) >= 10 and domains.most_common(1)[0][0] == "gmail.com"


def test_phones_are_written_in_mixed_formats_with_normalised_digits(
    db: sqlite3.Connection,
) -> None:
    patterns = {
        "(512) 555-0134": r"\(\d{3}\) \d{3}-\d{4}",
        "512-555-0134": r"\d{3}-\d{3}-\d{4}",
        "+1 512 555 0134": r"\+1 \d{3} \d{3} \d{4}",
        "512.555.0134": r"\d{3}\.\d{3}\.\d{4}",
        "+44 20 7946 0958": r"\+44 \d{2,4} \d{3,4} ?\d{0,4}",
        "020 7946 0958": r"0\d{2,4} \d{3,6}( \d{4})?",
    }
    phones = rows(db, "SELECT phone, phone_digits, phone_last4, country FROM customers")
    seen = {
        name
        for name, regex in patterns.items()
        if any(re.fullmatch(regex, p["phone"]) for p in phones)
    }
    assert seen == set(patterns)
    for phone, digits, last4, country in phones:
        assert digits == national_digits(phone)
        assert last4 == digits[-4:]
        assert len(digits) == 10 and digits.isdigit()
        if country == "GB":
            assert not digits.startswith("0")


@pytest.mark.parametrize(
    ("written", "digits"),
    [
        ("(512) 555-0134", "5125550134"),
        ("512-555-0134", "5125550134"),
        ("+1 512 555 0134", "5125550134"),
        ("512.555.0134", "5125550134"),
        ("1-512-555-0134", "5125550134"),
        ("+44 20 7946 0958", "2079460958"),
        ("020 7946 0958", "2079460958"),
        ("+44 (0)20 7946 0958", "2079460958"),
        ("07700 900123", "7700900123"),
    ],
)
def test_national_digits(written: str, digits: str) -> None:
    assert national_digits(written) == digits


def test_addresses_match_their_country(db: sqlite3.Connection) -> None:
    postcode = {
        "US": r"\d{5}",
        "CA": r"[ABCEGHJ-NPRSTVXY]\d[A-Z] \d[A-Z]\d",
        "GB": r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}",
    }
    provinces = {"ON", "QC", "BC", "AB", "MB", "NS", "SK", "NL"}
    people = rows(db, "SELECT address1, city, state, postal_code, country FROM customers")
    guests = [json.loads(a) for a in column(db, "SELECT address FROM orders WHERE address > ''")]
    for person in [dict(p) for p in people] + guests:
        assert re.fullmatch(postcode[person["country"]], person["postal_code"]), person
        assert re.match(r"(Flat \d+, )?\d+ \S", person["address1"])
        if person["country"] == "US":
            assert re.fullmatch(r"[A-Z]{2}", person["state"])
        if person["country"] == "CA":
            assert person["state"] in provinces
        if person["country"] == "GB":
            assert len(person["state"]) > 2


def test_about_a_tenth_of_orders_are_guest_orders(db: sqlite3.Connection) -> None:
    guests = rows(db, "SELECT * FROM orders WHERE customer_id IS NULL")
    assert 0.06 * 3000 <= len(guests) <= 0.14 * 3000
    registered = set(column(db, "SELECT email FROM customers"))
    for order in guests:
        address = json.loads(order["address"])
        assert set(address) == {"address1", "city", "state", "postal_code", "country", "phone"}
        assert national_digits(address["phone"]) == order["phone_digits"]
        assert order["email"] == order["email"].lower() and order["email"] not in registered
        assert order["customer_name"].strip()
    repeat = Counter(order["email"] for order in guests)
    assert max(repeat.values()) >= 2
    assert (
        column(
            db, "SELECT count(*) FROM orders WHERE customer_id IS NOT NULL AND address IS NOT NULL"
        )[0]
        == 0
    )
