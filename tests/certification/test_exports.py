import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from certification.exports import PIX_CERTIF_HEADER, missing_for_pix_certif
from tests.factories import AcademicYearFactory, StaffFactory, StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory, SiteFactory

pytestmark = pytest.mark.django_db

# pix-formats.md §5b, in order
EXPECTED_HEADER = (
    "Numéro de session préexistante;* Nom du site;* Nom de la salle;"
    "* Date de début (format: JJ/MM/AAAA);* Heure de début (heure locale format: HH:MM);"
    "* Surveillant(s);Observations (optionnel);* Nom de naissance;* Prénom;"
    "* Date de naissance (format: JJ/MM/AAAA);* Sexe (M ou F);"
    "Code INSEE de la commune de naissance;Code postal de la commune de naissance;"
    "Nom de la commune de naissance;* Pays de naissance;"
    "E-mail du destinataire des résultats (formateur, enseignant…);E-mail de convocation;"
    "Identifiant externe;Temps majoré ? (exemple format: 33%);"
    "* Tarification part Pix (Gratuite, Prépayée ou Payante);"
    "Code de prépaiement (si Tarification part Pix Prépayée)"
)


def complete_student(**fields):
    defaults = {
        "student_number": "03879433",
        "last_name": "Dupont",
        "first_name": "Amélie",
        "birth_date": dt.date(2005, 4, 2),
        "sex": "F",
        "birth_insee_code": "14118",
        "birth_place": "Caen",
        "birth_country": "France",
        "email": "amelie.dupont@etu.univ-exemple.fr",
    }
    return StudentFactory(**{**defaults, **fields})


@pytest.fixture
def session(people):
    room = RoomFactory(site=SiteFactory(name="Caen Campus 1"), name="Mercure (DR S03)")
    session = SessionFactory(room=room, starts_at=paris(2027, 3, 11, 14), status="published")
    session.invigilators.add(StaffFactory(first_name="Claire", last_name="Martin"))
    return session


def rows(content: bytes):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_file_has_pix_certif_columns_in_order_and_one_row_per_candidate(staff_client, session):
    student = complete_student(programme=staff_client_programme(session))
    CandidateFactory(session=session, student=student, extra_time_percent=33)

    response = staff_client.get(
        reverse("certification:pix_certif_export", kwargs={"pk": session.pk})
    )

    content = response.content
    assert content.decode("utf-8-sig").split("\r\n")[0] == EXPECTED_HEADER
    header, row = rows(content)
    assert header == PIX_CERTIF_HEADER
    record = dict(zip(header, row, strict=True))
    assert record["* Nom du site"] == "Caen Campus 1"
    assert record["* Nom de la salle"] == "Mercure (DR S03)"
    assert record["* Date de début (format: JJ/MM/AAAA)"] == "11/03/2027"
    assert record["* Heure de début (heure locale format: HH:MM)"] == "14:00"
    assert record["* Surveillant(s)"] == "Claire Martin"
    assert record["* Date de naissance (format: JJ/MM/AAAA)"] == "02/04/2005"
    assert record["Identifiant externe"] == "03879433"  # leading zero kept
    assert record["Temps majoré ? (exemple format: 33%)"] == "33%"
    assert record["* Tarification part Pix (Gratuite, Prépayée ou Payante)"] == "Gratuite"
    assert 'filename="import-sessions-20270311-1400.csv"' in response["Content-Disposition"]


def staff_client_programme(session):
    from pixoffice.accounts.models import Programme

    return Programme.objects.get(name="L2 Géographie")


def test_born_abroad_gets_insee_99_and_formula_cells_are_neutralised(session, command, tmp_path):
    CandidateFactory(
        session=session,
        student=complete_student(
            birth_country="Maroc",
            birth_place="Rabat",
            birth_insee_code="",
            last_name="=HYPERLINK()",
        ),
    )
    out = tmp_path / "pix.csv"

    code, _, err = command("export_pix_certif", "--session", str(session.pk), "--output", str(out))

    header, row = rows(out.read_bytes())
    record = dict(zip(header, row, strict=True))
    assert code == 0
    assert "1 candidat·e·s écrit·e·s" in err
    assert record["Code INSEE de la commune de naissance"] == "99"
    assert record["* Pays de naissance"] == "Maroc"
    assert record["* Nom de naissance"] == "'=HYPERLINK()"


def test_without_filter_the_command_exports_the_published_sessions_of_the_year(session, command):
    AcademicYearFactory()
    CandidateFactory(session=session, student=complete_student(student_number="1"))
    draft = SessionFactory(starts_at=paris(2027, 3, 12, 9))
    CandidateFactory(session=draft, student=complete_student(student_number="2"))

    code, out, _ = command("export_pix_certif")

    lines = out.lstrip("\ufeff").strip().split("\r\n")
    assert code == 0
    assert len(lines) == 2  # the header and the published session's candidate


def test_date_filter(session, command):
    CandidateFactory(session=session, student=complete_student())

    _, on_day, _ = command("export_pix_certif", "--date", "2027-03-11")
    _, other_day, _ = command("export_pix_certif", "--date", "2027-03-12")

    assert len(on_day.strip().split("\r\n")) == 2
    assert len(other_day.strip().split("\r\n")) == 1


def test_what_pix_certif_would_refuse_is_listed():
    assert missing_for_pix_certif(complete_student()) == []
    incomplete = complete_student(
        student_number="8", sex="", birth_date=None, birth_insee_code="", birth_place=""
    )
    assert missing_for_pix_certif(incomplete) == [
        "date de naissance",
        "sexe",
        "code INSEE, ou code postal et commune de naissance",
    ]
    assert missing_for_pix_certif(complete_student(student_number="9", birth_country="")) == [
        "pays de naissance"
    ]


def test_the_session_page_lists_candidates_lacking_data(staff_client, session):
    student = complete_student(sex="", programme=staff_client_programme(session))
    CandidateFactory(session=session, student=student)

    text = staff_client.get(
        reverse("certification:session", kwargs={"pk": session.pk})
    ).content.decode()

    assert "1 candidat·e n'a pas tout ce que Pix Certif exige" in text
    assert "Dupont Amélie (03879433) : sexe" in text
