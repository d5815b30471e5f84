"""An allocation into a session already published: the convocation is the one email."""

import pytest

from certification import allocation_runs
from certification.models import Candidate, CertificationSession
from pixoffice.mail.models import Message
from tests.certification.test_allocation import make_eligible, propose
from tests.factories import ProgrammeFactory, StudentFactory
from tests.factories.certification import SessionFactory, paris
from tests.factories.rooms import RoomFactory


@pytest.mark.django_db
def test_students_placed_in_a_published_session_get_their_convocation_only(
    django_capture_on_commit_callbacks,
):
    geo = ProgrammeFactory(name="L2 Géographie")
    room = RoomFactory(seats=30)
    published = SessionFactory(
        room=room,
        starts_at=paris(2027, 3, 11, 8),
        seats=2,
        status=CertificationSession.Status.PUBLISHED,
    )
    draft = SessionFactory(room=room, starts_at=paris(2027, 3, 11, 10, 30), seats=2)
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(4)]
    make_eligible(students)

    run = propose(type(geo).objects.filter(pk=geo.pk), [published, draft])
    with django_capture_on_commit_callbacks(execute=True):
        allocation_runs.apply_allocation(run_id=run.pk, site_url="https://pix.test")

    in_published = set(
        Candidate.objects.filter(session=published).values_list("student_id", flat=True)
    )
    in_draft = set(Candidate.objects.filter(session=draft).values_list("student_id", flat=True))
    assert len(in_published) == 2 and len(in_draft) == 2
    for student in students:
        kinds = sorted(Message.objects.filter(student=student).values_list("kind", flat=True))
        if student.pk in in_published:
            assert kinds == ["convocation"]  # with its .ics, not a second notice
        else:
            assert kinds == ["certification_allocated"]  # the convocation comes on publication
