"""A time-stamping authority of the tests' own (RFC 3161), so that `checkpoint --tsa` is tested with no network:
a throwaway ECDSA P-256 key and a self-signed certificate for it (extended key usage id-kp-timeStamping, critical,
as RFC 3161 §2.3 asks), and an HTTP server on 127.0.0.1 in a thread that answers each TimeStampReq with a real
TimeStampResp: a TSTInfo over the request's imprint and nonce, in CMS SignedData signed with that key (signed
attributes: content type, message digest, ESS signing-certificate-v2). Built with asn1crypto and cryptography.

`mode` makes it misbehave, one way at a time: "refuse" (status rejection), "garbage" (not DER), "nonce" (another
nonce), "imprint" (another hash), "http500".
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import cms, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POLICY = "1.3.6.1.4.1.99999.17"  # a private-use-looking arc: the tests' policy


def self_signed(name: str = "minutebook test TSA") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


class TestTSA:
    """`with TestTSA() as tsa:` a TSA answering at `tsa.url`; `tsa.cert_pem` its certificate; `tsa.requests` how
    many it answered."""

    __test__ = False  # not a test class

    def __init__(self, mode: str = "ok"):
        self.mode = mode
        self.key, self.cert = self_signed()
        self.cert_der = self.cert.public_bytes(serialization.Encoding.DER)
        self.cert_pem = self.cert.public_bytes(serialization.Encoding.PEM)
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None

    def __enter__(self) -> TestTSA:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                tsa.requests += 1
                if tsa.mode == "http500":
                    self.send_error(500, "TSA down")
                    return
                answer = tsa.respond(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/tsa"

    def respond(self, request_der: bytes) -> bytes:
        """The TimeStampResp (DER) to a TimeStampReq."""
        if self.mode == "garbage":
            return b"this is not DER"
        if self.mode == "refuse":
            # TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken OPTIONAL }: the status alone
            # (asn1crypto's TimeStampResp requires the token, so the SEQUENCE is written here)
            status = tsp.PKIStatusInfo(
                {"status": "rejection", "status_string": ["policy not accepted"]}
            ).dump()
            return b"\x30" + _der_length(len(status)) + status
        req = tsp.TimeStampReq.load(request_der)
        imprint = req["message_imprint"]
        if self.mode == "imprint":
            imprint = tsp.MessageImprint(
                {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "hashed_message": hashlib.sha256(b"other").digest(),
                }
            )
        nonce = req["nonce"].native
        if self.mode == "nonce" and nonce is not None:
            nonce += 1
        info = {
            "version": "v1",
            "policy": POLICY,
            "message_imprint": imprint,
            "serial_number": int.from_bytes(os.urandom(8), "big"),
            "gen_time": datetime.now(UTC).replace(microsecond=0),
        }
        if nonce is not None:
            info["nonce"] = nonce
        tst = tsp.TSTInfo(info)
        acert = ax509.Certificate.load(self.cert_der)
        attrs = cms.CMSAttributes(
            [
                {"type": "content_type", "values": ["tst_info"]},
                {"type": "message_digest", "values": [hashlib.sha256(tst.dump()).digest()]},
                {
                    "type": "signing_certificate_v2",
                    "values": [{"certs": [{"cert_hash": hashlib.sha256(self.cert_der).digest()}]}],
                },
            ]
        )
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier(
                    {
                        "issuer_and_serial_number": {
                            "issuer": acert.issuer,
                            "serial_number": acert.serial_number,
                        }
                    }
                ),
                "digest_algorithm": {"algorithm": "sha256"},
                "signed_attrs": attrs,
                "signature_algorithm": {"algorithm": "sha256_ecdsa"},
                "signature": self.key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256())),
            }
        )
        signed = cms.SignedData(
            {
                "version": "v3",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {"content_type": "tst_info", "content": tst},
                "certificates": [acert],
                "signer_infos": [signer],
            }
        )
        token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
        return tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()
