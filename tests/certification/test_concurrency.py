"""Seats hold when many placements arrive at once (PostgreSQL, real connections)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from certification import services
from certification.models import Candidate
from tests.factories import StudentFactory
from tests.factories.certification import SessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks"),
]


def test_thirty_simultaneous_placements_fill_a_five_seat_session_exactly(monkeypatch):
    create = Candidate.objects.create

    def slow_create(**fields):  # widen the window between counting and writing
        time.sleep(0.05)
        return create(**fields)

    monkeypatch.setattr(Candidate.objects, "create", slow_create)
    session = SessionFactory(seats=5)
    students = StudentFactory.create_batch(30)
    start = threading.Barrier(len(students))
    outcomes = []

    def place(student):
        try:
            start.wait()
            services.place_candidate(session_id=session.pk, student=student)
            outcomes.append("placed")
        except ValidationError as error:
            outcomes.append(error.code if hasattr(error, "code") else "error")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Candidate.objects.filter(session=session).count() == 5
    assert sorted(outcomes) == ["full"] * 25 + ["placed"] * 5
