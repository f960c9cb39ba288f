"""The loopback listener's 404 (a favicon, a path of another program) and its answer to a
reload once the sign-in has its redirect are pages of its own, their sentences through the
window's `localize` like its other pages, never the standard library's English error page."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests

from desktop_app.sso.loopback import LoopbackListener

STATE = "the-state-this-sign-in-sent"


def marked(text: str) -> str:
    """A language of its own, so a sentence that bypassed `localize` shows."""
    return f"«{text}»"


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    opened = LoopbackListener(marked)
    opened.expect(STATE)
    try:
        yield opened
    finally:
        opened.close()


def origin(listener: LoopbackListener) -> str:
    return listener.redirect_uri.removesuffix("/callback")


def test_an_unknown_path_gets_the_listeners_own_404_page(listener: LoopbackListener) -> None:
    answer = requests.get(f"{origin(listener)}/favicon.ico", timeout=10)
    assert answer.status_code == 404
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "«There is no such page here. You can close it and go back to Rounds.»" in answer.text
    assert "«Rounds»" in answer.text and "Error response" not in answer.text
    assert not listener.received.is_set()  # the wait goes on


def test_a_reload_after_the_sign_in_shows_the_page_saying_it_can_be_closed(
    listener: LoopbackListener,
) -> None:
    callback = f"{listener.redirect_uri}?state={STATE}&code=c"
    assert requests.get(callback, timeout=10).status_code == 200
    assert listener.received.is_set()

    again = requests.get(callback, timeout=10)
    assert again.status_code == 200
    assert "«You can close this page and go back to Rounds.»" in again.text
    assert listener.wait(1, threading.Event()) == {"state": STATE, "code": "c"}
