"""The table of single sign-on: which user a provider's subject is (see sso_users.py).

Its own module, imported wherever the tables are registered (migrations/env.py, sso_users).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reference_server.db import Base, UtcDateTime
from reference_server.models import ID


class SsoIdentity(Base):
    """A user who signs in through the trusted OpenID Connect provider: the provider's issuer
    and subject, which also name the learner in statements."""

    __tablename__ = "sso_identities"
    issuer: Mapped[str] = mapped_column(String(512), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ID, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
