"""The course list the start reads with plain sqlite3 is the one `Library.courses` gives."""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.catalog.first_list import COMPLETING_VERBS, read_first_list
from desktop_app.catalog.library import NOT_DOWNLOADED
from desktop_app.config import content_store
from desktop_app.content_store import ContentStore
from desktop_app.models import Lesson, LessonAsset
from desktop_app.progress.state import COMPLETING_VERBS as LOG_COMPLETING_VERBS
from desktop_app.progress.xapi import LessonRef
from desktop_app.study import Study

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


def store_one_file_of(account: Account, store: ContentStore, course_id: str) -> None:
    with account.db.session() as session:
        sha = session.scalar(
            select(LessonAsset.sha256)
            .join(Lesson, Lesson.id == LessonAsset.lesson_id)
            .where(Lesson.course_id == course_id)
        )
    assert sha is not None
    path = store.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")


def test_the_early_list_is_the_librarys(account: Account) -> None:
    account.sync()
    store = ContentStore(content_store())
    study = Study(account, store)
    try:
        with account.db.session() as session:
            study.progress.completed(session, WELCOME)
        store_one_file_of(account, store, "c-privacy")
        first = read_first_list(None, None)
        courses = study.library.courses()
    finally:
        study.close()
    assert first is not None and first.database == account.paths.database
    assert first.courses == courses
    assert {c.id for c in courses if c.percent_complete > 0} == {"c-foundations"}
    assert {c.id for c in courses if c.download_state != NOT_DOWNLOADED} == {"c-privacy"}


def test_the_completing_verbs_are_the_logs() -> None:
    assert set(COMPLETING_VERBS) == LOG_COMPLETING_VERBS


def test_no_early_list_without_a_remembered_account_or_a_readable_cache(
    account: Account,
) -> None:
    assert read_first_list(None, None) is not None  # no sync yet: the schema, no courses
    assert read_first_list(None, "someone-else") is None  # no cache of theirs here
    assert read_first_list("ftp://example.org", None) is None  # an address refused
    account.close()
    account.paths.database.write_bytes(b"not a database" * 512)
    assert read_first_list(None, None) is None
    assert account.paths.database.read_bytes() == b"not a database" * 512  # left as it was
