"""Seats hold when many placements arrive at once (PostgreSQL, real connections).

No timing is trusted: the first placement is held open between its count and its
insert, and the test goes on only once PostgreSQL shows every other placement queued
behind the session's row lock. Without the lock they would not queue (the test fails
there) and would all count the seats still free.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from certification import services
from certification.models import Candidate
from tests.certification.test_enrolment_concurrency import poll, waiting_on_locks
from tests.factories import StudentFactory
from tests.factories.certification import SessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks"),
]


def test_thirty_simultaneous_placements_fill_a_five_seat_session_exactly(monkeypatch):
    session = SessionFactory(seats=5)
    students = StudentFactory.create_batch(30)
    holding, release = threading.Event(), threading.Event()
    create = Candidate.objects.create
    first, holder = threading.Lock(), []

    def create_first_held_open(**fields):
        if first.acquire(blocking=False):  # the first to count holds its lock open
            holder.append(threading.current_thread())
            holding.set()
            release.wait(timeout=30)
        return create(**fields)

    monkeypatch.setattr(Candidate.objects, "create", create_first_held_open)
    start = threading.Barrier(len(students))
    outcomes = []

    def place(student):
        try:
            start.wait(timeout=30)
            services.place_candidate(session_id=session.pk, student=student)
            outcomes.append("placed")
        except ValidationError as error:
            outcomes.append(getattr(error, "code", "error"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(s,)) for s in students]
    for thread in threads:
        thread.start()
    assert holding.wait(timeout=30)
    others = [t for t in threads if t is not holder[0]]
    queued = poll(lambda: waiting_on_locks() >= len(students) - 1, while_alive=others)
    release.set()
    for thread in threads:
        thread.join()

    assert queued, "the other placements did not queue behind the session's row lock"
    assert Candidate.objects.filter(session=session).count() == 5
    assert sorted(outcomes) == ["full"] * 25 + ["placed"] * 5
