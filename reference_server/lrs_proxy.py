"""The learner's statements resource on the organisation's own LRS, through this server.

With an upstream LRS configured (`UpstreamLrs`: its xAPI base URL and the organisation's Basic
credentials, which only this server holds), `/lrs/xapi/statements` takes the learner's bearer
token and passes the request on with those credentials. No workstation then holds a secret
that would let a learner write statements about anyone:

- POST: every statement's actor must be the signed-in learner: the actor the sign-in states,
  one of the learner's former agents (`LearnerIdentity.former_agents`: their account under
  this or a former home page, their mailboxes, the provider's account), or (as an older Rounds
  named learners) the account of the username under the address the request reached this
  server at or under a former home page. Otherwise
  400 (a refusal of the statements, which a client's outbox splits to set the one aside) and
  nothing is sent. A statement voiding another is refused the same way: the LRS knows only
  this server's credentials, so it could not tell the learner's statements from anyone
  else's, and Rounds never voids. The body goes on byte for byte.
- GET: the `agent` parameter is the one asked for when it is the learner by one of those
  names, else the stated actor, so only the learner's statements come back; single
  statements by id are not served here. A `more` link from the LRS is given back under this
  path, and following it asks the LRS's statements resource again, with the learner's agent
  put back; a link to any other path, or naming a statement by id, is refused.

The LRS's reply (status, JSON body, consistency header) is passed back; an LRS that cannot be
reached, or answers with something other than JSON, is a 502.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from reference_server import xapi_openapi as documented
from reference_server.auth import AuthenticatedUser
from reference_server.auth_routes import Guards
from reference_server.learner_identity import LearnerIdentity
from reference_server.learner_lookup import LearnerLookup
from reference_server.problems import ProblemError

log = logging.getLogger(__name__)

PATH = "/lrs/xapi/statements"
XAPI_VERSION = "1.0.3"
TIMEOUT = (5.0, 60.0)  # connect, read
BY_ID = {"statementId", "voidedStatementId"}
FORCED = frozenset({"agent", "related_agents"})  # set by the proxy, never by the learner
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
PASSED_BACK = ("X-Experience-API-Consistent-Through", "Last-Modified")


URL_VARIABLE = "ROUNDS_LRS_URL"
USERNAME_VARIABLE = "ROUNDS_LRS_USERNAME"
PASSWORD_VARIABLE = "ROUNDS_LRS_PASSWORD"


class UpstreamLrsError(ValueError):
    """The upstream LRS settings are incomplete or not an http(s) address; says which."""


@dataclass(frozen=True)
class UpstreamLrs:
    """The organisation's LRS: its xAPI base URL (statements at `<base>/statements`)."""

    base_url: str
    username: str
    password: str = field(repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "UpstreamLrs | None":
        """ROUNDS_LRS_URL, ROUNDS_LRS_USERNAME and ROUNDS_LRS_PASSWORD (kept out of command
        lines, which other users of the host can read); None when ROUNDS_LRS_URL is empty."""
        url = environ.get(URL_VARIABLE, "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UpstreamLrsError(f"{URL_VARIABLE} is not an http(s) address: {url!r}.")
        username = environ.get(USERNAME_VARIABLE, "")
        password = environ.get(PASSWORD_VARIABLE, "")
        if not username or not password:
            raise UpstreamLrsError(
                f"{URL_VARIABLE} is set: set {USERNAME_VARIABLE} and {PASSWORD_VARIABLE} too."
            )
        return cls(url.rstrip("/"), username, password)

    @property
    def statements_url(self) -> str:
        return self.base_url.rstrip("/") + "/statements"


class LrsProxy:
    """Passes one learner's statement requests on to the upstream LRS."""

    def __init__(
        self,
        upstream: UpstreamLrs,
        identity: LearnerIdentity,
        lookup: LearnerLookup | None = None,
    ) -> None:
        """`lookup`: the learners' provider accounts and addresses (none without it)."""
        self._upstream = upstream
        self._identity = identity
        self._lookup = lookup
        self._session = requests.Session()
        self._session.auth = (upstream.username, upstream.password)
        self._session.headers["X-Experience-API-Version"] = XAPI_VERSION

    def close(self) -> None:
        self._session.close()

    def post(self, user: AuthenticatedUser, body: bytes, reached_at: str) -> Response:
        """`reached_at`: the address the request was sent to (`request.base_url`)."""
        statements = _statements_in(body)
        names = self._names(user, reached_at)
        for statement in statements:
            if not self._is_learner(user, statement.get("actor"), names):
                raise ProblemError(400, detail="Statements may only name the signed-in learner.")
            if _verb_id(statement) == VOIDED:
                raise ProblemError(
                    400, detail="Statements may not void others through this server."
                )
        headers = {"Content-Type": "application/json"}
        return self._forward("POST", self._upstream.statements_url, data=body, headers=headers)

    def get(
        self, user: AuthenticatedUser, params: list[tuple[str, str]], reached_at: str
    ) -> Response:
        names = {name for name, _ in params}
        if names & BY_ID:
            raise ProblemError(400, detail="Single statements are not served through this server.")
        asked = _json_or_none(dict(params).get("agent"))
        learner = self._names(user, reached_at)
        agent = asked if self._is_learner(user, asked, learner) else learner[0]
        text = json.dumps(agent, separators=(",", ":"), sort_keys=True)
        more = dict(params).get("more")
        if more is not None:
            url, params = self._followed(more)
        else:
            url = self._upstream.statements_url
        # related_agents would widen the match to statements that only mention the learner
        # (as instructor, team member, in a SubStatement): other people's statements
        query = [(name, value) for name, value in params if name not in FORCED] + [("agent", text)]
        return self._forward("GET", url + "?" + urlencode(query), agent=text)

    def _followed(self, more: str) -> tuple[str, list[tuple[str, str]]]:
        """The LRS address and query of a `more` link this proxy handed out."""
        base = urlsplit(self._upstream.base_url)
        link = urlsplit(more)
        statements = urlsplit(self._upstream.statements_url).path.rstrip("/")
        query = parse_qsl(link.query, keep_blank_values=True)
        if (
            link.scheme
            or link.netloc
            or link.path.rstrip("/") != statements
            or BY_ID & {name for name, _ in query}
        ):
            raise ProblemError(400, detail="The more link is not one this server gave.")
        url = f"{base.scheme}://{base.netloc}{link.path}"
        return url, query

    def _forward(self, method: str, url: str, agent: str = "", **kwargs: Any) -> Response:
        """The LRS's answer; a `more` link in it is given back under `PATH`, with the `agent`
        the first page was asked for."""
        try:
            reply = self._session.request(method, url, timeout=TIMEOUT, allow_redirects=False,
                                          **kwargs)  # fmt: skip
        except requests.RequestException as error:
            log.warning("The learning record store could not be reached: %s", type(error).__name__)
            raise ProblemError(
                502, detail="The learning record store could not be reached."
            ) from None
        try:
            body = reply.json()
        except ValueError:
            log.warning("The learning record store answered %s without JSON", reply.status_code)
            raise ProblemError(
                502, detail="The learning record store gave no JSON answer."
            ) from None
        if method == "GET" and isinstance(body, dict) and body.get("more"):
            body["more"] = PATH + "?" + urlencode({"more": str(body["more"]), "agent": agent})
        headers = {name: reply.headers[name] for name in PASSED_BACK if name in reply.headers}
        content = json.dumps(body).encode()
        return Response(content, reply.status_code, headers, media_type="application/json")

    def _provider_actor(self, user: AuthenticatedUser) -> dict[str, Any] | None:
        return None if self._lookup is None else self._lookup.provider_actor(user)

    def _names(self, user: AuthenticatedUser, reached_at: str) -> list[dict[str, Any]]:
        """The learner's actor first, then every name they may have been recorded under."""
        provider = self._provider_actor(user)
        identity = self._identity
        own = identity.actor(user.id, user.username, "", user.email, provider)
        known = identity.former_agents(user.id, user.username, user.email, provider)
        homes = (reached_at, *identity.former_home_pages)
        known += [{"account": {"homePage": home, "name": user.username}} for home in homes]
        return [own, *known]

    def _is_learner(self, user: AuthenticatedUser, actor: Any, names: list[dict[str, Any]]) -> bool:
        """`names`: from `_names`. A former mailbox that is another user's is not theirs."""
        if not isinstance(actor, dict):
            return False
        own, *known = names
        if _same_agent(actor, own):
            return True
        matched = [agent for agent in known if _same_agent(actor, agent)]
        if matched and self._lookup is not None:
            matched = self._lookup.their_own(user, matched, self._identity.mail_domain)
        return bool(matched)


def _same_agent(given: dict[str, Any], known: dict[str, Any]) -> bool:
    """True if `given` (from a request) names the agent `known` (this server's): the same
    mbox, in any case, or the same account (a trailing slash on its home page aside)."""
    if "mbox" in known:
        return "account" not in given and str(given.get("mbox", "")).lower() == known["mbox"]
    account = given.get("account")
    if "mbox" in given or not isinstance(account, dict):
        return False
    home = str(account.get("homePage", "")).rstrip("/")
    wanted = known["account"]
    return (home, account.get("name")) == (str(wanted["homePage"]).rstrip("/"), wanted["name"])


def _verb_id(statement: dict[str, Any]) -> Any:
    verb = statement.get("verb")
    return verb.get("id") if isinstance(verb, dict) else None


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _statements_in(body: bytes) -> list[dict[str, Any]]:
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ProblemError(400, detail="The body is not valid JSON.") from None
    statements = value if isinstance(value, list) else [value]
    if not all(isinstance(statement, dict) for statement in statements):
        raise ProblemError(400, detail="The body is not a statement or a list of statements.")
    return statements


def install_lrs_proxy(app: FastAPI, proxy: LrsProxy, guards: Guards) -> None:
    """Serve `PATH` on `app` for signed-in learners (bearer tokens only)."""
    app.include_router(lrs_proxy_router(proxy, guards.bearer))


def lrs_proxy_router(proxy: LrsProxy, guard: Any) -> APIRouter:
    """`guard`: the bearer dependency (`auth_routes.Guards.bearer`)."""
    router = APIRouter(tags=["xapi"])
    Learner = Annotated[AuthenticatedUser, Depends(guard)]

    @router.post(
        PATH,
        summary="Store the learner's statements in the organisation's LRS",
        **documented.LRS_POST,
    )
    async def post_statements(request: Request, user: Learner) -> Response:
        body = await request.body()
        return await run_in_threadpool(proxy.post, user, body, str(request.base_url))

    @router.get(
        PATH,
        summary="The learner's own statements from the organisation's LRS",
        **documented.LRS_GET,
    )
    def get_statements(request: Request, user: Learner) -> Response:
        return proxy.get(user, list(request.query_params.multi_items()), str(request.base_url))

    return router
