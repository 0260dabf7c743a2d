"""A citizen typing faster than the server's frame limit: every message arrives, once and in
order, with no error shown; a message the server truly refuses shows "Not sent" and a
Retry button that sends it."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.browser.conftest import go_on_duty, login, send_citizen, start_chat

pytestmark = pytest.mark.browser

COUNT = 40
# Submits COUNT messages through the composer, one every `spacing` ms: faster than the
# socket's burst and rate allow.
TYPE_FAST = """async ([count, spacing]) => {
  const input = document.querySelector("#message-input");
  const form = document.querySelector("#composer");
  const began = performance.now();
  for (let i = 1; i <= count; i++) {
    input.value = `fast ${i}`;
    form.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, spacing));
  }
  return performance.now() - began;
}"""


def test_forty_messages_in_two_seconds_all_arrive_in_order_with_no_error(new_page, base_url):
    officer = new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    citizen = new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    sockets: list[object] = []
    closed: list[str] = []

    refusals: list[str] = []

    def on_websocket(socket) -> None:
        sockets.append(socket)
        socket.on("close", lambda ws: closed.append(ws.url))
        socket.on(
            "framereceived",
            lambda payload: refusals.append(payload) if "rate_limited" in str(payload) else None,
        )

    citizen.on("websocket", on_websocket)
    login(officer, base_url, "anna")
    go_on_duty(officer)
    start_chat(citizen, base_url)
    send_citizen(citizen, "My card was charged many times, fast typing test")
    officer.locator(".queue-card", has_text="fast typing test").get_by_role(
        "button", name=re.compile("Take")
    ).click()
    panel = officer.locator(".chat-panel:not([hidden])")
    panel.locator(".messages", has_text="fast typing test").wait_for()
    citizen.wait_for_selector("#waiting-panel", state="hidden")

    began = time.monotonic()
    typed_ms = citizen.evaluate(TYPE_FAST, [COUNT, 5])
    assert typed_ms < 2000

    expected = [f"fast {i}" for i in range(1, COUNT + 1)]
    citizen.wait_for_function(
        "count => document.querySelectorAll("
        "'#message-list .message.mine[data-state=sent]').length >= count",
        arg=COUNT + 1,
        timeout=30000,
    )
    panel.locator(".messages .message", has_text=f"fast {COUNT}").wait_for(timeout=30000)
    delivered_after = time.monotonic() - began
    assert delivered_after < 30

    mine = citizen.locator("#message-list .message.mine .body").all_inner_texts()
    assert [text for text in mine if text.startswith("fast ")] == expected
    assert citizen.locator("#message-list .message.mine:not([data-state=sent])").count() == 0
    seen = panel.locator(".messages .message .body").all_inner_texts()
    assert [text for text in seen if text.startswith("fast ")] == expected

    notices = citizen.locator("#message-list .notice").all_inner_texts()
    assert not [n for n in notices if "went wrong" in n], notices
    assert "went wrong" not in citizen.locator("#announcer").inner_text()
    # Paced under the limit: the socket was never refused into a close and reopened.
    assert len(sockets) == 1
    assert closed == []
    assert refusals == []
    assert citizen.locator("#connection").get_attribute("data-state") == "open"


def test_a_refused_message_shows_not_sent_and_retry_sends_it(new_page, base_url):
    citizen = new_page(viewport={"width": 390, "height": 844}, locale="en-GB")
    refusing = {"on": True}

    def route(ws) -> None:
        server = ws.connect_to_server()

        def from_page(message: str | bytes) -> None:
            frame = json.loads(message)
            if refusing["on"] and "refuse me" in str(frame.get("text", "")):
                # The server's answer to a frame it will never accept as it is.
                ws.send(
                    json.dumps(
                        {
                            "type": "error",
                            "code": "not_allowed",
                            "message": "Refused.",
                            "ref": frame["client_id"],
                        }
                    )
                )
                return
            server.send(message)

        ws.on_message(from_page)

    citizen.route_web_socket(re.compile(r".*/ws/citizen/$"), route)
    start_chat(citizen, base_url)
    send_citizen(citizen, "First message, retry test")
    citizen.wait_for_selector("#message-list .message.mine[data-state=sent]")
    send_citizen(citizen, "Please refuse me once")

    failed = citizen.locator("#message-list .message.mine", has_text="refuse me")
    failed.and_(citizen.locator("[data-state=failed]")).wait_for()
    assert "Not sent: the service did not accept it" in failed.inner_text()
    notices = citizen.locator("#message-list .notice").all_inner_texts()
    assert not [n for n in notices if "went wrong" in n], notices
    # Later messages are not held back by the refused one.
    send_citizen(citizen, "Another message after it")
    citizen.locator(
        "#message-list .message.mine[data-state=sent]", has_text="Another message"
    ).wait_for()

    refusing["on"] = False
    failed.get_by_role("button", name="Try again").click()
    sent = citizen.locator("#message-list .message.mine[data-state=sent]", has_text="refuse me")
    sent.wait_for()
    assert sent.get_by_role("button").count() == 0
    assert citizen.locator("#message-list .message.mine", has_text="refuse me").count() == 1
