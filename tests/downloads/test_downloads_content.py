"""A lesson's local files for the player: only verified files, images by name, the quiz."""

from __future__ import annotations

from downloads_samples import WAIT, MakeManager, mirror_catalog

from desktop_app.api.client import ApiClient
from desktop_app.catalog.library import DOWNLOADED, NOT_DOWNLOADED, PARTLY_DOWNLOADED, Library
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import LessonFiles, lesson_files


def download_first_module(client: ApiClient, db: Database, manager: MakeManager) -> None:
    mirror_catalog(client, db)
    downloads = manager()
    plan = downloads.plan("c-privacy", "m-privacy-1")
    assert plan.scope_title == "Confidentiality in public spaces" and plan.what == "This module"
    downloads.download(plan)
    downloads.start()
    assert downloads.wait_until_idle(WAIT)


def test_a_downloaded_reading_has_its_body_and_images_by_name(
    client: ApiClient, db: Database, store: ContentStore, make_manager: MakeManager
) -> None:
    download_first_module(client, db, make_manager)

    content = lesson_files(db, store, "l-privacy-deidentification")

    assert isinstance(content, LessonFiles)
    assert content.ref.kind == "reading" and content.ref.course_id == "c-privacy"
    assert content.files["body"].read_text(encoding="utf-8").startswith("#")
    assert list(content.images) == ["privacy-identifiers.png"]
    assert content.images["privacy-identifiers.png"].read_bytes().startswith(b"\x89PNG")
    assert content.missing == () and content.missing_required == ()
    video = lesson_files(db, store, "l-privacy-identifiable-story")
    assert video is not None and set(video.files) == {"media", "captions"}


def test_a_lesson_not_downloaded_lists_its_missing_roles(
    client: ApiClient, db: Database, store: ContentStore, make_manager: MakeManager
) -> None:
    download_first_module(client, db, make_manager)

    audio = lesson_files(db, store, "l-privacy-boundaries")

    assert audio is not None
    assert audio.files == {} and audio.missing == ("captions", "media")
    assert audio.missing_required == ("media",)
    states = {row.id: row.download_state for row in Library(db, store).courses()}
    assert states["c-privacy"] == PARTLY_DOWNLOADED
    assert states["c-foundations"] == NOT_DOWNLOADED


def test_a_quiz_lesson_carries_its_parsed_quiz(
    client: ApiClient, db: Database, store: ContentStore, make_manager: MakeManager
) -> None:
    mirror_catalog(client, db)

    quiz = lesson_files(db, store, "l-privacy-quiz")

    assert quiz is not None and quiz.ref.kind == "quiz" and quiz.missing == ()
    assert quiz.quiz is not None and quiz.quiz["questions"][0]["choices"]
    assert lesson_files(db, store, "l-no-such-lesson") is None


def test_a_whole_course_download_shows_as_downloaded_in_the_library(
    client: ApiClient, db: Database, store: ContentStore, make_manager: MakeManager
) -> None:
    mirror_catalog(client, db)
    downloads = make_manager()
    downloads.download(downloads.plan("c-foundations"))
    downloads.start()
    assert downloads.wait_until_idle(WAIT)

    states = {row.id: row.download_state for row in Library(db, store).courses()}
    assert states["c-foundations"] == DOWNLOADED
    assert downloads.plan("c-foundations").complete
