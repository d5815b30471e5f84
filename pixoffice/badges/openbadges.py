"""Open Badges read and checked offline: the uploaded bytes in, the assertion and French
reasons out. Knows no Django and never uses the network.

The files (a baked PNG or SVG, or the assertion file) are read by ``badge_files``;
the baked text is an Open Badges 2.0 (or 1.x, 0.5) assertion, a signed one (compact
JWS), only the URL of a hosted assertion, or a 3.0 credential.

What can be checked without the network: the recipient (a hashed identity
``sha256$…``/``md5$…`` of an email plus its salt, or a plain one) against the
student's addresses, the issuer and the badge against an allow-list, the dates.
What cannot: fetching a hosted assertion to compare it with the baked copy, a
signature or a 3.0 proof (the issuer's key is online), revocation lists. A badge
whose trust depends on those goes to a person, with the reason.

A file that cannot be read raises ``FileRefused`` (a French message, nothing kept);
a badge that can be read gets a ``BadgeReading``; ``check_badge`` lists the French
reasons it needs a person (none: verified automatically).

No maintained library fits: ``openbadges-validator-core``/``badgecheck`` verify by
fetching over the network and pin old dependencies; ``openbadges-bakery`` (2021)
parses SVG with the standard library's unguarded XML parser and checks no size.
"""

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence

from .assertions import (
    CLOCK_SKEW,
    NO_ISSUE_DATE,
    NO_RECIPIENT,
    NO_TRUSTED,
    PARIS,
    RECIPIENT_MISMATCH,
    REVOKED,
    BadgeReading,
    Recipient,
    TrustedEntry,
    Verification,
    read_badge,
)
from .badge_files import MAX_PIXELS

# --- checking ------------------------------------------------------------------------------


def identity_hash(email: str, salt: str = "", algorithm: str = "sha256") -> str:
    """The hashed identity an issuer writes for ``email``: ``sha256$<hex of email+salt>``."""
    digest = hashlib.new(algorithm, (email + salt).encode("utf-8"), usedforsecurity=False)
    return f"{algorithm}${digest.hexdigest()}"


def recipient_matches(recipient: Recipient, emails: Iterable[str]) -> bool:
    """Whether the (hashed or plain) email identity is one of ``emails``, ignoring case."""
    candidates = {e.strip() for e in emails if e and e.strip()}
    candidates |= {e.lower() for e in candidates}
    identity = recipient.identity.strip()
    if not recipient.hashed:
        return identity.lower() in {e.lower() for e in candidates}
    algorithm, _, expected = identity.partition("$")
    algorithm = algorithm.lower()
    if algorithm not in ("sha256", "md5") or not expected:
        return False
    return any(
        hmac.compare_digest(
            identity_hash(email, recipient.salt, algorithm).partition("$")[2], expected.lower()
        )
        for email in candidates
    )


def _same(a: str, b: str) -> bool:
    return bool(a) and a.strip().rstrip("/") == b.strip().rstrip("/")


def trust_reason(reading: BadgeReading, trusted: Sequence[TrustedEntry]) -> str | None:
    """Why the issuer or badge is not on the allow-list; ``None`` if it is."""
    if not trusted:
        return NO_TRUSTED
    issuer, badge = reading.issuer_id, reading.badge_id
    for entry in trusted:
        issuer_ok = _same(issuer, entry.issuer_id)
        if entry.badge_id and _same(badge, entry.badge_id) and (issuer_ok or not issuer):
            return None  # the badge itself is allowed (its issuer is implied if absent)
        if not entry.badge_id and issuer_ok:
            return None  # any badge of this issuer
    badge_label = f"« {reading.badge_name} » ({badge})" if reading.badge_name else f"« {badge} »"
    if not issuer:
        return (
            f"l'émetteur du badge n'est pas indiqué dans le fichier et ce badge {badge_label} "
            "n'est pas dans la liste des badges reconnus"
            if badge
            else "le badge n'indique ni son émetteur ni son identifiant"
        )
    if not any(_same(issuer, entry.issuer_id) for entry in trusted):
        name = f"« {reading.issuer_name} » " if reading.issuer_name else ""
        return f"l'émetteur {name}({issuer}) n'est pas dans la liste des émetteurs reconnus"
    return f"ce badge {badge_label} n'est pas l'un des badges reconnus de cet émetteur"


def _day(moment: dt.datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y")


def check_badge(
    reading: BadgeReading,
    *,
    emails: Iterable[str],
    trusted: Sequence[TrustedEntry],
    now: dt.datetime,
) -> list[str]:
    """The French reasons this badge needs a person; empty: verified automatically."""
    reasons = list(reading.notes)
    if reading.verification == "reference":
        return reasons  # nothing else can be read offline
    if reading.recipient is None or not reading.recipient.identity:
        reasons.append(NO_RECIPIENT)
    elif reading.recipient.type.lower() != "email":
        reasons.append(
            f"le destinataire est désigné par « {reading.recipient.type} » et non par une "
            "adresse électronique"
        )
    elif not recipient_matches(reading.recipient, emails):
        reasons.append(RECIPIENT_MISMATCH)
    trust = trust_reason(reading, trusted)
    if trust:
        reasons.append(trust)
    if reading.issued_on is None:
        reasons.append(NO_ISSUE_DATE)
    elif reading.issued_on > now + CLOCK_SKEW:
        reasons.append(f"la date d'émission du badge ({_day(reading.issued_on)}) est dans le futur")
    if reading.expires_on is not None and reading.expires_on <= now:
        reasons.append(f"le badge a expiré le {_day(reading.expires_on)}")
    if reading.revoked:
        reasons.append(REVOKED)
    return reasons


def verify_badge(
    data: bytes,
    *,
    emails: Iterable[str],
    trusted: Sequence[TrustedEntry],
    now: dt.datetime,
    max_bytes: int | None = None,
    max_pixels: int = MAX_PIXELS,
) -> Verification:
    """Read then check a badge file. Raises ``FileRefused`` when it cannot be read."""
    reading = read_badge(data, max_bytes=max_bytes, max_pixels=max_pixels)
    return Verification(
        reading, check_badge(reading, emails=list(emails), trusted=trusted, now=now)
    )
