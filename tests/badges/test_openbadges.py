"""The offline Open Badges reader (``badge_files`` then ``openbadges``): files built by
``bake`` in, the assertion or a French message out. No database, no network."""

import datetime as dt
import hashlib
import json
import zlib

import pytest

from pixoffice.badges import assertions
from pixoffice.badges import badge_files as files
from pixoffice.badges import openbadges as ob
from pixoffice.tabular import FileRefused
from tests.badges import bake

EMAIL = "lea.martin@etu.univ-exemple.fr"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
TRUSTED = [ob.TrustedEntry(bake.ISSUER, bake.BADGE_CLASS)]


def verify(data, *, emails=(EMAIL,), trusted=TRUSTED, now=NOW, **options):
    return ob.verify_badge(data, emails=emails, trusted=trusted, now=now, **options)


def refusal(data, **options) -> str:
    with pytest.raises(FileRefused) as error:
        verify(data, **options)
    return str(error.value)


# --- baked files that verify ----------------------------------------------------------------


def test_png_baked_with_itxt_after_ihdr_is_verified():
    result = verify(bake.bake_png(bake.assertion(EMAIL)))

    assert result.reasons == []
    assert result.verified is True
    reading = result.reading
    assert (reading.format, reading.version, reading.verification) == ("png", "2.0", "hosted")
    assert reading.issuer_id == bake.ISSUER
    assert reading.issuer_name == "MOOC IA pour tous"
    assert reading.badge_id == bake.BADGE_CLASS
    assert reading.badge_name == "IA — Fondamentaux"
    assert reading.assertion_id == "https://mooc-ia.example.fr/assertions/4f1c2d"
    assert reading.issued_on == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    assert reading.assertion["recipient"]["salt"] == bake.SALT


def test_png_baked_before_iend_and_compressed_is_verified():
    data = bake.bake_png(bake.assertion(EMAIL), at_end=True, compressed=True)

    assert verify(data).reasons == []


def test_svg_with_assertion_element_is_verified():
    result = verify(bake.bake_svg(bake.assertion(EMAIL)))

    assert result.reasons == []
    assert (result.reading.format, result.reading.version) == ("svg", "2.0")


def test_svg_verify_attribute_with_a_signature_goes_to_review():
    result = verify(bake.bake_svg(verify=bake.jws(bake.assertion(EMAIL, verification="signed"))))

    assert result.reading.verification == "signed"
    assert result.reading.badge_id == bake.BADGE_CLASS  # the payload was read
    assert result.reasons == [assertions.SIGNED]
    assert result.reason == (
        "Assertion signée : sa signature ne peut pas être vérifiée hors ligne, "
        "un contrôle manuel est nécessaire."
    )


def test_svg_verify_attribute_with_only_a_url_goes_to_review():
    result = verify(bake.bake_svg(verify="https://mooc-ia.example.fr/assertions/4f1c2d"))

    assert result.reading.verification == "reference"
    assert result.reasons == [
        "le badge ne contient que l'adresse de son assertion "
        "(https://mooc-ia.example.fr/assertions/4f1c2d), qui ne peut pas être consultée hors ligne"
    ]


def test_png_with_only_an_assertion_url_in_text_chunk_goes_to_review():
    data = bake.insert_chunks(
        bake.plain_png(), bake.text_chunk("openbadges", "https://mooc-ia.example.fr/a/1")
    )

    result = verify(data)

    assert result.reading.verification == "reference"
    assert result.reasons[0].startswith("le badge ne contient que l'adresse de son assertion")


def test_plain_json_assertion_file_is_verified():
    result = verify(b"\xef\xbb\xbf" + json.dumps(bake.assertion(EMAIL), indent=2).encode())

    assert result.reasons == []
    assert result.reading.format == "json"


def test_open_badges_3_credential_is_read_and_sent_to_review():
    data = bake.bake_png(bake.credential_ob3(EMAIL), keyword="openbadgecredential")

    result = verify(data)

    reading = result.reading
    assert (reading.version, reading.verification) == ("3.0", "proof")
    assert reading.issuer_id == bake.ISSUER
    assert reading.badge_id == bake.BADGE_CLASS
    assert reading.issued_on == dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert reading.expires_on == dt.datetime(2029, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert reading.recipient.hashed is True
    assert result.reasons == [assertions.OB3]  # recipient, issuer and dates all fine
    assert "format Open Badges 3.0 non pris en charge" in result.reasons[0]


def test_open_badges_3_credential_for_someone_else_says_so_too():
    result = verify(json.dumps(bake.credential_ob3("autre@etu.univ-exemple.fr")).encode())

    assert result.reasons == [assertions.OB3, ob.RECIPIENT_MISMATCH]


def test_open_badges_1_0_assertion_with_a_unix_timestamp_is_read():
    data = bake.assertion(EMAIL, embed_badge=False)
    del data["@context"], data["type"], data["verification"]
    data["verify"] = {"type": "hosted", "url": "https://mooc-ia.example.fr/assertions/1"}
    data["issuedOn"] = 1_763_632_800  # 2025-11-20 10:00 UTC

    result = verify(json.dumps(data).encode())

    assert result.reading.version == "1.0"
    assert result.reading.issued_on == dt.datetime(2025, 11, 20, 10, 0, tzinfo=dt.UTC)
    assert result.reasons == []


# --- recipients ---------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["sha256", "md5"])
def test_hashed_recipient_with_salt_matches_ignoring_case(algorithm):
    data = bake.bake_png(bake.assertion(EMAIL, algorithm=algorithm))

    assert verify(data, emails=["Lea.Martin@ETU.univ-exemple.fr"]).reasons == []


def test_hashed_identity_is_email_plus_salt():
    assert ob.identity_hash("a@b.fr", "sel") == (
        "sha256$" + hashlib.sha256(b"a@b.frsel").hexdigest()
    )
    recipient = ob.Recipient(
        identity=ob.identity_hash("a@b.fr", "sel", "md5"), hashed=True, salt="sel"
    )
    assert ob.recipient_matches(recipient, ["a@b.fr"]) is True
    assert ob.recipient_matches(recipient, ["a@b.fr "]) is True
    assert (
        ob.recipient_matches(ob.Recipient(recipient.identity, hashed=True, salt="x"), ["a@b.fr"])
        is False
    )


def test_plain_recipient_matches_one_of_the_addresses():
    data = bake.bake_png(bake.assertion("Lea.Martin@univ-exemple.fr", hashed=False))

    result = verify(data, emails=[EMAIL, "lea.martin@univ-exemple.fr"])

    assert result.reasons == []


def test_badge_of_someone_else_goes_to_review_saying_the_recipient_does_not_match():
    result = verify(bake.bake_png(bake.assertion("autre@etu.univ-exemple.fr")))

    assert result.reasons == [ob.RECIPIENT_MISMATCH]
    assert result.reason == (
        "Le destinataire du badge ne correspond pas aux adresses électroniques de l'étudiant·e."
    )


def test_wrong_salt_does_not_match():
    data = bake.assertion(EMAIL)
    data["recipient"]["salt"] = "autre-sel"

    assert verify(json.dumps(data).encode()).reasons == [ob.RECIPIENT_MISMATCH]


def test_recipient_that_is_not_an_email_goes_to_review():
    data = bake.assertion(EMAIL)
    data["recipient"]["type"] = "url"

    assert verify(json.dumps(data).encode()).reasons == [
        "le destinataire est désigné par « url » et non par une adresse électronique"
    ]


# --- allow-list -------------------------------------------------------------------------------


def test_issuer_not_on_the_allow_list():
    data = bake.bake_png(bake.assertion(EMAIL, issuer="https://badges.autre.example/issuer"))

    assert verify(data).reasons == [
        "l'émetteur « MOOC IA pour tous » (https://badges.autre.example/issuer) n'est pas "
        "dans la liste des émetteurs reconnus"
    ]


def test_badge_class_not_on_the_allow_list_of_a_known_issuer():
    data = bake.bake_png(bake.assertion(EMAIL, badge="https://mooc-ia.example.fr/badges/autre"))

    assert verify(data).reasons == [
        "ce badge « IA — Fondamentaux » (https://mooc-ia.example.fr/badges/autre) n'est pas "
        "l'un des badges reconnus de cet émetteur"
    ]


def test_issuer_entry_without_badge_class_allows_any_of_its_badges():
    data = bake.bake_png(bake.assertion(EMAIL, badge="https://mooc-ia.example.fr/badges/autre"))

    assert verify(data, trusted=[ob.TrustedEntry(bake.ISSUER + "/")]).reasons == []


def test_badge_given_by_its_url_only_is_allowed_by_its_badge_class():
    data = bake.bake_png(bake.assertion(EMAIL, embed_badge=False))

    assert verify(data).reasons == []
    assert verify(data, trusted=[ob.TrustedEntry(bake.ISSUER)]).reasons == [
        f"l'émetteur du badge n'est pas indiqué dans le fichier et ce badge « {bake.BADGE_CLASS} » "
        "n'est pas dans la liste des badges reconnus"
    ]


def test_no_allow_list_means_review():
    assert verify(bake.bake_png(bake.assertion(EMAIL)), trusted=[]).reasons == [ob.NO_TRUSTED]


# --- dates and revocation ---------------------------------------------------------------------


def test_expired_badge_goes_to_review_with_the_date():
    data = bake.bake_png(bake.assertion(EMAIL, expires="2026-01-01T00:00:00+01:00"))

    result = verify(data)

    assert result.reasons == ["le badge a expiré le 01/01/2026"]
    assert result.reading.expires_on == dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC)


def test_badge_valid_until_later_is_fine():
    data = bake.bake_png(bake.assertion(EMAIL, expires="2027-01-01"))

    assert verify(data).reasons == []


def test_badge_issued_in_the_future_goes_to_review():
    data = bake.bake_png(bake.assertion(EMAIL, issued_on="2026-12-24T10:00:00Z"))

    assert verify(data).reasons == ["la date d'émission du badge (24/12/2026) est dans le futur"]


def test_missing_issue_date_and_revoked_assertion():
    data = bake.assertion(EMAIL, issued_on="hier")
    data["revoked"] = True

    assert verify(json.dumps(data).encode()).reasons == [ob.NO_ISSUE_DATE, ob.REVOKED]


# --- files refused, with their French message -------------------------------------------------


def test_empty_file():
    assert refusal(b"  \n") == "Le fichier est vide."


def test_non_image_file():
    assert refusal(b"Bonjour, voici mon badge.") == files.NOT_A_BADGE_FILE


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "une image JPEG"),
        (b"%PDF-1.7\n", "un document PDF"),
        (b"GIF89a\x01\x00", "une image GIF"),
    ],
)
def test_other_file_kinds_are_named(data, kind):
    assert refusal(data) == (
        f"Ce fichier est {kind}, pas un badge : déposez l'image PNG ou SVG du badge "
        "téléchargée depuis la plateforme du MOOC (ou son fichier JSON)."
    )


def test_truncated_png():
    data = bake.bake_png(bake.assertion(EMAIL))

    assert refusal(data[: len(data) // 2]) == files.DAMAGED_PNG
    assert refusal(data[:-12]) == files.DAMAGED_PNG  # IEND missing
    assert refusal(data[:20]) == files.DAMAGED_PNG


def test_png_with_a_bad_checksum():
    data = bytearray(bake.bake_png(bake.assertion(EMAIL)))
    data[60] ^= 0xFF  # inside the baked text

    assert refusal(bytes(data)) == files.DAMAGED_PNG


def test_png_without_badge():
    assert refusal(bake.plain_png()) == files.NO_BADGE_IN_PNG
    assert files.NO_BADGE_IN_PNG.startswith("Cette image PNG ne contient pas de badge")


def test_decompression_bomb_declaring_a_huge_size_is_refused_unread():
    data = bake.bomb_png(100_000, 100_000)

    assert len(data) < 1000
    assert refusal(data) == (
        "Cette image déclare des dimensions démesurées (100000 × 100000 pixels) pour un "
        "badge : elle est refusée par précaution (bombe de décompression possible)."
    )


def test_decompression_bomb_is_also_caught_by_pillow():
    # with our own limit lifted, Pillow's DecompressionBombError still refuses it
    assert refusal(bake.bomb_png(20_000, 20_000), max_pixels=10**12).startswith(
        "Cette image déclare des dimensions démesurées (20000 × 20000 pixels)"
    )


def test_compressed_text_chunk_bomb_is_refused():
    huge = zlib.compress(b"{" + b" " * (files.MAX_TEXT_BYTES + 10))
    chunk = bake.chunk(b"iTXt", b"openbadges\0\x01\x00\0\0" + huge)

    assert refusal(bake.insert_chunks(bake.plain_png(), chunk)) == (
        "Le texte intégré à cette image dépasse la taille d'une assertion de badge : "
        "le fichier est refusé par précaution (bombe de décompression possible)."
    )


def test_file_over_the_size_limit():
    data = b"{" + b" " * 3070 + b"}"

    assert refusal(data, max_bytes=2048) == (
        "Le fichier fait 3 ko ; la taille maximale d'un badge est 2 ko."
    )
    assert refusal(bake.bake_png(bake.assertion(EMAIL)), max_bytes=100).startswith(
        "Le fichier fait "
    )


def test_malformed_json_file():
    assert refusal(b'{"recipient": {"identity": ') == (
        "Le fichier JSON est mal formé (ligne 1, colonne 28) : "
        "ce n'est pas une assertion Open Badges lisible."
    )


def test_malformed_json_baked_in_an_image():
    assert refusal(bake.bake_png('{"recipient": ')) == (
        "L'assertion intégrée à l'image est mal formée (ligne 1, colonne 15) : "
        "ce n'est pas une assertion Open Badges lisible."
    )


def test_json_that_is_not_an_assertion():
    assert refusal(b'{"name": "x"}') == (
        "Ce fichier JSON n'est pas une assertion Open Badges : il n'indique pas de "
        "destinataire (« recipient »)."
    )
    assert refusal(b'{"type": "BadgeClass", "name": "IA"}').startswith(
        "Ce fichier décrit le badge (sa « BadgeClass ») et non le badge qui vous a été délivré"
    )
    assert (
        refusal(b"[1, 2]") == "Ce fichier JSON n'est pas une assertion Open Badges (pas un objet)."
    )


def test_svg_with_entities_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&lol2;</svg>'
    )

    assert refusal(data) == "Ce fichier SVG déclare des entités XML : il est refusé par précaution."


def test_svg_without_badge_and_other_xml():
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'

    assert refusal(plain) == files.NO_BADGE_IN_SVG
    assert refusal(b"<html><body>badge</body></html>") == files.NOT_A_BADGE_FILE
    assert refusal(b"<svg><unclosed></svg>").startswith(
        "Ce fichier n'est pas une image SVG lisible (XML mal formé"
    )


def test_as_sentence():
    assert assertions.as_sentence(["a b", "c"]) == "A b ; c."
    assert assertions.as_sentence([]) == ""


def test_svg_with_a_doctype_and_both_text_and_verify_attribute_reads_the_text():
    svg = bake.bake_svg(bake.assertion(EMAIL), verify="https://mooc-ia.example.fr/a/1").replace(
        b"<svg ",
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg ',
    )

    result = verify(svg)

    assert (result.reading.verification, result.reasons) == ("hosted", [])
