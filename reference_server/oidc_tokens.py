"""OpenID Connect ID tokens: the signature by the provider's published keys, and the claims.

Only the asymmetric algorithms a provider signs with for a confidential or public client are
taken (RS256, ES256); `none` and the HMAC ones are refused, whatever the header says. The
signature is checked before any claim is read, then the issuer, the audience (and `azp` when
there are several), the expiry and the nonce the client put in its authorization request.
"""

from __future__ import annotations

import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from reference_server import b64url

CLOCK_LEEWAY = timedelta(seconds=60)
ALGORITHMS = ("RS256", "ES256")


class IdTokenError(ValueError):
    """The ID token is not one this server takes; the message is one sentence saying why."""


class UnknownKey(IdTokenError):
    """The token names a key the provider's key set (as last fetched) does not have."""


@dataclass(frozen=True)
class IdClaims:
    """Who the provider says signed in."""

    issuer: str
    subject: str
    name: str
    preferred_username: str
    email: str
    email_verified: bool = False  # the provider vouches that `email` is the person's


@dataclass(frozen=True)
class Expected:
    """What the claims must say for this server and this sign-in."""

    issuer: str
    client_id: str
    nonce: str
    now: datetime


def _b64(part: str) -> bytes:
    try:
        return b64url.decode(part)
    except (binascii.Error, ValueError) as error:
        raise IdTokenError("The ID token is not a JSON Web Token.") from error


def _json_part(part: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64(part))
    except (ValueError, UnicodeDecodeError) as error:
        raise IdTokenError("The ID token is not a JSON Web Token.") from error
    if not isinstance(value, dict):
        raise IdTokenError("The ID token is not a JSON Web Token.")
    return value


def _int(member: str) -> int:
    return int.from_bytes(_b64(member), "big")


def _public_key(jwk: Mapping[str, Any], alg: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    try:
        if alg == "RS256" and jwk.get("kty") == "RSA":
            return rsa.RSAPublicNumbers(_int(jwk["e"]), _int(jwk["n"])).public_key()
        if alg == "ES256" and jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            numbers = ec.EllipticCurvePublicNumbers(_int(jwk["x"]), _int(jwk["y"]), ec.SECP256R1())
            return numbers.public_key()
    except (KeyError, TypeError, ValueError) as error:
        raise IdTokenError("The provider's signing key is malformed.") from error
    raise IdTokenError(f"The provider's key does not fit the token's algorithm {alg}.")


def _key_for(header: Mapping[str, Any], jwks: Mapping[str, Any]) -> Mapping[str, Any]:
    keys = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("use", "sig") == "sig"]
    kid = header.get("kid")
    if kid is not None:
        keys = [k for k in keys if k.get("kid") == kid]
    if len(keys) != 1:
        raise UnknownKey("The ID token is signed by a key the provider does not publish.")
    return keys[0]


def verified_payload(token: str, jwks: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of `token` if one of `jwks`'s keys signed it, else IdTokenError."""
    parts = token.split(".")
    if len(parts) != 3:
        raise IdTokenError("The ID token is not a JSON Web Token.")
    header = _json_part(parts[0])
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise IdTokenError(f"The ID token's algorithm {alg!r} is not taken (RS256 or ES256).")
    key = _public_key(_key_for(header, jwks), str(alg))
    signed = f"{parts[0]}.{parts[1]}".encode("ascii")
    signature = _b64(parts[2])
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
        else:
            if len(signature) != 64:
                raise IdTokenError("The ID token's signature is not valid.")
            r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise IdTokenError("The ID token's signature is not valid.") from error
    return _json_part(parts[1])


def checked_claims(payload: Mapping[str, Any], expected: Expected) -> IdClaims:
    """The claims, if the token was issued by the provider, to this server, for this sign-in,
    and has not expired."""
    if payload.get("iss") != expected.issuer:
        raise IdTokenError("The ID token was issued by another provider.")
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or expected.client_id not in audiences:
        raise IdTokenError("The ID token was issued for another application.")
    if len(audiences) > 1 and payload.get("azp") != expected.client_id:
        raise IdTokenError("The ID token was issued for another application.")
    expiry = payload.get("exp")
    if not isinstance(expiry, int | float) or isinstance(expiry, bool):
        raise IdTokenError("The ID token has no expiry.")
    if expected.now.timestamp() > expiry + CLOCK_LEEWAY.total_seconds():
        raise IdTokenError("The ID token has expired.")
    if payload.get("nonce") != expected.nonce:
        raise IdTokenError("The ID token was issued for another sign-in (its nonce differs).")
    subject = payload.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= 255:
        raise IdTokenError("The ID token names no subject.")
    return IdClaims(
        issuer=expected.issuer,
        subject=subject,
        name=_text(payload, "name"),
        preferred_username=_text(payload, "preferred_username"),
        email=_text(payload, "email"),
        email_verified=payload.get("email_verified") in (True, "true"),
    )


def _text(payload: Mapping[str, Any], claim: str) -> str:
    value = payload.get(claim)
    return value.strip()[:256] if isinstance(value, str) else ""
