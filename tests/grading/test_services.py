"""Notes computed in bulk from imports, recomputed on changes, overridden, published."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading import computation as calc
from grading import explain, grids, services
from grading.models import Note, NoteChange, Publication
from pixoffice.accounts.models import Student
from tests.factories import StudentFactory
from tests.grading.conftest import give_badge

pytestmark = pytest.mark.django_db


def note_of(scheme, number) -> Note:
    return Note.objects.get(scheme=scheme, student__student_number=number)


def test_saint_etienne_scheme_on_the_sample_files(scheme, requirement):
    simon = Student.objects.get(student_number="21093462")
    give_badge(simon, requirement)

    report = services.recompute_notes(scheme)

    assert report.students == 96 and report.created == 96
    note = note_of(scheme, "21093462")
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
    assert note.sources[f"c{scheme.components.first().pk}"]["import"] is not None
    # roster-only students (never joined) get 0 for each campaign
    assert note_of(scheme, "22900001").value == 0


def test_without_the_badge_a_passing_note_is_not_validated(scheme, requirement):
    services.recompute_notes(scheme)
    best = Note.objects.filter(scheme=scheme).order_by("-value").first()
    assert best.value >= 10  # the sample has students above the pass mark
    assert best.result == Note.Result.NOT_VALIDATED
    assert best.explanation[-1]["unmet"] == ["Module IA"]

    give_badge(best.student, requirement)
    services.recompute_notes(scheme, [best.student_id])

    best.refresh_from_db()
    assert best.result == Note.Result.VALIDATED


def test_a_badge_status_change_recomputes_that_students_note(
    scheme, requirement, django_capture_on_commit_callbacks
):
    from pixoffice.badges.models import BadgeSubmission
    from pixoffice.badges.signals import badge_status_changed

    services.recompute_notes(scheme)
    best = Note.objects.filter(scheme=scheme).order_by("-value").first()
    give_badge(best.student, requirement, BadgeSubmission.Status.ACCEPTED)

    with django_capture_on_commit_callbacks(execute=True):
        badge_status_changed.send(
            BadgeSubmission, student_id=best.student_id, requirement_id=requirement.pk
        )

    best.refresh_from_db()
    assert best.result == Note.Result.VALIDATED
    change = best.changes.filter(kind=NoteChange.Kind.COMPUTED).first()
    assert (change.old_result, change.new_result) == ("not_validated", "validated")


def test_an_import_recomputes_the_notes_of_schemes_using_the_campaign(
    roster, programmes, year, data_dir, se_grid, django_capture_on_commit_callbacks
):
    from grading.models import Component, Scheme
    from tests.factories import CampaignFactory
    from tests.grading.conftest import import_export

    campaign = CampaignFactory(code="URRTVG494", academic_year=year, programmes=[])
    scheme = Scheme.objects.create(name="S", academic_year=year)
    scheme.programmes.set(programmes.values())
    Component.objects.create(
        scheme=scheme, label="C1", campaign=campaign, basis="mean_level", grid=se_grid
    )
    services.recompute_notes(scheme)
    assert note_of(scheme, "21093462").value == 0

    with django_capture_on_commit_callbacks(execute=True):
        import_export((data_dir / "profiles-collection-sup.csv").read_bytes())

    assert note_of(scheme, "21093462").value == D("1.5")


def test_recompute_is_idempotent_and_audits_only_changes(scheme):
    services.recompute_notes(scheme)
    audit = NoteChange.objects.count()

    report = services.recompute_notes(scheme)

    assert (report.created, report.changed, report.unchanged) == (0, 0, 96)
    assert NoteChange.objects.count() == audit


def test_recompute_query_count_does_not_grow_with_the_cohort(scheme, programmes, year):
    def queries_for_recompute():
        Note.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            services.recompute_notes(scheme)
        return len(captured)

    small = queries_for_recompute()
    StudentFactory.create_batch(300, programme=programmes["L2 Géographie"], academic_year=year)
    large = queries_for_recompute()

    assert large == small


def test_override_needs_a_reason_and_is_audited(scheme, people):
    services.recompute_notes(scheme)
    note = note_of(scheme, "21093462")

    with pytest.raises(services.GradingError, match="motif"):
        services.override_note(
            note, value=D(12), result="validated", reason=" ", by=people["staff"]
        )
    services.override_note(
        note, value=D(12), result="validated", reason="Jury du 12/01", by=people["staff"]
    )

    note.refresh_from_db()
    assert (note.final_value, note.final_result) == (D(12), "validated")
    change = note.changes.first()
    assert (change.kind, change.old_value, change.new_value, change.reason, change.by) == (
        "override",
        D("2.5"),
        D(12),
        "Jury du 12/01",
        people["staff"],
    )
    # a recomputation keeps the override in force
    services.recompute_notes(scheme)
    note.refresh_from_db()
    assert note.final_value == D(12)

    services.remove_override(note, reason="Erreur de saisie", by=people["staff"])
    note.refresh_from_db()
    assert (note.final_value, note.is_overridden) == (D("2.5"), False)


def test_publication_then_republication_with_a_reason(scheme, programmes, people):
    services.recompute_notes(scheme)
    geo = programmes["L2 Géographie"]
    count = Note.objects.filter(scheme=scheme, student__programme=geo).count()

    publication = services.publish_notes(scheme, geo, by=people["staff"])
    assert publication.notes_count == count
    assert services.publish_notes(scheme, geo, by=people["staff"]) is None  # nothing new

    note = Note.objects.filter(scheme=scheme, student__programme=geo).first()
    services.override_note(note, value=D(15), result="validated", reason="Jury", by=people["staff"])
    note.refresh_from_db()
    assert note.published_value != D(15) and note.differs_from_published

    with pytest.raises(services.GradingError, match="motif"):
        services.publish_notes(scheme, geo, by=people["staff"])
    publication = services.publish_notes(scheme, geo, by=people["staff"], reason="Jury de janvier")

    assert publication.notes_count == 1
    note.refresh_from_db()
    assert (note.published_value, note.published_result) == (D(15), "validated")
    kinds = list(note.changes.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["computed", "published", "override", "republished"]
    assert note.published_explanation[-1]["kind"] == "override"
    assert Publication.objects.count() == 2


def test_other_programmes_stay_unpublished(scheme, programmes, people):
    services.recompute_notes(scheme)

    services.publish_notes(scheme, programmes["L2 Géographie"], by=people["staff"])

    unpublished = Note.objects.filter(scheme=scheme, published_at__isnull=True)
    assert unpublished.exists()
    assert not unpublished.filter(student__programme=programmes["L2 Géographie"]).exists()


def test_simulation_of_a_grid_edit_counts_who_changes(scheme, se_grid):
    services.recompute_notes(scheme)
    harder = [calc.Step(s.minimum, s.note / 2) for s in se_grid.step_list()]

    [(simulated_scheme, simulation)] = services.simulate_grid_edit(se_grid, harder, D(10))

    assert simulated_scheme == scheme
    assert simulation.students == 96
    nonzero = Note.objects.filter(scheme=scheme, value__gt=0).count()
    assert simulation.changed == nonzero > 0
    assert sum(simulation.before) == sum(simulation.after) == 96
    assert Note.objects.filter(scheme=scheme, value__gt=0).count() == nonzero  # nothing saved


def test_editing_a_grid_used_by_published_notes_makes_a_new_version(
    scheme, se_grid, programmes, people, django_capture_on_commit_callbacks
):
    services.recompute_notes(scheme)
    services.publish_notes(scheme, programmes["L2 Géographie"], by=people["staff"])
    assert grids.is_locked(se_grid)
    harder = [calc.Step(s.minimum, s.note / 2) for s in se_grid.step_list()]

    with django_capture_on_commit_callbacks(execute=True):
        newer = grids.save_grid(se_grid, steps=harder, scale=D(10), by=people["staff"])

    se_grid.refresh_from_db()
    assert (newer.version, newer.supersedes) == (2, se_grid)
    assert se_grid.steps[-1] == ["5", "10"]  # the old version is untouched
    assert set(scheme.components.exclude(grid=None).values_list("grid", flat=True)) == {newer.pk}
    note = Note.objects.filter(scheme=scheme, published_value__gt=0).first()
    assert note.value == note.published_value / 2  # recomputed, published one kept
    assert note.explanation[0]["grid"].endswith("(v2)")
    assert note.published_explanation[0]["grid"].endswith("(v1)")


def test_editing_an_unused_grid_keeps_its_version(se_grid):
    saved = grids.save_grid(se_grid, steps=se_grid.step_list()[:3], scale=D(10), by=None)

    assert (saved.pk, saved.version, len(saved.steps)) == (se_grid.pk, 1, 3)


def test_invalid_steps_are_refused_with_their_position(se_grid):
    steps = [calc.Step(D(0), D(0)), calc.Step(D(0), D(1))]

    with pytest.raises(services.GradingError, match="Palier 2 : le seuil 0"):
        grids.save_grid(se_grid, steps=steps, scale=D(10), by=None)


def test_copy_grid_for_next_year(se_grid):
    from pixoffice.accounts.models import AcademicYear

    following = AcademicYear.objects.create(name="2026-2027", start="2026-09-01", end="2027-08-31")

    copy = grids.copy_grid(se_grid, following, by=None)

    assert (copy.name, copy.academic_year, copy.version, copy.steps) == (
        se_grid.name,
        following,
        1,
        se_grid.steps,
    )
    with pytest.raises(services.GradingError, match="existe déjà"):
        grids.copy_grid(se_grid, following, by=None)


def test_strasbourg_file_imports_as_is(year, data_dir):
    grid = grids.import_grid(
        (data_dir / "unistra-2023-2024.csv").read_bytes(),
        name="Unistra",
        academic_year=year,
        by=None,
    )

    assert (grid.scale, len(grid.steps), grid.steps[1]) == (D(20), 41, ["65", "0.5"])
    assert grids.grid_csv(grid).decode() == (
        data_dir / "unistra-2023-2024.csv"
    ).read_text().replace("\n", "\r\n")
