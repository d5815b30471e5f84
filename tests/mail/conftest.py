import datetime as dt
import socket

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def workshop_context():
    class Workshop:
        title = "Préparer la certification Pix"
        place = "salle B012"

        start = dt.datetime(2025, 2, 26, 14, 0, tzinfo=dt.UTC)

    class Student:
        first_name = "Inès"

    return {"workshop": Workshop(), "student": Student(), "link": "https://pix.example/ateliers/1"}


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback (aiosmtpd). Recipients starting with ``perm`` get a
    550, with ``temp`` a 451; the others are accepted and kept in ``sink.received``."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.received = []

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address.startswith("perm"):
                return "550 5.1.1 Boîte inconnue"
            if address.startswith("temp"):
                return "451 4.3.0 Réessayez plus tard"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            self.received.append((envelope.rcpt_tos[:], envelope.content))
            return "250 Message accepted"

    handler = Handler()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()
