"""University single sign-on through SAML 2 (the RENATER federation), as one allauth
``saml`` app built from the environment (docs/configuration.md, « SAML »).

Kept out of ``base.py`` so that its block stays three lines. Nothing here imports
python3-saml: the IdP metadata (a URL, or a file read through a ``file://`` URL) is
fetched by allauth on the first login and kept in the cache.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The attributes RENATER's IdPs release (SAML 2 names, urn:oid: form; SupAnn 2021).
EDU_PERSON_PRINCIPAL_NAME = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
SUPANN_ETU_ID = "urn:oid:1.3.6.1.4.1.7135.1.2.1.10"  # supannEtuId: the student number
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"


def _read(env, name: str) -> str:
    path = env.str(name, default="")
    if not path:
        return ""
    try:
        return Path(path).read_text()
    except OSError as error:
        raise ImproperlyConfigured(f"{name} : fichier illisible ({error}).") from error


def saml_app(env) -> dict:
    """The allauth ``SocialApp`` of the university's IdP (``SSO_SAML_IDP_ENTITY_ID``).

    Its ``client_id`` is the slug of the URLs: the SP metadata is at
    ``/comptes/saml/<slug>/metadata/``, the ACS at ``/comptes/saml/<slug>/acs/``.
    """
    idp_entity_id = env.str("SSO_SAML_IDP_ENTITY_ID")
    metadata_url = env.str("SSO_SAML_IDP_METADATA_URL", default="")
    metadata_file = env.str("SSO_SAML_IDP_METADATA_FILE", default="")
    if bool(metadata_url) == bool(metadata_file):
        raise ImproperlyConfigured(
            "SAML : définir SSO_SAML_IDP_METADATA_URL ou SSO_SAML_IDP_METADATA_FILE (un seul)."
        )
    if metadata_file:
        if not Path(metadata_file).is_file():
            raise ImproperlyConfigured(f"SSO_SAML_IDP_METADATA_FILE : {metadata_file} introuvable.")
        metadata_url = Path(metadata_file).resolve().as_uri()
    cert, key = _read(env, "SSO_SAML_SP_CERT_FILE"), _read(env, "SSO_SAML_SP_KEY_FILE")
    if bool(cert) != bool(key):
        raise ImproperlyConfigured(
            "SAML : SSO_SAML_SP_CERT_FILE et SSO_SAML_SP_KEY_FILE vont ensemble."
        )
    advanced = {
        "strict": True,
        # an assertion the IdP sends unasked (IdP-initiated) is refused
        "reject_idp_initiated_sso": True,
        # python3-saml refuses a response that carries no signature at all; these
        # ask for the assertion's own signature on top of the response's
        "want_assertion_signed": env.bool("SSO_SAML_WANT_ASSERTIONS_SIGNED", default=False),
        "want_assertion_encrypted": env.bool(
            "SSO_SAML_WANT_ASSERTIONS_ENCRYPTED", default=bool(key)
        ),
        "want_attribute_statement": True,
    }
    if key:
        advanced.update(x509cert=cert, private_key=key, authn_request_signed=True)
    return {
        "name": env.str("SSO_SAML_NAME", default="Compte universitaire (RENATER)"),
        "client_id": env.str("SSO_SAML_SLUG", default="renater"),
        "settings": {
            "idp": {
                "entity_id": idp_entity_id,
                "metadata_url": metadata_url,
                "metadata_cache_timeout": env.int("SSO_SAML_IDP_METADATA_CACHE", default=4 * 3600),
            },
            "sp": {"entity_id": env.str("SSO_SAML_SP_ENTITY_ID", default="")},
            "attribute_mapping": {
                "uid": [EDU_PERSON_PRINCIPAL_NAME],
                "email": [env.str("SSO_SAML_EMAIL_ATTRIBUTE", default=MAIL)],
                "student_number": [
                    env.str("SSO_SAML_STUDENT_NUMBER_ATTRIBUTE", default=SUPANN_ETU_ID)
                ],
                "first_name": [GIVEN_NAME],
                "last_name": [SURNAME],
            },
            "advanced": advanced,
        },
    }
