"""The loopback redirect of a native app's sign-in (RFC 8252 §7.3): a one-request web server on
127.0.0.1 at a port the system chooses, waiting for the browser to come back from the
organisation's sign-in page with the authorization code.

It answers the browser with a short page saying the learner can close it and go back to
Rounds, whatever the outcome (the app says what happened), in the learner's language: the
window gives the listener its `localize` (`desktop_app.views.i18n.localized`), which the
pages' sentences go through. It takes only GET on its own path; anything else (a favicon, a
stray request from another program) gets 404, with a page in that language too, and the wait
goes on; a reload once the sign-in has its redirect shows the page saying it can be closed.
A redirect whose state is not the one this sign-in sent gets 400 and a page saying so, and
the wait goes on too, so no other program on the computer can end a sign-in by calling
first. Nothing is kept but the query of the one redirect.
"""

from __future__ import annotations

import hmac
import html
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop_app.text import translate

CALLBACK_PATH = "/callback"
Localize = Callable[[str], str]
"""A sentence made by `translate` in the learner's language (English: `str`)."""
DONE_TITLE = translate("sso", "Rounds")
DONE_TEXT = translate("sso", "You can close this page and go back to Rounds.")
DONE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1><p>{text}</p></body></html>
"""
NOT_THIS_SIGN_IN = translate(
    "sso", "This page does not belong to the sign-in Rounds is waiting for, so it was ignored."
)
NOT_FOUND = translate("sso", "There is no such page here. You can close it and go back to Rounds.")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        listener = self.server.listener
        if parts.path != CALLBACK_PATH:
            self._answer(404, listener.not_found_page)
            return
        if listener.received.is_set():  # the browser reloads the page of a finished sign-in
            self._answer(200, listener.page)
            return
        query = {key: values[0] for key, values in parse_qs(parts.query).items() if values}
        if not listener.expects(query.get("state", "")):
            self._answer(400, listener.stray_page)
            return
        listener.deliver(query)  # before the page: a browser that shows it, the app has the code
        self._answer(200, listener.page)

    def _answer(self, status: int, page: str) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the query holds the authorization code."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    listener: LoopbackListener


class LoopbackListener:
    """Listens on 127.0.0.1:<ephemeral port> until the redirect with the state given to
    `expect` arrives or it is closed; its pages' sentences go through `localize`."""

    def __init__(self, localize: Localize = str) -> None:
        title = html.escape(localize(DONE_TITLE))
        self.page = DONE_PAGE.format(title=title, text=html.escape(localize(DONE_TEXT)))
        stray = html.escape(localize(NOT_THIS_SIGN_IN))
        self.stray_page = DONE_PAGE.format(title=title, text=stray)
        not_found = html.escape(localize(NOT_FOUND))
        self.not_found_page = DONE_PAGE.format(title=title, text=not_found)
        self.received = threading.Event()
        self._state = b""
        self._query: dict[str, str] = {}
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.listener = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="sso-redirect",
            daemon=True,
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}{CALLBACK_PATH}"

    def expect(self, state: str) -> None:
        """Takes only a redirect carrying `state` (before the browser opens)."""
        self._state = state.encode()

    def expects(self, state: str) -> bool:
        return bool(self._state) and hmac.compare_digest(state.encode(), self._state)

    def deliver(self, query: dict[str, str]) -> None:
        self._query = query
        self.received.set()

    def wait(self, timeout: float, cancel: threading.Event) -> dict[str, str] | None:
        """The redirect's query parameters; None if `cancel` was set or `timeout` passed."""
        end = time.monotonic() + timeout
        while not self.received.wait(0.05):
            if cancel.is_set() or time.monotonic() >= end:
                return None
        return dict(self._query)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
