"""The panel never sends the token to a program squatting the agent's port (real Chromium).

A real impostor HTTP server on a loopback port answers /health exactly as the agent does and
/handshake with a made-up proof. The panel, paired with a token for that port, must say
"Another program is answering on port N" and the impostor must never receive the token.
The control: the same panel paired with the real agent connects (its proof checks out).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.security.impostor import Impostor
from tests.support.agent_process import free_port

pytestmark = pytest.mark.browser

TOKEN = "impostor-test-token-" + "k" * 30


@pytest.mark.parametrize("answers_handshake", [True, False], ids=["fake proof", "no handshake"])
def test_the_panel_never_sends_the_token_to_an_impostor(browser, answers_handshake):
    port = free_port()
    with Impostor(port, answer_handshake=answers_handshake) as impostor:
        browser.pair(port, TOKEN)
        page = browser.open_panel()
        card = page.locator(".connection-card")
        expect(card).to_have_attribute("data-connection", "impostor")
        expect(card.get_by_role("heading")).to_have_text(
            f"Another program is answering on port {port}"
        )
        page.close()
        assert any(path.startswith("/api/v1/handshake") for path, _ in impostor.seen) or (
            not answers_handshake
        )
        assert impostor.got(TOKEN) == []
        assert not any("Authorization" in headers for _path, headers in impostor.seen)


def test_the_real_agent_proves_itself_to_the_panel(browser, agent):
    browser.pair(agent.port, agent.token)
    page = browser.open_panel()
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    page.close()
