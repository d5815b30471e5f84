import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Participation, ResultImport, Share
from pixoffice.accounts.models import Student
from tests.factories import CampaignFactory, StudentFactory, StudentUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(roster, campaign, sample):
    data = sample("profiles-collection-sup.csv")
    plan = services.plan_result_import(data, campaign=None, by=None)
    batch = services.store_result_file(data, name="export.csv", by=None, campaign=plan.campaign)
    services.apply_result_import(batch.pk)
    return campaign


def test_staff_registers_a_campaign(staff_client, programmes):
    response = staff_client.post(
        reverse("campaigns:create"),
        {
            "name": "Campagne 1",
            "code": "mjpecy231",
            "kind": "profiles_collection",
            "academic_year": _year().pk,
            "programmes": [programmes["L2 SED"].pk],
            "competences": _competence_ids("1.1", "2.1", "3.1", "4.1"),
            "opens_on": "2026-09-15",
            "deadline": "2026-10-27T23:59",
            "target_level": 5,
            "external_id_label": "Numéro étudiant",
            "counting_rule": "last_before_deadline",
        },
    )

    campaign = Campaign.objects.get()
    assert response.url == reverse("campaigns:detail", kwargs={"pk": campaign.pk})
    assert campaign.code == "MJPECY231"
    assert campaign.deadline.isoformat() == "2026-10-27T22:59:00+00:00"  # 23:59 in Paris (UTC+1)


def test_campaign_code_must_have_nine_characters(staff_client, programmes):
    response = staff_client.post(reverse("campaigns:create"), {"code": "ABC", "name": "x"})

    assert response.context["form"].errors["code"] == [
        "9 lettres majuscules ou chiffres, ex. MJPECY231."
    ]


def test_staff_uploads_previews_and_confirms_a_pix_export(staff_client, roster, campaign, sample):
    response = staff_client.post(
        reverse("campaigns:import_new"),
        {
            "file": SimpleUploadedFile("Resultats.csv", sample("profiles-collection-sup.csv")),
        },
    )
    batch = ResultImport.objects.get()
    preview = staff_client.get(response.url)
    assert preview.context["summary"]["shares_created"] == 31
    assert (
        "Confirmer l&#x27;import" in preview.content.decode()
        or "Confirmer l'import" in preview.content.decode()
    )
    assert Share.objects.count() == 0

    staff_client.post(reverse("campaigns:import_confirm", kwargs={"pk": batch.pk}))

    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED
    assert Share.objects.count() == 31
    progress = staff_client.get(
        reverse("campaigns:import_progress", kwargs={"pk": batch.pk})
    ).json()
    assert progress == {"status": "applied", "progress": 100}


def test_large_export_is_imported_by_a_task(
    staff_client, roster, campaign, sample, settings, django_capture_on_commit_callbacks
):
    settings.PIX_IMPORT_TASK_THRESHOLD = 10
    staff_client.post(
        reverse("campaigns:import_new"),
        {
            "file": SimpleUploadedFile("Resultats.csv", sample("profiles-collection-sup.csv")),
        },
    )
    batch = ResultImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        staff_client.post(reverse("campaigns:import_confirm", kwargs={"pk": batch.pk}))

    # the task was enqueued after commit (eager in tests), then it told grading (the
    # portal forgets its cached student homes after each commit too)
    names = [getattr(c, "func", c).__name__ for c in callbacks]
    assert [n for n in names if n != "forget_student_homes"] == ["dispatch", "<lambda>"]
    batch.refresh_from_db()
    assert batch.status == ResultImport.Status.APPLIED


def test_upload_of_a_binary_file_says_why_and_keeps_nothing(staff_client, campaign):
    response = staff_client.post(
        reverse("campaigns:import_new"),
        {
            "file": SimpleUploadedFile("Resultats.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
        },
    )

    assert response.context["form"].errors["file"] == [
        "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). Enregistrez-le au format CSV ou XLSX."
    ]
    assert ResultImport.objects.count() == 0


def test_follow_up_shows_who_has_not_joined(staff_client, imported):
    page = staff_client.get(
        reverse("campaigns:detail", kwargs={"pk": imported.pk}) + "?status=not_joined"
    )

    second = staff_client.get(
        reverse("campaigns:detail", kwargs={"pk": imported.pk}) + "?status=not_joined&page=2"
    )

    numbers = [row.student.student_number for p in (page, second) for row in p.context["rows"]]
    assert {"22900001", "22900002", "22900003", "22900004", "22900005"} <= set(numbers)
    assert len(numbers) == page.context["page"].paginator.count == 68  # 50 a page
    # 96 roster students + 2 of the people fixture; 30 matched participants: 24 shared, 6 started
    assert page.context["counts"] == {
        "not_joined": 68,
        "started": 6,
        "shared": 24,
        "shared_late": 0,
    }


def test_follow_up_export_csv_lists_the_filtered_students(staff_client, imported):
    response = staff_client.get(
        reverse("campaigns:export", kwargs={"pk": imported.pk, "fmt": "csv"})
        + "?status=not_joined&q=229000"
    )

    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert lines[0].startswith(
        "Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe;Statut;Envoyé le;Pix;"
    )
    assert sorted(line.split(";")[0] for line in lines[1:-1]) == [
        "22900001",
        "22900002",
        "22900003",
        "22900004",
        "22900005",
    ]
    assert all(";Pas encore rejoint;" in line for line in lines[1:-1])


def test_follow_up_export_xlsx_keeps_leading_zeros(staff_client, imported):
    from openpyxl import load_workbook

    response = staff_client.get(
        reverse("campaigns:export", kwargs={"pk": imported.pk, "fmt": "xlsx"})
    )

    numbers = [
        row[0].value
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)
    ]
    assert "03201590" in numbers


def test_staff_resolves_an_unmatched_row(staff_client, imported):
    url = reverse("campaigns:unmatched", kwargs={"pk": imported.pk})
    row = Participation.objects.get(identifier="E189966")

    page = staff_client.get(url)
    assert len(page.context["items"]) == 10
    staff_client.post(url, {"participation": row.pk, "student_number": "22900003"})

    row.refresh_from_db()
    assert row.student.student_number == "22900003"
    assert row.linked_by.email == "equipe@univ-exemple.fr"
    assert len(staff_client.get(url).context["items"]) == 9


def test_unmatched_link_to_an_unknown_number_is_refused_in_french(staff_client, imported):
    url = reverse("campaigns:unmatched", kwargs={"pk": imported.pk})
    row = Participation.objects.get(identifier="E189966")

    page = staff_client.post(
        url, {"participation": row.pk, "student_number": "99999999"}, follow=True
    )

    assert [str(m) for m in page.context["messages"]] == [
        "Aucun·e étudiant·e de vos formations concernées n'a le numéro 99999999."
    ]
    row.refresh_from_db()
    assert row.student is None


def test_name_only_match_is_proposed_never_applied(staff_client, imported):
    row = Participation.objects.get(
        identifier="E302871"
    )  # "David Mathis": two homonyms in the roster

    page = staff_client.get(reverse("campaigns:unmatched", kwargs={"pk": imported.pk}))

    item = next(i for i in page.context["items"] if i["participation"].pk == row.pk)
    assert sorted(s.student_number for s in item["proposals"]) == ["21366755", "22143366"]
    row.refresh_from_db()
    assert row.student is None


def test_student_sees_their_campaign_status_levels_and_history(client, imported):
    student = Student.objects.get(student_number="21093462")
    user = StudentUserFactory.build(email=student.email)
    user.save()
    student.user = user
    student.save()
    client.force_login(user)

    page = client.get(reverse("campaigns:mine"))

    items = page.context["items"]
    (item,) = [i for i in [*items.current, *items.earlier] if i["campaign"] == imported]
    assert item["status"] == "shared"
    assert item["counting"].total_pix == 136
    assert [s.total_pix for s in item["shares"]] == [112, 136]
    assert [(c.code, level) for c, level in item["competences"]] == [
        (code, item["counting"].level(code)) for code in ["1.1", "2.1", "3.1", "4.1"]
    ]
    html = page.content.decode()
    assert "URRTVG494" in html and "21093462" in html


def test_student_of_another_programme_does_not_see_the_campaign(client, people, programmes):
    CampaignFactory(programmes=[programmes["L2 Histoire"]])
    client.force_login(people["student_a"])  # L2 Géographie

    items = client.get(reverse("campaigns:mine")).context["items"]
    assert (items.current, items.earlier) == ([], [])


@pytest.mark.parametrize("count", [1, 3])
def test_campaign_list_runs_a_constant_number_of_queries(
    staff_client, programmes, count, django_assert_num_queries
):
    for _ in range(count):
        CampaignFactory(programmes=[programmes["L2 SED"]])

    with django_assert_num_queries(3):  # session, user, campaigns with their counts
        staff_client.get(reverse("campaigns:list"))


def test_follow_up_runs_a_constant_number_of_queries(
    staff_client, imported, programmes, django_assert_num_queries
):
    url = reverse("campaigns:detail", kwargs={"pk": imported.pk})
    staff_client.get(url)  # the logged-in user is cached from now on, as on any visit
    # counters and charts counted in SQL (1 query), then one page of rows (3)
    with django_assert_num_queries(11):
        staff_client.get(url)
    StudentFactory.create_batch(30, programme=programmes["L2 SED"])

    with django_assert_num_queries(11):  # the same with 30 more students to follow
        staff_client.get(url)


def _year():
    from tests.factories import AcademicYearFactory

    return AcademicYearFactory()


def _competence_ids(*codes):
    from campaigns.models import Competence

    return list(Competence.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_earlier_years_campaigns_are_folded_and_never_to_join(client, people, programmes):
    import datetime as dt

    from pixoffice.accounts.models import AcademicYear

    student = people["student_a"].student
    this_year = student.academic_year
    last_year = AcademicYear.objects.create(
        name=f"{this_year.start.year - 1}-{this_year.start.year}",
        start=this_year.start.replace(year=this_year.start.year - 1),
        end=this_year.start - dt.timedelta(days=1),
    )
    geo = [student.programme]
    current = CampaignFactory(code="MJPECY231", academic_year=this_year, programmes=geo)
    old = CampaignFactory(code="URRTVG494", academic_year=last_year, programmes=geo)
    # an earlier campaign of the programme she never joined (she may not have been
    # enrolled then) is not hers: not listed
    CampaignFactory(code="ZPJJUD566", academic_year=last_year, programmes=geo)
    Participation.objects.create(
        campaign=old, student=student, identifier=student.student_number, last_name="A"
    )
    client.force_login(people["student_a"])

    page = client.get(reverse("campaigns:mine"))

    items = page.context["items"]
    assert [i["campaign"] for i in items.current] == [current]
    assert [i["campaign"] for i in items.earlier] == [old]
    html = page.content.decode()
    assert "Années précédentes : 1 campagne" in html
    assert "ZPJJUD566" not in html
    assert html.count("Pas encore rejoint") == 1  # the current campaign only
