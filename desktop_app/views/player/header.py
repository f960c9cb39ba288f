"""The strip above every lesson: its title, its completion rule and whether it is done."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

KIND_NAMES = {
    "video": "Video",
    "audio": "Audio",
    "reading": "Reading",
    "pdf": "PDF handout",
    "quiz": "Quiz",
}
DONE_STYLE = "color: #1b5e20; font-weight: 600;"
OPEN_STYLE = "color: #52606d;"


class LessonHeader(QWidget):
    """Title on the first line; kind and completion rule, and the completed mark, below."""

    def __init__(self, title: str, kind: str, rule: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(title, wordWrap=True)
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600;")
        kind_name = KIND_NAMES.get(kind, kind.capitalize())
        self.rule = QLabel(f"{kind_name} · {rule}" if rule else kind_name)
        self.rule.setStyleSheet(OPEN_STYLE)
        self.state = QLabel()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.rule, 1, 0)
        layout.addWidget(self.state, 1, 1)
        layout.setColumnStretch(0, 1)
        self.set_completed(False)

    def set_completed(self, completed: bool) -> None:
        self.state.setText("✓ Completed" if completed else "Not completed yet")
        self.state.setStyleSheet(DONE_STYLE if completed else OPEN_STYLE)
