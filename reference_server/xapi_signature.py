"""Signed statements (xAPI 1.0.3 Part Two 2.6): the JWS in a statement's signature attachment
must be a compact JWS signed with RS256, RS384 or RS512 whose payload is the statement as it
was before the signature was added; with an x5c certificate chain in its header, the signature
is verified with the first certificate's public key, each certificate of the chain having been
issued by the next."""

from __future__ import annotations

import base64
import binascii
import json
from itertools import pairwise
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from reference_server import b64url
from reference_server.xapi_compare import comparable
from reference_server.xapi_validation import StatementError, validate_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_TYPE = "application/octet-stream"
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


class SignatureError(ValueError):
    """The signature attachment does not sign this statement."""


def _b64url(text: str) -> bytes:
    try:
        return b64url.decode(text)
    except (binascii.Error, ValueError):
        raise SignatureError("the JWS is not base64url encoded") from None


def _json_part(text: str, what: str) -> Any:
    try:
        return json.loads(_b64url(text))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise SignatureError(f"the JWS {what} is not JSON") from None


def _certificates(chain: Any) -> list[x509.Certificate]:
    """The x5c chain (RFC 7515 4.1.6): each certificate issued by the next one."""
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise SignatureError("x5c must be a list of base64 certificates")
    try:
        certificates = [
            x509.load_der_x509_certificate(base64.b64decode(text, validate=True)) for text in chain
        ]
    except (binascii.Error, ValueError):
        raise SignatureError("an x5c certificate cannot be read") from None
    for certificate, issuer in pairwise(certificates):
        try:
            certificate.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise SignatureError("the x5c certificates do not form a chain") from None
    return certificates


def _public_key(chain: Any) -> rsa.RSAPublicKey:
    key = _certificates(chain)[0].public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("the x5c certificate does not hold an RSA key")
    return key


def _unsigned(statement: dict[str, Any]) -> dict[str, Any]:
    """The statement without its signature attachment (and without attachments if that was
    the only one), as it was when it was signed."""
    kept = [
        attachment
        for attachment in statement.get("attachments", [])
        if not (isinstance(attachment, dict) and attachment.get("usageType") == SIGNATURE_USAGE)
    ]
    unsigned = {key: value for key, value in statement.items() if key != "attachments"}
    if kept:
        unsigned["attachments"] = kept
    return unsigned


def _same_statement(payload: Any, statement: dict[str, Any]) -> bool:
    try:
        original = validate_statement(payload, "signed statement")
    except StatementError:
        return False
    original = _unsigned(original)
    received = _unsigned(statement)
    if "id" not in original:
        received.pop("id", None)
    return comparable(original) == comparable(received)


def verify_signature(statement: dict[str, Any], jws: bytes) -> None:
    """Raises SignatureError unless `jws` is a valid signature of `statement`."""
    try:
        text = jws.decode("ascii").strip()
    except UnicodeDecodeError:
        raise SignatureError("the signature is not a compact JWS") from None
    pieces = text.split(".")
    if len(pieces) != 3 or not all(pieces):
        raise SignatureError("the signature is not a compact JWS")
    header = _json_part(pieces[0], "header")
    if not isinstance(header, dict) or header.get("alg") not in _HASHES:
        raise SignatureError("the JWS algorithm must be RS256, RS384 or RS512")
    if not _same_statement(_json_part(pieces[1], "payload"), statement):
        raise SignatureError("the JWS payload is not this statement")
    if "x5c" in header:
        key = _public_key(header["x5c"])
        signed = f"{pieces[0]}.{pieces[1]}".encode("ascii")
        try:
            key.verify(_b64url(pieces[2]), signed, padding.PKCS1v15(), _HASHES[header["alg"]]())
        except InvalidSignature:
            raise SignatureError("the JWS signature does not verify") from None
