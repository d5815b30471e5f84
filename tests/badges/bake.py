"""Build badge files for tests: baked PNG and SVG images, assertions, credentials.

Everything is made here, byte by byte where it matters (a truncated PNG, a bomb that
declares a huge size), so no test depends on a file fetched from elsewhere.
"""

import base64
import datetime as dt
import io
import json
import struct
import zlib

from pixoffice.badges.openbadges import identity_hash

ISSUER = "https://mooc-ia.example.fr/issuer"
BADGE_CLASS = "https://mooc-ia.example.fr/badges/ia-fondamentaux"
SALT = "sel-de-test"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(chunk_type: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body))
        + chunk_type
        + body
        + struct.pack(">I", zlib.crc32(chunk_type + body))
    )


def itxt(keyword: str, text: str, *, compressed: bool = False) -> bytes:
    data = text.encode("utf-8")
    if compressed:
        data = zlib.compress(data)
    return chunk(
        b"iTXt", keyword.encode("latin-1") + b"\0" + bytes([int(compressed), 0]) + b"\0\0" + data
    )


def text_chunk(keyword: str, text: str) -> bytes:
    return chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1"))


def plain_png(size: int = 48) -> bytes:
    """A real picture (Pillow draws it), not baked."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (11, 79, 138, 255))
    ImageDraw.Draw(image).ellipse((6, 6, size - 6, size - 6), fill=(255, 200, 0, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def insert_chunks(png: bytes, *chunks: bytes, at_end: bool = False) -> bytes:
    """``png`` with ``chunks`` right after IHDR (as bakers do), or just before IEND."""
    if at_end:
        return png[:-12] + b"".join(chunks) + png[-12:]
    ihdr_end = 8 + 12 + struct.unpack(">I", png[8:12])[0]
    return png[:ihdr_end] + b"".join(chunks) + png[ihdr_end:]


def bake_png(
    assertion: dict | str,
    *,
    keyword: str = "openbadges",
    at_end: bool = False,
    compressed: bool = False,
    base: bytes | None = None,
) -> bytes:
    text = assertion if isinstance(assertion, str) else json.dumps(assertion)
    return insert_chunks(
        base or plain_png(), itxt(keyword, text, compressed=compressed), at_end=at_end
    )


def bomb_png(width: int = 100_000, height: int = 100_000) -> bytes:
    """A few hundred bytes that declare a gigantic image (and a baked assertion)."""
    ihdr = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    idat = chunk(b"IDAT", zlib.compress(b"\0" * 1024))
    return (
        PNG_SIGNATURE
        + ihdr
        + itxt("openbadges", json.dumps(assertion("a@etu.univ-exemple.fr")))
        + idat
        + chunk(b"IEND", b"")
    )


def bake_svg(
    assertion: dict | str | None = None,
    *,
    verify: str | None = None,
    element: str = "openbadges:assertion",
    namespace: str = "http://openbadges.org",
) -> bytes:
    body = ""
    if assertion is not None:
        text = assertion if isinstance(assertion, str) else json.dumps(assertion, indent=1)
        body = f"<![CDATA[{text}]]>"
    verify_attribute = f' verify="{verify}"' if verify else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{namespace}" '
        'width="120" height="120" viewBox="0 0 120 120">\n'
        f"  <{element}{verify_attribute}>{body}</{element}>\n"
        '  <circle cx="60" cy="60" r="50" fill="#0b4f8a"/>\n'
        "</svg>\n"
    ).encode()


def assertion(
    email: str,
    *,
    salt: str = SALT,
    algorithm: str = "sha256",
    hashed: bool = True,
    issuer: str = ISSUER,
    badge: str = BADGE_CLASS,
    embed_badge: bool = True,
    issued_on: str = "2026-11-20T10:00:00+01:00",
    expires: str | None = None,
    verification: str = "hosted",
) -> dict:
    """An Open Badges 2.0 assertion for ``email``."""
    identity = identity_hash(email, salt, algorithm) if hashed else email
    recipient = {"type": "email", "hashed": hashed, "identity": identity}
    if hashed:
        recipient["salt"] = salt
    data = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://mooc-ia.example.fr/assertions/4f1c2d",
        "recipient": recipient,
        "badge": {
            "id": badge,
            "type": "BadgeClass",
            "name": "IA — Fondamentaux",
            "issuer": {"id": issuer, "type": "Profile", "name": "MOOC IA pour tous"},
        }
        if embed_badge
        else badge,
        "verification": {"type": verification},
        "issuedOn": issued_on,
    }
    if expires:
        data["expires"] = expires
    return data


def credential_ob3(email: str, *, salt: str = SALT) -> dict:
    """An Open Badges 3.0 credential (its proof is not checked: we only read it)."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:2b0f1b6e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": ISSUER, "type": ["Profile"], "name": "MOOC IA pour tous"},
        "validFrom": "2026-11-20T10:00:00Z",
        "validUntil": "2029-11-20T10:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(email, salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": salt,
                }
            ],
            "achievement": {
                "id": BADGE_CLASS,
                "type": ["Achievement"],
                "name": "IA — Fondamentaux",
            },
        },
        "proof": [{"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}],
    }


def jws(payload: dict) -> str:
    """A compact JWS (its signature is junk: it cannot be checked offline anyway)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "RS256"}).encode())
    return f"{header}.{part(json.dumps(payload).encode())}.{part(b'signature')}"


def moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
