"""Showing text in the learner's language: messages made below the views, and dates, times,
numbers and sizes through `QLocale` (the default locale is the chosen language's)."""

from __future__ import annotations

from datetime import date, datetime
from string import Formatter

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QTime

from desktop_app.text import Message, Template


def localized(text: str) -> str:
    """`text` in the window's language when it was made by `desktop_app.text.translate`;
    other text (course content, a server's own words) unchanged."""
    if isinstance(text, Message):
        translated = QCoreApplication.translate(text.context, text.template)
        values = {k: localized(v) if isinstance(v, str) else v for k, v in text.values.items()}
        try:
            if _fields(translated) != _fields(text.template):  # a field lost or misspelt
                return str(text)
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):  # braces a translation broke
            return str(text)
    if isinstance(text, Template):
        return QCoreApplication.translate(text.context, str(text))
    return text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def format_date(day: date, style: QLocale.FormatType = QLocale.FormatType.LongFormat) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), style)


def format_time(moment: datetime) -> str:
    return QLocale().toString(QTime(moment.hour, moment.minute), QLocale.FormatType.ShortFormat)


def format_date_time(
    moment: datetime, style: QLocale.FormatType = QLocale.FormatType.ShortFormat
) -> str:
    """A wall-clock date and time as it reads in `moment`'s own zone (no conversion)."""
    when = QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )
    return QLocale().toString(when, style)


def format_number(value: float, decimals: int = 0) -> str:
    if decimals == 0:
        return QLocale().toString(round(value))
    return QLocale().toString(float(value), "f", decimals)


def format_size(size_bytes: int) -> str:
    """A size as people read it (`1.5 MB`, `1,5 MB`, `500 MB`), in decimal units."""
    locale = QLocale()
    text = locale.formattedDataSize(max(0, size_bytes), 1, QLocale.DataSizeFormat.DataSizeSIFormat)
    whole = f"{locale.decimalPoint()}{locale.zeroDigit()} "  # `500.0 MB` reads `500 MB`
    return text.replace(whole, " ", 1)
