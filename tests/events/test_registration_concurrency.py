"""Seats under concurrency, on PostgreSQL with real threads (one connection each):
200 parallel registrations on 20 seats → 20 registered, 180 waiting in the order of
the lock (their mails say n° 1 … 180), promotions on parallel cancellations in that
order with one email each; and the proof that ``register`` counts under the
workshop's row lock (it waits for a holder; without the lock the seats oversell)."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from pixoffice.core.locking import lock_rows
from pixoffice.events import services
from pixoffice.events.models import Registration, Workshop
from pixoffice.mail.models import Message
from tests.factories import StudentFactory
from tests.factories.events import WorkshopFactory

Status = Registration.Status
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def in_thread(function):
    """Run ``function`` with its own database connection, closed afterwards."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


def position_in(text: str) -> int:
    return int(re.search(r"vous êtes n° (\d+) sur la liste d'attente", text).group(1))


def test_200_parallel_registrations_on_20_seats_then_parallel_cancellations():
    workshop = WorkshopFactory(seats=20)
    students = [StudentFactory(programme=workshop.programme) for _ in range(200)]
    start = threading.Barrier(20)

    @in_thread
    def register(index_and_student):
        index, student = index_and_student
        if index < 20:  # the first twenty go together
            start.wait(timeout=30)
        return services.register(workshop=workshop, student=student).status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(register, enumerate(students)))

    assert statuses.count(Status.REGISTERED) == 20 and statuses.count(Status.WAITING) == 180
    rows = list(Registration.objects.filter(workshop=workshop).order_by("created_at", "pk"))
    assert [r.status for r in rows] == [Status.REGISTERED] * 20 + [Status.WAITING] * 180
    # one mail each; the waiting ones are told their place, 1 … 180 in the lock's order
    mails = {m.student_id: m for m in Message.objects.filter(kind="workshop_registered")}
    assert len(mails) == 200 and Message.objects.count() == 200
    assert [position_in(mails[r.student_id].text) for r in rows[20:]] == list(range(1, 181))

    # five seated students cancel at once, each with a double click
    @in_thread
    def cancel(registration):
        return services.cancel_registration(registration=registration)

    leaving = rows[:5] * 2
    with ThreadPoolExecutor(max_workers=10) as pool:
        promoted = [p for p in pool.map(cancel, leaving) if p is not None]

    first_waiting = [r.pk for r in rows[20:25]]
    assert sorted(p.pk for p in promoted) == sorted(first_waiting)
    counts = {
        s: Registration.objects.filter(workshop=workshop, status=s).count() for s in Status.values
    }
    assert counts == {Status.REGISTERED: 20, Status.WAITING: 175, Status.CANCELLED: 5}
    promotions = Message.objects.filter(kind="workshop_promoted")
    assert sorted(promotions.values_list("student_id", flat=True)) == sorted(
        r.student_id for r in rows[20:25]
    )
    assert Message.objects.count() == 205  # and nothing else was sent


def test_register_counts_the_seats_only_once_it_holds_the_workshop_lock():
    """A transaction holds the workshop's row; a registration waits for it (PostgreSQL
    says so), and then sees the last seat the holder took: it goes on the list."""
    workshop = WorkshopFactory(seats=1)
    holder_student, asker = (StudentFactory(programme=workshop.programme) for _ in range(2))
    locked, release, pid = threading.Event(), threading.Event(), []

    @in_thread
    def hold():
        with transaction.atomic():
            lock_rows(Workshop, [workshop.pk])
            Registration.objects.create(
                workshop=workshop, student=holder_student, status=Status.REGISTERED
            )
            locked.set()
            assert release.wait(timeout=30)

    @in_thread
    def ask():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid.append(cursor.fetchone()[0])
        return services.register(workshop=workshop, student=asker).status

    with ThreadPoolExecutor(max_workers=2) as pool:
        holding = pool.submit(hold)
        assert locked.wait(timeout=30)
        asking = pool.submit(ask)
        waiting_for_lock = False
        for _ in range(200):  # polled, not timed: at most ~4 s, under the 5 s lock timeout
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", pid or [0]
                )
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                waiting_for_lock = True
                break
            time.sleep(0.02)
        release.set()
        holding.result()
        status = asking.result()

    assert waiting_for_lock, "register did not wait for the workshop's row lock"
    assert status == Status.WAITING
    assert Registration.objects.filter(workshop=workshop, status=Status.REGISTERED).count() == 1


def test_without_the_lock_the_last_seat_is_sold_twice(monkeypatch):
    """The counter-proof: with ``lock_rows`` taken out, two students who count at the
    same moment both get the one seat. The tests above would fail on that code."""
    workshop = WorkshopFactory(seats=1)
    students = [StudentFactory(programme=workshop.programme) for _ in range(2)]
    both_counted = threading.Barrier(2)
    create = Registration.objects.create

    def create_after_both_counted(**fields):
        both_counted.wait(timeout=30)
        return create(**fields)

    monkeypatch.setattr(services, "lock_rows", lambda *args, **kwargs: [])
    monkeypatch.setattr(Registration.objects, "create", create_after_both_counted)

    @in_thread
    def register(student):
        return services.register(workshop=workshop, student=student).status

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(register, students))

    assert statuses == [Status.REGISTERED, Status.REGISTERED]  # 2 seated on 1 seat
