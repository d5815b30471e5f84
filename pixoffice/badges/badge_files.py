"""Badge files: where the assertion sits in a baked PNG or SVG, or an assertion file.
Bytes in, the baked text out, or ``FileRefused`` with a French message. Knows no Django.

All detected from the content, never from the name:

- a **baked PNG**: the assertion sits in an ``iTXt`` chunk keyed ``openbadges`` (Open
  Badges 2.0; 1.0 used ``tEXt``), or ``openbadgecredential`` for a 3.0 credential.
  The pixels are never decoded: the declared size is checked first (a small file may
  declare a gigantic image: a decompression bomb), the text chunks are read with a
  bounded inflate, and Pillow checks the structure and every checksum;
- a **baked SVG**: an ``openbadges:assertion`` element (namespace
  ``http://openbadges.org``) holding the JSON, or only a ``verify`` attribute holding
  a URL or a signature; ``openbadges:credential`` for 3.0. Parsed by defusedxml (no
  entity expansion, no external reference);
- the **assertion file** itself (JSON), or a signed assertion (compact JWS).
"""

import io
import struct
import warnings
import zlib
from collections.abc import Iterable

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as defused_tree

from pixoffice.tabular import FileRefused, format_size

PNG, SVG, JSON = "png", "svg", "json"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB_NAMESPACE = "http://openbadges.org"
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
PNG_KEYWORDS = {"openbadges": "assertion", "openbadgecredential": "credential"}
# A badge image is a few hundred pixels wide; above this the file is refused unread.
MAX_PIXELS = 40_000_000
MAX_TEXT_BYTES = 1_048_576  # inflated size of one baked text chunk

NOT_A_BADGE_FILE = (
    "Ce fichier n'est ni une image PNG ou SVG, ni un fichier JSON. Déposez l'image du "
    "badge téléchargée depuis la plateforme du MOOC (ou son fichier d'assertion JSON)."
)
OTHER_KINDS = {  # magic bytes of files people upload by mistake
    b"\xff\xd8\xff": "une image JPEG",
    b"GIF8": "une image GIF",
    b"%PDF": "un document PDF",
    b"PK\x03\x04": "une archive (ZIP, document Office…)",
    b"\xd0\xcf\x11\xe0": "un document Office ancien",
    b"BM": "une image BMP",
}
DAMAGED_PNG = (
    "Cette image PNG est incomplète ou endommagée (fichier tronqué ?) : "
    "téléchargez-la à nouveau depuis la plateforme du MOOC."
)
NO_BADGE_IN_PNG = (
    "Cette image PNG ne contient pas de badge : aucune assertion Open Badges n'y est "
    "intégrée. Déposez l'image « cuite » téléchargée depuis la plateforme du MOOC (pas "
    "une capture d'écran ni une image copiée depuis la page), ou le fichier JSON du badge."
)
NO_BADGE_IN_SVG = (
    "Cette image SVG ne contient pas de badge : aucun élément « openbadges:assertion » "
    "n'y est intégré. Déposez l'image téléchargée depuis la plateforme du MOOC, ou le "
    "fichier JSON du badge."
)


def baked_text(
    data: bytes, *, max_bytes: int | None = None, max_pixels: int = MAX_PIXELS
) -> tuple[str, str]:
    """(``png``/``svg``/``json``, the assertion text the file holds)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused(
            f"Le fichier fait {format_size(len(data))} ; la taille maximale d'un badge est "
            f"{format_size(max_bytes)}."
        )
    kind = detect_format(data)
    if kind == PNG:
        return kind, baked_png_text(data, max_pixels=max_pixels)
    if kind == SVG:
        return kind, baked_svg_text(data)
    return kind, _decode(data.removeprefix(b"\xef\xbb\xbf"), "Le fichier JSON")


def detect_format(data: bytes) -> str:
    """``png``, ``svg`` or ``json`` from the first bytes; ``FileRefused`` otherwise."""
    if not data.strip():
        raise FileRefused("Le fichier est vide.")
    if data.startswith(PNG_SIGNATURE):
        return PNG
    for magic, kind in OTHER_KINDS.items():
        if data.startswith(magic):
            raise FileRefused(
                f"Ce fichier est {kind}, pas un badge : déposez l'image PNG ou SVG du badge "
                "téléchargée depuis la plateforme du MOOC (ou son fichier JSON)."
            )
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[", b"eyJ")):  # an assertion, or a signed one (compact JWS)
        return JSON
    if head.startswith(b"<"):
        return SVG
    raise FileRefused(NOT_A_BADGE_FILE)


def baked_png_text(data: bytes, *, max_pixels: int = MAX_PIXELS) -> str:
    """The text of the ``openbadges`` (or ``openbadgecredential``) chunk of a PNG."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise FileRefused(DAMAGED_PNG)
    width, height = struct.unpack(">II", data[16:24])
    if width * height > max_pixels:
        raise FileRefused(_bomb(width, height))
    found: dict[str, str] = {}
    for chunk_type, body in _png_chunks(data):
        if chunk_type in (b"iTXt", b"tEXt", b"zTXt"):
            keyword, text = _png_text(chunk_type, body)
            if keyword in PNG_KEYWORDS and (keyword not in found or chunk_type == b"iTXt"):
                found[keyword] = text  # iTXt (2.0) wins over tEXt (1.0) if both exist
    _check_png_structure(data, width, height)
    text = found.get("openbadges") or found.get("openbadgecredential")
    if not text or not text.strip():
        raise FileRefused(NO_BADGE_IN_PNG)
    return text


def _bomb(width: int, height: int) -> str:
    return (
        f"Cette image déclare des dimensions démesurées ({width} × {height} pixels) pour un "
        "badge : elle est refusée par précaution (bombe de décompression possible)."
    )


def _check_png_structure(data: bytes, width: int, height: int) -> None:
    """Pillow reads the header and checks every chunk and checksum up to ``IEND``
    (``verify`` decodes no pixel)."""
    from PIL import Image  # noqa: PLC0415 (heavy: loaded only when a PNG is checked)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FileRefused(_bomb(width, height)) from error
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as error:
        raise FileRefused(DAMAGED_PNG) from error


def _png_chunks(data: bytes) -> Iterable[tuple[bytes, bytes]]:
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) < length or len(crc) < 4:
            break
        if zlib.crc32(chunk_type + body) != struct.unpack(">I", crc)[0]:
            raise FileRefused(DAMAGED_PNG)
        yield chunk_type, body
        if chunk_type == b"IEND":
            return
        position += 12 + length
    raise FileRefused(DAMAGED_PNG)


def _png_text(chunk_type: bytes, body: bytes) -> tuple[str, str]:
    """(keyword, text) of a ``tEXt``, ``zTXt`` or ``iTXt`` chunk; ("", "") if malformed."""
    keyword, _, rest = body.partition(b"\0")
    name = keyword.decode("latin-1")
    if name not in PNG_KEYWORDS:
        return name, ""
    if chunk_type == b"tEXt":
        return name, rest.decode("latin-1")
    if chunk_type == b"zTXt":
        return name, _inflate(rest[1:]).decode("latin-1")
    if len(rest) < 2:
        return "", ""
    compressed, rest = rest[0], rest[2:]
    parts = rest.split(b"\0", 2)  # language tag, translated keyword, text
    if len(parts) != 3:
        return "", ""
    text = _inflate(parts[2]) if compressed else parts[2]
    return name, _decode(text, "Le texte intégré à l'image")


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        text = inflater.decompress(data, MAX_TEXT_BYTES)
    except zlib.error as error:
        raise FileRefused(DAMAGED_PNG) from error
    if inflater.unconsumed_tail:
        raise FileRefused(
            "Le texte intégré à cette image dépasse la taille d'une assertion de badge : "
            "le fichier est refusé par précaution (bombe de décompression possible)."
        )
    return text


def baked_svg_text(data: bytes) -> str:
    """The assertion of an SVG badge: the element's text, else its ``verify`` attribute."""
    try:
        root = defused_tree.fromstring(data)
    except DefusedXmlException as error:
        raise FileRefused(
            "Ce fichier SVG déclare des entités XML : il est refusé par précaution."
        ) from error
    except defused_tree.ParseError as error:
        raise FileRefused(
            f"Ce fichier n'est pas une image SVG lisible (XML mal formé : {error})."
        ) from error
    if root.tag not in (f"{{{SVG_NAMESPACE}}}svg", "svg"):
        raise FileRefused(NOT_A_BADGE_FILE)
    for tag in (f"{{{OB_NAMESPACE}}}assertion", f"{{{OB3_NAMESPACE}}}credential"):
        for element in root.iter(tag):
            text = (element.text or "").strip()
            if text:
                return text
            if element.get("verify", "").strip():
                return element.get("verify").strip()
    raise FileRefused(NO_BADGE_IN_SVG)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRefused(f"{what} n'est pas un texte UTF-8 lisible.") from error
