"""Seats, the waiting list in order, promotion on cancellation with one email each."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from pixoffice.events import services
from pixoffice.events.models import Registration
from pixoffice.mail.models import Message
from tests.factories import StudentFactory
from tests.factories.events import WorkshopFactory

Status = Registration.Status


@pytest.mark.django_db
def test_seats_then_waiting_list_then_promotion_with_one_email_each():
    workshop = WorkshopFactory(seats=2)
    students = [StudentFactory(programme=workshop.programme) for _ in range(4)]
    regs = [services.register(workshop=workshop, student=s) for s in students]

    assert [r.status for r in regs] == [Status.REGISTERED] * 2 + [Status.WAITING] * 2
    promoted = services.cancel_registration(registration=regs[0])
    services.cancel_registration(registration=regs[0])  # a double click changes nothing

    assert promoted.pk == regs[2].pk and promoted.status == Status.REGISTERED
    promotions = Message.objects.filter(kind="workshop_promoted")
    assert [m.student_id for m in promotions] == [students[2].pk]
    assert Message.objects.filter(kind="workshop_registered").count() == 4
    assert "vous passez de la liste d'attente aux inscrits" in promotions.get().text


@pytest.mark.django_db
def test_a_second_registration_is_refused_in_french():
    workshop = WorkshopFactory()
    student = StudentFactory(programme=workshop.programme)
    services.register(workshop=workshop, student=student)

    with pytest.raises(services.RegistrationError, match="déjà inscrit·e"):
        services.register(workshop=workshop, student=student)


@pytest.mark.django_db
def test_registration_before_the_opening_is_refused():
    import datetime as dt

    workshop = WorkshopFactory(registration_opens=dt.datetime(2099, 2, 12, 9, tzinfo=dt.UTC))

    with pytest.raises(services.RegistrationError, match="ouvrent le 12/02/2099"):
        services.register(workshop=workshop, student=StudentFactory())


@pytest.mark.django_db(transaction=True)
def test_200_parallel_registrations_on_20_seats():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    workshop = WorkshopFactory(seats=20)
    students = [StudentFactory(programme=workshop.programme) for _ in range(200)]
    start = threading.Barrier(20)

    def one(student):
        try:
            if student.pk <= students[19].pk:  # the first twenty tasks start together
                start.wait(timeout=10)
            return services.register(workshop=workshop, student=student).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(one, students))

    assert statuses.count(Status.REGISTERED) == 20 and statuses.count(Status.WAITING) == 180
    rows = list(Registration.objects.filter(workshop=workshop).order_by("created_at", "pk"))
    assert [r.status for r in rows] == [Status.REGISTERED] * 20 + [Status.WAITING] * 180
    first_waiting = rows[20]
    services.cancel_registration(registration=rows[0])
    first_waiting.refresh_from_db()
    assert first_waiting.status == Status.REGISTERED
    assert Registration.objects.filter(workshop=workshop, status=Status.REGISTERED).count() == 20
