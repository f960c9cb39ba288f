"""Where progress statements go: the Rounds server, or an organisation's own LRS.

By default statements go to the Rounds server (`<server>/xapi/statements`, bearer token). An
organisation may instead name its own LRS (the settings `lrs_endpoint` and `lrs_username`); its
password or API secret lives only in the keyring (`lrs_secret_store`), and requests carry it as
HTTP Basic. An `lrs_endpoint` on the Rounds server itself without a user name (its proxy to the
organisation's LRS, `<server>/lrs/xapi`) is reached with the session's bearer token instead,
so no workstation holds the LRS's secret. The requests themselves are `desktop_app.api.xapi`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import AuthenticationError
from desktop_app.config import Settings
from desktop_app.secret_store import SecretStore
from desktop_app.text import translate

if TYPE_CHECKING:
    from desktop_app.api.xapi import StatementsEndpoint

NO_LRS_PASSWORD = translate(
    "sync",
    "No password is stored for the learning record store at {endpoint}. Enter it in "
    "File → Settings…, under Learning record store password.",
)


@dataclass(frozen=True)
class LrsConfig:
    """The LRS progress goes to; an empty `endpoint` means the Rounds server itself.

    `endpoint` is the xAPI base URL (statements live at `<endpoint>/statements`), `username`
    the Basic user name or API key. The password or secret is kept by `lrs_secret_store`.
    """

    endpoint: str = ""
    username: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> LrsConfig:
        return cls(settings.lrs_endpoint.strip(), settings.lrs_username.strip())

    @property
    def is_rounds_server(self) -> bool:
        return not self.endpoint


def lrs_secret_store(config: LrsConfig) -> SecretStore:
    """The keyring entry of the LRS secret: service "Rounds LRS <endpoint>", account = user."""
    return SecretStore(f"Rounds LRS {config.endpoint.rstrip('/')}", config.username)


def statements_endpoint(
    config: LrsConfig, api: ApiClient, secret: SecretStore | None = None
) -> StatementsEndpoint:
    """Where this account's statements go, as configured (the HTTP client of statements,
    `desktop_app.api.xapi`, loads here, when progress is first sent or asked for)."""
    from desktop_app.api.xapi import lrs_endpoint, rounds_server_endpoint

    if config.is_rounds_server:
        return rounds_server_endpoint(api)
    if not config.username and _same_origin(config.endpoint, api.server_url):
        return rounds_server_endpoint(api, config.endpoint)
    password = (secret or lrs_secret_store(config)).load()
    if password is None:
        raise AuthenticationError(NO_LRS_PASSWORD.format(endpoint=config.endpoint))
    return lrs_endpoint(config.endpoint, config.username, password, api.config)


def _same_origin(url: str, server_url: str) -> bool:
    first, second = urlsplit(url), urlsplit(server_url)
    return (first.scheme.lower(), first.netloc.lower()) == (
        second.scheme.lower(),
        second.netloc.lower(),
    )
