"""``campaigns.services.linking``: an unmatched row attached to a roster student, never
giving a student a second participation."""

import pytest

from campaigns import services
from campaigns.models import Participation, Share
from tests.campaigns.importing import run_import
from tests.factories import ParticipationFactory, ShareFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_linking_an_unmatched_row_attaches_its_shares(roster, campaign, sample, people):
    from pixoffice.accounts.models import Student

    run_import(sample("profiles-collection-sup.csv"))
    unmatched = Participation.objects.get(identifier="E189966")
    student = Student.objects.get(student_number="22900001")

    services.link_participation(unmatched, student, by=people["staff"])

    assert [s.total_pix for s in Share.objects.filter(participation__student=student)] == [180]
    assert Participation.objects.filter(student__isnull=True).count() == 9
    _plan, _batch = run_import(sample("profiles-collection-sup.csv"))  # a re-import keeps the link
    assert Participation.objects.get(identifier="E189966").student == student


def test_linking_a_student_who_already_participates_is_refused(roster, campaign, sample, people):
    from pixoffice.accounts.models import Student

    run_import(sample("profiles-collection-sup.csv"))

    with pytest.raises(ValueError, match="a déjà une participation"):
        services.link_participation(
            Participation.objects.get(identifier="E189966"),
            Student.objects.get(student_number="21093462"),
            by=people["staff"],
        )


def test_linking_a_row_already_linked_is_refused_and_keeps_its_student(people):
    row = ParticipationFactory()
    other = StudentFactory()

    with pytest.raises(ValueError, match=rf"^{row.identifier} est déjà rattaché·e"):
        services.link_participation(row, other, by=people["staff"])

    assert Participation.objects.get(pk=row.pk).student_id == row.student_id


def test_linking_records_who_and_announces_the_change(people, django_capture_on_commit_callbacks):
    from campaigns.signals import results_changed

    row = ParticipationFactory(student=None, identifier="E189966")
    ShareFactory(participation=row)
    student = StudentFactory()
    heard = []
    results_changed.connect(lambda **kwargs: heard.append(kwargs), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.link_participation(row, student, by=people["staff"])
    finally:
        results_changed.disconnect(dispatch_uid="t")

    row.refresh_from_db()
    assert (row.student, row.linked_by) == (student, people["staff"])
    assert row.linked_at is not None
    assert [(h["campaign_id"], h["student_ids"]) for h in heard] == [
        (row.campaign_id, [student.pk])
    ]
