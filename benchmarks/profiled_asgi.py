"""`reference_server.asgi:app` under cProfile, for the load benchmark's profile run:

    ROUNDS_PROFILE_OUT=/tmp/x uvicorn benchmarks.profiled_asgi:app --workers 1

The worker profiles every thread from the moment it builds the app and writes its statistics
to ROUNDS_PROFILE_OUT/<pid>.prof when the server shuts down (at the end of the ASGI lifespan:
uvicorn ends a process that got SIGTERM by that signal, so atexit would not run). The server's
code is unchanged. As in reference_server.asgi, the app is built when `app` is first read."""

from __future__ import annotations

import cProfile
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

PROFILE_OUT = "ROUNDS_PROFILE_OUT"

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]


def _profiled(inner: Asgi, profile: cProfile.Profile, out: Path) -> Asgi:
    async def app(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await inner(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "lifespan.shutdown.complete":
                profile.disable()
                profile.dump_stats(out)
            await send(message)

        await inner(scope, receive, sending)

    return app


def _start() -> Asgi:
    import reference_server.asgi as entry

    inner = entry.app
    profile = cProfile.Profile()
    profile.enable()
    return _profiled(inner, profile, Path(os.environ[PROFILE_OUT]) / f"{os.getpid()}.prof")


_built: Asgi | None = None


def __getattr__(name: str) -> Asgi:
    global _built
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if _built is None:
        _built = _start()
    return _built
