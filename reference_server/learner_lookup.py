"""What the database says of a learner's other names, for the LRS proxy: the single sign-on
account of a user the provider made, and which mailboxes are other users': their own address,
or the one made from their username and the mail domain. A mailbox that is a learner's former
name and another's address or made-up one is never taken as the first learner's: neither the
LRS proxy nor the sign-in's `xapi.former_actors` names it (`LearnerLookup.their_own`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from reference_server.auth import AuthenticatedUser
from reference_server.db import Database
from reference_server.models import User
from reference_server.sso_users import sso_actor_of

MAILTO = "mailto:"


class LearnerLookup:
    def __init__(self, db: Database) -> None:
        self._db = db
        self.provider_actor = sso_actor_of(db)

    def others_mailboxes(
        self, user: AuthenticatedUser, mailboxes: Iterable[str], mail_domain: str
    ) -> set[str]:
        """Those of `mailboxes` ("mailto:…", lower case) that are another user's address, or
        that another user's username makes with `mail_domain`."""
        addresses = {m.removeprefix(MAILTO) for m in mailboxes if m.startswith(MAILTO)}
        suffix = "@" + mail_domain
        locals_ = {a.removesuffix(suffix) for a in addresses if mail_domain and a.endswith(suffix)}
        if not addresses:
            return set()
        username = func.lower(User.username)
        with self._db.read() as session:
            held = set(
                session.scalars(
                    select(User.email).where(User.email.in_(addresses), User.id != user.id)
                )
            )
            made = session.scalars(
                select(username).where(username.in_(locals_), User.id != user.id)
            )
            held |= {f"{local}{suffix}" for local in made}
        return {MAILTO + str(address) for address in held}

    def their_own(
        self, user: AuthenticatedUser, agents: list[dict[str, Any]], mail_domain: str
    ) -> list[dict[str, Any]]:
        """`agents` (names this server gives or gave `user`) without the mailboxes that are
        another user's (`others_mailboxes`), in their order."""
        others = self.others_mailboxes(user, mailboxes_in(agents), mail_domain)
        return [agent for agent in agents if agent.get("mbox") not in others]


def mailboxes_in(agents: Iterable[dict[str, Any]]) -> list[str]:
    return [str(agent["mbox"]) for agent in agents if "mbox" in agent]
