"""`callcenter-agent kibo-check` against the fake tenant: every read and search form once,
read-only, a ✓ or ✗ per line, and a ✗ that names what Kibo refused."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agent.backends.kibo.backend import KiboBackend
from agent.backends.kibo.kibo_check import run_kibo_check
from tests.kibo.fake_kibo import CLIENT_SECRET, FakeKibo
from tests.kibo.fake_lists import RULES
from tests.kibo.run_fake import write_agent_config
from tests.support.agent_process import cli


async def test_every_probe_passes_on_the_fake_and_only_reads(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    results = await run_kibo_check(backend)
    failed = [p for p in results if p.status == "failed"]
    assert failed == []
    names = {p.name for p in results}
    for kind in ("customers", "orders", "returns"):
        for form in ("list", "open one", "by number", "by the phone's last four"):
            assert any(n.startswith(f"{kind}: {form}") for n in names), (kind, form)
    assert "customers: filter segment" in names and "orders: filter total" in names
    assert "customers: sort by Lifetime Value" in names
    # The refund status of the fake's return is not set: said, not guessed.
    skipped = {p.name: p.detail for p in results if p.status == "skipped"}
    assert skipped == {"returns: filter refund_status": "the return has no value for it"}
    writes = [r for r in fake.requests if r.method != "GET"]
    assert [w.path for w in writes] == ["/api/platform/applications/authtickets/oauth"]


async def test_a_field_kibo_refuses_is_a_failed_line_naming_it(
    backend: KiboBackend, fake: FakeKibo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for kind in ("home", "mobile", "work"):
        monkeypatch.delitem(RULES["accounts"].filters, f"contacts.phonenumbers.{kind}")
    results = {p.name: p for p in await run_kibo_check(backend)}
    phone = results["customers: by phone as stored ((512) 555-0134)"]
    assert phone.status == "failed"
    assert "kibo_rejected" in phone.detail
    assert "'contacts.phonenumbers.home' is not a filterable field" in phone.detail
    assert results["customers: by email (ana.nunez@example.com)"].status == "ok"
    assert results["orders: by phone as stored ((512) 555-0134)"].status == "ok"


async def test_a_search_that_misses_shows_the_parameters_sent(
    backend: KiboBackend, fake: FakeKibo
) -> None:
    # Kibo keeping the phone in a form we do not try: the search answers, without the record.
    fake.data["accounts"][1001]["contacts"][0]["phoneNumbers"]["home"] = "512/5550134"
    results = {p.name: p for p in await run_kibo_check(backend)}
    digits = results["customers: by the phone's digits (5125550134)"]
    assert digits.status == "failed"
    assert digits.detail.startswith("1001 not among 0 found (filter=")
    assert "contacts.phonenumbers.home cont '512-555-0134'" in digits.detail


@pytest.mark.slow
async def test_the_command_prints_a_line_per_probe(tmp_path: Path, fake: FakeKibo) -> None:
    write_agent_config(tmp_path, fake.url)
    done = await asyncio.to_thread(cli, "kibo-check", data_dir=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Kibo tenant 1, site 23456:"
    assert "✓ customers: by the phone's last four (0134) — found 1001 (1 of 1)" in lines
    assert lines[-1] == f"{sum(ln.startswith('✓') for ln in lines)} passed, 0 failed, 1 skipped"
    assert CLIENT_SECRET not in done.stdout + done.stderr
    fake.data["returns"].clear()
    done = await asyncio.to_thread(cli, "kibo-check", data_dir=tmp_path)
    assert done.returncode == 0 and "– returns: searches — the tenant has no return" in done.stdout
    (tmp_path / "kibo-secret").write_text("wrong")
    done = await asyncio.to_thread(cli, "kibo-check", data_dir=tmp_path)
    assert done.returncode == 1 and "✗ credentials" in done.stdout
