"""`python -m desktop_app download COURSE [--module MODULE]`: download a course, headless.

Prints what will be fetched, a progress bar (redrawn in place on a terminal, a line every few
seconds otherwise) and a one-line summary. Files already downloaded are not fetched again; a
download interrupted earlier resumes where it stopped. Other courses queued in the app are
left as they are.
Exit codes (`ExitCode`): OK downloaded, FAILED not finished (a file failed, or the server could
not be reached), NOT_FOUND unknown course or module, NO_SPACE not enough disk space (before the
download, or the disk filled up during it), INTERRUPTED. Failures print one line on stderr
saying why. A file another Rounds (the window, another command) is downloading is waited for,
and the progress line says so.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import (
    AssetSource,
    CourseProgress,
    DownloadManager,
    DownloadPlan,
    DownloadState,
    NotEnoughSpaceError,
    QueueSnapshot,
    RetryPolicy,
    StopReason,
    UnknownCourseError,
)
from desktop_app.downloads.plan import DiskUsage
from desktop_app.downloads.snapshot import WAITING_ELSEWHERE
from desktop_app.downloads.units import (
    format_bytes,
    format_duration,
    format_speed,
    format_time_left,
)

CLI_RETRY = RetryPolicy(attempts=3)
BAR_WIDTH = 30
LINE_INTERVAL = 5.0  # seconds between progress lines when not on a terminal
REDRAW_INTERVAL = 0.1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own arguments, for a dispatcher that builds one parser for all commands."""
    parser.add_argument("course", metavar="COURSE", help="the course id, e.g. c-foundations")
    parser.add_argument("--module", help="download only this module of the course")


def download_course(
    api: AssetSource,
    db: Database,
    store: ContentStore,
    course_id: str,
    *,
    module_id: str | None = None,
    settings: Settings | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    disk_usage: DiskUsage = shutil.disk_usage,
    retry: RetryPolicy = CLI_RETRY,
) -> int:
    """Download a course (or one module) into `store`; returns the process exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    manager = DownloadManager.for_settings(
        db, store, api, settings or Settings(), disk_usage=disk_usage, retry=retry
    )
    try:
        return _download(manager, course_id, module_id, out, err)
    except UnknownCourseError as error:
        return _fail(err, error.message, ExitCode.NOT_FOUND)
    except NotEnoughSpaceError as error:
        return _fail(err, error.message, ExitCode.NO_SPACE)
    except KeyboardInterrupt:
        return _fail(err, "interrupted; run the command again to resume", ExitCode.INTERRUPTED)
    finally:
        manager.close()


def _download(
    manager: DownloadManager, course_id: str, module_id: str | None, out: TextIO, err: TextIO
) -> int:
    plan = manager.plan(course_id, module_id)
    if plan.complete:
        _say(out, f"“{plan.scope_title}” is already downloaded ({_files(plan)}).")
        return ExitCode.OK
    _say(out, _announcement(plan))
    printer = ProgressPrinter(out, course_id)
    manager.add_listener(printer)
    started = time.monotonic()
    manager.download(plan)
    manager.start(only=[course_id])
    while not manager.wait_until_idle(0.5, course_id):
        pass
    course = manager.snapshot().course(course_id)
    printer.finish(course)
    return _summary(plan, course, time.monotonic() - started, out, err)


def _announcement(plan: DownloadPlan) -> str:
    present = len(plan.assets) - len(plan.missing)
    here = f"; {present} already on this computer" if present else ""
    resumed = f", resuming {format_bytes(plan.partial_bytes)}" if plan.partial_bytes else ""
    return (
        f"Downloading “{plan.scope_title}”: {_count(len(plan.missing), 'file')}, "
        f"{format_bytes(plan.missing_bytes)}{here}{resumed}."
    )


def _summary(
    plan: DownloadPlan, course: CourseProgress | None, seconds: float, out: TextIO, err: TextIO
) -> int:
    if course is not None and course.state == DownloadState.DONE:
        took = format_duration(seconds) or "0 s"
        _say(out, f"Downloaded “{plan.scope_title}”: {_files(plan)} in {took}.")
        return ExitCode.OK
    if course is None:
        return _fail(err, "the download was cancelled", ExitCode.FAILED)
    if course.reason == StopReason.NO_SPACE:
        return _fail(err, course.error, ExitCode.NO_SPACE)
    if course.state == DownloadState.FAILED:
        failed = f"{course.files - course.files_done} of {_count(course.files, 'file')}"
        reason = f"{failed} could not be downloaded: {course.error}"
        return _fail(err, reason, ExitCode.FAILED)
    return _fail(err, f"the download stopped: {course.error}", ExitCode.FAILED)


def _files(plan: DownloadPlan) -> str:
    return f"{_count(len(plan.assets), 'file')}, {format_bytes(plan.total_bytes)}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _say(out: TextIO, line: str) -> None:
    print(line, file=out, flush=True)


def _fail(err: TextIO, reason: str, code: int) -> int:
    """One line, whatever line breaks a server's words brought."""
    print(f"rounds download: {' '.join(reason.split())}", file=err, flush=True)
    return code


class ProgressPrinter:
    """A download listener that draws the course's progress on a terminal or in a log."""

    def __init__(
        self, out: TextIO, course_id: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._out = out
        self._course_id = course_id
        self._clock = clock
        self._tty = out.isatty()
        self._last = float("-inf")
        self._width = 0
        self._waiting = False

    def __call__(self, snapshot: QueueSnapshot) -> None:
        """Redraws at most every interval, but at once when waiting for another process
        begins or ends."""
        course = snapshot.course(self._course_id)
        interval = REDRAW_INTERVAL if self._tty else LINE_INTERVAL
        if course is None:
            return
        turned = course.waiting_elsewhere != self._waiting
        if not turned and self._clock() - self._last < interval:
            return
        self._last, self._waiting = self._clock(), course.waiting_elsewhere
        self._write(progress_line(course))

    def finish(self, course: CourseProgress | None) -> None:
        """The final state; on a terminal also ends the redrawn line."""
        if course is not None:
            self._write(progress_line(course))
        if self._tty and self._width:
            self._out.write("\n")
            self._out.flush()

    def _write(self, line: str) -> None:
        if self._tty:
            padding = " " * max(self._width - len(line), 0)
            self._out.write(f"\r{line}{padding}")
            self._width = len(line)
        else:
            self._out.write(f"{line}\n")
        self._out.flush()


def progress_line(course: CourseProgress) -> str:
    """`[#########.....]  62%  74 MB of 120 MB  4.1 MB/s  about 11 s left`."""
    filled = round(course.fraction * BAR_WIDTH)
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    parts = [
        f"[{bar}] {course.fraction:4.0%}",
        f"{format_bytes(course.bytes_done)} of {format_bytes(course.size)}",
        format_speed(course.speed),
        format_time_left(course.seconds_left) if course.state != DownloadState.DONE else "",
        WAITING_ELSEWHERE if course.waiting_elsewhere else "",
    ]
    return "  ".join(part for part in parts if part)
