"""Which proxy a request to the network goes through, decided per request.

In order, the first that is set wins:
1. the proxy setting (`proxy_url`), for every request;
2. the proxy auto-config file setting (`proxy_pac_url`): its `FindProxyForURL` decides per host;
3. the system's: the proxy environment variables (HTTPS_PROXY, NO_PROXY, …) when any is set;
   else, on Windows and macOS, the auto-config file named in the system's settings; else the
   proxy in the system's settings, read by `requests` (none on Linux but the environment's).
A machine policy may set or lock either setting (`desktop_app.policy` locks them together).

A PAC file is fetched once per run, directly (never through a proxy: the file is what says
which proxy to use), on the worker that sends the first request. No WPAD lookup in DNS is
made. When it cannot be fetched or run, requests go direct, as browsers do, one log line says
so, and it is tried again after `PAC_RETRY_SECONDS`. Its answer `PROXY a; PROXY b; DIRECT` is
tried in order: a proxy that cannot be reached is passed over for `BAN_SECONDS`.

pypac is imported only when a PAC file is used. Its public-suffix lookup (tldextract), which
would fetch a list from the internet, serves only WPAD, which is never used here.
"""

from __future__ import annotations

import logging
import ssl
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from desktop_app.text import translate

log = logging.getLogger(__name__)

DIRECT = "DIRECT"
PAC_RETRY_SECONDS = 300.0
BAN_SECONDS = 300.0
PAC_FETCH_TIMEOUT = 10.0
PAC_MAX_BYTES = 1_000_000

PAC_UNUSABLE = translate(
    "errors",
    "The proxy auto-config file {url} could not be used ({reason}); Rounds connects directly, "
    "as browsers do, until it can be read.",
)
PROXY_PASSED_OVER = translate(
    "errors", "The proxy {proxy} could not be reached; trying the next one the auto-config names."
)
PAC_TOO_BIG = translate("errors", "it is larger than 1 MB")
NO_FUNCTION = translate("errors", "it defines no FindProxyForURL function")


def proxy_address(proxy_url: str) -> str:
    """`host:port` of a proxy URL, without any user name or password in it."""
    parts = urlsplit(proxy_url if "://" in proxy_url else f"http://{proxy_url}")
    host = parts.hostname or proxy_url
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port else host


class PacFile:
    """A proxy auto-config file, fetched on first use and kept; thread-safe."""

    def __init__(self, url: str, context: ssl.SSLContext | None = None) -> None:
        self.url = url
        self._context = context
        self._lock = threading.Lock()
        self._script: Any = None
        self._failed_at: float | None = None

    def choices(self, url: str) -> tuple[str, ...]:
        """What the file says for `url`: proxy URLs and "DIRECT", in the order to try them."""
        with self._lock:
            script = self._loaded()
            if script is None:
                return (DIRECT,)
            try:
                answer = script.find_proxy_for_url(url, urlsplit(url).hostname or "")
            except Exception as error:  # a script that fails for this host: go direct
                log.warning("%s", PAC_UNUSABLE.format(url=self.url, reason=_reason(error)))
                return (DIRECT,)
        return parsed_answer(str(answer or ""))

    def _loaded(self) -> Any:
        if self._script is not None:
            return self._script
        if self._failed_at is not None and time.monotonic() - self._failed_at < PAC_RETRY_SECONDS:
            return None
        try:
            self._script = PacScript(fetch_directly(self.url, self._context))
        except Exception as error:  # unreachable, not a script, or a script that fails
            self._failed_at = time.monotonic()
            log.warning("%s", PAC_UNUSABLE.format(url=self.url, reason=_reason(error)))
            return None
        self._failed_at = None
        return self._script


class PacScript:
    """A PAC file's JavaScript, run by dukpy with pypac's PAC functions (dnsDomainIs, isInNet,
    …). pypac's own `PACFile` cannot be used with dukpy 0.6, which refuses to hand back the
    function value each of its definitions evaluates to ("Invalid Result Value"); here every
    evaluation ends in `null`. Not thread-safe: `PacFile` serialises the calls."""

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

    def find_proxy_for_url(self, url: str, host: str) -> Any:
        return self._context.evaljs(
            "FindProxyForURL(dukpy['url'], dukpy['host'])", url=url, host=host
        )


def parsed_answer(answer: str) -> tuple[str, ...]:
    """`PROXY a:1; SOCKS b:2; DIRECT` as proxy URLs and "DIRECT"; an empty or unreadable answer
    is DIRECT, as in browsers."""
    from pypac.parser import proxy_url

    choices: list[str] = []
    for element in answer.split(";"):
        try:
            choices.append(proxy_url(element.strip()))
        except ValueError:
            if element.strip():
                log.info("The proxy auto-config gave %r, which is not a proxy", element.strip())
    return tuple(choices) or (DIRECT,)


def fetch_directly(url: str, context: ssl.SSLContext | None = None) -> str:
    """The text at `url` (http, https or file), fetched without any proxy."""
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    with opener.open(url, timeout=PAC_FETCH_TIMEOUT) as reply:
        data = reply.read(PAC_MAX_BYTES + 1)
    if len(data) > PAC_MAX_BYTES:
        raise ValueError(PAC_TOO_BIG)
    return str(data.decode("utf-8", errors="replace"))


def _reason(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return " ".join(str(reason).split()) or type(error).__name__


def system_pac_url() -> str:
    """The auto-config file named in Windows' or macOS's proxy settings, or ""."""
    if sys.platform not in ("win32", "darwin"):  # no such setting; pypac is not imported
        return ""
    try:
        from pypac import os_settings

        if os_settings.ON_WINDOWS:
            found = os_settings.autoconfig_url_from_registry()
        elif os_settings.ON_DARWIN:
            found = os_settings.autoconfig_url_from_preferences()
        else:
            return ""
    except Exception as error:  # settings that cannot be read: as if none were set
        log.info("The system's proxy settings could not be read: %s", _reason(error))
        return ""
    if found and "://" not in found:  # Windows allows a plain path to a file
        return "file:" + urllib.request.pathname2url(found)
    return str(found or "")


_pac_files: dict[str, PacFile] = {}
_pac_files_lock = threading.Lock()


def pac_file(url: str, context: ssl.SSLContext | None = None) -> PacFile:
    """The one `PacFile` of this run for `url`, so it is fetched once for every session."""
    with _pac_files_lock:
        return _pac_files.setdefault(url, PacFile(url, context))


@dataclass(frozen=True)
class ProxySettings:
    """The two proxy settings as the user or the policy left them."""

    proxy_url: str = ""
    pac_url: str = ""


class ProxyRouter:
    """The proxies for each request, by the order in the module's doc, and failover among the
    ones a PAC file names. `proxies_for` returns None where `requests` is to decide from the
    environment and the system's settings."""

    def __init__(self, settings: ProxySettings, context: ssl.SSLContext | None = None) -> None:
        self.settings = settings
        self._context = context
        self._lock = threading.Lock()
        self._banned: dict[str, float] = {}
        self._pac: PacFile | None = None
        self._system_pac_url: str | None = None

    def proxies_for(self, url: str) -> dict[str, str] | None:
        chosen = self.proxy_for(url)
        if chosen is None:
            return None
        return {} if chosen == DIRECT else {"http": chosen, "https": chosen}

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL a request to `url` goes through now, DIRECT, or None (requests'
        own choice from the environment)."""
        if self.settings.proxy_url:
            return self.settings.proxy_url
        pac = self._pac_for()
        if pac is None:
            return None
        choices = pac.choices(url)
        with self._lock:
            now = time.monotonic()
            usable = [c for c in choices if self._banned.get(c, 0.0) <= now]
        return (usable or choices[-1:])[0]

    def fail_over(self, url: str) -> bool:
        """The proxy chosen for `url` could not be reached: whether another one follows it
        in the PAC file's answer (the chosen one is then passed over for a while)."""
        pac = None if self.settings.proxy_url else self._pac_for()
        chosen = self.proxy_for(url)
        if pac is None or chosen is None or chosen == DIRECT:
            return False
        choices = pac.choices(url)
        if chosen not in choices or choices.index(chosen) == len(choices) - 1:
            return False
        with self._lock:
            self._banned[chosen] = time.monotonic() + BAN_SECONDS
        log.warning("%s", PROXY_PASSED_OVER.format(proxy=proxy_address(chosen)))
        return True

    def _pac_for(self) -> PacFile | None:
        url = self.settings.pac_url or self._system_pac()
        return pac_file(url, self._context) if url else None

    def _system_pac(self) -> str:
        """The system's PAC file, unless proxy variables in the environment say otherwise."""
        if urllib.request.getproxies_environment():
            return ""
        if self._system_pac_url is None:
            self._system_pac_url = system_pac_url()
        return self._system_pac_url
