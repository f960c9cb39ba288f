"""The residency list and page on a real cache: agenda, prerequisites, check-in through the
reference server, the badge dialog and calendar export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from residency_samples import (
    CHECKIN_CODE,
    RESIDENCY_ID,
    FakeClock,
    Progress,
    put_course,
    put_residency,
)
from shots import keep, shots_folder

from desktop_app.api import ApiClient, OfflineError, TransportConfig
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.residency import (
    CheckInOutcome,
    CheckInService,
    PrerequisiteRow,
    PrerequisiteState,
    ResidencyDesk,
    ResidencyQueries,
    badge_qr,
)
from desktop_app.residency.badge import QUIET_ZONE
from desktop_app.views.residency.badge_dialog import BadgeDialog
from desktop_app.views.residency.list_page import ResidencyList
from desktop_app.views.residency.models import YOUR_TIME, AgendaModel, ResidencyListModel
from desktop_app.views.residency.page import ResidencyPage
from desktop_app.views.residency.prerequisites import PrerequisitesBox
from reference_server.badges import BadgeClaims
from reference_server.server import ReferenceServer

LONDON = ZoneInfo("Europe/London")
# The offscreen platform cannot size real windows; it says so each time a window is shown.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def desk(db: Database, server: ReferenceServer, clock: FakeClock) -> Iterator[ResidencyDesk]:
    token = server.backend.signer.sign(BadgeClaims("e-1", RESIDENCY_ID, "u-ana", "Ana Ortiz"))
    put_residency(db, badge_token=token)
    put_course(db, "c-foundations", "Foundations of clinical social media")
    put_course(db, "c-privacy", "Patient privacy online")
    api = ApiClient(server.url, tokens=MemoryTokenStore(), config=TransportConfig(retries=0))
    api.sign_in("ana", "rounds-demo")
    progress = Progress({"c-foundations": 100.0, "c-privacy": 40.0})
    queries = ResidencyQueries(db, progress, learner_zone=LONDON, clock=clock)
    service = CheckInService(db, api.post_checkin, clock)
    yield ResidencyDesk(queries, lambda: service)
    api.close()


@pytest.fixture
def saved_to(tmp_path: Path) -> list[Path]:
    return []


@pytest.fixture
def page(
    qtbot: QtBot,
    desk: ResidencyDesk,
    runner: BackgroundRunner,
    tmp_path: Path,
    saved_to: list[Path],
) -> ResidencyPage:
    def choose(_parent: object, suggested: str) -> Path:
        saved_to.append(tmp_path / suggested)
        return tmp_path / suggested

    widget = ResidencyPage(desk, runner, choose_ics_path=choose)
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show_detail(desk.detail(RESIDENCY_ID))
    return widget


def cells(model: AgendaModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_item_models_follow_the_qt_contract(
    qtmodeltester: ModelTester, desk: ResidencyDesk
) -> None:
    agenda = AgendaModel()
    detail = desk.detail(RESIDENCY_ID)
    assert detail is not None
    agenda.set_rows(detail.sessions)
    qtmodeltester.check(agenda)
    residencies = ResidencyListModel()
    residencies.set_rows(desk.summaries())
    qtmodeltester.check(residencies)


def test_the_page_shows_the_agenda_in_venue_time_and_the_learners_time(
    page: ResidencyPage,
) -> None:
    assert page.agenda.rowCount() == 4
    assert cells(page.agenda, 0) == [
        "01:00–01:45 CST", "01:30 CST – 03:30 CDT", "08:30–10:00 CDT", "13:00–16:30 CDT"
    ]  # fmt: skip
    assert cells(page.agenda, YOUR_TIME)[2] == "13:30–15:00 GMT"
    assert cells(page.agenda, 2)[2] == "Simulation lab"
    assert cells(page.agenda, 4)[2] == "Dr Omar Haddad, RN Jo Reyes"
    assert not page.table.isColumnHidden(YOUR_TIME)
    assert page.header.venue.text() == "Lakeside Teaching Hospital"
    assert "01:00 CST – 16:30 CDT — venue time (America/Chicago)" in page.header.when.text()
    assert page.header.when.text().startswith("Sunday, 14 March 2027, 01:00 CST")
    assert page.header.yours.text() == "Your time: 07:00–21:30 GMT"  # the day is written above
    assert "00:30 CST" in page.checkin.window_label.text()


def test_the_learner_can_select_several_sessions_of_the_agenda(
    qtbot: QtBot, page: ResidencyPage
) -> None:
    page.show()
    qtbot.waitExposed(page)
    for row, keys in (
        (0, Qt.KeyboardModifier.NoModifier),
        (2, Qt.KeyboardModifier.ControlModifier),
    ):
        cell = page.table.visualRect(page.agenda.index(row, 0)).center()
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, keys, cell)
    selected = page.table.selectionModel().selectedRows()
    assert sorted(index.row() for index in selected) == [0, 2]


def test_at_double_text_size_every_agenda_heading_and_row_holds_its_text(
    page: ResidencyPage, qtbot: QtBot, qapp: QApplication
) -> None:
    """Session titles and faculty share the room the times and rooms leave and wrap; rows
    grow with their text, and no column is narrower than its heading."""
    font = QFont(qapp.font())
    larger = QFont(font)
    larger.setPointSizeF(font.pointSizeF() * 2)
    page.show()
    header, table = page.table.horizontalHeader(), page.table
    bold = QFont(header.font())
    qapp.setFont(larger)
    try:
        qtbot.waitUntil(lambda: header.font().pointSizeF() > bold.pointSizeF())
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)
        titles = [page.agenda.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
        widths = [QFontMetrics(bold).horizontalAdvance(title) + 12 for title in titles]
        qtbot.waitUntil(lambda: all(header.sectionSize(c) >= w for c, w in enumerate(widths)))
        rows = range(page.agenda.rowCount())
        assert all(table.rowHeight(row) >= table.sizeHintForRow(row) for row in rows)
    finally:
        qapp.setFont(font)


def test_a_learner_at_the_venue_sees_no_your_time_column(
    qtbot: QtBot, db: Database, desk: ResidencyDesk, runner: BackgroundRunner
) -> None:
    local = ResidencyQueries(db, Progress(), learner_zone=ZoneInfo("America/Chicago"))
    widget = ResidencyPage(desk, runner)
    qtbot.addWidget(widget)
    widget.show_detail(local.detail(RESIDENCY_ID))
    assert widget.table.isColumnHidden(YOUR_TIME)
    assert widget.header.yours.isHidden()


def test_prerequisites_show_their_state_and_continue_opens_the_course(
    qtbot: QtBot, page: ResidencyPage
) -> None:
    states = {cid: label.text() for cid, label in page.prerequisites.states.items()}
    assert states == {
        "c-foundations": "Done",
        "c-privacy": "40% done",
        "c-presence": "Not available offline yet",
    }
    buttons = {cid: button.text() for cid, button in page.prerequisites.buttons.items()}
    assert buttons == {"c-foundations": "Review", "c-privacy": "Continue"}
    with qtbot.waitSignal(page.continue_course) as signal:
        qtbot.mouseClick(page.prerequisites.buttons["c-privacy"], Qt.MouseButton.LeftButton)
    assert signal.args == ["c-privacy"]


def test_a_course_not_started_offers_start_not_continue(qtbot: QtBot) -> None:
    box = PrerequisitesBox()
    qtbot.addWidget(box)
    box.show_rows([PrerequisiteRow("c-new", "New course", PrerequisiteState.NOT_STARTED, 0, "")])
    assert box.buttons["c-new"].text() == "Start"
    assert box.states["c-new"].text() == "Not started"
    with qtbot.waitSignal(box.continue_course) as signal:
        box.buttons["c-new"].click()
    assert signal.args == ["c-new"]


def test_checking_in_round_trips_through_the_server(
    qtbot: QtBot, page: ResidencyPage, server: ReferenceServer
) -> None:
    qtbot.keyClicks(page.checkin.code, CHECKIN_CODE)
    with qtbot.waitSignal(page.checked_in, timeout=10_000) as signal:
        qtbot.mouseClick(page.checkin.submit, Qt.MouseButton.LeftButton)
    assert signal.args[0].outcome is CheckInOutcome.CONFIRMED
    assert (
        page.checkin.status.text()
        == "Checked in — confirmed Sunday, 14 March 2027, 08:00 CDT (venue time)."
    )
    assert not page.checkin.code.isEnabled() and not page.checkin.submit.isEnabled()
    (record,) = server.admin.list_checkins(RESIDENCY_ID)
    assert record.id == signal.args[0].checkin_id


def test_a_wrong_code_is_shown_and_the_learner_can_try_again(
    qtbot: QtBot, page: ResidencyPage
) -> None:
    qtbot.keyClicks(page.checkin.code, "OAK-17")
    with qtbot.waitSignal(page.checked_in, timeout=10_000):
        qtbot.keyClick(page.checkin.code, Qt.Key.Key_Return)
    assert page.checkin.status.text() == (
        "That is not the code shown at the venue. Check it and try again."
    )
    assert page.checkin.code.isEnabled()
    assert page.checkin.code.text() == "OAK-17"


def test_the_badge_dialog_shows_the_name_and_a_scannable_code(
    qtbot: QtBot, page: ResidencyPage
) -> None:
    dialog = page.show_badge()
    assert isinstance(dialog, BadgeDialog)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Ana Ortiz"
    image = dialog.image
    assert image.width() == image.height() >= 300
    detail = page.detail
    assert detail is not None and detail.badge is not None
    matrix = badge_qr(detail.badge.token).matrix
    modules = len(matrix) + 2 * QUIET_ZONE
    scale = image.width() // modules
    assert scale >= 6 and image.width() == modules * scale
    for y, line in enumerate(matrix):
        for x, dark in enumerate(line):
            centre = image.pixelColor(
                (x + QUIET_ZONE) * scale + scale // 2, (y + QUIET_ZONE) * scale + scale // 2
            )
            assert (centre == QColor("black")) == bool(dark), (x, y)
    dialog.close()


def test_a_calendar_file_that_cannot_be_saved_is_explained_in_one_sentence(
    qtbot: QtBot, desk: ResidencyDesk, runner: BackgroundRunner, tmp_path: Path
) -> None:
    gone = tmp_path / "removed folder" / "agenda.ics"
    page = ResidencyPage(desk, runner, choose_ics_path=lambda _parent, _name: gone)
    qtbot.addWidget(page)
    page.show_detail(desk.detail(RESIDENCY_ID))
    assert page.export_calendar() is None
    assert page.message.text() == (
        "Could not save the calendar file: that folder no longer exists."
    )
    assert not gone.parent.exists()


def test_export_to_calendar_saves_the_ics_where_the_learner_chose(
    page: ResidencyPage, saved_to: list[Path]
) -> None:
    saved = page.export_calendar()
    assert saved == saved_to[0] and saved.name == "spring-clinical-residency.ics"
    calendar = Calendar.from_ical(saved.read_bytes())
    assert len(calendar.walk("VEVENT")) == 4
    assert page.message.text() == f"Saved the agenda to {saved}."


def test_the_list_opens_a_page_and_comes_back(
    qtbot: QtBot, desk: ResidencyDesk, runner: BackgroundRunner
) -> None:
    widget = ResidencyList(desk, runner)
    qtbot.addWidget(widget)
    widget.refresh()
    assert widget.model.rowCount() == 1 and widget.empty.isHidden()
    rect = widget.list.visualRect(widget.model.index(0, 0))
    widget.show()
    qtbot.mouseClick(widget.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert widget.stack.currentWidget() is widget.page
    assert widget.page is not None and widget.page.residency_id == RESIDENCY_ID
    qtbot.mouseClick(widget.page.back, Qt.MouseButton.LeftButton)
    assert widget.stack.currentIndex() == 0


def test_screenshots(
    qtbot: QtBot, page: ResidencyPage, run_deferred_calls: Callable[[], None]
) -> None:
    """Set ROUNDS_SCREENSHOT_DIR to keep pictures of the page and the badge for review."""
    page.show()
    qtbot.waitExposed(page)
    pictures = {"residency-page.png": page.grab()}
    dialog = page.show_badge()
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    pictures["residency-badge.png"] = dialog.grab()
    dialog.close()
    qtbot.keyClicks(page.checkin.code, "OAK-17")
    with qtbot.waitSignal(page.checked_in, timeout=10_000):
        qtbot.mouseClick(page.checkin.submit, Qt.MouseButton.LeftButton)
    run_deferred_calls()  # the layout takes the status line in
    pictures["residency-page-rejected.png"] = page.grab()
    keep(pictures, shots_folder("ROUNDS_SCREENSHOT_DIR"))


def test_offline_check_in_shows_waiting_and_locks_the_field(
    qtbot: QtBot, db: Database, runner: BackgroundRunner, clock: FakeClock
) -> None:
    def unreachable(*_args: object) -> NoReturn:
        raise OfflineError("Could not reach the server.")

    put_residency(db)
    queries = ResidencyQueries(db, Progress(), learner_zone=LONDON, clock=clock)
    service = CheckInService(db, unreachable, clock)
    widget = ResidencyPage(ResidencyDesk(queries, lambda: service), runner)
    qtbot.addWidget(widget)
    widget.show_detail(queries.detail(RESIDENCY_ID))
    qtbot.keyClicks(widget.checkin.code, CHECKIN_CODE)
    with qtbot.waitSignal(widget.checked_in, timeout=10_000) as signal:
        qtbot.mouseClick(widget.checkin.submit, Qt.MouseButton.LeftButton)
    assert signal.args[0].outcome is CheckInOutcome.PENDING
    assert widget.checkin.status.text() == (
        "Waiting for confirmation — it will be sent when you are back online."
    )
    assert not widget.checkin.code.isEnabled()
    assert widget.badge_button.isEnabled() is False  # no token synced yet
