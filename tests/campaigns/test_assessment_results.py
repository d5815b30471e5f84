"""Issue 12 point 5: an assessment export is kept whole (the row as the snapshot, its
progression, start, stage, badges, mastery) and shown: the staff follow-up (per
student, distribution, filters, export) and the student's page."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Participation, Share
from pixoffice.accounts.models import Student
from tests.factories import CampaignFactory, StudentFactory, StudentUserFactory

pytestmark = pytest.mark.django_db

BADGES = ["Bases du tableur", "Recherche documentaire"]


def run_import(data):
    plan = services.plan_result_import(data, campaign=None, by=None)
    batch = services.store_result_file(
        data, name="export.csv", by=None, campaign=plan.campaign, summary=plan.summary()
    )
    return services.apply_result_import(batch.pk)


@pytest.fixture
def assessment(programmes):
    """The assessment campaign of the sample export (code ZPJJUD566)."""
    return CampaignFactory(
        code="ZPJJUD566",
        name="Pix L1 2025-2026 — évaluation",
        kind=Campaign.Kind.ASSESSMENT,
        programmes=list(programmes.values()),
    )


@pytest.fixture
def imported(roster, assessment, sample):
    run_import(sample("assessment.csv"))
    assessment.refresh_from_db()
    return assessment


def _sample_rows(sample) -> tuple[list[str], list[list[str]]]:
    text = sample("assessment.csv").decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    return header, rows


def test_each_share_keeps_its_row_and_its_typed_results(imported, sample):
    header, rows = _sample_rows(sample)
    # 21366755 shared twice: both rows are kept, each with its own cells
    shares = list(
        Share.objects.select_related("header")
        .filter(participation__identifier="21366755")
        .order_by("shared_at")
    )
    expected = [row for row in rows if row[8] == "21366755"]

    assert [share.row for share in shares] == [
        dict(zip(header, row, strict=True)) for row in expected
    ]
    later = shares[1]
    assert (later.progression, later.stage, later.stage_count, later.mastery_rate) == (
        1.0,
        1,
        3,
        0.41,
    )
    assert later.badges == {"Bases du tableur": True, "Recherche documentaire": True}
    assert later.started_at == dt.datetime(2025, 12, 14, 23, 4, tzinfo=dt.UTC)  # 15/12 00:04 Paris
    assert later.results["1.1"] == [0.36, 11, 4]  # mastery, targeted, validated
    assert (imported.stage_count, imported.badge_names) == (3, BADGES)


def test_a_participation_not_shared_keeps_its_progression(imported):
    started = Participation.objects.get(identifier="22303355")

    assert (started.progression, started.shares.count()) == (0.573, 0)
    assert started.started_at is not None


def test_profiles_shares_keep_their_row_too(roster, campaign, sample):
    run_import(sample("profiles-collection-sup.csv"))

    share = Share.objects.select_related("header").filter(participation__identifier="21093462")[0]
    assert share.row["Numéro Étudiant"] == "21093462"
    assert share.row["Nombre de pix total"] == str(share.total_pix)
    assert len(share.raw) == len(share.header.columns) == 46


def test_importing_the_same_file_again_changes_nothing(imported, sample):
    def state():
        return (
            list(Share.objects.order_by("pk").values()),
            list(Participation.objects.order_by("pk").values()),
            Campaign.objects.filter(pk=imported.pk).values("stage_count", "badge_names").get(),
        )

    before = state()

    batch = run_import(sample("assessment.csv"))

    assert (batch.summary["shares_created"], batch.summary["shares_unchanged"]) == (0, 39)
    assert state() == before


def test_a_later_export_updates_the_progression_of_a_running_participation(imported, sample):
    text = sample("assessment.csv").decode("utf-8-sig")
    later = text.replace("22303355;22303355;0,573", "22303355;22303355;0,8")
    assert later != text

    run_import(("\ufeff" + later).encode())

    assert Participation.objects.get(identifier="22303355").progression == 0.8


def test_follow_up_shows_stages_and_badges_of_the_sample(staff_client, imported):
    page = staff_client.get(reverse("campaigns:detail", kwargs={"pk": imported.pk}))

    summary = page.context["assessment"]
    # 27 roster students shared (two of them twice: the later sending counts)
    assert summary.shared == 27
    assert summary.stages == [(0, 0, 0), (1, 15, 56), (2, 11, 41), (3, 1, 4)]
    assert summary.badges == [
        ("Bases du tableur", 14, 13, 52),
        ("Recherche documentaire", 15, 12, 56),
    ]
    html = page.content.decode()
    assert "Les niveaux apparaîtront" not in html
    assert "Paliers et badges" in html
    row = next(r for r in page.context["rows"] if r.student.student_number == "21366755")
    assert (row.share.mastery_percent, row.share.stage, row.badges) == (
        41,
        1,
        [("Bases du tableur", True), ("Recherche documentaire", True)],
    )
    assert row.levels == [
        ("1.1", 36, False),
        ("2.1", 13, False),
        ("3.1", 27, False),
        ("4.1", 67, False),
    ]


def test_follow_up_filters_by_badge_and_stage(staff_client, imported):
    url = reverse("campaigns:detail", kwargs={"pk": imported.pk})

    def numbers(**query):
        rows = staff_client.get(url, query).context["rows"]
        return {r.student.student_number for r in rows}

    acquired, missing = numbers(badge="acquired:0"), numbers(badge="missing:0")
    assert (len(acquired), len(missing), acquired & missing) == (14, 13, set())
    assert "21366755" in acquired  # acquired on the later sending, which counts
    assert len(numbers(badge="acquired:1")) == 15
    assert len(numbers(stage=2)) == 11
    assert len(numbers(stage=2, badge="acquired:0")) < 11


def test_an_unknown_badge_choice_is_ignored_like_any_bad_filter(staff_client, imported):
    page = staff_client.get(
        reverse("campaigns:detail", kwargs={"pk": imported.pk}), {"badge": "acquired:9"}
    )

    assert page.status_code == 200
    assert "badge" in page.context["form"].errors


def test_follow_up_export_has_mastery_stage_and_badges(staff_client, imported):
    response = staff_client.get(
        reverse("campaigns:export", kwargs={"pk": imported.pk, "fmt": "csv"}),
        {"badge": "acquired:0"},
    )

    text = b"".join(response.streaming_content if response.streaming else [response.content])
    header, *rows = csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";")
    assert header[7:] == [
        "Envoyé le",
        "Commencé le",
        "% de progression",
        "% de maîtrise",
        "Palier obtenu (/3)",
        "Bases du tableur obtenu (O/N)",
        "Recherche documentaire obtenu (O/N)",
        "% de maîtrise 1.1",
        "% de maîtrise 2.1",
        "% de maîtrise 3.1",
        "% de maîtrise 4.1",
    ]
    assert len(rows) == 14
    (row,) = [r for r in rows if r[0] == "21366755"]
    assert row[7:] == [
        "15/12/2025 00:28",
        "15/12/2025 00:04",
        "100",
        "41",
        "1",
        "Oui",
        "Oui",
        "36",
        "13",
        "27",
        "67",
    ]


def test_follow_up_xlsx_export_has_the_badges(staff_client, imported):
    from openpyxl import load_workbook

    response = staff_client.get(
        reverse("campaigns:export", kwargs={"pk": imported.pk, "fmt": "xlsx"})
    )

    content = b"".join(response.streaming_content if response.streaming else [response.content])
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert "Bases du tableur obtenu (O/N)" in header and "Palier obtenu (/3)" in header


def _assessment_with_students(programme, count):
    campaign = CampaignFactory(
        kind=Campaign.Kind.ASSESSMENT, programmes=[programme], stage_count=3, badge_names=BADGES
    )
    for index in range(count):
        student = StudentFactory(programme=programme)
        participation = Participation.objects.create(
            campaign=campaign,
            identifier=student.student_number,
            student=student,
            last_name=student.last_name,
            first_name=student.first_name,
            progression=1.0,
        )
        Share.objects.create(
            participation=participation,
            shared_at=dt.datetime(2026, 3, 1, 10, index, tzinfo=dt.UTC),
            mastery_rate=0.5,
            stage=index % 4,
            stage_count=3,
            badges={BADGES[0]: True, BADGES[1]: False},
            results={"1.1": [0.5, 10, 5]},
            counts=True,
        )
    return campaign


@pytest.mark.parametrize("count", [1, 3])
def test_assessment_follow_up_runs_a_constant_number_of_queries(
    staff_client, programmes, count, django_assert_num_queries
):
    campaign = _assessment_with_students(programmes["L2 SED"], count)
    url = reverse("campaigns:detail", kwargs={"pk": campaign.pk})

    # as a profiles campaign's follow-up (tests/campaigns/test_views.py): no query per
    # student, none for the stages and badges (the campaign keeps their names)
    # (the filters match one student in both cases; the filtered list is counted and cut
    # by the counters' query, as on a profiles campaign)
    with django_assert_num_queries(12):
        page = staff_client.get(url, {"badge": "acquired:0", "stage": 0})

    assert page.context["assessment"].shared == count


@pytest.mark.parametrize("count", [1, 3])
def test_assessment_follow_up_export_runs_a_constant_number_of_queries(
    staff_client, programmes, count, django_assert_num_queries
):
    campaign = _assessment_with_students(programmes["L2 SED"], count)
    url = reverse("campaigns:export", kwargs={"pk": campaign.pk, "fmt": "csv"})

    # the same for 1 and 3 students: no query per student
    with django_assert_num_queries(9):
        staff_client.get(url)


def test_student_sees_mastery_stage_and_badges_of_their_share(client, imported):
    student = Student.objects.get(student_number="22240318")
    user = StudentUserFactory.build(email=student.email)
    user.save()
    student.user = user
    student.save()
    client.force_login(user)

    page = client.get(reverse("campaigns:mine"))

    items = page.context["items"]
    (item,) = [i for i in [*items.current, *items.earlier] if i["campaign"] == imported]
    # two sendings; the later one (26/12/2025) counts: stage 1, 32 %, one badge of two
    assert (item["counting"].mastery_percent, item["counting"].stage) == (32, 1)
    assert item["badges"] == [("Bases du tableur", False), ("Recherche documentaire", True)]
    html = page.content.decode()
    assert "Maîtrise des acquis du parcours : <strong>32 %</strong>" in html
    assert "Palier obtenu : <strong>1 sur 3</strong>" in html
    assert "Badge « Recherche documentaire » : <strong>obtenu</strong>" in html
    assert "Badge « Bases du tableur » : pas encore obtenu" in html


def test_a_student_who_has_not_shared_sees_their_progression(client, imported):
    student = Student.objects.get(student_number="22303355")
    user = StudentUserFactory.build(email=student.email)
    user.save()
    student.user = user
    student.save()
    client.force_login(user)

    html = client.get(reverse("campaigns:mine")).content.decode()

    assert "progression 57 %" in html


def test_an_assessment_follow_up_offers_no_level_filter(staff_client, imported):
    page = staff_client.get(reverse("campaigns:detail", kwargs={"pk": imported.pk}))

    choices = [value for value, _label in page.context["form"].fields["status"].choices]
    assert "below" not in choices
    assert "niveau visé" not in page.content.decode()


def test_shares_imported_before_rows_were_kept_are_completed_once(imported, sample):
    def kept():
        return list(
            Share.objects.order_by("pk").values_list("raw", "badges", "stage_count", "progression")
        )

    full = kept()
    # as an import by an earlier version left them: no row, no badges, no progression
    Share.objects.update(header=None, raw=[], badges={}, stage_count=None, progression=None)

    batch = run_import(sample("assessment.csv"))

    assert (batch.summary["shares_created"], batch.summary["completed"]) == (0, 39)
    assert kept() == full
    again = run_import(sample("assessment.csv"))
    assert "completed" not in again.summary
    assert kept() == full


def test_follow_up_export_gives_a_running_participation_its_start_and_progression(
    staff_client, imported
):
    response = staff_client.get(
        reverse("campaigns:export", kwargs={"pk": imported.pk, "fmt": "csv"}), {"q": "22303355"}
    )

    text = b"".join(response.streaming_content if response.streaming else [response.content])
    _header, *rows = csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";")
    (row,) = rows
    assert row[6:11] == ["Commencé, pas envoyé", "", "25/09/2025 07:14", "57", ""]
