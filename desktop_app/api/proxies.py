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
so, and it is tried again after `PAC_RETRY_SECONDS`. Its script runs in a child process
(`desktop_app.api.pac_script`): one that takes longer than 2 seconds to answer is stopped, one
log line says so, and requests go direct until Rounds is started again. Its answer
`PROXY a; SOCKS5 b; DIRECT` is tried in order: a proxy that cannot be reached is passed over
for `BAN_SECONDS`. A SOCKS proxy, from any of the three, is used through PySocks.

pypac is imported only when a PAC file is used, in that child. Its public-suffix lookup
(tldextract), which would fetch a list from the internet, serves only WPAD, never used here.
"""

from __future__ import annotations

import logging
import ssl
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop_app.api import pac_script
from desktop_app.api.pac_script import PacProcess, PacTimeout
from desktop_app.text import translate

log = logging.getLogger(__name__)

DIRECT = "DIRECT"
# A PAC answer's keywords as proxy URL schemes, as Chromium and Windows read them: SOCKS is
# version 4, which carries an address, so this computer looks the name up; with SOCKS5 the
# proxy does (socks5h), as in browsers, so names only the hospital's network knows still work.
PAC_SCHEMES = {
    "PROXY": "http",
    "HTTP": "http",
    "HTTPS": "https",
    "SOCKS": "socks4",
    "SOCKS4": "socks4",
    "SOCKS5": "socks5h",
}
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
PAC_TOO_SLOW = translate(
    "errors",
    "The proxy auto-config file {url} took longer than {seconds} seconds to choose a proxy, so "
    "it was stopped; Rounds connects directly, as browsers do, until Rounds is started again.",
)


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
        self._script: PacProcess | None = None
        self._failed_at: float | None = None
        self._stopped = False

    def choices(self, url: str) -> tuple[str, ...]:
        """What the file says for `url`: proxy URLs and "DIRECT", in the order to try them."""
        with self._lock:
            script = self._loaded()
            if script is None:
                return (DIRECT,)
            try:
                answer = script.find_proxy_for_url(url, urlsplit(url).hostname or "")
            except PacTimeout:
                self._stop(script)
                return (DIRECT,)
            except ChildProcessError as error:  # started again after PAC_RETRY_SECONDS
                self._script, self._failed_at = None, time.monotonic()
                log.warning("%s", PAC_UNUSABLE.format(url=self.url, reason=_reason(error)))
                return (DIRECT,)
            except ValueError as error:  # a script that fails for this host: go direct
                log.warning("%s", PAC_UNUSABLE.format(url=self.url, reason=_reason(error)))
                return (DIRECT,)
        return parsed_answer(answer)

    def _loaded(self) -> PacProcess | None:
        if self._script is not None or self._stopped:
            return self._script
        if self._failed_at is not None and time.monotonic() - self._failed_at < PAC_RETRY_SECONDS:
            return None
        try:
            self._script = PacProcess(fetch_directly(self.url, self._context))
        except PacTimeout:
            self._stop(None)
            return None
        except Exception as error:  # unreachable, not a script, or a script that fails
            self._failed_at = time.monotonic()
            log.warning("%s", PAC_UNUSABLE.format(url=self.url, reason=_reason(error)))
            return None
        self._failed_at = None
        return self._script

    def _stop(self, script: PacProcess | None) -> None:
        """The script took too long: its process is gone, and it is not used again this run."""
        if script is not None:
            script.close()
        self._script, self._stopped = None, True
        seconds = f"{pac_script.CALL_SECONDS:g}"
        log.warning("%s", PAC_TOO_SLOW.format(url=self.url, seconds=seconds))


def parsed_answer(answer: str) -> tuple[str, ...]:
    """`PROXY a:1; SOCKS5 b:2; DIRECT` as proxy URLs and "DIRECT", in the file's order; an empty
    or unreadable answer is DIRECT, as in browsers. Each keyword becomes the scheme `requests`
    knows (`PAC_SCHEMES`)."""
    choices: list[str] = []
    for element in answer.split(";"):
        words = element.split()
        if len(words) == 1 and words[0].upper() == DIRECT:
            choices.append(DIRECT)
        elif len(words) == 2 and words[0].upper() in PAC_SCHEMES:
            choices.append(f"{PAC_SCHEMES[words[0].upper()]}://{words[1]}")
        elif words:
            log.info("The proxy auto-config gave %r, which is not a proxy", element.strip())
    return tuple(choices) or (DIRECT,)


def is_socks(proxy_url: str) -> bool:
    """Whether `proxy_url` names a SOCKS proxy (socks4://, socks4a://, socks5://, socks5h://)."""
    return urlsplit(proxy_url).scheme.lower().startswith("socks")


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
