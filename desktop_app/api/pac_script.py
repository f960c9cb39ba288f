"""A PAC file's JavaScript, run in a child process that is killed when it takes too long.

dukpy has no time limit and holds the interpreter lock while JavaScript runs: a PAC file whose
FindProxyForURL never returns (a loop that never ends, by mistake or by malice) would freeze
every thread of Rounds for good. So the script runs in a child process of its own (started
with spawn: a fork of a process with Qt's threads is not safe), one per PAC file for the run.
Each call waits at most `CALL_SECONDS` for the answer; a child that takes longer is killed, and
`PacTimeout` tells the caller, which stops using the file for the run, as browsers do.

A call costs a round trip through a pipe besides the evaluation itself (benchmarks/bench_pac.py
measures both). Starting the child (a Python interpreter that imports dukpy and pypac) is paid
once, on the first request that consults the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop_app.text import translate

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

CALL_SECONDS = 2.0  # the longest a script may take to load or to answer one call
START_SECONDS = 60.0  # the child's start: an interpreter, dukpy and pypac, on a busy machine
READY = "ready"
ANSWER = "answer"
FAILED = "failed"
NOT_STARTED = translate("errors", "the process to run it did not start")
ENDED = translate("errors", "the process running it ended")
NO_FUNCTION = translate("errors", "it defines no FindProxyForURL function")


class PacTimeout(Exception):
    """The script took longer than `CALL_SECONDS`; its process has been killed."""


class PacProcess:
    """The script `source` in a child process; `find_proxy_for_url` calls it. Raises
    ValueError for a script that fails, PacTimeout for one that takes too long, and
    ChildProcessError when the child dies. Not thread-safe: `PacFile` serialises the calls."""

    def __init__(self, source: str) -> None:
        import multiprocessing  # here, not at start-up: only a PAC file needs it

        context = multiprocessing.get_context("spawn")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(
            target=serve, args=(child_end,), name="rounds-pac", daemon=True
        )
        self._process.start()
        child_end.close()
        try:
            if not self._pipe.poll(START_SECONDS):
                raise ChildProcessError(NOT_STARTED)
            self._answer(START_SECONDS)
            self._pipe.send(source)
            self._answer(CALL_SECONDS)
        except BaseException:
            self.close()
            raise

    def find_proxy_for_url(self, url: str, host: str) -> str:
        try:
            self._pipe.send((url, host))
        except OSError as error:  # the child has ended
            self.close()
            raise ChildProcessError(ENDED) from error
        return str(self._answer(CALL_SECONDS) or "")

    def close(self) -> None:
        """Ends the child at once, whatever it is doing."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(START_SECONDS)
        self._pipe.close()

    def _answer(self, limit: float) -> Any:
        if not self._pipe.poll(limit):
            self.close()
            raise PacTimeout
        try:
            kind, value = self._pipe.recv()
        except (EOFError, OSError) as error:
            self.close()
            raise ChildProcessError(ENDED) from error
        if kind == FAILED:
            raise ValueError(value)
        return value


def serve(pipe: Connection) -> None:
    """In the child: load the script sent first, then answer each (url, host) until the
    parent closes its end."""
    try:
        import dukpy  # noqa: F401  (imported before READY: the start, not the script, pays)
        import pypac.parser_functions  # noqa: F401

        pipe.send((READY, None))
        try:
            script = PacScript(pipe.recv())
        except Exception as error:  # not JavaScript, or no FindProxyForURL
            pipe.send((FAILED, _reason(error)))
            return
        pipe.send((ANSWER, None))
        while True:
            url, host = pipe.recv()
            try:
                pipe.send((ANSWER, script.find_proxy_for_url(url, host)))
            except Exception as error:  # a script that fails for this host
                pipe.send((FAILED, _reason(error)))
    except (EOFError, OSError, KeyboardInterrupt):
        return


class PacScript:
    """A PAC file's JavaScript, run by dukpy with pypac's PAC functions (dnsDomainIs, isInNet,
    …). pypac's own `PACFile` cannot be used with dukpy 0.6, which refuses to hand back the
    function value each of its definitions evaluates to ("Invalid Result Value"); here every
    evaluation ends in `null`. Not thread-safe."""

    def __init__(self, source: str) -> None:
        import dukpy
        from pypac.parser_functions import function_injections

        self._context = dukpy.JSInterpreter()
        for name, function in function_injections.items():
            self._context.export_function(name, function)
            self._context.evaljs(
                f"{name} = function() {{ var given = Array.prototype.slice.call(arguments); "
                f"given.unshift('{name}'); return call_python.apply(null, given); }}; null;"
            )
        self._context.evaljs(source + "\n;null;")
        if self._context.evaljs("typeof FindProxyForURL") != "function":
            raise ValueError(NO_FUNCTION)

    def find_proxy_for_url(self, url: str, host: str) -> str:
        answer = self._context.evaljs(
            "FindProxyForURL(dukpy['url'], dukpy['host'])", url=url, host=host
        )
        return str(answer or "")


def _reason(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
