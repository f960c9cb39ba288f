"""panva's `oidc-provider` (npm, OpenID Certified) run for a test as the hospital's provider,
and a browser made of `requests` that signs in on its own login and consent forms.

The provider is configured by provider.js beside this file (its clients, its one account) and
listens on 127.0.0.1 only (tests/lrs/loopback_only.js is preloaded into node).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests
from loopback_service import LoopbackService, running
from lrs.learning_locker import PRELOAD, LrsUnavailable, check_package, find_node

PACKAGE = "oidc-provider"
VERSION = "9.13.3"
SCRIPT = Path(__file__).with_name("provider.js")
ISSUER = re.compile(r"^issuer http://127\.0\.0\.1:(?P<port>\d+)$", re.MULTILINE)
FORM = re.compile(r'<form method="post" action="([^"]+)"')
REQUEST_TIMEOUT = 10.0
CLIENT_ID = "rounds"
OTHER_CLIENT_ID = "other-app"
CLIENT_SECRET = "rounds-test-client-secret"
USERNAME, PASSWORD = "ines.moreau", "ward-7-night-shift"
SUBJECT = "248289761001"
INSTALL_HINT = (
    f"Run `make oidc` (npm install {PACKAGE}@{VERSION} in ~/.cache/rounds-test-npm); "
    "ROUNDS_LRS_DIR names another folder that holds it."
)


class OidcProvider(LoopbackService, label=PACKAGE, listening=ISSUER, unavailable=LrsUnavailable):
    """A running provider; `issuer` is its address (http://127.0.0.1:PORT)."""

    @property
    def issuer(self) -> str:
        return self.address

    @classmethod
    def start(cls, workdir: Path) -> OidcProvider:
        node, folder = find_node(), check_package(PACKAGE, VERSION, INSTALL_HINT)
        return cls.launch([node, "-r", str(PRELOAD), str(SCRIPT), str(folder)], workdir,
                          "provider.log")  # fmt: skip


class Browser:
    """Follows the provider's pages as a learner's browser would: the login form, then the
    consent form, up to the redirect to the application's loopback address."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.session = requests.Session()
        self.session.trust_env = False

    def close(self) -> None:
        self.session.close()

    def _follow(self, reply: requests.Response) -> tuple[str, requests.Response | None]:
        """Redirects within the provider; returns (the redirect out of it, None) or (the
        provider page reached, its reply)."""
        while reply.status_code in (301, 302, 303, 307, 308):
            target = urljoin(reply.url, reply.headers["Location"])
            if not target.startswith(self.issuer + "/"):
                return target, None
            reply = self.session.get(target, allow_redirects=False, timeout=REQUEST_TIMEOUT)
        return reply.url, reply

    def _submit(
        self, page: requests.Response, form: dict[str, str], index: int = 0
    ) -> requests.Response:
        actions = FORM.findall(page.text)
        assert actions, f"no form on the provider's page:\n{page.text[:2000]}"
        url = urljoin(page.url, unescape(actions[index]))
        return self.session.post(url, data=form, allow_redirects=False, timeout=REQUEST_TIMEOUT)

    def authorize(
        self,
        authorization_url: str,
        username: str = USERNAME,
        password: str = PASSWORD,
        *,
        allow: bool = True,
    ) -> str:
        """Signs in at `authorization_url` and answers the consent form (Allow or Deny);
        returns the URL the provider then sends the browser to (the loopback redirect)."""
        first = self.session.get(authorization_url, allow_redirects=False, timeout=REQUEST_TIMEOUT)
        target, page = self._follow(first)
        for _ in range(4):
            if page is None:
                return target
            assert page.status_code == 200, page.text[:2000]
            if 'name="password"' in page.text:
                reply = self._submit(page, {"login": username, "password": password})
            else:
                reply = self._submit(page, {}, 0 if allow else 1)
            target, page = self._follow(reply)
        raise AssertionError("the provider kept asking")

    def deliver(self, redirect_url: str) -> requests.Response:
        """The browser's request to the application's loopback redirect."""
        return requests.get(redirect_url, timeout=REQUEST_TIMEOUT)


def running_provider(workdir: Path) -> AbstractContextManager[OidcProvider]:
    """The provider for the tests of a module; they fail, saying what to install, without it."""
    return running(OidcProvider.start, workdir, "The OpenID provider")


@dataclass(frozen=True)
class AuthorizationRequest:
    """What a native app sends the browser to the provider with (PKCE S256, state, nonce)."""

    authorization_endpoint: str
    redirect_uri: str
    client_id: str = CLIENT_ID
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def url(self) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        query = urlencode({
            "response_type": "code", "client_id": self.client_id,
            "redirect_uri": self.redirect_uri, "scope": "openid profile email",
            "state": self.state, "nonce": self.nonce,
            "code_challenge": challenge, "code_challenge_method": "S256",
        })  # fmt: skip
        return f"{self.authorization_endpoint}?{query}"


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
