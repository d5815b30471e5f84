"""``grading.services.recompute``: a cohort's notes computed in bulk from the counting
shares, recomputed on changes, under the scheme's lock, with an audit line per change."""

from decimal import Decimal as D

import psycopg
import pytest
from django.db import connection

from grading import explain, services
from grading.models import Note, NoteChange
from grading.services import recompute
from tests.factories import StudentFactory
from tests.grading.conftest import give_badge

pytestmark = pytest.mark.django_db


def note_of(scheme, student) -> Note:
    return Note.objects.get(scheme=scheme, student=student)


def test_saint_etienne_scheme_notes_every_student_of_the_cohort(saint_etienne):
    world = saint_etienne
    give_badge(world.simon, world.requirement)

    report = services.recompute_notes(world.scheme)

    # the unmatched row and the student of another year are not in the cohort
    assert (report.students, report.created) == (4, 4)
    assert Note.objects.filter(scheme=world.scheme).count() == 4
    note = note_of(world.scheme, world.simon)
    # counting share of 15/03/2026 (136 pix): 1.1 → 0, 2.1 → 1, 3.1 → 2, 4.1 → 0: mean
    # 0,75 → 1,5/10; 1.2 → 2, 2.2 → 0, 2.3 → 0, 3.2 → 0, 4.2 → 1: mean 0,6 → 1/10
    assert note.value == D("2.5")
    assert note.result == Note.Result.NOT_VALIDATED
    assert explain.sentences(note.explanation) == [
        "Campagne 1 : niveau moyen 0,75 sur les compétences 1.1, 2.1, 3.1, 4.1 → 1,5/10",
        "Campagne 2 : niveau moyen 0,6 sur les compétences 1.2, 2.2, 2.3, 3.2, 4.2 → 1/10",
        "Module IA : obtenu",
        "Total : 1,5 + 1 = 2,5/20",
        "Résultat : 2,5/20 < 10 → non validé",
    ]
    counting = world.simon.participations.get(campaign=world.campaigns[0]).shares.get(counts=True)
    source = note.sources[f"c{world.scheme.components.first().pk}"]
    assert (source["share"], source["import"]) == (counting.pk, counting.import_batch_id)
    # no share in campaign 2 counts 0 for it; never joined a campaign: 0 for each
    assert note_of(world.scheme, world.nina).value == D(4)
    assert note_of(world.scheme, world.leo).value == 0


def test_without_the_badge_a_passing_note_is_not_validated(saint_etienne):
    scheme, hugo = saint_etienne.scheme, saint_etienne.hugo
    services.recompute_notes(scheme)
    best = Note.objects.filter(scheme=scheme).order_by("-value").first()
    assert (best.student, best.value) == (hugo, D(18))
    assert best.result == Note.Result.NOT_VALIDATED
    assert best.explanation[-1]["unmet"] == ["Module IA"]

    give_badge(hugo, saint_etienne.requirement)
    services.recompute_notes(scheme, [hugo.pk])

    best.refresh_from_db()
    assert best.result == Note.Result.VALIDATED


def test_a_badge_status_change_recomputes_that_students_note(
    saint_etienne, django_capture_on_commit_callbacks
):
    from pixoffice.badges.models import BadgeSubmission
    from pixoffice.badges.signals import badge_status_changed

    scheme, hugo, requirement = saint_etienne.scheme, saint_etienne.hugo, saint_etienne.requirement
    services.recompute_notes(scheme)
    give_badge(hugo, requirement, BadgeSubmission.Status.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        badge_status_changed.send(
            BadgeSubmission, student_id=hugo.pk, requirement_id=requirement.pk
        )

    best = note_of(scheme, hugo)
    assert best.result == Note.Result.VALIDATED
    change = best.changes.filter(kind=NoteChange.Kind.COMPUTED).first()
    assert (change.old_result, change.new_result) == ("not_validated", "validated")


def test_an_import_recomputes_the_notes_of_schemes_using_the_campaign(
    roster, programmes, year, data_dir, se_grid, django_capture_on_commit_callbacks
):
    """About the import itself: the real sample export, on the sample roster."""
    from tests.factories import CampaignFactory, SchemeFactory
    from tests.grading.conftest import import_export

    campaign = CampaignFactory(code="URRTVG494", academic_year=year, programmes=[])
    scheme = SchemeFactory(
        name="S",
        academic_year=year,
        programmes=list(programmes.values()),
        components=[{"label": "C1", "campaign": campaign, "grid": se_grid}],
    )
    services.recompute_notes(scheme)
    simon = Note.objects.get(scheme=scheme, student__student_number="21093462")
    assert simon.value == 0

    with django_capture_on_commit_callbacks(execute=True):
        import_export((data_dir / "profiles-collection-sup.csv").read_bytes())

    simon.refresh_from_db()
    assert simon.value == D("1.5")


def test_recompute_is_idempotent_and_audits_only_changes(saint_etienne):
    services.recompute_notes(saint_etienne.scheme)
    audit = NoteChange.objects.count()

    report = services.recompute_notes(saint_etienne.scheme)

    assert (report.created, report.changed, report.unchanged) == (0, 0, 4)
    assert NoteChange.objects.count() == audit


@pytest.mark.parametrize("more", [0, 300])
def test_recompute_query_count_does_not_grow_with_the_cohort(
    saint_etienne, programmes, year, more, django_assert_num_queries
):
    StudentFactory.create_batch(more, programme=programmes["L2 Géographie"], academic_year=year)

    # savepoint; lock the scheme, read it; its components, their campaigns' competences;
    # each grid's year (2: a campaign component's rule names its grid, and
    # ``scheme_components`` does not select the grid's year); the cohort's ids; the
    # counting shares of each campaign (2), the badge holders; the stored notes; the new
    # notes' ids; release (notes and audit lines go by COPY on the raw connection).
    # The sample-files world (real imports, 96 students) costs the same 14.
    with django_assert_num_queries(14):
        services.recompute_notes(saint_etienne.scheme)

    assert Note.objects.filter(scheme=saint_etienne.scheme).count() == 4 + more


# --- under the scheme's lock (two connections) ------------------------------------------


def scheme_is_locked(scheme_id: int) -> bool:
    """Asked from another connection: is the scheme's row locked right now?"""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        try:
            other.execute(
                "SELECT 1 FROM grading_scheme WHERE id = %s FOR UPDATE NOWAIT", [scheme_id]
            )
        except psycopg.errors.LockNotAvailable:
            return True
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("some", [False, True], ids=["whole cohort", "some students"])
def test_recompute_reads_its_inputs_under_the_scheme_lock(saint_etienne, monkeypatch, some):
    """An older run never stores notes computed from inputs older than a newer run's."""
    scheme = saint_etienne.scheme
    seen = []
    for name in ["scheme_components", "gather_inputs"]:
        original = getattr(recompute, name)

        def checked(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, scheme_is_locked(scheme.pk)))
            return _original(*args, **kwargs)

        monkeypatch.setattr(recompute, name, checked)

    ids = [s.pk for s in saint_etienne.students[:3]] if some else None
    services.recompute_notes(scheme, ids)

    assert seen and all(locked for _name, locked in seen), seen
