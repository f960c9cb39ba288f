"""The window's sync, run in a short-lived child process of its own.

A sync imports what the idle window never needs (the HTTP stack, TLS, the statement exchange)
and holds the interpreter lock for long stretches while it parses and writes. In a child
process, the window stays as small as it was before the sync and paints while it runs: the
child ends with the sync, and whatever it loaded goes with it. The child does what
`Study.sync` does for the command line, on the same cache (SQLite lets both write in turn),
and is as safe to kill: every page and every upload is committed as it completes.

The window keeps the tokens: the child is handed them, and hands back each renewal, so the
window's keyring entry (or its memory, on a computer with no keyring) always holds the latest.
Files the sync found gone from the catalog are released by the window, whose download queue
may still hold them. The child's log lines go to the window's log.

The child is this program again, started with `--sync-process` (`child_command`): a plain
child process, so nothing of it outlives the sync (multiprocessing's spawn would leave its
resource tracker running for the rest of the session). Messages are pickled, each after its
length, on the child's standard input and output (`Frames`); what else it prints goes to
standard error. Window to child: the `SyncRequest`, then at most `CANCEL`. Child to window:
`READY` once it has loaded what a sync needs, `PROGRESS`, `TOKENS`, `RELEASED` and `LOG` while
it runs, then `DONE` or `FAILED`. A child that cannot start or ends before `READY` (a
computer that forbids it, a damaged installation) leaves the sync to the window's own process
(`SyncProcessUnavailable`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from desktop_app.error_text import ErrorReport
from desktop_app.text import translate

if TYPE_CHECKING:
    from desktop_app.api.payloads import User
    from desktop_app.api.tokens import Tokens
    from desktop_app.api.transport import TransportConfig
    from desktop_app.config import Settings
    from desktop_app.study import Study

log = logging.getLogger(__name__)
START_SECONDS = 120.0  # an interpreter and the sync's modules, on a busy old machine
CANCEL_SECONDS = 5.0  # a cancelled child stops at its next page; past this it is killed
READY, PROGRESS, TOKENS, RELEASED, LOG, DONE, FAILED, CANCEL = (
    "ready",
    "progress",
    "tokens",
    "released",
    "log",
    "done",
    "failed",
    "cancel",
)
ENDED = translate(
    "errors", "The sync stopped before it finished (its process ended); it will try again."
)
STOPPED = "sync stopped before it finished"
SYNC_PROCESS_ARGUMENT = "--sync-process"  # desktop_app/__main__.py hands the process to `serve`


@dataclass(frozen=True)
class SyncRequest:
    """What the child needs to open the window's account: no keyring, no sign-in."""

    server_url: str
    user: User
    account_root: Path
    store_root: Path
    config: TransportConfig
    settings: Settings
    tokens: Tokens | None


@dataclass(frozen=True)
class ProcessSyncSummary:
    """A child's finished sync, as the window uses it (`SyncOutcome`)."""

    changed: bool
    text: str

    def __str__(self) -> str:
        return self.text


class SyncProcessError(Exception):
    """The child's sync failed; `report` is its description, made where the error was."""

    def __init__(self, report: ErrorReport) -> None:
        super().__init__(report.message)
        self.report = report


class SyncProcessUnavailable(SyncProcessError):
    """No child could start, or it ended before it was ready: nothing was synced."""


ProgressCallback = Callable[[int, int], None]


def sync_in_child(
    study: Study, progress: ProgressCallback, cancel: threading.Event
) -> ProcessSyncSummary:
    """`study.sync` in a child process: raises SyncProcessError with the child's report of a
    failure. Runs on a worker thread of the window, which it blocks until the child ends."""
    account = study.account
    request = SyncRequest(
        account.server_url,
        account.user,
        account.paths.root,
        study.store.root,
        account.api.config,
        account.settings,
        account.tokens.load(),
    )
    try:
        process = subprocess.Popen(
            child_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, **_NO_WINDOW
        )
    except OSError as error:
        raise SyncProcessUnavailable(ErrorReport(ENDED)) from error
    assert process.stdin is not None and process.stdout is not None
    frames = Frames(process.stdout, process.stdin)
    watch = _Watch(study, frames, progress, cancel)
    try:
        try:
            frames.send(request)
        except OSError:
            raise watch.ended() from None
        return watch.until_done()
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(START_SECONDS)
        watch.finish()
        with contextlib.suppress(OSError):  # what was still buffered for a child now gone
            process.stdin.close()
        process.stdout.close()


def child_command() -> list[str]:
    """This program, to run as the sync's child: the installed build runs itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, SYNC_PROCESS_ARGUMENT]
    return [sys.executable, "-m", "desktop_app", SYNC_PROCESS_ARGUMENT]


# On Windows a child of the window opens no console window of its own.
_NO_WINDOW: dict[str, Any] = (
    {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)} if sys.platform == "win32" else {}
)


class Frames:
    """Pickled messages, each after its length (4 bytes, big-endian), over two byte streams.
    `send` may be called from several threads."""

    def __init__(self, reading: IO[bytes], writing: IO[bytes]) -> None:
        self._reading, self._writing = reading, writing
        self._lock = threading.Lock()

    def send(self, *message: object) -> None:
        data = pickle.dumps(message)
        with self._lock:
            self._writing.write(len(data).to_bytes(4, "big") + data)
            self._writing.flush()

    def receive(self) -> tuple[Any, ...]:
        """The next message; EOFError once the other side has closed its end."""
        size = int.from_bytes(self._exactly(4), "big")
        message = pickle.loads(self._exactly(size))
        assert isinstance(message, tuple)
        return message

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        with contextlib.suppress(EOFError, OSError):
            while True:
                yield self.receive()

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = self._reading.read(size - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data


class _Watch:
    """The window's side of one child sync: acts on each message until `DONE` or `FAILED`."""

    def __init__(
        self,
        study: Study,
        frames: Frames,
        progress: ProgressCallback,
        cancel: threading.Event,
    ) -> None:
        self._study, self._frames = study, frames
        self._progress, self._cancel = progress, cancel
        self._cancelled_at: float | None = None
        self._ready = False
        self._messages: queue.Queue[tuple[Any, ...] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="sync-process-reader", daemon=True)

    def until_done(self) -> ProcessSyncSummary:
        self._reader.start()
        while True:
            if self._cancel.is_set() and self._asked_to_stop():
                return ProcessSyncSummary(changed=True, text=STOPPED)
            try:
                message = self._messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if message is None:  # the child ended with nothing more to say
                raise self.ended()
            outcome = self._act(*message)
            if outcome is not None:
                return outcome

    def _read(self) -> None:
        try:
            for message in self._frames:
                self._messages.put(message)
        except Exception:  # a garbled frame: the child is not ours, or printed into them
            log.exception("The sync's process sent what is not a message")
        finally:
            self._messages.put(None)  # the watch stops waiting either way

    def finish(self) -> None:
        """Once the child has ended: its last words read, so its output can be closed."""
        if self._reader.is_alive():
            self._reader.join(START_SECONDS)

    def ended(self) -> SyncProcessError:
        """The error of a child gone before its outcome: unavailable if it was never ready."""
        ended = SyncProcessError if self._ready else SyncProcessUnavailable
        return ended(ErrorReport(ENDED))

    def _asked_to_stop(self) -> bool:
        """Asks the child to stop; True once it has had `CANCEL_SECONDS` to do so."""
        if self._cancelled_at is None:
            self._cancelled_at = time.monotonic()
            try:
                self._frames.send(CANCEL)
            except OSError:
                return True
        return time.monotonic() - self._cancelled_at > CANCEL_SECONDS

    def _act(self, kind: str, *values: Any) -> ProcessSyncSummary | None:
        if kind == READY:
            self._ready = True
        elif kind == PROGRESS:
            self._progress(*values)
        elif kind == TOKENS:
            self._keep(values[0])
        elif kind == RELEASED:
            self._study.release_assets(set(values[0]))
        elif kind == LOG:
            level, name, text = values
            logging.getLogger(name).log(level, "%s", text)
        elif kind == DONE:
            changed, text = values
            return ProcessSyncSummary(changed, text)
        elif kind == FAILED:
            raise SyncProcessError(values[0])
        return None

    def _keep(self, tokens: Tokens | None) -> None:
        store = self._study.account.tokens
        if tokens is None:
            store.clear()
        else:
            store.save(tokens)


def serve_standard_streams() -> int:
    """In the child (`python -m desktop_app --sync-process`): `serve` over standard input and
    output; anything else written to standard output goes to standard error instead."""
    reading = open(0, "rb", buffering=0, closefd=False)  # noqa: SIM115  (the process's own)
    writing = os.fdopen(os.dup(1), "wb")
    if sys.stderr is not None:
        os.dup2(sys.stderr.fileno(), 1)
    serve(Frames(reading, writing))
    return 0


def serve(frames: Frames) -> None:
    """In the child: open the account the request names, sync it, say how it went, end."""
    sender = _Sender(frames)
    logging.getLogger().addHandler(_RelayedLog(sender))
    logging.getLogger().setLevel(logging.INFO)
    try:
        (request,) = frames.receive()
    except (EOFError, OSError):
        return
    cancel = threading.Event()
    threading.Thread(target=_await_cancel, args=(frames, cancel), daemon=True).start()
    try:
        summary = _synced(request, sender, cancel)
    except Exception as error:
        from desktop_app.error_text import describe

        log.info("Sync failed: %s", error)
        sender.send(FAILED, describe(error))
        return
    sender.send(DONE, summary.changed, str(summary))


def _synced(request: SyncRequest, sender: _Sender, cancel: threading.Event) -> Any:
    from desktop_app.account import Account
    from desktop_app.config import AccountPaths
    from desktop_app.content_store import ContentStore
    from desktop_app.study import Study

    sender.send(READY)
    paths = AccountPaths(request.account_root)
    tokens = _RelayedTokens(request.tokens, sender)
    account = Account.handed_over(
        request.user, request.server_url, tokens, request.config, request.settings, paths
    )
    study = Study(account, ContentStore(request.store_root))
    try:
        return study.sync(
            progress=lambda pages, items, _more: sender.send(PROGRESS, pages, items),
            cancel=cancel,
            on_assets_released=lambda digests: sender.send(RELEASED, sorted(digests)),
        )
    finally:
        study.close()
        account.close()


def _await_cancel(frames: Frames, cancel: threading.Event) -> None:
    """Sets `cancel` when the window asks, or when it is gone (its end of the pipe closed)."""
    for message in frames:
        if message[0] == CANCEL:
            break
    cancel.set()


class _Sender:
    """The child's end, shared by the sync, its log and its token renewals."""

    def __init__(self, frames: Frames) -> None:
        self._frames = frames

    def send(self, kind: str, *values: object) -> None:
        # a window that is gone is not told: the sync stops at its next page (`_await_cancel`)
        with contextlib.suppress(OSError):
            self._frames.send(kind, *values)


class _RelayedTokens:
    """The child's token store: the window's tokens, each renewal sent back for it to keep."""

    persistent = True  # kept by the window, whatever it keeps them in

    def __init__(self, tokens: Tokens | None, sender: _Sender) -> None:
        self._tokens, self._sender = tokens, sender

    def load(self) -> Tokens | None:
        return self._tokens

    def save(self, tokens: Tokens) -> None:
        self._tokens = tokens
        self._sender.send(TOKENS, tokens)

    def clear(self) -> None:
        self._tokens = None
        self._sender.send(TOKENS, None)


class _RelayedLog(logging.Handler):
    """The child's log records, written to the window's log."""

    def __init__(self, sender: _Sender) -> None:
        super().__init__(logging.INFO)
        self._sender = sender

    def emit(self, record: logging.LogRecord) -> None:
        self._sender.send(LOG, record.levelno, record.name, self.format(record))
