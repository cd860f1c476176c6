"""RFC 3161 time stamps over checkpoints: a time-stamping authority (TSA) signs, at a time of its own clock, the
SHA-256 of a checkpoint's note, so that anyone trusting the TSA knows the book had signed that state by then.

`stamp(url, data)` sends a TimeStampReq over HTTP (RFC 3161 §3.4: POST, `application/timestamp-query`) with a
random nonce and asking for the TSA's certificate, and checks the TimeStampResp it gets: granted, over these bytes
with SHA-256, with our nonce. `verify(token, data, certificate)` checks a stored token against a certificate the
verifier trusts (the TSA's own, or the CA that issued it): the CMS signature, the certificate's time-stamping use,
the imprint. Requests and responses are built and read by `rfc3161-client` (Trail of Bits; Rust over OpenSSL's CMS
verification); the HTTP is the standard library's.

The token kept is the whole TimeStampResp (DER), what `openssl ts -reply` writes as a `.tsr` file:

    openssl ts -verify -data checkpoint.txt -in checkpoint.tsr -CAfile tsa.pem
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from ..core.errors import InputError, MinutebookError

TIMEOUT = 30.0  # seconds for the TSA to answer
MAX_RESPONSE = 1 << 20
SHA256 = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")


class StampError(MinutebookError):
    """A time stamp that could not be had, or does not verify; one line naming the TSA or the token."""


@dataclass(frozen=True, slots=True)
class Stamped:
    token: bytes  # the TimeStampResp, DER
    time: datetime  # the TSA's genTime
    serial: int


def _one_line(e: Exception) -> str:
    text = " ".join(str(e).split())
    for marker in ('reason: "', "data: "):  # OpenSSL's error stack: its first reason says it
        if marker in text:
            tail = text.split(marker, 1)[1]
            return tail.split('"', 2)[1 if tail.startswith('"') else 0].strip() or text[:200]
    return text[:200]


def stamp(url: str, data: bytes, timeout: float = TIMEOUT) -> Stamped:
    """Have the TSA at `url` stamp `data`; the token, checked to be over `data` and to answer this request."""
    if not url.startswith(("http://", "https://")):
        raise InputError(f"--tsa: {url!r} is not an http:// or https:// URL")
    req = (
        TimestampRequestBuilder()
        .data(data)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http = urllib.request.Request(
        url,
        data=req.as_bytes(),
        method="POST",
        headers={"Content-Type": "application/timestamp-query", "Accept": "application/timestamp-reply"},
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as r:  # noqa: S310 - the user's own TSA URL
            body = r.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as e:
        raise StampError(f"{url}: the time-stamping authority answered HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        why = getattr(e, "reason", None) or e
        raise StampError(f"{url}: cannot reach the time-stamping authority: {why}") from None
    if len(body) > MAX_RESPONSE:
        raise StampError(f"{url}: the answer is over {MAX_RESPONSE:,} bytes: not a time-stamp response")
    try:
        resp = decode_timestamp_response(body)
    except Exception as e:  # noqa: BLE001 - the parser raises ValueError or its own types
        raise StampError(
            f"{url}: the answer is not an RFC 3161 time-stamp response ({_one_line(e)})"
        ) from None
    if resp.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        said = "; ".join(resp.status_string) if resp.status_string else ""
        raise StampError(
            f"{url}: the time-stamping authority refused (status {resp.status}{': ' + said if said else ''})"
        )
    info = resp.tst_info
    if (
        info.message_imprint.hash_algorithm != SHA256
        or info.message_imprint.message != hashlib.sha256(data).digest()
    ):
        raise StampError(f"{url}: the time stamp is not over the checkpoint (its message imprint differs)")
    if info.nonce != req.nonce:
        raise StampError(f"{url}: the time stamp does not answer this request (its nonce differs)")
    return Stamped(body, info.gen_time, info.serial_number)


def load_certificate(data: bytes, name: str) -> x509.Certificate:
    """A certificate from PEM or DER bytes; `InputError` naming `name` otherwise."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise InputError(f"{name}: not an X.509 certificate (PEM or DER)") from None


def verify(token: bytes, data: bytes, certificate: x509.Certificate | bytes) -> Stamped:
    """That `token` (a TimeStampResp) is a time stamp over `data` by a TSA `certificate` vouches for (the TSA's
    own certificate, or the CA's that issued it); `StampError` saying what fails otherwise."""
    cert = (
        certificate
        if isinstance(certificate, x509.Certificate)
        else load_certificate(certificate, "certificate")
    )
    try:
        resp = decode_timestamp_response(token)
    except Exception as e:  # noqa: BLE001
        raise StampError(f"the time-stamp token cannot be read ({_one_line(e)})") from None
    try:
        VerifierBuilder(roots=[cert]).build().verify_message(resp, data)
    except (VerificationError, ValueError) as e:
        msg = _one_line(e)
        if "Mismatch between messages" in str(e):
            msg = "it is not over this checkpoint (its message imprint differs)"
        raise StampError(f"the time-stamp token does not verify: {msg}") from None
    return Stamped(token, resp.tst_info.gen_time, resp.tst_info.serial_number)
