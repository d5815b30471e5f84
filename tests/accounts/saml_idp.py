"""A test identity provider for the SAML login: a key and a self-signed certificate
made at test time (``cryptography``), its metadata, and signed responses built the
way a Shibboleth IdP of the RENATER federation sends them (python3-saml's signing)."""

from __future__ import annotations

import base64
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape, quoteattr

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ENTITY_ID = "https://idp.univ-exemple.fr/idp/shibboleth"
SSO_URL = "https://idp.univ-exemple.fr/idp/profile/SAML2/Redirect/SSO"

EPPN = "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
SUPANN_ETU_ID = "urn:oid:1.3.6.1.4.1.7135.1.2.1.10"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"


def key_and_certificate(common_name: str) -> tuple[str, str]:
    """A fresh RSA key and a self-signed certificate for it, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM).decode()


def certificate_body(pem: str) -> str:
    """The base64 of a PEM certificate, as metadata carry it."""
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


def authn_request_id(redirect_url: str) -> str:
    """The ID of the AuthnRequest an SP sent with the HTTP-Redirect binding."""
    query = parse_qs(urlparse(redirect_url).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    return etree.fromstring(xml).get("ID")


def _instant(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class TestIdP:
    key: str
    certificate: str
    entity_id: str = ENTITY_ID
    sso_url: str = SSO_URL
    sp_entity_id: str = ""
    acs_url: str = ""
    encrypt_for: str = ""  # the SP's certificate, to encrypt assertions to
    issued: list[str] = field(default_factory=list)

    __test__ = False  # not a pytest test class

    @classmethod
    def make(cls, **kwargs) -> TestIdP:
        key, certificate = key_and_certificate("idp.univ-exemple.fr")
        return cls(key=key, certificate=certificate, **kwargs)

    def metadata(self) -> str:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Name="https://federation.renater.fr/test">
  <md:EntityDescriptor entityID="https://idp.autre-universite.fr/idp/shibboleth">
    <md:IDPSSODescriptor protocolSupportEnumeration="{PROTOCOL}">
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
          Location="https://idp.autre-universite.fr/idp/profile/SAML2/Redirect/SSO"/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>
  <md:EntityDescriptor entityID={quoteattr(self.entity_id)}>
    <md:IDPSSODescriptor protocolSupportEnumeration="{PROTOCOL}">
      <md:KeyDescriptor use="signing">
        <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate_body(self.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
      </md:KeyDescriptor>
      <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
          Location={quoteattr(self.sso_url)}/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>
</md:EntitiesDescriptor>
"""

    def assertion(
        self, attributes: dict[str, list[str]], *, in_response_to: str | None, now: datetime
    ) -> str:
        answers = f' InResponseTo="{in_response_to}"' if in_response_to else ""
        values = "".join(
            f'<saml:Attribute Name="{name}" '
            'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
            + "".join(
                '<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                f'xsi:type="xs:string">{escape(value)}</saml:AttributeValue>'
                for value in values
            )
            + "</saml:Attribute>"
            for name, values in attributes.items()
        )
        return (
            f'<saml:Assertion xmlns:saml="{ASSERTION}" ID="_a{uuid.uuid4().hex}" '
            f'Version="2.0" IssueInstant="{_instant(now)}">'
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">'
            f"_t{uuid.uuid4().hex}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f"<saml:SubjectConfirmationData{answers} "
            f'NotOnOrAfter="{_instant(now + timedelta(minutes=5))}" '
            f"Recipient={quoteattr(self.acs_url)}/>"
            "</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(now - timedelta(minutes=1))}" '
            f'NotOnOrAfter="{_instant(now + timedelta(minutes=5))}">'
            f"<saml:AudienceRestriction><saml:Audience>{escape(self.sp_entity_id)}"
            "</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(now)}" '
            f'SessionIndex="_s{uuid.uuid4().hex}"><saml:AuthnContext>'
            "<saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{values}</saml:AttributeStatement>"
            "</saml:Assertion>"
        )

    def response(
        self,
        attributes: dict[str, list[str]],
        *,
        in_response_to: str | None,
        signed_by: tuple[str, str] | None = None,
        sign: bool = True,
        issued_ago: timedelta = timedelta(0),
    ) -> str:
        """A ``<samlp:Response>`` to the request ``in_response_to`` (``None``: sent
        unasked, IdP-initiated), signed (the whole
        response, as Shibboleth does by default) with the IdP's key, or with
        ``signed_by`` (another key and certificate), or not at all; ``issued_ago``
        backdates it (an old response replayed)."""
        now = datetime.now(UTC) - issued_ago
        answers = f' InResponseTo="{in_response_to}"' if in_response_to else ""
        response_id = f"_r{uuid.uuid4().hex}"
        assertion = self.assertion(attributes, in_response_to=in_response_to, now=now)
        if self.encrypt_for:
            assertion = self._encrypted(assertion)
        xml = (
            f'<samlp:Response xmlns:samlp="{PROTOCOL}" xmlns:saml="{ASSERTION}" '
            f'ID="{response_id}" Version="2.0" IssueInstant="{_instant(now)}" '
            f"Destination={quoteattr(self.acs_url)}{answers}>"
            f"<saml:Issuer>{escape(self.entity_id)}</saml:Issuer>"
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
            f"</samlp:Status>{assertion}</samlp:Response>"
        )
        if sign:
            key, certificate = signed_by or (self.key, self.certificate)
            xml = OneLogin_Saml2_Utils.add_sign(
                xml,
                key,
                certificate,
                sign_algorithm=C.RSA_SHA256,
                digest_algorithm=C.SHA256,
            )
            xml = xml.decode() if isinstance(xml, bytes) else xml
        self.issued.append(response_id)
        return xml

    def _encrypted(self, assertion: str) -> str:
        """The assertion encrypted to the SP's certificate (AES-256-CBC, RSA-OAEP), as
        RENATER's IdPs do for an SP whose metadata publishes a certificate."""
        wrapper = etree.fromstring(
            f'<saml:EncryptedAssertion xmlns:saml="{ASSERTION}">{assertion}</saml:EncryptedAssertion>'
        )
        template = xmlsec.template.encrypted_data_create(
            wrapper, xmlsec.constants.TransformAes256Cbc, type=xmlsec.constants.TypeEncElement
        )
        xmlsec.template.encrypted_data_ensure_cipher_value(template)
        key_info = xmlsec.template.encrypted_data_ensure_key_info(template)
        encrypted_key = xmlsec.template.add_encrypted_key(
            key_info, xmlsec.constants.TransformRsaOaep
        )
        xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)
        manager = xmlsec.KeysManager()
        manager.add_key(
            xmlsec.Key.from_memory(self.encrypt_for, xmlsec.constants.KeyDataFormatCertPem)
        )
        context = xmlsec.EncryptionContext(manager)
        context.key = xmlsec.Key.generate(
            xmlsec.constants.KeyDataAes, 256, xmlsec.constants.KeyDataTypeSession
        )
        encrypted = context.encrypt_xml(template, wrapper[0])
        return etree.tostring(encrypted.getparent()).decode()

    def post_data(self, xml: str) -> dict[str, str]:
        return {"SAMLResponse": base64.b64encode(xml.encode()).decode()}
