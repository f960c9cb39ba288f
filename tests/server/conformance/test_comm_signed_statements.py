"""xAPI 1.0.3 Part Two 2.6 Signed Statements, as the statement resource receives them: the
JWS signature attachment is checked and an invalid one is refused with 400."""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from ..testkit import Api, assert_problem
from .conftest import statement
from .multipart import Raw, attachment, multipart, read_multipart

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
_HASHES = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class Signer:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def jws(
        self, payload: Any, alg: str = "RS256", x5c: bool = True, chain: tuple[Signer, ...] = ()
    ) -> bytes:
        header: dict[str, Any] = {"alg": alg}
        if x5c:
            certificates = [self.certificate, *(signer.certificate for signer in chain)]
            header["x5c"] = [
                base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode()
                for c in certificates
            ]
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(payload).encode())}"
        )
        digest = _HASHES.get(alg, hashes.SHA256())
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), digest)
        return f"{signing_input}.{_b64url(signature)}".encode()


def _signer(name: str, issuer: Signer | None = None) -> Signer:
    """A key and its certificate, self-signed or issued by `issuer`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(issuer.key if issuer else key, hashes.SHA256())
    )
    return Signer(key, certificate)


@pytest.fixture(scope="module")
def signers() -> tuple[Signer, Signer]:
    return _signer("Rounds test signer"), _signer("Someone else")


def _signed(original: dict[str, Any], jws: bytes, **described: Any) -> tuple[dict[str, Any], Raw]:
    raw = Raw(jws, "application/octet-stream")
    signature = attachment(raw, usageType=SIGNATURE, display={"en-US": "Signature"}, **described)
    return {**original, "attachments": [*original.get("attachments", []), signature]}, raw


def _post(lrs: Api, item: dict[str, Any], raw: Raw) -> Any:
    content, content_type = multipart(item, raw)
    return lrs.xapi("POST", data=content, headers={"Content-Type": content_type})


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_2_6_a_valid_signature_is_accepted_and_returned(
    lrs: Api, signers: tuple[Signer, Signer], alg: str
) -> None:
    """2.6: A Signed Statement MUST include a JWS as an Attachment with usageType
    http://adlnet.gov/expapi/attachments/signature and contentType application/octet-stream;
    its payload is the Statement before the signature was added; RS256, RS384 or RS512."""
    original = statement()
    item, raw = _signed(original, signers[0].jws(original, alg))
    response = _post(lrs, item, raw)
    assert response.status_code == 200, response.text
    got = lrs.xapi("GET", params={"statementId": item["id"], "attachments": "true"})
    parts = read_multipart(got.content, got.headers["Content-Type"])
    assert parts[1][1] == raw.content


def test_2_6_an_x5c_chain_to_the_issuer_is_accepted(
    lrs: Api, signers: tuple[Signer, Signer]
) -> None:
    """2.6: the JWS header's x5c holds the associated certificate chain (RFC 7515 4.1.6: each
    certificate certified by the next)."""
    issuer = signers[1]
    leaf = _signer("Rounds ward device", issuer)
    original = statement()
    item, raw = _signed(original, leaf.jws(original, chain=(issuer,)))
    assert _post(lrs, item, raw).status_code == 200


def test_2_6_without_x5c_the_payload_is_still_compared(
    lrs: Api, signers: tuple[Signer, Signer]
) -> None:
    """2.6: the x5c certificate chain is optional (SHOULD); the payload must still be the
    statement."""
    original = statement()
    item, raw = _signed(original, signers[0].jws(original, x5c=False))
    assert _post(lrs, item, raw).status_code == 200
    altered = statement()
    item, raw = _signed(
        altered, signers[0].jws({**altered, "verb": {"id": "http://x.example/v"}}, x5c=False)
    )
    assert_problem(_post(lrs, item, raw), 400)


def _invalid(
    signers: tuple[Signer, Signer],
) -> list[tuple[str, dict[str, Any], bytes, dict[str, Any]]]:
    mine, other = signers
    original = statement()
    tampered = {**original, "result": {"success": True}}
    forged = mine.jws(original)
    header, payload, _ = forged.decode().split(".")
    other_der = base64.b64encode(
        other.certificate.public_bytes(serialization.Encoding.DER)
    ).decode()
    swapped = _b64url(json.dumps({"alg": "RS256", "x5c": [other_der]}).encode())
    signature_of_other = other.jws(original).decode().split(".")[2]
    return [
        ("payload is another statement", original, mine.jws(tampered), {}),
        (
            "signature does not verify",
            original,
            f"{header}.{payload}.{signature_of_other}".encode(),
            {},
        ),
        (
            "x5c is someone else's",
            original,
            f"{swapped}.{payload}.{forged.decode().split('.')[2]}".encode(),
            {},
        ),
        ("HS256", original, mine.jws(original, "HS256"), {}),
        ("not a JWS", original, b"this is not a signature", {}),
        ("wrong contentType", original, forged, {"contentType": "application/jose"}),
        ("x5c is not a chain", original, mine.jws(original, chain=(other,)), {}),
    ]


@pytest.mark.parametrize(
    "case",
    range(7),
    ids=[
        "payload-differs",
        "bad-signature",
        "foreign-x5c",
        "hs256",
        "not-jws",
        "content-type",
        "broken-chain",
    ],
)
def test_2_6_an_invalid_signature_is_400(
    lrs: Api, signers: tuple[Signer, Signer], case: int
) -> None:
    """2.6 LRS Requirements: The LRS MUST reject requests to store Statements that contain
    malformed signatures, with 400 Bad Request; nothing is stored."""
    name, original, jws, described = _invalid(signers)[case]
    item, raw = _signed(original, jws, **described)
    assert_problem(_post(lrs, item, raw), 400)
    assert lrs.xapi("GET", params={"statementId": item["id"]}).status_code == 404, name
    signed, raw = _signed(original, signers[0].jws(original))
    assert _post(lrs, signed, raw).status_code == 200
