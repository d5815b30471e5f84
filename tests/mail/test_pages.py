"""Staff pages of the outbox: the list (filters, query count), a bulk send's preview,
hold and release; the Celery task."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pixoffice.mail import services
from pixoffice.mail.models import Message
from pixoffice.mail.tasks import send_pending
from tests.factories import StudentFactory


def queue_for(student, key, batch=None, hold=False):
    return services.queue_message(
        key=key,
        to=f"{key}@etu.example.fr",
        template="workshop_registered",
        context={"student": student},
        student=student,
        batch=batch,
        hold=hold,
    )[0]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_outbox_list_query_count(staff_client, programmes, count):
    for n in range(count):
        queue_for(StudentFactory(programme=programmes["L2 SED"]), f"k{n}")
    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get("/equipe/courriels/")
    assert len(page.context["page"].object_list) == count
    # session, user, count, the page (students, programmes, batches joined)
    assert len(queries) == 4, "\n".join(q["sql"] for q in queries)


@pytest.mark.django_db
def test_outbox_filters_by_status_and_student_name(staff_client, programmes):
    ines = StudentFactory(programme=programmes["L2 SED"], last_name="Benali")
    queue_for(ines, "ines")
    sent = queue_for(StudentFactory(programme=programmes["L2 SED"]), "autre")
    Message.objects.filter(pk=sent.pk).update(status=Message.Status.SENT)

    by_name = staff_client.get("/equipe/courriels/?q=benali").context["page"].object_list
    by_status = staff_client.get("/equipe/courriels/?status=sent").context["page"].object_list

    assert [m.key for m in by_name] == ["ines"] and [m.key for m in by_status] == ["autre"]


@pytest.mark.django_db
def test_batch_preview_hold_and_release(staff_client, programmes, people):
    batch = services.create_batch(label="Rappel MJPECY231", by=people["staff"])
    students = [StudentFactory(programme=programmes["L2 SED"]) for _ in range(3)]
    for n, student in enumerate(students):
        queue_for(student, f"b{n}", batch=batch, hold=True)

    preview = staff_client.get(f"/equipe/envois/{batch.pk}/")
    body = preview.content.decode()
    assert preview.context["count"] == 3 and "3 courriels dans cet envoi." in body
    assert "Inscription confirmée" in body  # the rendered sample
    assert all(s.last_name in body for s in students)  # the list of recipients

    send_pending.delay()
    assert mail.outbox == []
    staff_client.post(f"/equipe/envois/{batch.pk}/liberer")
    send_pending.delay()
    assert len(mail.outbox) == 3
    staff_client.post(f"/equipe/envois/{batch.pk}/retenir")  # nothing left to hold
    assert Message.objects.filter(status=Message.Status.SENT).count() == 3


@pytest.mark.django_db
def test_staff_of_another_programme_cannot_open_a_batch(client, people, programmes):
    batch = services.create_batch(label="Rappel", by=people["staff"])
    queue_for(StudentFactory(programme=programmes["L2 SED"]), "x", batch=batch)
    client.force_login(people["staff_other"])

    assert client.get(f"/equipe/envois/{batch.pk}/").status_code == 404
    assert client.post(f"/equipe/envois/{batch.pk}/liberer").status_code == 404


@pytest.mark.django_db
def test_staff_decide_on_an_uncertain_message(staff_client, programmes):
    message = queue_for(StudentFactory(programme=programmes["L2 SED"]), "u")
    Message.objects.filter(pk=message.pk).update(status=Message.Status.UNCERTAIN)

    page = staff_client.get(f"/equipe/courriels/{message.pk}/")
    assert "Il ne sera pas renvoyé sans votre décision." in page.content.decode()
    staff_client.post(f"/equipe/courriels/{message.pk}/", {"decision": "sent"})

    message.refresh_from_db()
    assert message.status == Message.Status.SENT and mail.outbox == []
