"""The strip above every lesson: its title, its completion rule and whether it is done."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from desktop_app.views.i18n import localized
from desktop_app.views.player.scaled_label import ScaledLabel
from desktop_app.views.status_colours import GOOD, PLAIN, set_tone

TITLE_SCALE = 1.5


def kind_name(kind: str) -> str:
    """The kind of a lesson as the learner reads it."""
    names = {
        "video": QCoreApplication.translate("LessonHeader", "Video"),
        "audio": QCoreApplication.translate("LessonHeader", "Audio"),
        "reading": QCoreApplication.translate("LessonHeader", "Reading"),
        "pdf": QCoreApplication.translate("LessonHeader", "PDF handout"),
        "quiz": QCoreApplication.translate("LessonHeader", "Quiz"),
    }
    return names.get(kind, kind.capitalize())


class LessonHeader(QWidget):
    """Title on the first line; kind and completion rule, and the completed mark, below."""

    def __init__(self, title: str, kind: str, rule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ScaledLabel(title, scale=TITLE_SCALE, bold=True)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a title is never markup
        rule = localized(rule)
        described = self.tr("{kind} · {rule}").format(kind=kind_name(kind), rule=rule)
        self.rule = QLabel(described if rule else kind_name(kind), wordWrap=True)
        self.state = QLabel()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.rule, 1, 0)
        layout.addWidget(self.state, 1, 1)
        layout.setColumnStretch(0, 1)
        self.set_completed(False)

    def set_completed(self, completed: bool) -> None:
        self.state.setText(self.tr("✓ Completed") if completed else self.tr("Not completed yet"))
        set_tone(self.state, GOOD if completed else PLAIN)
