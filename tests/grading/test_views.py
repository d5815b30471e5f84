"""Grading pages as staff and students use them."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from grading import services
from grading.models import Grid, Note, Scheme
from tests.factories import StudentFactory, UserFactory

pytestmark = pytest.mark.django_db


def scheme_post(scheme_data, components, action="simulate", token=None):
    data = {**scheme_data, "action": action}
    data.update(
        {
            "components-TOTAL_FORMS": str(len(components)),
            "components-INITIAL_FORMS": "0",
            "components-MIN_NUM_FORMS": "0",
            "components-MAX_NUM_FORMS": "1000",
        }
    )
    for i, component in enumerate(components):
        data.update({f"components-{i}-{k}": v for k, v in component.items()})
    if token:
        data["simulated"] = token
    return data


@pytest.fixture
def new_scheme_data(saint_etienne, se_grid, year, programmes):
    scheme = {  # beside the world's « Pix S1 »
        "name": "Pix S2",
        "academic_year": year.pk,
        "programmes": [p.pk for p in programmes.values()],
        "combine": "sum",
        "scale": "20",
        "rounding": "none",
        "pass_mark": "10",
    }
    components = [
        {
            "position": str(i),
            "label": f"Campagne {i}",
            "kind": "campaign",
            "campaign": str(c.pk),
            "basis": "mean_level",
            "grid": str(se_grid.pk),
            "weight": "1",
            "missing": "zero",
            "absence_code": "ABI",
        }
        for i, c in enumerate(saint_etienne.campaigns, start=1)
    ]
    return scheme, components


def test_a_scheme_is_saved_only_after_its_simulation(
    staff_client, new_scheme_data, django_capture_on_commit_callbacks
):
    url = reverse("grading:scheme_create")

    simulated = staff_client.post(url, scheme_post(*new_scheme_data))

    assert simulated.status_code == 200
    simulation = simulated.context["simulation"]
    assert simulation.students == 4 and sum(simulation.after) == 4
    assert "Enregistrer et recalculer les notes" in simulated.content.decode()
    assert not Scheme.objects.filter(name="Pix S2").exists()

    forged = staff_client.post(url, scheme_post(*new_scheme_data, action="save", token="x"))
    assert forged.status_code == 200 and not Scheme.objects.filter(name="Pix S2").exists()

    token = simulated.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        saved = staff_client.post(url, scheme_post(*new_scheme_data, action="save", token=token))

    scheme = Scheme.objects.get(name="Pix S2")
    assert saved.url == reverse("grading:scheme", args=[scheme.pk])
    assert scheme.components.count() == 2
    assert Note.objects.filter(scheme=scheme).count() == 4  # recomputed on commit


def test_a_changed_form_after_simulation_is_simulated_again(staff_client, new_scheme_data):
    url = reverse("grading:scheme_create")
    token = staff_client.post(url, scheme_post(*new_scheme_data)).context["token"]
    scheme_data, components = new_scheme_data

    response = staff_client.post(
        url, scheme_post({**scheme_data, "pass_mark": "8"}, components, "save", token)
    )

    assert response.status_code == 200 and not Scheme.objects.filter(name="Pix S2").exists()


def test_a_campaign_component_needs_its_grid(staff_client, new_scheme_data):
    scheme_data, components = new_scheme_data
    components[0]["grid"] = ""

    response = staff_client.post(
        reverse("grading:scheme_create"), scheme_post(scheme_data, components)
    )

    assert "Obligatoire pour une composante « campagne »." in response.content.decode()


def test_editing_a_scheme_shows_who_changes(staff_client, saint_etienne):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    url = reverse("grading:scheme_edit", args=[scheme.pk])
    page = staff_client.get(url)
    formset = page.context["formset"]
    data = {
        "name": scheme.name,
        "academic_year": scheme.academic_year_id,
        "programmes": list(scheme.programmes.values_list("pk", flat=True)),
        "combine": "sum",
        "scale": "20",
        "rounding": "none",
        "pass_mark": "10",
        "action": "simulate",
        "components-TOTAL_FORMS": str(len(formset.forms)),
        "components-INITIAL_FORMS": str(formset.initial_form_count()),
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        for name in form.fields:
            value = form[name].value()
            if value not in (None, "") and name != "DELETE":
                data[f"components-{i}-{name}"] = str(value.pk if hasattr(value, "pk") else value)
    # drop the badge requirement: Hugo's 18 would now validate
    badge_form = next(i for i, f in enumerate(formset.forms) if f.instance.kind == "badge")
    data[f"components-{badge_form}-DELETE"] = "on"

    response = staff_client.post(url, data)

    simulation = response.context["simulation"]
    passing = Note.objects.filter(scheme=scheme, value__gte=10).count()
    assert simulation.changed == passing == 1
    assert [(c["student_id"], c["new_result"]) for c in simulation.changes] == [
        (saint_etienne.hugo.pk, "validated")
    ]


def test_staff_of_another_programme_do_not_see_the_scheme(client, people, saint_etienne):
    scheme = saint_etienne.scheme
    scheme.programmes.set([people["student_a"].student.programme])
    client.force_login(people["staff_other"])

    assert client.get(reverse("grading:scheme", args=[scheme.pk])).status_code == 404
    assert client.get(reverse("grading:scheme_list")).context["schemes"].count() == 0


def test_scheme_page_query_count_is_constant(
    staff_client, saint_etienne, django_assert_num_queries
):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    url = reverse("grading:scheme", args=[scheme.pk])
    staff_client.get(url)  # the logged-in user is cached from now on, as on any visit
    with django_assert_num_queries(18):
        staff_client.get(url)
    programme = scheme.programmes.first()
    StudentFactory.create_batch(40, programme=programme, academic_year=scheme.academic_year)
    services.recompute_notes(scheme)

    with django_assert_num_queries(18):  # the same with 40 more students
        page = staff_client.get(url)
    assert page.context["page"].paginator.count == 44


def test_override_form_requires_a_reason(staff_client, saint_etienne):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    note = Note.objects.get(scheme=scheme, student=saint_etienne.simon)
    url = reverse("grading:override", args=[note.pk])

    refused = staff_client.post(url, {"value": "12", "result": "validated", "reason": " "})
    assert "Ce champ est obligatoire." in refused.content.decode()
    staff_client.post(url, {"value": "12", "result": "validated", "reason": "Jury"})

    note.refresh_from_db()
    assert (note.final_value, note.override_reason) == (D(12), "Jury")
    page = staff_client.get(reverse("grading:note", args=[note.pk])).content.decode()
    assert "Jury" in page and "Note saisie" in page


def test_student_sees_notes_only_once_published(client, saint_etienne, people):
    scheme, simon = saint_etienne.scheme, saint_etienne.simon
    services.recompute_notes(scheme)
    user = UserFactory(email="simon@etu.example.fr", role="student")
    simon.user = user
    simon.save()
    client.force_login(user)

    before = client.get(reverse("grading:mine"))
    assert before.context["notes"] == []
    assert "Aucune note publiée pour l'instant" in before.content.decode()

    client.force_login(people["staff"])
    client.post(
        reverse("grading:publish", args=[scheme.pk]),
        {"programme": simon.programme_id, "before_deadline": "on"},
    )

    client.force_login(user)
    page = client.get(reverse("grading:mine")).content.decode()
    assert "2,5</strong>/20" in page
    assert "Campagne 1 : niveau moyen 0,75 sur les compétences 1.1, 2.1, 3.1, 4.1 → 1,5/10" in page
    assert "Saint-Étienne niveaux 2025-2026 (v1)" in page
    # another student sees none of it
    client.force_login(people["student_b"])
    assert client.get(reverse("grading:mine")).context["notes"] == []


def test_republication_needs_a_reason_in_the_page(staff_client, saint_etienne):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    note = Note.objects.get(scheme=scheme, student=saint_etienne.simon)
    url = reverse("grading:publish", args=[scheme.pk])
    early = {"programme": note.student.programme_id, "before_deadline": "on"}
    staff_client.post(url, early)
    services.override_note(note, value=D(11), result="validated", reason="Jury", by=None)

    refused = staff_client.post(url, early, follow=True)
    assert "indiquez le motif de la nouvelle publication" in refused.content.decode()
    staff_client.post(url, {**early, "reason": "Jury de janvier"})

    note.refresh_from_db()
    assert note.published_value == D(11)


def test_grid_created_from_the_strasbourg_file(staff_client, year, data_dir):
    with open(data_dir / "unistra-2023-2024.csv", "rb") as handle:
        response = staff_client.post(
            reverse("grading:grid_create"),
            {"name": "Unistra", "academic_year": year.pk, "scale": "20", "file": handle},
        )

    grid = Grid.objects.get()
    assert response.url == reverse("grading:grid", args=[grid.pk])
    assert len(grid.steps) == 41
    page = staff_client.get(response.url).content.decode()
    assert "0,5" in page and "41 paliers, note sur 20" in page


def test_typed_grid_errors_name_the_step(staff_client, year):
    response = staff_client.post(
        reverse("grading:grid_create"),
        {"name": "G", "academic_year": year.pk, "scale": "20", "steps": "0;0\n10;5\n5;6\n"},
    )

    assert "Palier 3 : le seuil 5 doit être strictement supérieur au précédent (10)." in (
        response.content.decode()
    )
    assert not Grid.objects.exists()


def test_grid_edit_shows_the_simulation_before_saving(staff_client, saint_etienne, se_grid):
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    url = reverse("grading:grid_edit", args=[se_grid.pk])
    halved = "\n".join(f"{s[0].replace('.', ',')};{float(s[1]) / 2}" for s in se_grid.steps)

    simulated = staff_client.post(url, {"scale": "10", "steps": halved, "action": "simulate"})

    [(simulated_scheme, simulation)] = simulated.context["simulations"]
    assert simulated_scheme == scheme
    assert simulation.changed == Note.objects.filter(scheme=scheme, value__gt=0).count() == 3
    se_grid.refresh_from_db()
    assert se_grid.steps[-1] == ["5", "10"]

    staff_client.post(
        url,
        {"scale": "10", "steps": halved, "action": "save", "simulated": simulated.context["token"]},
    )
    se_grid.refresh_from_db()
    assert se_grid.steps[-1] == ["5", "5"]  # unpublished: edited in place


def test_grid_csv_export(staff_client, se_grid):
    response = staff_client.get(reverse("grading:grid_csv", args=[se_grid.pk]))

    assert response.content.decode().splitlines()[:3] == [
        "score_min_pix;note_sur_10",
        "0;0",
        "0,25;0,5",
    ]


def test_grid_csv_file_name_keeps_its_accents(staff_client, se_grid):
    se_grid.name = "Saint-Étienne — niveaux"
    se_grid.save()

    response = staff_client.get(reverse("grading:grid_csv", args=[se_grid.pk]))

    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''grille-Saint-%C3%89tienne-%E2%80%94-niveaux-2025-2026-v1.csv"
    )


def test_publishing_before_an_open_deadline_needs_a_confirmation(
    staff_client, saint_etienne, requirement
):
    import datetime as dt

    from django.utils import timezone

    requirement.deadline = timezone.now() + dt.timedelta(days=7)
    requirement.save(update_fields=["deadline"])
    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)
    sed = saint_etienne.simon.programme
    url = reverse("grading:publish", args=[scheme.pk])

    page = staff_client.get(reverse("grading:scheme", args=[scheme.pk])).content.decode()
    refused = staff_client.post(url, {"programme": sed.pk}, follow=True).content.decode()
    published_before = Note.objects.filter(scheme=scheme, published_at__isnull=False).count()
    staff_client.post(url, {"programme": sed.pk, "before_deadline": "on"})

    assert 'data-open-deadline="Module IA — Open Badge"' in page
    # nobody has uploaded the badge: all 4 students of the cohort are missing it
    assert "Module IA (Module IA — Open Badge) jusqu'au" in page
    assert "4 étudiant·es n'ont encore rien envoyé." in page
    assert "Publication de L2 SED non faite" in refused
    sed_count = Note.objects.filter(scheme=scheme, student__programme=sed).count()
    assert sed_count == 2  # Simon and Hugo
    assert f"{sed_count} étudiant·e(s) n&#x27;ont encore rien envoyé" in refused
    assert published_before == 0
    assert Note.objects.filter(scheme=scheme, published_at__isnull=False).count() == sed_count


def test_a_past_deadline_publishes_without_confirmation(staff_client, saint_etienne, requirement):
    scheme = saint_etienne.scheme
    import datetime as dt

    from django.utils import timezone

    requirement.deadline = timezone.now() - dt.timedelta(days=1)
    requirement.save(update_fields=["deadline"])
    for campaign in {c.campaign for c in scheme.components.exclude(campaign=None)}:
        campaign.deadline = timezone.now() - dt.timedelta(days=1)
        campaign.save(update_fields=["deadline"])
    services.recompute_notes(scheme)
    sed = saint_etienne.simon.programme

    staff_client.post(reverse("grading:publish", args=[scheme.pk]), {"programme": sed.pk})

    assert Note.objects.filter(scheme=scheme, published_at__isnull=False).exists()


def test_a_component_from_another_year_is_refused_with_both_years(staff_client, new_scheme_data):
    import datetime as dt

    from pixoffice.accounts.models import AcademicYear

    scheme_data, components = new_scheme_data
    next_year, _ = AcademicYear.objects.get_or_create(
        name="2026-2027", defaults={"start": dt.date(2026, 9, 1), "end": dt.date(2027, 8, 31)}
    )

    response = staff_client.post(
        reverse("grading:scheme_create"),
        scheme_post({**scheme_data, "academic_year": next_year.pk}, components),
    )

    html = response.content.decode()
    assert "simulation" not in response.context
    assert (
        "La campagne URRTVG494 est de l&#x27;année 2025-2026 ; la modalité est de l&#x27;année 2026-2027."
        in html
    )
    assert "URRTVG494, 2025-2026)" in html  # the year is in each campaign's label


def test_scheme_page_ids_are_unique_and_each_label_points_to_its_field(staff_client, saint_etienne):
    import re

    scheme = saint_etienne.scheme
    services.recompute_notes(scheme)

    html = staff_client.get(reverse("grading:scheme", args=[scheme.pk])).content.decode()

    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    targets = re.findall(r'<label for="([^"]+)"', html)
    assert targets and all(f'id="{target}"' in html for target in targets)
