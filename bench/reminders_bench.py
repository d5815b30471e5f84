"""Outbox benchmark: BENCH_REMINDERS (20,000) reminders sent through the outbox
(claimed, sent over one SMTP connection, each recorded before the next) to a local
SMTP sink (aiosmtpd), against Django's own ``send_messages`` of the same emails over
one connection, in the same run. Called by ``bench/run.py reminders``."""

import os
import resource
import socket
import time


def _sink():
    from aiosmtpd.controller import Controller

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Handler.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, Handler, port


def reminders_bench():
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives, get_connection
    from django.utils import timezone

    from pixoffice.mail.models import Batch, Message
    from pixoffice.mail.rendering import render_email
    from pixoffice.mail.sending import send_pending

    count = int(os.environ.get("BENCH_REMINDERS", "20000"))
    controller, handler, port = _sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        Message.objects.all().delete()
        Batch.objects.all().delete()
        rendered = render_email(
            kind="reminder",
            context={"student": {"first_name": "Camille"}, "what": "Campagne 1", "code": "MJPECY231",
                     "moment": timezone.now(), "is_workshop": False, "link": "http://x/mes-campagnes/"},
        )  # fmt: skip
        to = [f"e{i}@etu.univ-exemple.fr" for i in range(count)]

        def baseline():
            emails = [
                EmailMultiAlternatives(
                    rendered.subject, rendered.text, settings.DEFAULT_FROM_EMAIL, [t]
                )
                for t in to
            ]
            for e in emails:
                e.attach_alternative(rendered.html, "text/html")
            connection = get_connection()
            connection.open()
            try:
                return connection.send_messages(emails)
            finally:
                connection.close()

        start = time.perf_counter()
        baseline_sent = baseline()
        baseline_seconds = time.perf_counter() - start

        start = time.perf_counter()
        now = timezone.now()
        Message.objects.bulk_create(
            [
                Message(
                    key=f"bench:{i}",
                    kind="reminder",
                    to=t,
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    next_attempt_at=now,
                )
                for i, t in enumerate(to)
            ],
            batch_size=5000,
        )
        queue_seconds = time.perf_counter() - start
        start = time.perf_counter()
        report = send_pending(limit=count)
        outbox_seconds = time.perf_counter() - start
        sent_rows = Message.objects.filter(status="sent").count()
    finally:
        controller.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base_rate, outbox_rate = baseline_sent / baseline_seconds, report.sent / outbox_seconds
    print(f"reminders, {count} emails to a local SMTP sink (aiosmtpd), one connection each way")
    print(
        f"  Django send_messages (baseline)  : {baseline_seconds:7.1f} s  {base_rate:7.0f} emails/s"
    )
    print(f"  outbox rows written (bulk)       : {queue_seconds:7.1f} s")
    print(
        f"  outbox send_pending (claim, send, record each): {outbox_seconds:7.1f} s  "
        f"{outbox_rate:7.0f} emails/s  ({outbox_rate / base_rate:.2f}x send_messages)"
    )
    print(f"  sent rows {sent_rows}, sink received {handler.count}, peak memory {peak_mb:.0f} MB")
