"""A small CAS server on loopback for the CAS login tests (protocol 2 and 3).

``/login`` logs in whoever the test put in ``next_login`` and sends the browser back
to the service with a fresh ticket; ``/serviceValidate`` (CAS 2) and
``/p3/serviceValidate`` (CAS 3) answer the XML of the protocol, attributes included,
for a ticket issued to that very service, once; ``/logout`` sends the browser back.
``logout_request(ticket)`` is the single-logout message the server posts to a service.
"""

import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.sax.saxutils import escape

import pytest

CAS_NS = "http://www.yale.edu/tp/cas"


@dataclass
class FakeCAS:
    url: str = ""
    next_login: tuple[str, dict] = ("", {})  # the CAS user and attributes /login logs in
    tickets: dict = field(default_factory=dict)  # ticket → (service, user, attributes)
    issued: list = field(default_factory=list)  # every (ticket, service) issued
    validations: list = field(default_factory=list)  # (path, ticket, answered user or None)
    logouts: list = field(default_factory=list)  # the query of each /logout

    def log_in_as(self, user: str, **attributes):
        self.next_login = (user, attributes)

    def issue(self, service: str) -> str:
        ticket = f"ST-{uuid.uuid4().hex}"
        self.tickets[ticket] = (service, *self.next_login)
        self.issued.append((ticket, service))
        return ticket

    def validate(self, path: str, query: dict) -> str:
        ticket, service = query.get("ticket", [""])[0], query.get("service", [""])[0]
        issued = self.tickets.pop(ticket, None)  # a ticket is good once
        if issued is None or issued[0] != service:
            self.validations.append((path, ticket, None))
            return (
                f'<cas:serviceResponse xmlns:cas="{CAS_NS}">'
                f'<cas:authenticationFailure code="INVALID_TICKET">Ticket {escape(ticket)} '
                "not recognized</cas:authenticationFailure></cas:serviceResponse>"
            )
        _service, user, attributes = issued
        self.validations.append((path, ticket, user))
        values = "".join(
            f"<cas:{name}>{escape(item)}</cas:{name}>"
            for name, value in attributes.items()
            for item in (value if isinstance(value, list) else [value])
        )
        return (
            f'<cas:serviceResponse xmlns:cas="{CAS_NS}"><cas:authenticationSuccess>'
            f"<cas:user>{escape(user)}</cas:user><cas:attributes>{values}</cas:attributes>"
            "</cas:authenticationSuccess></cas:serviceResponse>"
        )

    @staticmethod
    def logout_request(ticket: str) -> str:
        return (
            '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="LR-{uuid.uuid4().hex}" Version="2.0" IssueInstant="2026-12-02T08:00:00Z">'
            "<saml:NameID>@NOT_USED@</saml:NameID>"
            f"<samlp:SessionIndex>{escape(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>"
        )


def _handler(cas: FakeCAS):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            path = parts.path.removeprefix("/cas")
            if path == "/login":
                service = query["service"][0]
                ticket = cas.issue(service)
                back = service + ("&" if "?" in service else "?") + urlencode({"ticket": ticket})
                self._send(302, headers=[("Location", back)])
            elif path in ("/serviceValidate", "/p3/serviceValidate"):
                body = cas.validate(path, query).encode()
                self._send(200, body, [("Content-Type", "application/xml; charset=utf-8")])
            elif path == "/logout":
                cas.logouts.append(query)
                back = (query.get("service") or query.get("url") or [""])[0]
                if back:
                    self._send(302, headers=[("Location", back)])
                else:
                    self._send(200, "<p>Vous êtes déconnecté·e.</p>".encode())
            else:
                self._send(404)

    return Handler


@pytest.fixture(name="fake_cas")
def fake_cas_fixture(settings):
    """A CAS server on loopback, and the settings that point pixoffice at it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    cas = FakeCAS(url=f"http://127.0.0.1:{server.server_port}/cas/")
    server.RequestHandlerClass = _handler(cas)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SSO_CAS_SERVER_URL = settings.CAS_SERVER_URL = cas.url
    settings.CAS_VERSION = "3"
    settings.SSO_CAS_EMAIL_ATTRIBUTE = "mail"
    settings.SSO_CAS_STUDENT_NUMBER_ATTRIBUTE = "supannEtuId"
    yield cas
    server.shutdown()
    server.server_close()
    thread.join(5)
