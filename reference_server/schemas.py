"""What the v1 endpoints answer, as the OpenAPI document describes it (docs/api.md in prose).

The routes build their JSON themselves (reference_server.jsonresponse), so these models only
document a reply: they are named in `responses=`, never as a `response_model`, and nothing is
validated or filtered through them. Fields a reply may gain later are allowed by every model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Rfc3339Text = Field(description="RFC 3339 UTC time with a Z suffix")


class Health(BaseModel):
    """/healthz: `alive`; /readyz: `ready`."""

    status: Literal["alive", "ready"]


class LearnerAgent(BaseModel):
    """How statements name this server's learners; the sign-in's `xapi.actor` is each one's."""

    account_home_page: str = Field(description="The homePage of learners' xAPI accounts")
    account_name: Literal["user.id"] = Field(
        description="The field of the sign-in reply that names the account"
    )
    mail_domain: str | None = Field(
        description="When set, a learner whose username can be a mailbox's local part is the "
        "mbox mailto:<username>@<mail_domain> instead of the account"
    )
    mail_addresses: bool = Field(
        description="When true, a learner whose own e-mail address this server knows is the "
        "mbox mailto:<address>, ahead of every other way"
    )
    sso_issuer: str | None = Field(
        description="When set, learners who sign in with the organisation are an account on "
        "this issuer named by their subject"
    )


class About(BaseModel):
    id: str = Field(description="The server's stable id, whatever address reaches it")
    name: str
    api_version: Literal["1"]
    home_page: str
    former_home_pages: list[str]
    learner_agent: LearnerAgent


class UserSummary(BaseModel):
    id: str = Field(description="The user's stable id on this server")
    username: str
    display_name: str


class StatementIdentity(BaseModel):
    """How the client names the learner, activities and extensions in xAPI statements."""

    actor: dict[str, Any] = Field(description="The xAPI Agent for the learner")
    former_actors: list[dict[str, Any]] = Field(
        description="Other xAPI Agents this server names or named the learner by: statements "
        "under them are the learner's too"
    )
    activity_iri_base: str
    extensions_iri_base: str


class SignedIn(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the access token is valid for")
    user: UserSummary
    xapi: StatementIdentity


class LessonAsset(BaseModel):
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    mime_type: str
    role: Literal["media", "captions", "body", "image", "document"]
    name: str
    language: str | None = None


class Lesson(BaseModel):
    id: str
    title: str
    kind: Literal["video", "audio", "reading", "pdf", "quiz"]
    position: int
    summary: str | None
    duration_seconds: int | None
    assets: list[LessonAsset]
    quiz: dict[str, Any] | None = Field(description="A quiz lesson's questions (docs/api.md)")


class Module(BaseModel):
    id: str
    title: str
    position: int
    lessons: list[Lesson]


class Course(BaseModel):
    id: str
    title: str
    summary: str | None
    position: int
    version: int
    updated_at: str = Rfc3339Text
    modules: list[Module]


class CourseItem(BaseModel):
    type: Literal["course"]
    id: str
    deleted: Literal[False]
    course: Course


class Tombstone(BaseModel):
    """A document deleted, unpublished or no longer the user's."""

    type: Literal["course", "residency"]
    id: str
    deleted: Literal[True]


class CatalogPage(BaseModel):
    items: list[CourseItem | Tombstone]
    next_cursor: str = Field(description="Opaque; pass it as `cursor` for the next page")
    has_more: bool


class Venue(BaseModel):
    name: str
    address: str
    timezone: str


class ResidencySession(BaseModel):
    id: str
    title: str
    room: str
    faculty: list[str]
    starts_at: str = Rfc3339Text
    ends_at: str = Rfc3339Text
    position: int


class Enrolment(BaseModel):
    id: str
    status: str
    badge_token: str = Field(description="Signed with the key at /api/v1/badge-key")


class Residency(BaseModel):
    id: str
    title: str
    summary: str | None
    version: int
    venue: Venue
    starts_at: str = Rfc3339Text
    ends_at: str = Rfc3339Text
    checkin_opens_at: str = Rfc3339Text
    checkin_closes_at: str = Rfc3339Text
    prerequisites: list[str]
    sessions: list[ResidencySession]
    enrolment: Enrolment


class ResidencyItem(BaseModel):
    type: Literal["residency"]
    id: str
    deleted: Literal[False]
    residency: Residency


class SchedulePage(BaseModel):
    items: list[ResidencyItem | Tombstone]
    next_cursor: str = Field(description="Opaque; pass it as `cursor` for the next page")
    has_more: bool


class CheckinConfirmation(BaseModel):
    id: str
    residency_id: str
    status: Literal["confirmed"]
    confirmed_at: str = Rfc3339Text


class BadgeKey(BaseModel):
    algorithm: Literal["Ed25519"]
    public_key: str = Field(description="The raw 32-byte public key, base64")
    public_key_pem: str
    earlier_public_keys: list[str] = Field(
        description="Earlier keys (raw, base64) whose badges still verify after a rotation"
    )


class PackageSignature(BaseModel):
    algorithm: Literal["Ed25519"]
    server_id: str
    signature: str = Field(description="base64")


class Problem(BaseModel):
    """An RFC 9457 problem document, the body of every error reply."""

    type: str = Field(description="https://rounds.example/problems/<kind>")
    title: str
    status: int
    detail: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="Each field the request got wrong: location and message"
    )
