"""Every sentence the window shows goes through Qt's translation: a static check of the views'
and the window's source for English text handed to a widget without `tr()` / `translate()`.

What counts as showing text: the setters and constructors below, message boxes, a model's
`data()` / `headerData()`, and a function of the same module whose `text`-like parameter
reaches one of them (`self._button("Pause", ...)`). A module constant holding a literal
counts when it is what is shown. Text without letters ("✓", " · ", "") is not language.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKED = (ROOT / "desktop_app" / "views", ROOT / "desktop_app" / "gui")

SETTERS = {
    "setText": 0,
    "setToolTip": 0,
    "setWindowTitle": 0,
    "setPlaceholderText": 0,
    "setStatusTip": 0,
    "setWhatsThis": 0,
    "setAccessibleName": 0,
    "setAccessibleDescription": 0,
    "setTitle": 0,
    "setFormat": 0,
    "setSuffix": 0,
    "setPrefix": 0,
    "setSpecialValueText": 0,
    "setLabelText": 0,
    "setInformativeText": 0,
    "setDetailedText": 0,
    "setHeaderLabels": 0,
    "setHorizontalHeaderLabels": 0,
    "setVerticalHeaderLabels": 0,
    "showMessage": 0,
    "addAction": 0,
    "addMenu": 0,
    "addButton": 0,
    "addRow": 0,
    "addItem": 0,
    "addItems": 0,
    "addTab": 1,
    "insertTab": 2,
    "setTabText": 1,
    "setTabToolTip": 1,
    "setItemText": 1,
}
"""Method name -> the position of the text it shows (every keyword that names text too)."""

WIDGETS = {
    "QLabel",
    "QPushButton",
    "QToolButton",
    "QCommandLinkButton",
    "QAction",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QMenu",
    "QLineEdit",
    "QMessageBox",
    "QListWidgetItem",
    "QTableWidgetItem",
    "QTreeWidgetItem",
    "QStandardItem",
    "QProgressDialog",
    "QInputDialog",
}
"""Constructors whose string arguments are shown."""

MESSAGE_BOXES = {"question", "warning", "information", "critical", "about"}
TEXT_KEYWORDS = {
    "text",
    "title",
    "toolTip",
    "windowTitle",
    "placeholderText",
    "statusTip",
    "accessibleName",
    "accessibleDescription",
    "whatsThis",
    "format",
    "suffix",
    "prefix",
}
TEXT_PARAMETERS = {"text", "title", "label", "tip", "tooltip", "heading", "caption", "question"}
"""A parameter of a module's own function that is shown when given a literal."""
MODEL_METHODS = {"data", "headerData"}
PRODUCT_NAME = "Rounds"
URL = re.compile(r"^[a-z]+://\S*$")
TRANSLATES_MADE_TEXT = ROOT / "desktop_app" / "views" / "i18n.py"
"""`localized` translates what `desktop_app.text.translate` marked elsewhere."""
NOT_READ_BY_LUPDATE = (
    "the source text of tr()/translate() must be a literal, or lupdate never collects it "
    "(a wrapper such as _tr(text) is not extracted)"
)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.text!r}"


def has_letters(text: str) -> bool:
    """Language: letters, other than the product's name or an address."""
    text = text.strip()
    if text == PRODUCT_NAME or URL.match(text):
        return False
    return any(character.isalpha() for character in text)


class Module:
    """One source file: its constants and its own functions' text parameters."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        self.constants: dict[str, ast.expr] = {}
        self.text_parameters: dict[str, set[int]] = {}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id.isupper():
                    self.constants[target.id] = node.value
            elif isinstance(node, ast.FunctionDef):
                self._note_parameters(node)

    def _note_parameters(self, function: ast.FunctionDef) -> None:
        names = [argument.arg for argument in function.args.args]
        offset = 1 if names[:1] in (["self"], ["cls"]) else 0
        positions = {index - offset for index, name in enumerate(names) if name in TEXT_PARAMETERS}
        if positions:
            self.text_parameters[function.name] = positions

    def untranslated(self, node: ast.expr | None) -> str | None:
        """The English in `node` if it reaches the screen untranslated, else None."""
        match node:
            case ast.Constant(value=str(text)):
                return text if has_letters(text) else None
            case ast.JoinedStr(values=parts):
                literal = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
                return ast.unparse(node) if has_letters(literal) else None
            case ast.BinOp(left=left, right=right):
                return self.untranslated(left) or self.untranslated(right)
            case ast.IfExp(body=body, orelse=orelse):
                return self.untranslated(body) or self.untranslated(orelse)
            case ast.Tuple(elts=items) | ast.List(elts=items):
                return next(filter(None, map(self.untranslated, items)), None)
            case ast.Call(func=ast.Attribute(value=receiver, attr="format")):
                return self.untranslated(receiver)
            case ast.Name(id=name) if name in self.constants:
                return self.untranslated(self.constants[name])
            case ast.Attribute(value=ast.Name(id="self"), attr=name) if name in self.constants:
                return self.untranslated(self.constants[name])
            case ast.Subscript(value=value):
                return self.untranslated(value)
        return None


def _callee(call: ast.Call) -> str:
    match call.func:
        case ast.Attribute(attr=name) | ast.Name(id=name):
            return name
    return ""


def _shown_arguments(module: Module, call: ast.Call) -> Iterator[ast.expr]:
    name = _callee(call)
    keywords = [k.value for k in call.keywords if k.arg in TEXT_KEYWORDS]
    if name in WIDGETS:
        yield from call.args
        yield from keywords
    elif name in SETTERS:
        position = SETTERS[name]
        if len(call.args) > position:
            yield call.args[position]
        yield from keywords
    elif name in MESSAGE_BOXES and isinstance(call.func, ast.Attribute):
        if ast.unparse(call.func.value).endswith("QMessageBox"):
            yield from call.args[1:3]
    elif name in module.text_parameters:
        for position in module.text_parameters[name]:
            if len(call.args) > position:
                yield call.args[position]
        yield from keywords
    else:
        yield from (k.value for k in call.keywords if k.arg in {"placeholderText", "toolTip"})


def _model_returns(function: ast.FunctionDef) -> Iterator[ast.expr]:
    for node in ast.walk(function):
        if isinstance(node, ast.Return) and node.value is not None:
            yield node.value


def _translation_sources(call: ast.Call) -> Iterator[ast.expr]:
    """The source text of a `tr(...)` / `translate(context, ...)` call: it must be a literal,
    or lupdate cannot read it."""
    name = _callee(call)
    if name == "tr" and call.args:
        yield call.args[0]
    elif name == "translate" and len(call.args) >= 2:
        yield from call.args[:2]


def findings(path: Path) -> Iterator[Finding]:
    module = Module(path)
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call):
            yield from _call_findings(module, node)
        elif isinstance(node, ast.FunctionDef) and node.name in MODEL_METHODS:
            for value in _model_returns(node):
                if (text := module.untranslated(value)) is not None:
                    yield Finding(path, value.lineno, text)


def _call_findings(module: Module, call: ast.Call) -> Iterator[Finding]:
    for argument in _shown_arguments(module, call):
        if (text := module.untranslated(argument)) is not None:
            yield Finding(module.path, argument.lineno, text)
    if module.path == TRANSLATES_MADE_TEXT:
        return
    for source in _translation_sources(call):
        if not (isinstance(source, ast.Constant) and isinstance(source.value, str)):
            text = f"{NOT_READ_BY_LUPDATE}: {ast.unparse(source)}"
            yield Finding(module.path, source.lineno, text)


def sources() -> list[Path]:
    return sorted(path for folder in CHECKED for path in folder.rglob("*.py"))


def test_no_text_reaches_the_screen_without_translation() -> None:
    found = [str(finding) for path in sources() for finding in findings(path)]
    assert not found, f"{len(found)} untranslated texts:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        'label.setText("Saved")',
        'QPushButton("Download course")',
        'self.setWindowTitle(f"Rounds — {name}")',
        'QMessageBox.warning(self, "Not enough space", text)',
        'QLineEdit(placeholderText="Search…")',
        'bar.showMessage("Offline: " + reason)',
        'box.setText("{n} files".format(n=n))',
        'OPENING = "Opening…"\nlabel.setText(OPENING)',
        'def _button(self, text, slot): ...\nself._button("Pause", self.pause)',
        "def data(self, index, role):\n    return 'not downloaded'",
        "self.tr(f'{n} files')",
    ],
)
def test_the_check_finds_english_that_skips_translation(source: str, tmp_path: Path) -> None:
    path = tmp_path / "page.py"
    path.write_text(source, encoding="utf-8")
    assert list(findings(path))


@pytest.mark.parametrize(
    "source",
    [
        'label.setText(self.tr("Saved"))',
        'label.setText(self.tr("Saved {title}").format(title=title))',
        'QPushButton(QCoreApplication.translate("Flow", "Download"))',
        'label.setText("✓")',
        'label.setText("")',
        "label.setText(course.title)",
        'self.setStyleSheet("color: palette(text);")',
        'self.setWindowTitle("Rounds")',
        "def data(self, index, role):\n    return row.title",
    ],
)
def test_the_check_lets_translated_text_and_content_through(source: str, tmp_path: Path) -> None:
    path = tmp_path / "page.py"
    path.write_text(source, encoding="utf-8")
    assert not list(findings(path))
