"""The FastAPI application: routers, problem handlers and middleware over a Backend."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.responses import Response

from reference_server.assets import AssetResponder, assets_router
from reference_server.auth_routes import Guards, auth_router
from reference_server.backend import Backend
from reference_server.certificates import CertificateDesk, certificates_router
from reference_server.checkins import checkins_router
from reference_server.faults import FaultInjector, FaultMiddleware, RequestLog, RequestLogMiddleware
from reference_server.feeds import FeedCursors, feeds_router
from reference_server.jsonresponse import json_response
from reference_server.learner_identity import LearnerIdentity
from reference_server.learner_lookup import LearnerLookup
from reference_server.lrs_proxy import LrsProxy, UpstreamLrs, install_lrs_proxy
from reference_server.middleware import DEFAULT_BODY_LIMIT, BodyLimit, XapiVersionHeader
from reference_server.openapi import install_contract, reply
from reference_server.operations import RequestContext, health_router
from reference_server.packages import packages_router
from reference_server.problems import install_problem_handlers
from reference_server.schemas import About, BadgeKey
from reference_server.sso import single_sign_on, sso_router
from reference_server.sso_provider import SsoSettings
from reference_server.xapi import MoreLinks, StatementsResource, about_router, statements_router
from reference_server.xapi_http import AlternateRequestSyntax, ConsistentThrough


def _badge_key_router(backend: Backend) -> APIRouter:
    router = APIRouter(tags=["badges"])

    @router.get(
        "/api/v1/badge-key",
        summary="Public key that verifies attendee badge tokens",
        responses=reply(BadgeKey, "The server's Ed25519 public key"),
    )
    def badge_key() -> Response:
        signer = backend.signer
        document = {
            "algorithm": "Ed25519",
            "public_key": signer.public_key_raw_b64(),
            "public_key_pem": signer.public_key_pem(),
            "earlier_public_keys": signer.earlier_public_keys_raw_b64(),
        }
        return json_response(document)

    return router


SERVER_NAME = "Rounds reference server"


def _about_router(backend: Backend, identity: LearnerIdentity, sso_issuer: str) -> APIRouter:
    router = APIRouter(tags=["about"])

    @router.get(
        "/api/v1/about",
        summary="Who this server is: its stable id, name, API version",
        responses=reply(About, "The server's identity"),
    )
    def about() -> Response:
        document = {
            "id": backend.server_id,
            "name": SERVER_NAME,
            "api_version": "1",
            "home_page": identity.home_page,
            "former_home_pages": list(identity.former_home_pages),
            "learner_agent": identity.naming(sso_issuer),
        }
        return json_response(document)

    return router


_NO_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def create_app(
    backend: Backend,
    faults: FaultInjector | None = None,
    request_log: RequestLog | None = None,
    body_limit: int = DEFAULT_BODY_LIMIT,
    identity: LearnerIdentity | None = None,
    sso: SsoSettings | None = None,
    lrs_upstream: UpstreamLrs | None = None,
) -> FastAPI:
    """`identity` names learners to learning record stores (default: under the server's home
    page, see `LearnerIdentity.resolve`); `sso` is the OpenID Connect provider it trusts."""
    identity = identity or LearnerIdentity.resolve(backend.home_page, backend.former_home_pages)
    app = FastAPI(
        title="Rounds reference server",
        version="1",
        docs_url=None,
        redoc_url=None,
        telemetry=_NO_TELEMETRY,  # FastAPI 0.165 records request data unless told not to
    )
    install_problem_handlers(app)
    install_contract(app)
    guards = Guards(backend.authenticator)
    cursors = FeedCursors(backend.codec)
    app.include_router(health_router(backend))
    app.include_router(_about_router(backend, identity, sso.issuer if sso else ""))
    lookup = LearnerLookup(backend.db)
    app.include_router(auth_router(backend.authenticator, identity, lookup))
    signs_on = single_sign_on(sso, backend.authenticator, backend.db, backend.clock)
    app.include_router(sso_router(signs_on, identity, lookup))
    app.include_router(feeds_router(backend.db, cursors, backend.signer, guards.bearer))
    app.include_router(assets_router(AssetResponder(backend.db, backend.assets), guards.bearer))
    app.include_router(checkins_router(backend.checkins, guards.bearer))
    app.include_router(_badge_key_router(backend))
    certificates = CertificateDesk(
        backend.db, backend.signer, backend.server_id, backend.home_page, backend.clock
    )
    app.include_router(certificates_router(certificates, guards.bearer))
    app.include_router(packages_router(backend, guards.bearer))
    statements = StatementsResource(backend.statements, MoreLinks(backend.codec))
    app.include_router(about_router(identity.extensions_iri_base))
    app.include_router(statements_router(statements, guards.bearer_or_basic))
    if lrs_upstream is not None:  # learners' statements to the organisation's LRS
        proxy = LrsProxy(lrs_upstream, identity, lookup)
        install_lrs_proxy(app, proxy, guards)
    app.add_middleware(AlternateRequestSyntax)
    app.add_middleware(BodyLimit, limit=body_limit)
    app.add_middleware(ConsistentThrough, clock=backend.statements.now)
    if faults is not None:
        app.add_middleware(FaultMiddleware, faults=faults)
    app.add_middleware(XapiVersionHeader)
    if request_log is not None:
        app.add_middleware(RequestLogMiddleware, log=request_log)
    app.add_middleware(RequestContext)
    return app
