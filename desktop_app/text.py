"""Learner-facing text made below the views, where Qt is not imported, in a form the views
can translate.

`translate(context, source)` marks `source` for Qt's `lupdate` (which finds calls of a
function named `translate`) and returns it unchanged as a `Template`, a `str`. Its
`format(**values)` gives a `Message`: the English sentence, still a `str` for logs and the
headless commands, which remembers its context, template and values, so that the window shows
`QCoreApplication.translate(context, template).format(**values)` instead
(`desktop_app.views.i18n.localized`).

    OFFLINE = translate("errors", "Offline: {reason}")
    raise OfflineError(OFFLINE.format(reason=reason))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Template(str):
    """A translatable English sentence with `{name}` fields."""

    context: str

    def __new__(cls, context: str, source: str) -> Template:
        text = super().__new__(cls, source)
        text.context = context
        return text

    def format(self, *args: Any, **values: Any) -> Message:
        if args:
            raise TypeError("a translatable template takes named fields only")
        return Message(self.context, str(self), values)

    def __reduce__(self) -> tuple[type[Template], tuple[str, str]]:
        """Pickled whole, so a child process's sentence is still translatable here."""
        return Template, (self.context, str(self))


class Message(str):
    """A sentence made from a `Template`: English as a `str`, translatable by the views."""

    context: str
    template: str
    values: Mapping[str, Any]

    def __new__(cls, context: str, template: str, values: Mapping[str, Any]) -> Message:
        text = super().__new__(cls, template.format(**values))
        text.context, text.template, text.values = context, template, dict(values)
        return text

    def __reduce__(self) -> tuple[type[Message], tuple[str, str, dict[str, Any]]]:
        return Message, (self.context, self.template, dict(self.values))


def translate(context: str, source: str) -> Template:
    """Mark `source` for translation in `context`; see the module's doc."""
    return Template(context, source)
