import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pixoffice.accounts.models import RosterImport, Student
from tests.factories import AcademicYearFactory, StudentFactory

pytestmark = pytest.mark.django_db


def upload(client, name, data):
    return client.post(
        reverse("accounts:roster_import_new"),
        {"file": SimpleUploadedFile(name, data), "academic_year": AcademicYearFactory().pk},
    )


def test_staff_uploads_previews_then_confirms_the_sample_roster(staff_client, roster_bytes):
    before = Student.objects.count()  # the two students of the ``people`` fixture
    response = upload(staff_client, "roster-students.csv", roster_bytes)
    batch = RosterImport.objects.get()
    assert response.url == reverse("accounts:roster_import", kwargs={"pk": batch.pk})

    preview = staff_client.get(response.url)
    assert preview.context["plan"].summary()["created"] == 96
    assert "Confirmer l'import" in preview.content.decode()
    assert Student.objects.count() == before  # nothing written before confirmation

    staff_client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.APPLIED
    assert batch.uploaded_by.email == "equipe@univ-exemple.fr"
    with batch.file.open("rb") as kept:
        assert kept.read() == roster_bytes  # the original file is kept
    assert Student.objects.count() == before + 96

    # a second confirmation (double click, retry) changes nothing
    staff_client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk}))
    assert Student.objects.count() == before + 96


def test_upload_of_a_binary_file_is_refused_with_a_french_message(staff_client):
    response = upload(staff_client, "liste.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Le fichier n'est ni un CSV ni un classeur XLSX (contenu binaire). Enregistrez-le au format CSV ou XLSX."
    ]
    assert RosterImport.objects.count() == 0


def test_upload_with_a_wrong_extension_is_refused(staff_client, roster_bytes):
    response = upload(staff_client, "liste.exe", roster_bytes)

    assert response.context["form"].errors["file"] == [
        "Seuls les fichiers .csv et .xlsx sont acceptés."
    ]


def test_upload_over_the_size_limit_is_refused(staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = upload(staff_client, "liste.csv", b"a;b\n" + b"1;2\n" * 1000)

    assert response.context["form"].errors["file"] == [
        "Le fichier fait 4 ko ; la taille maximale est 1 ko."
    ]


def test_bad_row_is_shown_with_its_line_and_cannot_be_confirmed(staff_client, roster_bytes):
    before = Student.objects.count()
    data = roster_bytes.replace(b"L2 SED;TD3;01/10/2004", b"L2 SED;TD3;01/13/2004")
    batch_url = upload(staff_client, "liste.csv", data).url

    preview = staff_client.get(batch_url).content.decode()

    assert "Ligne 2 : date de naissance « 01/13/2004 » illisible (attendu JJ/MM/AAAA)." in preview
    assert "Confirmer l&#x27;import" not in preview
    batch = RosterImport.objects.get()
    staff_client.post(reverse("accounts:roster_import_confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == RosterImport.Status.REFUSED
    assert Student.objects.count() == before


def test_unknown_headers_ask_for_a_mapping_then_import(staff_client):
    data = "Matricule;Nom de famille;Prénom usuel;Cursus\n0042;Martin;Zoé;L2 SED\n".encode()
    batch_url = upload(staff_client, "liste.csv", data).url

    assert staff_client.get(batch_url).context["show_mapping"] is True
    staff_client.post(
        batch_url, {"student_number": "0", "last_name": "1", "first_name": "2", "programme": "3"}
    )
    preview = staff_client.get(batch_url)

    assert preview.context["plan"].summary()["created"] == 1
    assert "Confirmer l'import" in preview.content.decode()


def test_roster_export_csv_is_french_excel_ready(staff_client, programmes):
    StudentFactory(
        student_number="03201590",
        last_name="=Bono",
        programme=programmes["L2 SED"],
        extra_time_percent=33,
    )

    response = staff_client.get(reverse("accounts:roster_export", kwargs={"fmt": "csv"}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Numéro étudiant;Nom;Prénom;Courriel;Formation")
    (bono,) = [line for line in lines if line.startswith("03201590;")]
    assert bono.startswith("03201590;'=Bono;Léa;")
    assert bono.endswith(";33%")


def test_roster_export_xlsx_keeps_leading_zeros(staff_client, programmes):
    from openpyxl import load_workbook

    StudentFactory(student_number="03201590", programme=programmes["L2 SED"])

    response = staff_client.get(
        reverse("accounts:roster_export", kwargs={"fmt": "xlsx"})
        + f"?programme={programmes['L2 SED'].pk}"
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0].value for row in sheet.iter_rows()] == ["Numéro étudiant", "03201590"]


def test_exported_roster_reimports_unchanged(staff_client, roster_bytes):
    from pixoffice.accounts import services

    staff_client.post(
        reverse(
            "accounts:roster_import_confirm",
            kwargs={
                "pk": RosterImport.objects.get(
                    pk=upload(staff_client, "a.csv", roster_bytes).url.rstrip("/").rsplit("/", 1)[1]
                ).pk
            },
        )
    )
    exported = staff_client.get(reverse("accounts:roster_export", kwargs={"fmt": "csv"})).content

    plan = services.plan_roster_import(exported, by=None)

    assert plan.summary()["unchanged"] == Student.objects.count() == 96 + 2


def test_staff_of_another_programme_exports_only_their_students(client, people, programmes):
    StudentFactory(student_number="1", programme=programmes["L2 Histoire"])
    StudentFactory(student_number="2", programme=programmes["L2 SED"])
    client.force_login(people["staff_other"])

    lines = client.get(reverse("accounts:roster_export", kwargs={"fmt": "csv"})).content.decode(
        "utf-8-sig"
    )

    assert [line.split(";")[0] for line in lines.split("\r\n")[1:-1]] == ["1"]


@pytest.mark.parametrize("count", [1, 3])
def test_student_list_runs_a_constant_number_of_queries(
    staff_client, programmes, count, django_assert_num_queries
):
    for i in range(count):
        StudentFactory(student_number=f"0{i}", programme=programmes["L2 SED"])

    # session, user, paginator count, page rows, programmes of the filter form
    with django_assert_num_queries(5):
        staff_client.get(reverse("accounts:student_list"))
