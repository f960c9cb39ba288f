"""Each way a secure connection is refused is told by its true cause, against real TLS
servers on this computer whose certificates the test makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_servers import canned_server, hospital_ca

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import CertificateError
from desktop_app.api.transport import TransportConfig

UNTRUSTED = r"is not trusted by this computer.*ask IT for its CA certificate.*\(ca_bundle\)"
EXPIRED = r"^The certificate of 127\.0\.0\.1:\d+ has expired"
OTHER_NAME = r"^The certificate presented by (127\.0\.0\.1|localhost):\d+ is for another server"


@pytest.mark.parametrize(
    ("trust_the_ca", "names", "expired", "host", "message"),
    [
        (False, ("localhost", "127.0.0.1"), False, "127.0.0.1", UNTRUSTED),
        (True, ("localhost", "127.0.0.1"), True, "127.0.0.1", EXPIRED),
        (True, ("rounds.example.org",), False, "localhost", OTHER_NAME),
        (True, ("rounds.example.org",), False, "127.0.0.1", OTHER_NAME),
    ],
    ids=["untrusted-ca", "expired", "another-host-name", "another-ip-address"],
)
def test_a_refused_certificate_is_told_by_its_cause(
    tmp_path: Path,
    trust_the_ca: bool,
    names: tuple[str, ...],
    expired: bool,
    host: str,
    message: str,
) -> None:
    ca_file, context = hospital_ca(tmp_path, names, expired)
    config = TransportConfig(ca_bundle=str(ca_file) if trust_the_ca else "", retries=0)
    with canned_server(context) as server:
        api = ApiClient(f"https://{host}:{server.server_port}", config=config)
        with pytest.raises(CertificateError, match=message):
            api.sign_in("ana", "pw")
        api.close()
        assert server.seen == []


def test_a_missing_ca_bundle_file_names_the_setting(tmp_path: Path) -> None:
    """The extra CA certificates are read for the first request, and it stops there."""
    missing = tmp_path / "hospital-ca.pem"
    api = ApiClient("https://127.0.0.1:9", config=TransportConfig(ca_bundle=str(missing)))
    with pytest.raises(CertificateError) as refused:
        api.about()
    assert refused.value.message == (
        f"The extra CA certificates chosen in File → Settings… (ca_bundle: {missing}) could not "
        "be used: no such file or directory. Choose another file or clear that setting."
    )


def test_a_ca_bundle_that_holds_no_certificate_names_the_setting(tmp_path: Path) -> None:
    not_a_bundle = tmp_path / "hospital-ca.pem"
    not_a_bundle.write_text("ask IT\n", encoding="utf-8")
    api = ApiClient("https://127.0.0.1:9", config=TransportConfig(ca_bundle=str(not_a_bundle)))
    with pytest.raises(CertificateError, match=r"\(ca_bundle: .*\).*no certificate in PEM"):
        api.about()
