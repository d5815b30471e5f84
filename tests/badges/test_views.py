import pytest
from django.urls import reverse

from pixoffice.badges.models import BadgeRequirement, BadgeSubmission
from tests.badges import bake
from tests.factories import StudentFactory
from tests.factories.badges import BadgeSubmissionFactory, TrustedBadgeFactory

pytestmark = pytest.mark.django_db

Status = BadgeSubmission.Status
A_EMAIL = "a@etu.univ-exemple.fr"


def page_text(response) -> str:
    return response.content.decode()


def upload_as(client, person, requirement, file):
    client.force_login(person)
    return client.post(reverse("badges:upload", kwargs={"pk": requirement.pk}), {"file": file})


def test_student_page_shows_the_requirement_deadline_and_upload_form(client, people, requirement):
    client.force_login(people["student_a"])

    response = client.get(reverse("badges:my_badge"))

    text = page_text(response)
    assert response.status_code == 200
    assert "Module IA — Open Badge" in text
    assert "À déposer avant le" in text
    assert "Aucun badge déposé" in text
    assert 'enctype="multipart/form-data"' in text
    assert "Fichier du badge (image PNG ou SVG, ou fichier JSON)" in text


def test_student_uploads_their_baked_badge_and_sees_it_verified(
    client, people, requirement, badge_for, upload
):
    response = upload_as(client, people["student_a"], requirement, upload(badge_for(A_EMAIL)))

    assert response.status_code == 302
    assert response.url == reverse("badges:my_badge")
    submission = BadgeSubmission.objects.get()
    assert (submission.student, submission.status) == (people["student_a"].student, Status.VERIFIED)
    page = client.get(response.url)
    text = page_text(page)
    assert (
        "Votre badge est vérifié : l&#x27;exigence « Module IA — Open Badge » est remplie." in text
    )
    assert '<strong class="badge-status badge-status-verified">Vérifié</strong>' in text
    assert "Déposer le badge" not in text  # nothing more to upload


def test_someone_elses_badge_is_kept_for_review_and_the_student_sees_why(
    client, people, requirement, badge_for, upload
):
    upload_as(client, people["student_b"], requirement, upload(badge_for(A_EMAIL)))

    text = page_text(client.get(reverse("badges:my_badge")))

    assert '<strong class="badge-status badge-status-review">À vérifier</strong>' in text
    assert "le destinataire du badge ne correspond pas".capitalize() in text
    assert "Déposer un autre fichier" in text  # may replace it while in review


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a\x01\x00", "Ce fichier est une image GIF, pas un badge"),
        (bake.plain_png(), "Cette image PNG ne contient pas de badge"),
        (bake.bomb_png(), "Cette image déclare des dimensions démesurées (100000 × 100000 pixels)"),
    ],
)
def test_a_refused_file_shows_a_french_message_and_changes_nothing(
    client, people, requirement, upload, data, message
):
    response = upload_as(client, people["student_a"], requirement, upload(data, "badge.png"))

    assert response.status_code == 200
    item = response.context["items"][0]
    assert item["form"].errors["file"][0].startswith(message)
    assert message.replace("'", "&#x27;") in page_text(response)
    assert BadgeSubmission.objects.count() == 0


def test_file_over_the_size_limit_is_refused_by_the_form(
    client, people, requirement, upload, settings
):
    settings.BADGE_UPLOAD_MAX_BYTES = 1024

    response = upload_as(client, people["student_a"], requirement, upload(b"{" + b" " * 3000))

    assert response.context["items"][0]["form"].errors["file"] == [
        "Le fichier fait 3 ko ; la taille maximale d'un badge est 1 ko."
    ]
    assert BadgeSubmission.objects.count() == 0


def test_upload_after_the_deadline_is_closed(client, people, requirement, badge_for, upload):
    BadgeRequirement.objects.filter(pk=requirement.pk).update(deadline="2026-01-01T00:00:00Z")
    client.force_login(people["student_a"])

    text = page_text(client.get(reverse("badges:my_badge")))
    response = upload_as(client, people["student_a"], requirement, upload(badge_for(A_EMAIL)))

    assert "dépôt fermé" in text
    assert "La date limite de dépôt (01/01/2026 01:00) est passée : le dépôt est fermé." in text
    assert "Déposer le badge" not in text
    assert response.status_code == 200
    assert BadgeSubmission.objects.count() == 0


def test_student_of_another_programme_cannot_upload_to_this_requirement(
    client, people, requirement, badge_for, upload
):
    from tests.factories import StudentUserFactory

    outsider = StudentUserFactory(student__programme=people["staff_other"].programmes.get())

    response = upload_as(client, outsider, requirement, upload(badge_for(outsider.email)))

    assert response.status_code == 404


def test_a_student_sees_only_their_own_submission_and_file(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student,
        requirement=requirement,
        file__data=bake.bake_png(bake.assertion(A_EMAIL)),
        format="png",
    )
    detail = reverse("badges:submission", kwargs={"pk": submission.pk})
    file_url = reverse("badges:submission_file", kwargs={"pk": submission.pk})

    client.force_login(people["student_b"])
    assert client.get(detail).status_code == 404
    assert client.get(file_url).status_code == 404

    client.force_login(people["student_a"])
    assert client.get(detail).status_code == 200
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response["Cache-Control"] == "private, no-store"


def test_svg_file_is_downloaded_never_shown_inline(client, people, requirement):
    submission = BadgeSubmissionFactory(
        requirement=requirement,
        student=people["student_a"].student,
        file__data=bake.bake_svg(bake.assertion(A_EMAIL)),
        original_name="mon badge.svg",
        format="svg",
    )
    client.force_login(people["staff"])

    response = client.get(reverse("badges:submission_file", kwargs={"pk": submission.pk}))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="mon badge.svg"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_queue_shows_submissions_of_followed_programmes_only(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )

    client.force_login(people["staff_other"])
    other = client.get(reverse("badges:queue"))
    assert list(other.context["page"].object_list) == []
    assert client.get(reverse("badges:submission", kwargs={"pk": submission.pk})).status_code == 404

    client.force_login(people["staff"])
    mine = client.get(reverse("badges:queue"))
    assert list(mine.context["page"].object_list) == [submission]
    text = page_text(mine)
    assert "MOOC IA pour tous" in text
    assert "Le destinataire du badge ne correspond pas" in text


def test_queue_filters_by_programme_status_and_search(client, people, requirement):
    a = BadgeSubmissionFactory(student=people["student_a"].student, requirement=requirement)
    b = BadgeSubmissionFactory(
        student=people["student_b"].student, requirement=requirement, status=Status.VERIFIED
    )
    client.force_login(people["staff"])
    url = reverse("badges:queue")

    assert list(client.get(url).context["page"].object_list) == [a]  # to review, by default
    assert list(client.get(url, {"status": ""}).context["page"].object_list) == [a, b]
    assert list(client.get(url, {"status": "verified"}).context["page"].object_list) == [b]
    number = people["student_b"].student.student_number
    assert list(client.get(url, {"status": "", "q": number}).context["page"].object_list) == [b]
    histoire = people["staff_other"].programmes.get()
    assert (
        list(client.get(url, {"status": "", "programme": histoire.pk}).context["page"].object_list)
        == []
    )


def test_staff_accepts_from_the_queue(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )
    client.force_login(people["staff"])
    review = reverse("badges:review", kwargs={"pk": submission.pk})

    response = client.post(review, {"decision": "accept", "next": reverse("badges:queue")})
    again = client.post(review, {"decision": "accept", "next": reverse("badges:queue")})

    assert response.url == reverse("badges:queue")
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == (Status.ACCEPTED, people["staff"])
    messages = [str(m) for m in again.wsgi_request._messages]
    assert messages == [
        f"Le badge de {people['student_a'].student.full_name} est accepté.",
        f"Le badge de {people['student_a'].student.full_name} était déjà accepté.",
    ]


def test_reject_needs_a_reason_then_the_student_sees_it(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )
    client.force_login(people["staff"])
    review = reverse("badges:review", kwargs={"pk": submission.pk})

    refused = client.post(review, {"decision": "reject", "reason": "  "}, follow=True)
    submission.refresh_from_db()
    assert submission.status == Status.REVIEW
    assert "Indiquez la raison du refus : l&#x27;étudiant·e la verra." in page_text(refused)

    client.post(review, {"decision": "reject", "reason": "Badge d'un autre MOOC."})
    submission.refresh_from_db()
    assert (submission.status, submission.reason) == (Status.REJECTED, "Badge d'un autre MOOC.")

    client.force_login(people["student_a"])
    text = page_text(client.get(reverse("badges:my_badge")))
    assert '<strong class="badge-status badge-status-rejected">Refusé</strong>' in text
    assert "Raison du refus :</strong> Badge d&#x27;un autre MOOC." in text
    assert "Déposer un autre fichier" in text


def test_staff_of_another_programme_cannot_review(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )
    client.force_login(people["staff_other"])

    response = client.post(
        reverse("badges:review", kwargs={"pk": submission.pk}), {"decision": "accept"}
    )

    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.status == Status.REVIEW


def test_review_redirects_only_to_this_site(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )
    client.force_login(people["staff"])

    response = client.post(
        reverse("badges:review", kwargs={"pk": submission.pk}),
        {"decision": "accept", "next": "https://ailleurs.example/"},
    )

    assert response.url == reverse("badges:submission", kwargs={"pk": submission.pk})


@pytest.mark.parametrize("count", [1, 20])
def test_queue_query_count_does_not_grow_with_submissions(
    client, people, requirement, count, django_assert_num_queries
):
    programme = people["student_a"].student.programme
    for _ in range(count):
        BadgeSubmissionFactory(student=StudentFactory(programme=programme), requirement=requirement)
    client.force_login(people["staff"])

    # session, user, programmes, requirements, the page's submissions, their count
    with django_assert_num_queries(6):
        response = client.get(reverse("badges:queue"))

    assert len(response.context["page"].object_list) == count


def test_follow_up_lists_students_without_a_validated_badge_and_exports_them(
    client, people, requirement
):
    a, b = people["student_a"].student, people["student_b"].student
    BadgeSubmissionFactory(student=a, requirement=requirement, status=Status.VERIFIED)
    BadgeSubmissionFactory(
        student=b, requirement=requirement, status=Status.REJECTED, reason="=1+1"
    )
    c = StudentFactory(programme=a.programme, last_name="-Dupont")
    client.force_login(people["staff"])

    page = client.get(reverse("badges:follow_up", kwargs={"pk": requirement.pk}))
    csv = client.get(
        reverse("badges:follow_up_export", kwargs={"pk": requirement.pk, "fmt": "csv"})
    )
    xlsx = client.get(
        reverse("badges:follow_up_export", kwargs={"pk": requirement.pk, "fmt": "xlsx"})
        + "?status=none"
    )

    assert [s.pk for s in page.context["page"].object_list] == [c.pk, b.pk]  # "-Dupont" first
    assert page.context["counts"]["verified"] == 1
    lines = csv.content.decode("utf-8-sig").split("\r\n")
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert lines[0] == "Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe;État du badge;Motif"
    assert lines[1].split(";")[1] == "'-Dupont"  # formula cells neutralised
    assert lines[1].split(";")[6:] == ["Aucun dépôt", ""]
    assert lines[2].split(";")[6:] == ["Refusé", "'=1+1"]
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx.content.startswith(b"PK")


def test_staff_of_another_programme_cannot_open_the_follow_up(client, people, requirement):
    client.force_login(people["staff_other"])

    assert client.get(reverse("badges:follow_up", kwargs={"pk": requirement.pk})).status_code == 404


def test_staff_creates_a_requirement(client, people):
    trusted = TrustedBadgeFactory()
    geo = people["student_a"].student.programme
    client.force_login(people["staff"])

    response = client.post(
        reverse("badges:requirement_create"),
        {
            "name": "Module IA — Open Badge",
            "academic_year": people["student_a"].student.academic_year.pk,
            "programmes": [geo.pk],
            "deadline": "2026-12-08T23:59",
            "instructions": "Suivez le MOOC.",
            "trusted_badges": [trusted.pk],
        },
    )

    requirement = BadgeRequirement.objects.get()
    assert response.url == reverse("badges:follow_up", kwargs={"pk": requirement.pk})
    assert requirement.deadline.isoformat() == "2026-12-08T22:59:00+00:00"  # 23:59 in Paris
    assert list(requirement.trusted_badges.all()) == [trusted]


def test_editing_keeps_programmes_the_staff_member_does_not_follow(client, people, requirement):
    histoire = people["staff_other"].programmes.get()
    requirement.programmes.add(histoire)
    client.force_login(people["staff_other"])

    client.post(
        reverse("badges:requirement_edit", kwargs={"pk": requirement.pk}),
        {
            "name": "Module IA",
            "academic_year": requirement.academic_year.pk,
            "programmes": [histoire.pk],
            "deadline": "2026-12-08T23:59",
            "trusted_badges": [],
            "confirm_shared": "on",  # a shared setting changes: confirmed (architecture.md)
        },
    )

    requirement.refresh_from_db()
    assert requirement.name == "Module IA"
    assert set(requirement.programmes.all()) == {histoire, people["student_a"].student.programme}


def test_staff_sees_the_findings_and_the_assertion_the_student_does_not(
    client, people, requirement
):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student,
        requirement=requirement,
        findings=["le destinataire du badge ne correspond pas"],
        assertion={"id": "https://mooc-ia.example.fr/assertions/4f1c2d"},
        assertion_uri="https://mooc-ia.example.fr/assertions/4f1c2d",
    )
    url = reverse("badges:submission", kwargs={"pk": submission.pk})

    client.force_login(people["staff"])
    staff_page = page_text(client.get(url))
    client.force_login(people["student_a"])
    student_page = page_text(client.get(url))

    assert "Constats de la vérification automatique" in staff_page
    assert 'href="https://mooc-ia.example.fr/assertions/4f1c2d"' in staff_page
    assert "Refuser le badge de" in staff_page
    assert "Constats de la vérification automatique" not in student_page
    assert "Contenu de l&#x27;assertion" not in student_page
    assert "Refuser le badge de" not in student_page
    assert "Le destinataire du badge ne correspond pas" in student_page  # the reason


def test_admin_pages_of_badges_render(client, people, requirement):
    submission = BadgeSubmissionFactory(
        student=people["student_a"].student, requirement=requirement
    )
    client.force_login(people["admin"])

    for name, args in [
        ("admin:badges_trustedbadge_changelist", []),
        ("admin:badges_trustedbadge_change", [requirement.trusted_badges.get().pk]),
        ("admin:badges_badgerequirement_change", [requirement.pk]),
        ("admin:badges_badgesubmission_changelist", []),
        ("admin:badges_badgesubmission_change", [submission.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    assert client.get(reverse("admin:badges_badgesubmission_add")).status_code == 403
    delete = reverse("admin:badges_badgesubmission_delete", args=[submission.pk])
    assert client.get(delete).status_code == 403


def test_review_page_prints_each_finding_once(client, people):
    from pixoffice.badges.assertions import as_sentence
    from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

    finding = "le destinataire du badge ne correspond pas aux adresses de l'étudiant·e"
    student = people["student_a"].student
    submission = BadgeSubmissionFactory(
        student=student,
        requirement=BadgeRequirementFactory(programmes=[student.programme]),
        findings=[finding],
        reason=as_sentence([finding]),
    )
    client.force_login(people["staff"])
    url = reverse("badges:submission", args=[submission.pk])

    before = client.get(url).content.decode()
    submission.reason = "Badge d'un autre étudiant."
    submission.save(update_fields=["reason"])
    after = client.get(url).content.decode()

    assert before.count("ne correspond pas aux adresses") == 1
    assert after.count("ne correspond pas aux adresses") == 1  # now in the findings list
    assert "Constats de la vérification automatique" in after
