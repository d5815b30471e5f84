"""The purge: what it removes (every row pointing at a purged student, names, birth
data, files), what it keeps (the figures of the statistics page), all or nothing."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import models

from campaigns.models import Participation, ResultImport, Share
from certification.models import CertificationResult
from pixoffice.accounts.models import RosterImport, Student, User
from pixoffice.badges.models import BadgeSubmission
from pixoffice.mail.models import Message
from pixoffice.privacy import retention, year_statistics
from pixoffice.privacy.models import YearStatistics
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def figures():
    """The statistics page's figures, comparable."""
    admin = User.objects.filter(role="admin").first() or AdminFactory()
    return [
        (
            block.year.name,
            [(str(line.programme), vars(line.counts)) for line in block.lines],
        )
        for block in year_statistics.statistics_for(admin)
    ]


def stored_files():
    return sorted(
        name
        for model in (RosterImport, ResultImport, BadgeSubmission)
        for name in model.objects.values_list("file", flat=True)
    )


def rows_pointing_at(student_ids):
    """Every row of every model with a foreign key to Student pointing at these."""
    found = {}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            points = isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete
            if points and f.related_model is Student:
                n = model.objects.filter(**{f"{f.name}__in": student_ids}).count()
                if n:
                    found[f"{model._meta.label}.{f.name}"] = n
    return found


def test_only_years_past_retention_are_purgeable(retention_world):
    years, limit = retention.purgeable_years()
    assert [y.name for y in years] == ["2019-2020"]
    assert limit.isoformat() == "2021-12-02"


def test_the_dry_run_counts_per_kind_and_year_and_changes_nothing(
    retention_world, django_assert_num_queries
):
    files = stored_files()
    plan = retention.plan_purge()
    assert plan.counts["students"] == {"2019-2020": 2}
    assert plan.counts["participations"] == {"2019-2020": 3}  # and the unmatched one
    assert plan.counts["shares"] == {"2019-2020": 2}
    assert plan.counts["notes"] == {"2019-2020": 2}
    assert plan.counts["note_changes"] == {"2019-2020": 2}
    assert plan.counts["badge_submissions"] == {"2019-2020": 2}
    assert plan.counts["candidates"] == {"2019-2020": 2}
    assert plan.counts["certification_results"] == {"2019-2020": 2}
    assert plan.counts["messages"] == {"2019-2020": 2}
    assert plan.counts["roster_imports"] == {"2019-2020": 1}
    assert plan.counts["result_imports"] == {"2019-2020": 2}  # one per share (factory)
    assert len(plan.files) == 5 and plan.file_bytes > 0
    assert plan.as_dict()["files"] == {"count": 5, "bytes": plan.file_bytes}
    assert stored_files() == files
    assert Student.objects.count() == 4


def test_the_purge_keeps_the_figures_and_removes_the_personal_data(
    retention_world, django_capture_on_commit_callbacks
):
    before = figures()
    old = retention_world["old_students"]
    old_ids = [s.pk for s in old]
    old_user_ids = [s.user_id for s in old]
    old_files = [
        name
        for name in stored_files()
        if name
        in set(
            RosterImport.objects.filter(academic_year=retention_world["old"]).values_list(
                "file", flat=True
            )
        )
        | set(
            ResultImport.objects.filter(campaign__academic_year=retention_world["old"]).values_list(
                "file", flat=True
            )
        )
        | set(BadgeSubmission.objects.filter(student__in=old).values_list("file", flat=True))
    ]
    assert len(old_files) == 5 and all(default_storage.exists(n) for n in old_files)
    kept_files = sorted(set(stored_files()) - set(old_files))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        plan = retention.apply_purge()
    assert len(callbacks) == 1
    assert [y.name for y in plan.years] == ["2019-2020"]

    assert figures() == before
    assert YearStatistics.objects.filter(academic_year=retention_world["old"]).exists()
    # nothing of the purged year's people is left
    assert rows_pointing_at(old_ids) == {}
    assert not Student.objects.filter(pk__in=old_ids).exists()
    assert not User.objects.filter(pk__in=old_user_ids).exists()
    assert not Participation.objects.filter(campaign__academic_year=retention_world["old"]).exists()
    assert not Share.objects.filter(
        participation__campaign__academic_year=retention_world["old"]
    ).exists()
    assert not Participation.objects.filter(
        last_name__in=["Nomold0", "Nomold1", "Inconnuold"]
    ).exists()
    assert not CertificationResult.objects.filter(last_name__startswith="Nomold").exists()
    assert not Message.objects.filter(to__startswith="old").exists()
    assert not any(default_storage.exists(n) for n in old_files)
    # the other years are untouched
    assert Student.objects.count() == 2
    assert sorted(stored_files()) == kept_files
    assert all(default_storage.exists(n) for n in kept_files)
    # a second purge finds nothing and changes no figure
    assert retention.plan_purge().is_empty
    retention.apply_purge()
    assert figures() == before


def test_a_failure_mid_purge_leaves_everything(
    retention_world, monkeypatch, django_capture_on_commit_callbacks
):
    files = stored_files()
    counts = {m: m.objects.count() for m in (Student, Participation, Share, Message, User)}

    def boom(*args, **kwargs):
        raise RuntimeError("panne au milieu de la purge")

    monkeypatch.setattr(year_statistics, "store_difference", boom)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        retention.apply_purge()
    assert callbacks == []
    assert {m: m.objects.count() for m in counts} == counts
    assert stored_files() == files and all(default_storage.exists(n) for n in files)
    assert not YearStatistics.objects.exists()


def test_before_refuses_years_within_retention_unless_told(retention_world):
    with pytest.raises(retention.PurgeRefused, match="2021-2022"):
        retention.plan_purge(before="2026-2027")
    plan = retention.plan_purge(before="2026-2027", ignore_retention=True)
    assert [y.name for y in plan.years] == ["2019-2020", "2021-2022"]
    assert plan.counts["students"] == {"2019-2020": 2, "2021-2022": 1}
    assert [y.name for y in retention.plan_purge(before="2021-2022").years] == ["2019-2020"]
    with pytest.raises(retention.PurgeRefused, match="n'existe pas"):
        retention.plan_purge(before="1990-1991")


def test_a_year_not_finished_is_never_purged(retention_world):
    from tests.factories import AcademicYearFactory

    AcademicYearFactory(name="2027-2028", start="2027-09-01", end="2028-08-31")
    with pytest.raises(retention.PurgeRefused, match="pas encore terminée"):
        retention.plan_purge(before="2027-2028", ignore_retention=True)


def test_a_student_with_data_in_a_kept_year_stays(retention_world):
    from tests.factories import ParticipationFactory

    student = retention_world["old_students"][0]
    campaign = (
        Participation.objects.filter(student=retention_world["current_students"][0]).get().campaign
    )
    ParticipationFactory(campaign=campaign, student=student)
    before = figures()
    retention.apply_purge()
    assert Student.objects.filter(pk=student.pk).exists()
    assert not Student.objects.filter(pk=retention_world["old_students"][1].pk).exists()
    assert Participation.objects.filter(student=student).count() == 1  # the kept year's
    assert figures() == before


def test_files_of_no_year_sent_before_the_end_of_a_purged_year_go_too(retention_world):
    import datetime as dt

    from django.core.files.base import ContentFile

    from tests.privacy.conftest import PARIS

    refused = ResultImport(original_name="x.csv", sha256="0" * 64, campaign=None)
    refused.file.save("x.csv", ContentFile(b"Nom;Prenom\nDupont;Lea\n"), save=False)
    refused.uploaded_at = dt.datetime(2020, 6, 1, tzinfo=PARIS)
    refused.save()
    plan = retention.plan_purge()
    assert plan.counts["result_imports"] == {"2019-2020": 2, "—": 1}
    retention.apply_purge()
    assert not ResultImport.objects.filter(pk=refused.pk).exists()


def test_the_command_dry_run_json(retention_world):
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is True and data["years"] == ["2019-2020"]
    assert data["totals"]["students"] == 2 and data["files"]["count"] == 5
    assert Student.objects.count() == 4
    with pytest.raises(CommandError, match="durée de conservation"):
        call_command("purge_personal_data", "--before", "2026-2027", "--dry-run")
    with pytest.raises(CommandError, match="--before"):
        call_command("purge_personal_data", "--ignore-retention")


def test_the_command_purges(retention_world):
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Supprimé — Étudiant·e·s" in out.getvalue()
    assert Student.objects.count() == 2


def test_the_task_does_nothing_unless_enabled(retention_world, settings):
    from pixoffice.privacy.tasks import purge_personal_data

    assert purge_personal_data.name == "privacy.purge_personal_data"
    assert purge_personal_data.delay().get() == {"enabled": False}
    assert Student.objects.count() == 4
    settings.PERSONAL_DATA_PURGE_ENABLED = True
    assert purge_personal_data.delay().get()["totals"]["students"] == 2
    assert Student.objects.count() == 2


def test_the_beat_entry_is_off_by_default(settings):
    assert settings.PERSONAL_DATA_PURGE_ENABLED is False
    assert "privacy-purge-personal-data" not in settings.CELERY_BEAT_SCHEDULE
    assert settings.PERSONAL_DATA_RETENTION_YEARS == 5


def test_ignore_retention_purges_a_recent_year_and_keeps_its_figures(retention_world):
    before = figures()
    plan = retention.apply_purge(before="2026-2027", ignore_retention=True)
    assert [y.name for y in plan.years] == ["2019-2020", "2021-2022"]
    assert figures() == before
    assert list(Student.objects.values_list("academic_year__name", flat=True)) == ["2026-2027"]
    assert set(YearStatistics.objects.values_list("academic_year__name", flat=True)) == {
        "2019-2020",
        "2021-2022",
    }
