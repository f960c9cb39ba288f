"""SOCKS proxies named by a PAC file, the proxy setting or ALL_PROXY, through which the real
reference server is reached over loopback; a SOCKS proxy that refuses is named in one sentence;
and a PAC script that never returns is stopped, so requests go direct.

As in test_api_proxy_pac, the server's name, `learning.hospital.test`, is known only to the
proxy, and a connection or a name lookup anywhere but loopback fails the test.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

import psutil
import pytest
from connect_proxy import TlsFront, serving
from local_servers import hospital_ca
from server_fixture import DEMO_USER, FAST_NETWORK
from socks_proxy import SocksProxy
from test_api_proxy_pac import (  # noqa: F401  (loopback_only: an autouse fixture)
    SERVER_NAME,
    PacServer,
    free_port,
    loopback_only,
    signed_in_name,
)

from desktop_app.api import pac_script
from desktop_app.api.errors import OfflineError
from desktop_app.api.proxies import DIRECT, ProxyRouter, ProxySettings, pac_file, parsed_answer
from desktop_app.setting_specs import SettingError, checked_value, spec_named
from reference_server import ReferenceServer

SOCKS_PAC = """
function FindProxyForURL(url, host) {
    if (host == "%(name)s") return "SOCKS5 %(down)s; SOCKS5 %(up)s";
    return "DIRECT";
}
"""
ENDLESS_CALL = """
function FindProxyForURL(url, host) {
    if (host == "loop.test") { while (true) {} }
    return "PROXY 10.1.1.1:8080";
}
"""
ENDLESS_LOAD = "while (true) {}\nfunction FindProxyForURL(url, host) { return 'DIRECT'; }"


@pytest.fixture
def socks_hospital(reference_server: ReferenceServer, tmp_path: Path) -> Iterator[tuple[Path, Any]]:
    """(the CA file to trust, a factory of SOCKS5 proxies that lead SERVER_NAME to the
    server's TLS front)."""
    ca_file, context = hospital_ca(tmp_path, names=(SERVER_NAME,))
    port = int(reference_server.url.rsplit(":", 1)[1])
    front = TlsFront(context, ("127.0.0.1", port))
    proxies: list[SocksProxy] = []

    def proxy(sign_in: str = "", routes: dict[str, tuple[str, int]] | None = None) -> SocksProxy:
        lead = {f"{SERVER_NAME}:443": ("127.0.0.1", int(front.server_address[1]))}
        made = SocksProxy(lead if routes is None else routes, sign_in)
        threading.Thread(target=made.serve_forever, daemon=True).start()
        proxies.append(made)
        return made

    with serving(front):
        yield ca_file, proxy
    for made in proxies:
        made.shutdown()
        made.server_close()


def test_pac_keywords_become_proxy_urls_in_the_files_order() -> None:
    answer = "PROXY a:1; SOCKS b:2; SOCKS4 c:3; socks5 d:4; HTTPS e:5; DIRECT; BOGUS f:6"
    assert parsed_answer(answer) == (
        "http://a:1",
        "socks4://b:2",
        "socks4://c:3",
        "socks5h://d:4",
        "https://e:5",
        DIRECT,
    )


@pytest.mark.expect_log("desktop_app.api.proxies", "could not be reached")
def test_through_a_pac_file_the_client_reaches_the_server_over_socks5(
    socks_hospital: tuple[Path, Any], caplog: pytest.LogCaptureFixture
) -> None:
    ca_file, make_proxy = socks_hospital
    proxy, down = make_proxy(), f"127.0.0.1:{free_port()}"
    pac = PacServer(SOCKS_PAC % {"name": SERVER_NAME, "down": down, "up": proxy.address})
    config = replace(FAST_NETWORK, ca_bundle=str(ca_file), proxy_pac_url=pac.url)
    with serving(pac), caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert signed_in_name(config) == DEMO_USER
    assert proxy.seen and set(proxy.seen) == {f"{SERVER_NAME}:443"}  # the proxy looks it up
    assert f"The proxy {down} could not be reached" in caplog.text


def test_the_proxy_setting_and_all_proxy_may_name_a_socks_proxy(
    socks_hospital: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ca_file, make_proxy = socks_hospital
    proxy = make_proxy(sign_in="nurse:s3cret")
    config = replace(FAST_NETWORK, ca_bundle=str(ca_file))
    setting = f"socks5h://nurse:s3cret@{proxy.address}"
    assert signed_in_name(replace(config, proxy_url=setting)) == DEMO_USER
    monkeypatch.setenv("ALL_PROXY", setting)
    assert signed_in_name(config) == DEMO_USER
    assert proxy.seen.count(f"{SERVER_NAME}:443") == 2


def test_a_socks_proxy_that_refuses_is_named_in_one_sentence(
    socks_hospital: tuple[Path, Any],
) -> None:
    ca_file, make_proxy = socks_hospital
    config = replace(FAST_NETWORK, ca_bundle=str(ca_file))
    strict, guarded = make_proxy(routes={}), make_proxy(sign_in="nurse:s3cret")
    down = f"127.0.0.1:{free_port()}"
    expected = {
        f"socks5h://{strict.address}": f"The SOCKS proxy {strict.address} did not let Rounds "
        f"through to {SERVER_NAME}: its rules do not allow it; ask IT to let Rounds through.",
        f"socks5h://{guarded.address}": f"The SOCKS proxy {guarded.address} did not let Rounds "
        f"through to {SERVER_NAME}: it asks for a user name and password;",
        f"socks5h://nurse:wrong@{guarded.address}": f"The SOCKS proxy {guarded.address} did not "
        f"let Rounds through to {SERVER_NAME}: it did not accept the user name and password",
        f"socks5h://{down}": f"The SOCKS proxy {down} could not be reached, so Rounds cannot "
        f"reach {SERVER_NAME}.",
    }
    for setting, sentence in expected.items():
        with pytest.raises(OfflineError) as refused:
            signed_in_name(replace(config, proxy_url=setting))
        assert refused.value.message.startswith(sentence)
        assert "wrong" not in refused.value.message
    assert set(strict.seen) == {f"{SERVER_NAME}:443"}


@pytest.mark.expect_log("desktop_app.api.proxies", "took longer than")
@pytest.mark.parametrize("script", [ENDLESS_CALL, ENDLESS_LOAD], ids=["call", "load"])
def test_a_pac_script_that_never_returns_is_stopped_and_requests_go_direct(
    script: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(pac_script, "CALL_SECONDS", 0.5)
    pac = PacServer(script)
    router = ProxyRouter(ProxySettings(pac_url=pac.url))
    this_process = psutil.Process()
    resource_tracker.ensure_running()  # spawn's one helper process for the run, not the script's
    before = {child.pid for child in this_process.children()}
    with serving(pac), caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert router.proxy_for("https://loop.test/a") == DIRECT
        assert router.proxy_for("https://other.test/b") == DIRECT  # the file is not used again
    assert pac.fetches == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"The proxy auto-config file {pac.url} took longer than 0.5 seconds to choose a proxy, "
        "so it was stopped; Rounds connects directly, as browsers do, until Rounds is started "
        "again."
    ]
    after = {child.pid for child in this_process.children()}
    assert after <= before, "the script's process is still running"
    assert this_process.cpu_percent(interval=0.5) < 50, "the process still spins"


@pytest.mark.expect_log("desktop_app.api.proxies", "could not be used")
def test_a_pac_script_whose_process_dies_means_direct_until_it_is_tried_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pac = PacServer(ENDLESS_CALL)
    resource_tracker.ensure_running()
    before = {child.pid for child in psutil.Process().children()}
    with serving(pac), caplog.at_level(logging.WARNING, "desktop_app.api.proxies"):
        assert pac_file(pac.url).choices("https://other.test/b") == ("http://10.1.1.1:8080",)
        for child in psutil.Process().children():
            if child.pid in before:
                continue
            child.kill()
            child.wait(10)
        assert pac_file(pac.url).choices("https://other.test/b") == (DIRECT,)
    assert "the process running it ended" in caplog.text


def test_the_proxy_setting_takes_a_socks_address() -> None:
    spec = spec_named("proxy_url")
    for address in ("socks5h://nurse:s3cret@socks.hospital.test:1080", "socks4://10.1.1.1:1080"):
        assert checked_value(spec, address) == address
    assert checked_value(spec, " ") == ""
    with pytest.raises(SettingError, match="socks5h://"):
        checked_value(spec, "socks6://socks.hospital.test:1080")
