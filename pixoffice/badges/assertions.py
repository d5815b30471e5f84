"""Open Badges assertions read offline: the baked text (2.0, 1.x, 0.5, a compact JWS,
a hosted URL, or a 3.0 credential) in, a ``BadgeReading`` out. Knows no Django; the
checks against a student and the allow-list are in ``openbadges``."""

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from pixoffice.tabular import FileRefused

from .badge_files import JSON, MAX_PIXELS, baked_text

CLOCK_SKEW = dt.timedelta(minutes=10)  # issue dates this much ahead are still "now"
PARIS = ZoneInfo("Europe/Paris")
JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

# Reasons a badge goes to a person (lower case: they are joined into one sentence).
RECIPIENT_MISMATCH = (
    "le destinataire du badge ne correspond pas aux adresses électroniques de l'étudiant·e"
)
NO_RECIPIENT = "le badge n'indique pas son destinataire"
SIGNED = (
    "assertion signée : sa signature ne peut pas être vérifiée hors ligne, "
    "un contrôle manuel est nécessaire"
)
OB3 = (
    "format Open Badges 3.0 non pris en charge pour la vérification automatique : "
    "la preuve cryptographique du badge ne peut pas être vérifiée hors ligne"
)
OB05 = "format Open Badges 0.5 (ancien) non pris en charge pour la vérification automatique"
NO_VERIFICATION = "le mode de vérification de l'assertion n'est pas indiqué"
NO_TRUSTED = "aucun badge reconnu n'est configuré pour ce dépôt : vérification manuelle"
NO_ISSUE_DATE = "la date d'émission du badge est absente ou illisible"
REVOKED = "l'assertion est marquée comme révoquée"


@dataclass(frozen=True)
class Recipient:
    """Who the badge was issued to, as the assertion says it."""

    identity: str
    type: str = "email"
    hashed: bool = False
    salt: str = ""


@dataclass(frozen=True)
class TrustedEntry:
    """One line of the allow-list: an issuer, and one of its badges or any (``""``)."""

    issuer_id: str
    badge_id: str = ""


@dataclass
class BadgeReading:
    """What a badge file says, before anything is checked."""

    format: str  # png, svg, json: the file
    version: str  # Open Badges version: 3.0, 2.0, 1.1, 1.0, 0.5
    assertion: dict  # the parsed JSON (a 3.0 credential, or the payload of a signature)
    verification: str  # hosted, signed, reference (only a URL), proof (3.0), "" unknown
    assertion_id: str = ""
    recipient: Recipient | None = None
    issuer_id: str = ""
    issuer_name: str = ""
    badge_id: str = ""
    badge_name: str = ""
    issued_on: dt.datetime | None = None
    expires_on: dt.datetime | None = None
    revoked: bool = False
    notes: list[str] = field(default_factory=list)  # reasons found while reading


@dataclass
class Verification:
    reading: BadgeReading
    reasons: list[str]

    @property
    def verified(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str:
        return as_sentence(self.reasons)


# --- reading -------------------------------------------------------------------------------


def read_badge(
    data: bytes, *, max_bytes: int | None = None, max_pixels: int = MAX_PIXELS
) -> BadgeReading:
    """Find and parse the assertion of a badge file. Raises ``FileRefused``."""
    kind, text = baked_text(data, max_bytes=max_bytes, max_pixels=max_pixels)
    return parse_baked(text, kind)


# --- interpreting ------------------------------------------------------------------------


def parse_baked(text: str, kind: str) -> BadgeReading:
    """Interpret the baked text: a JSON assertion or credential, a signature, or a URL."""
    if text.lstrip().startswith(("{", "[")):  # line numbers as in the file
        return interpret(_load_json(text, kind), kind)
    text = text.strip()
    if JWS.match(text):
        payload = _jws_payload(text)
        if isinstance(payload.get("vc"), dict):  # a 3.0 credential as a JWT (VC 1.1 style)
            payload = payload["vc"]
        return interpret(payload, kind, signed=True)
    if re.match(r"^https?://\S+$", text):
        return BadgeReading(
            format=kind,
            version="",
            assertion={"id": text},
            verification="reference",
            assertion_id=text,
            notes=[
                f"le badge ne contient que l'adresse de son assertion ({text}), qui ne peut "
                "pas être consultée hors ligne"
            ],
        )
    raise FileRefused(
        "Le contenu du badge n'est ni une assertion JSON, ni une assertion signée, "
        "ni l'adresse d'une assertion."
    )


def _load_json(text: str, kind: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        where = (
            "Le fichier JSON est mal formé"
            if kind == JSON
            else "L'assertion intégrée à l'image est mal formée"
        )
        raise FileRefused(
            f"{where} (ligne {error.lineno}, colonne {error.colno}) : "
            "ce n'est pas une assertion Open Badges lisible."
        ) from error
    if not isinstance(value, dict):
        raise FileRefused("Ce fichier JSON n'est pas une assertion Open Badges (pas un objet).")
    return value


def _jws_payload(token: str) -> dict:
    try:
        payload = base64.urlsafe_b64decode(token.split(".")[1] + "==")
        value = json.loads(payload)
    except (binascii.Error, ValueError) as error:
        raise FileRefused("L'assertion signée de ce badge est illisible.") from error
    if not isinstance(value, dict):
        raise FileRefused("L'assertion signée de ce badge est illisible.")
    return value


def _contexts(obj: dict) -> list[str]:
    context = obj.get("@context", [])
    items = context if isinstance(context, list) else [context]
    return [c for c in items if isinstance(c, str)]


def _types(obj: dict) -> list[str]:
    value = obj.get("type", [])
    return [t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)]


def is_ob3(obj: dict) -> bool:
    contexts = " ".join(_contexts(obj))
    return (
        "ob/v3p0" in contexts
        or "credentials/v2" in contexts
        or "2018/credentials" in contexts
        or bool({"OpenBadgeCredential", "AchievementCredential"} & set(_types(obj)))
    )


def interpret(obj: dict, kind: str, *, signed: bool = False) -> BadgeReading:
    """A ``BadgeReading`` from a parsed assertion (2.0, 1.x, 0.5) or credential (3.0)."""
    if is_ob3(obj):
        return _interpret_ob3(obj, kind)
    if "BadgeClass" in _types(obj) or ("criteria" in obj and "recipient" not in obj):
        raise FileRefused(
            "Ce fichier décrit le badge (sa « BadgeClass ») et non le badge qui vous a été "
            "délivré : déposez l'image du badge reçu ou son assertion."
        )
    if "recipient" not in obj:
        raise FileRefused(
            "Ce fichier JSON n'est pas une assertion Open Badges : il n'indique pas de "
            "destinataire (« recipient »)."
        )
    contexts = " ".join(_contexts(obj))
    reading = BadgeReading(
        format=kind,
        version="2.0" if "openbadges/v2" in contexts or "Assertion" in _types(obj) else "1.1",
        assertion=obj,
        verification="",
        assertion_id=_text(obj.get("id") or obj.get("uid")),
        revoked=obj.get("revoked") is True,
    )
    if not contexts and "Assertion" not in _types(obj):
        reading.version = "1.0"
    recipient = obj.get("recipient")
    if isinstance(recipient, dict):
        reading.recipient = Recipient(
            identity=_text(recipient.get("identity")),
            type=_text(recipient.get("type")) or "email",
            hashed=recipient.get("hashed") in (True, "true", "True"),
            salt=_text(recipient.get("salt")),
        )
    elif isinstance(recipient, str):  # 0.5: the identity itself, the salt beside it
        reading.version = "0.5"
        reading.recipient = Recipient(
            identity=recipient, hashed="$" in recipient, salt=_text(obj.get("salt"))
        )
        reading.notes.append(OB05)
    badge = obj.get("badge")
    if isinstance(badge, dict):
        reading.badge_id = _text(badge.get("id"))
        reading.badge_name = _text(badge.get("name"))
        issuer = badge.get("issuer")
        if isinstance(issuer, dict):
            reading.issuer_id = _text(issuer.get("id") or issuer.get("url") or issuer.get("origin"))
            reading.issuer_name = _text(issuer.get("name"))
        else:
            reading.issuer_id = _text(issuer)
    else:
        reading.badge_id = _text(badge)
    verification = obj.get("verification") or obj.get("verify") or {}
    method = verification.get("type") if isinstance(verification, dict) else verification
    method = _text(method).lower().removesuffix("badge")
    reading.verification = "signed" if signed else method
    if reading.verification == "signed":
        reading.notes.append(SIGNED)
    elif reading.verification != "hosted" and reading.version != "0.5":
        reading.notes.append(
            NO_VERIFICATION
            if not method
            else f"mode de vérification « {method} » non pris en charge hors ligne"
        )
    reading.issued_on = parse_date(obj.get("issuedOn") or obj.get("issued_on"))
    reading.expires_on = parse_date(obj.get("expires"))
    return reading


def _interpret_ob3(obj: dict, kind: str) -> BadgeReading:
    reading = BadgeReading(
        format=kind,
        version="3.0",
        assertion=obj,
        verification="proof",
        assertion_id=_text(obj.get("id")),
        notes=[OB3],
    )
    issuer = obj.get("issuer")
    if isinstance(issuer, dict):
        reading.issuer_id, reading.issuer_name = _text(issuer.get("id")), _text(issuer.get("name"))
    else:
        reading.issuer_id = _text(issuer)
    subject = obj.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject and isinstance(subject[0], dict) else {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if isinstance(achievement, dict):
        reading.badge_id, reading.badge_name = (
            _text(achievement.get("id")),
            _text(achievement.get("name")),
        )
    identifiers = subject.get("identifier") if isinstance(subject, dict) else None
    if isinstance(identifiers, dict):
        identifiers = [identifiers]
    for identifier in identifiers or []:
        if isinstance(identifier, dict) and identifier.get("identityHash"):
            kind_of = _text(identifier.get("identityType")) or "emailAddress"
            reading.recipient = Recipient(
                identity=_text(identifier.get("identityHash")),
                type="email" if kind_of == "emailAddress" else kind_of,
                hashed=identifier.get("hashed") in (True, "true"),
                salt=_text(identifier.get("salt")),
            )
            break
    reading.issued_on = parse_date(obj.get("validFrom") or obj.get("issuanceDate"))
    reading.expires_on = parse_date(obj.get("validUntil") or obj.get("expirationDate"))
    return reading


def _text(value) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def parse_date(value) -> dt.datetime | None:
    """An aware datetime from ISO 8601 (``Z``, offset, or a bare date: UTC) or a Unix
    timestamp (Open Badges 1.0); ``None`` if absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        try:
            return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def as_sentence(reasons: Sequence[str]) -> str:
    """``["a", "b"]`` → ``"A ; b."``."""
    text = " ; ".join(reasons)
    return (text[:1].upper() + text[1:] + ".") if text else ""
