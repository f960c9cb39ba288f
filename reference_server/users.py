"""The operator's user commands: add, set an e-mail address, disable, enable, reset a password,
enrol, list.

Each refusal is a UserError with one sentence saying what was wrong."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reference_server.accounts import set_password
from reference_server.backend import Backend
from reference_server.learner_identity import mail_address
from reference_server.login_limits import username_key
from reference_server.models import (
    AccessToken,
    Course,
    DisabledUser,
    Enrolment,
    LoginFailures,
    RefreshToken,
    Residency,
    User,
)
from reference_server.passwords import is_argon2id
from reference_server.schedule_publishing import sync_enrolments

MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 128


class UserError(ValueError):
    """A user command refused its input; the message is one sentence for the operator."""


@dataclass(frozen=True)
class UserRow:
    username: str
    id: str
    display_name: str
    disabled: bool
    password_hash: str  # "argon2id" or "scrypt"
    residencies: tuple[str, ...]
    email: str = ""


def check_username(username: str) -> None:
    if not username or len(username) > MAX_USERNAME_LENGTH:
        raise UserError(f"A username has 1 to {MAX_USERNAME_LENGTH} characters.")
    if any(ch.isspace() or not ch.isprintable() for ch in username):
        raise UserError(f"The username {username!r} has a space or a control character.")


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def checked_address(text: str) -> str:
    """The address as it is kept (lower case), or UserError in one sentence."""
    address = mail_address(text)
    if address is None:
        raise UserError(f"{text.strip()!r} is not an e-mail address such as ana@hospital.example.")
    return address


def _check_address_free(session: Session, address: str, user_id: str) -> None:
    holder = session.scalar(select(User.username).where(User.email == address, User.id != user_id))
    if holder is not None:
        raise UserError(f"The address {address} is already that of {holder!r}.")


class Users:
    def __init__(self, backend: Backend) -> None:
        self._db, self._clock = backend.db, backend.clock

    def add(
        self, username: str, password: str, display_name: str, user_id: str = "", email: str = ""
    ) -> str:
        """Creates the user (with their e-mail address, if given); returns their id."""
        check_username(username)
        check_password(password)
        if not display_name.strip():
            raise UserError("The display name is empty.")
        address = checked_address(email) if email else None
        new_id = user_id or f"u-{username}"
        hashed = User()
        set_password(hashed, password)  # once: a run again reuses the hash

        def unit(session: Session) -> None:
            """Run again if another `users add` inserted the name first: it then sees that
            user and refuses in a sentence."""
            if session.scalar(select(User.id).where(User.username == username)) is not None:
                raise UserError(f"A user named {username!r} already exists.")
            if session.get(User, new_id) is not None:
                raise UserError(f"Another user already has the id {new_id!r}.")
            if address is not None:
                _check_address_free(session, address, new_id)
            row = User(id=new_id, username=username, display_name=display_name.strip())
            row.email = address
            row.password_salt, row.password_hash = hashed.password_salt, hashed.password_hash
            session.add(row)

        self._db.write_retrying(unit)
        return new_id

    def set_email(self, username: str, email: str | None) -> str:
        """Sets (or with None removes) the user's own e-mail address; returns it as kept."""
        address = None if email is None else checked_address(email)

        def unit(session: Session) -> None:
            user = _user(session, username)
            if address is not None:
                _check_address_free(session, address, user.id)
            user.email = address

        self._db.write_retrying(unit)
        return address or ""

    def disable(self, username: str) -> None:
        """The user can no longer sign in, and every session they had ends now."""
        with self._db.write() as session:
            user = _user(session, username)
            if session.get(DisabledUser, user.id) is None:
                session.add(DisabledUser(user_id=user.id, disabled_at=self._clock()))
            _end_sessions(session, user.id)

    def enable(self, username: str) -> None:
        with self._db.write() as session:
            user = _user(session, username)
            session.execute(delete(DisabledUser).where(DisabledUser.user_id == user.id))

    def reset_password(self, username: str, password: str) -> None:
        """A new password; the user's sessions end and their failed sign-ins are forgotten."""
        check_password(password)
        with self._db.write() as session:
            user = _user(session, username)
            set_password(user, password)
            _end_sessions(session, user.id)
            key = username_key(username)
            session.execute(delete(LoginFailures).where(LoginFailures.key == key))

    def enrol(self, username: str, residency_id: str) -> bool:
        """Enrols the user in a residency; False if they already were. Courses are open to
        every learner, so a course's id is refused with a sentence saying so."""
        with self._db.write() as session:
            user = _user(session, username)
            residency = session.get(Residency, residency_id)
            if residency is None or residency.deleted:
                raise UserError(_not_a_residency(session, residency_id))
            enrolled = set(_enrolled(session, residency_id))
            if user.id in enrolled:
                return False
            sync_enrolments(session, residency_id, sorted(enrolled | {user.id}))
            return True

    def list(self) -> list[UserRow]:
        with self._db.read() as session:
            disabled = set(session.scalars(select(DisabledUser.user_id)))
            places: dict[str, list[str]] = {}
            for user_id, residency_id in session.execute(
                select(Enrolment.user_id, Enrolment.residency_id).where(
                    Enrolment.status == "enrolled"
                )
            ):
                places.setdefault(user_id, []).append(residency_id)
            return [
                UserRow(
                    row.username,
                    row.id,
                    row.display_name,
                    row.id in disabled,
                    "argon2id" if is_argon2id(row.password_hash) else "scrypt",
                    tuple(sorted(places.get(row.id, ()))),
                    row.email or "",
                )
                for row in session.scalars(select(User).order_by(User.username))
            ]


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise UserError(f"No user is named {username!r}.")
    return user


def _enrolled(session: Session, residency_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.residency_id == residency_id, Enrolment.status == "enrolled"
            )
        )
    )


def _not_a_residency(session: Session, target: str) -> str:
    if session.get(Course, target) is not None:
        return (
            f"{target!r} is a course: courses are open to every learner, "
            "so only residencies take enrolments."
        )
    return f"No residency has the id {target!r}."


def _end_sessions(session: Session, user_id: str) -> None:
    session.execute(delete(AccessToken).where(AccessToken.user_id == user_id))
    session.execute(delete(RefreshToken).where(RefreshToken.user_id == user_id))
