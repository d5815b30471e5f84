"""Seats hold when students enrol at the same moment (PostgreSQL, real connections).

Three tests, so that the first cannot pass by luck:

- 200 students press « M'inscrire » together (threads released by one barrier, each
  request on its own connection) for a 30-seat session: exactly 30 candidates, the
  170 others see « Session complète » on their page, nobody an error — and backends
  were seen queued on the session's row lock while it happened;
- with the lock in place, a second enrolment *waits* for the first one's transaction
  and then finds the last seat taken (a hook holds the first one between its count
  and its insert; PostgreSQL reports the second as waiting on a lock);
- with ``lock_rows`` switched off, the same two enrolments both count a free seat and
  both write: the race the lock prevents is real.

PostgreSQL's ``max_connections`` bounds how many requests can hold a connection at
once: the 200 threads start together and go through as many connections as the
server has free (all 200 when it has them; the number is printed).
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from certification import enrolment, services
from certification.models import Candidate
from pixoffice.mail.models import Message
from tests.certification.enrolment_helpers import make_eligible, open_session
from tests.factories import StudentFactory, StudentUserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks"),
]

STUDENTS, SEATS = 200, 30
SPARE_CONNECTIONS = 40  # left to the other test runs sharing the server


def free_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        return cursor.fetchone()[0]


def waiting_on_locks() -> int:
    """Backends of the test database waiting for a lock (a row lock: ``transactionid``
    or ``tuple``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def poll(until, *, while_alive=(), rounds=3000) -> bool:
    """Ask ``until()`` every 10 ms (for at most 30 s) while the threads run."""
    tick = threading.Event()
    for _ in range(rounds):
        if until():
            return True
        if while_alive and not any(t.is_alive() for t in while_alive):
            return until()
        tick.wait(0.01)
    return False


def test_200_simultaneous_enrolments_fill_a_30_seat_session_exactly():
    session = open_session(seats=SEATS, room__seats=SEATS)
    users = [StudentUserFactory() for _ in range(STUDENTS)]
    make_eligible(*(u.student for u in users))
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("certification:enrol", kwargs={"pk": session.pk})
    at_once = max(2, min(STUDENTS, free_connections() - SPARE_CONNECTIONS))
    print(f"{STUDENTS} enrolments, {at_once} connections at once")
    connections_left = threading.BoundedSemaphore(at_once)
    start = threading.Barrier(STUDENTS)
    pages, crashes = [], []

    def press(client):
        try:
            start.wait(timeout=60)
            with connections_left:
                try:
                    posted = client.post(url)
                    page = client.get(posted["Location"])
                    pages.append((posted.status_code, page.status_code, page.content.decode()))
                finally:
                    connections.close_all()
        except BaseException as error:  # reported below: nothing may escape
            crashes.append(repr(error))

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    most_waiting = 0

    def sample():
        nonlocal most_waiting
        most_waiting = max(most_waiting, waiting_on_locks())
        return False

    poll(sample, while_alive=threads)
    for thread in threads:
        thread.join()

    print(f"at most {most_waiting} requests seen queued on a lock at once")
    assert crashes == []
    assert Candidate.objects.filter(session=session).count() == SEATS
    assert Message.objects.filter(key__startswith="certification:enrolled:").count() == SEATS
    assert sorted({(posted, shown) for posted, shown, _text in pages}) == [(302, 200)]
    placed = [t for _p, _s, t in pages if "Vous êtes inscrit·e à la session du" in t]
    full = [t for _p, _s, t in pages if "Session complète : toutes ses places sont prises" in t]
    assert (len(placed), len(full)) == (SEATS, STUDENTS - SEATS)
    assert all("<strong>complète</strong>" in t for t in full)  # and the list says so
    # the requests really met at the session row: some queued behind its lock
    assert most_waiting >= 1


@pytest.fixture
def two_students():
    first, second = StudentFactory(), StudentFactory()
    make_eligible(first, second)
    return first, second


def run_enrolment(session, student, outcomes):
    try:
        enrolment.enrol(session_id=session.pk, student=student)
        outcomes[student.pk] = "placed"
    except ValidationError as error:
        outcomes[student.pk] = error.code
    finally:
        connections.close_all()


def test_a_second_enrolment_waits_for_the_lock_then_finds_the_session_full(
    monkeypatch, two_students
):
    first, second = two_students
    session = open_session(seats=1)
    counted, release = threading.Event(), threading.Event()
    create = Candidate.objects.create

    def create_held_open(**fields):  # the first enrolment stops between count and insert
        if fields["student"].pk == first.pk:
            counted.set()
            release.wait(timeout=30)
        return create(**fields)

    monkeypatch.setattr(Candidate.objects, "create", create_held_open)
    outcomes = {}
    one = threading.Thread(target=run_enrolment, args=(session, first, outcomes))
    one.start()
    assert counted.wait(timeout=30)
    two = threading.Thread(target=run_enrolment, args=(session, second, outcomes))
    two.start()

    queued = poll(lambda: waiting_on_locks() >= 1, while_alive=[two])
    release.set()
    one.join()
    two.join()

    assert queued, "the second enrolment did not wait for the session's row lock"
    assert outcomes == {first.pk: "placed", second.pk: "full"}
    assert Candidate.objects.filter(session=session).count() == 1


def test_without_the_lock_two_enrolments_take_the_same_last_seat(monkeypatch, two_students):
    first, second = two_students
    session = open_session(seats=1)
    both_counted = threading.Barrier(2)
    create = Candidate.objects.create

    def create_after_both_counted(**fields):
        both_counted.wait(timeout=30)
        return create(**fields)

    monkeypatch.setattr(services, "lock_rows", lambda *args, **kwargs: None)
    monkeypatch.setattr(Candidate.objects, "create", create_after_both_counted)
    outcomes = {}
    threads = [
        threading.Thread(target=run_enrolment, args=(session, s, outcomes)) for s in two_students
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {first.pk: "placed", second.pk: "placed"}
    assert Candidate.objects.filter(session=session).count() == 2  # one seat, two candidates
