"""``pixoffice/settings/saml.py``: the SAML app built from the environment, and the
mistakes it refuses at start-up rather than at the first login."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from pixoffice.settings.saml import SUPANN_ETU_ID, saml_app

IDP = "https://idp.univ-exemple.fr/idp/shibboleth"
RENATER = "https://metadata.federation.renater.fr/renater/main/main-idps-renater-metadata.xml"


def app(monkeypatch, **variables):
    for name, value in {"SSO_SAML_IDP_ENTITY_ID": IDP, **variables}.items():
        monkeypatch.setenv(name, value)
    return saml_app(environ.Env())


def test_renater_metadata_url_and_defaults(monkeypatch):
    saml = app(monkeypatch, SSO_SAML_IDP_METADATA_URL=RENATER)

    assert saml["client_id"] == "renater"
    assert saml["settings"]["idp"] == {
        "entity_id": IDP,
        "metadata_url": RENATER,
        "metadata_cache_timeout": 4 * 3600,
    }
    assert saml["settings"]["attribute_mapping"]["student_number"] == [SUPANN_ETU_ID]
    advanced = saml["settings"]["advanced"]
    assert advanced["strict"] and advanced["reject_idp_initiated_sso"]
    assert not advanced["want_assertion_encrypted"]  # no SP key to decrypt with
    assert "private_key" not in advanced


def test_metadata_file_is_read_as_a_file_url(monkeypatch, tmp_path):
    (tmp_path / "idp.xml").write_text("<md:EntitiesDescriptor/>")

    saml = app(monkeypatch, SSO_SAML_IDP_METADATA_FILE=str(tmp_path / "idp.xml"))

    assert saml["settings"]["idp"]["metadata_url"] == (tmp_path / "idp.xml").as_uri()


@pytest.mark.parametrize(
    "variables",
    [
        {},  # no metadata
        {"SSO_SAML_IDP_METADATA_URL": RENATER, "SSO_SAML_IDP_METADATA_FILE": "/etc/idp.xml"},
        {"SSO_SAML_IDP_METADATA_FILE": "/nulle/part/idp.xml"},
        {"SSO_SAML_IDP_METADATA_URL": RENATER, "SSO_SAML_SP_CERT_FILE": "/nulle/part/sp.crt"},
    ],
)
def test_configuration_mistakes_stop_the_start(monkeypatch, variables):
    with pytest.raises(ImproperlyConfigured):
        app(monkeypatch, **variables)


def test_sp_certificate_without_its_key_is_refused(monkeypatch, tmp_path):
    (tmp_path / "sp.crt").write_text("-----BEGIN CERTIFICATE-----")

    with pytest.raises(ImproperlyConfigured, match="vont ensemble"):
        app(
            monkeypatch,
            SSO_SAML_IDP_METADATA_URL=RENATER,
            SSO_SAML_SP_CERT_FILE=str(tmp_path / "sp.crt"),
        )
