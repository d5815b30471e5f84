"""Every URL of the project, with every role: who may see what.

A new URL pattern makes this test fail until ``ACCESS`` (or a rule below) says who
may open it. Roles: anonymous, student A, student B (same programme), staff of
another programme, staff of the programme, admin.
"""

import re

import pytest
from django.contrib.admin import site
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "student_a", "student_b", "staff_other", "staff", "admin"]


def expect(anonymous, student_a, student_b, staff_other, staff, admin):
    return dict(
        zip(ROLES, [anonymous, student_a, student_b, staff_other, staff, admin], strict=True)
    )


PUBLIC = expect(200, 200, 200, 200, 200, 200)
ANONYMOUS_ONLY = expect(200, 302, 302, 302, 302, 302)  # signed-in people are sent home
STAFF_PAGE = expect(302, 403, 403, 200, 200, 200)
STUDENT_PAGE = expect(302, 200, 200, 403, 403, 403)
STUDENT_A_RECORD = expect(302, 200, 404, 404, 200, 200)  # student A's own record
OWN_IMPORT = expect(302, 403, 403, 404, 200, 200)  # a roster batch uploaded by "staff"
POST_ONLY_STAFF = expect(302, 403, 403, 405, 405, 405)
MANAGED_CAMPAIGN = expect(302, 403, 403, 404, 200, 200)  # a campaign of L2 Géographie
MANAGED_SCHEME = MANAGED_CAMPAIGN  # a grading scheme of L2 Géographie, and its notes
OWN_PUBLISHED_NOTE = expect(302, 200, 404, 403, 403, 403)  # student A's published note

ACCESS = {
    "healthz": PUBLIC,
    "set_language": expect(302, 302, 302, 302, 302, 302),  # GET is redirected back
    "portal:home": expect(302, 302, 302, 302, 302, 302),  # dispatches to the role's home
    "portal:student_home": STUDENT_PAGE,
    "portal:staff_home": STAFF_PAGE,
    "portal:student_record": MANAGED_CAMPAIGN,  # student A's record, for L2 Géographie's staff
    "accounts:activate": ANONYMOUS_ONLY,
    "accounts:student_list": STAFF_PAGE,
    "accounts:student_detail": STUDENT_A_RECORD,
    "accounts:roster_export": STAFF_PAGE,
    "accounts:roster_import_list": STAFF_PAGE,
    "accounts:roster_import_new": STAFF_PAGE,
    "accounts:roster_import": OWN_IMPORT,
    "accounts:roster_import_confirm": POST_ONLY_STAFF,
    "accounts:roster_import_cancel": POST_ONLY_STAFF,
    "accounts:roster_import_file": OWN_IMPORT,
    "badges:my_badge": STUDENT_PAGE,
    "badges:upload": expect(302, 405, 405, 403, 403, 403),  # POST only, for students
    "badges:queue": STAFF_PAGE,
    "badges:submission": STUDENT_A_RECORD,  # student A's badge submission
    "badges:submission_file": STUDENT_A_RECORD,
    "badges:review": POST_ONLY_STAFF,
    "badges:requirement_list": STAFF_PAGE,
    "badges:requirement_create": STAFF_PAGE,
    "badges:requirement_edit": MANAGED_CAMPAIGN,  # a required badge of L2 Géographie
    "badges:follow_up": MANAGED_CAMPAIGN,
    "badges:follow_up_export": MANAGED_CAMPAIGN,
    "campaigns:list": STAFF_PAGE,
    "campaigns:create": STAFF_PAGE,
    "campaigns:detail": MANAGED_CAMPAIGN,
    "campaigns:edit": MANAGED_CAMPAIGN,
    "campaigns:export": MANAGED_CAMPAIGN,
    "campaigns:unmatched": MANAGED_CAMPAIGN,
    "campaigns:unmatched_ignore": POST_ONLY_STAFF,
    "campaigns:unmatched_restore": POST_ONLY_STAFF,
    "campaigns:import_new": STAFF_PAGE,
    "campaigns:import": OWN_IMPORT,  # a Pix export uploaded by "staff"
    "campaigns:import_confirm": POST_ONLY_STAFF,
    "campaigns:import_cancel": POST_ONLY_STAFF,
    "campaigns:import_progress": OWN_IMPORT,
    "campaigns:mine": STUDENT_PAGE,
    "grading:scheme_list": STAFF_PAGE,
    "grading:scheme_create": STAFF_PAGE,
    "grading:scheme": MANAGED_SCHEME,
    "grading:scheme_edit": MANAGED_SCHEME,
    "grading:recompute": POST_ONLY_STAFF,
    "grading:publish": POST_ONLY_STAFF,
    "grading:note": MANAGED_SCHEME,
    "grading:override": POST_ONLY_STAFF,
    "grading:override_remove": POST_ONLY_STAFF,
    "grading:attestation": MANAGED_SCHEME,
    "grading:export": expect(302, 403, 403, 404, 302, 302),  # without ?programme=: back
    "grading:grid_list": STAFF_PAGE,  # grids are shared by every programme
    "grading:grid_create": STAFF_PAGE,
    "grading:grid": STAFF_PAGE,
    # a grid used by a scheme of L2 Géographie: read-only to staff of another programme
    "grading:grid_edit": expect(302, 403, 403, 403, 200, 200),
    "grading:grid_csv": STAFF_PAGE,
    "grading:grid_copy": POST_ONLY_STAFF,
    "grading:grid_delete": POST_ONLY_STAFF,
    "grading:mine": STUDENT_PAGE,
    "grading:my_attestation": OWN_PUBLISHED_NOTE,
    # rooms and certification (rooms serve every programme: any staff member)
    "rooms:list": STAFF_PAGE,
    "rooms:room_create": STAFF_PAGE,
    "rooms:room_edit": STAFF_PAGE,
    "rooms:site_create": STAFF_PAGE,
    "rooms:site_edit": STAFF_PAGE,
    "certification:session_list": STAFF_PAGE,
    "certification:session_create": STAFF_PAGE,
    "certification:session": STAFF_PAGE,
    "certification:session_edit": STAFF_PAGE,
    "certification:session_publish": POST_ONLY_STAFF,
    "certification:session_close": POST_ONLY_STAFF,
    "certification:candidate_place": POST_ONLY_STAFF,
    "certification:candidate_remove": POST_ONLY_STAFF,
    "certification:pix_certif_export": STAFF_PAGE,
    "certification:results_import_new": STAFF_PAGE,
    "certification:results_import": OWN_IMPORT,  # a results file uploaded by "staff"
    "certification:results_import_confirm": POST_ONLY_STAFF,
    "certification:mine": STUDENT_PAGE,
    # a student's own enrolment and slots: POST only, students only
    "certification:enrol": expect(302, 405, 405, 403, 403, 403),
    "certification:withdraw": expect(302, 405, 405, 403, 403, 403),  # student A's candidacy
    "certification:unavailability_add": expect(302, 405, 405, 403, 403, 403),
    "certification:unavailability_remove": expect(302, 405, 405, 403, 403, 403),  # A's slot
    "certification:candidate_move": POST_ONLY_STAFF,
    "certification:attendance": POST_ONLY_STAFF,
    "certification:allocation_new": STAFF_PAGE,
    "certification:allocation_detail": MANAGED_CAMPAIGN,  # a proposal for L2 Géographie
    "certification:allocation_apply": POST_ONLY_STAFF,
    "certification:my_convocation": OWN_PUBLISHED_NOTE,  # student A's, of a published session
    # staff of another programme: no candidate of theirs, back to the session page
    "certification:session_convocations": expect(302, 403, 403, 302, 200, 200),
    "certification:session_attendance": STAFF_PAGE,  # says how many it leaves out
    "certification:day_documents": STAFF_PAGE,  # the world's session day (QUERY)
    # calendar, events and outbox (issue 14)
    "mail:outbox": STAFF_PAGE,
    "mail:message": MANAGED_CAMPAIGN,  # a message to student A
    "mail:batch": MANAGED_CAMPAIGN,  # a bulk send holding it
    "mail:batch_hold": POST_ONLY_STAFF,
    "mail:batch_release": POST_ONLY_STAFF,
    "events:list": STAFF_PAGE,
    "events:create": STAFF_PAGE,
    "events:edit": MANAGED_CAMPAIGN,  # a support session of L2 Géographie
    "events:workshop": MANAGED_CAMPAIGN,  # a workshop of L2 Géographie
    "events:my_workshops": STUDENT_PAGE,
    "events:register": expect(302, 405, 405, 403, 403, 403),  # POST only, for students
    "events:cancel": expect(302, 405, 405, 403, 403, 403),
    "portal:calendar": STUDENT_PAGE,
    "portal:staff_calendar": STAFF_PAGE,
    "portal:calendar_feed_renew": expect(302, 405, 405, 405, 405, 405),  # POST only
    "portal:calendar_feed": expect(404, 404, 404, 404, 404, 404),  # an unknown token
    "reminders:list": STAFF_PAGE,
    "reminders:create": STAFF_PAGE,
    "reminders:rule": MANAGED_CAMPAIGN,  # a rule on a campaign of L2 Géographie
    # personal data (issue 16): a student's own copy (no pk), staff for their programmes
    "privacy:mine": STUDENT_PAGE,
    "privacy:my_json": STUDENT_PAGE,
    "privacy:my_document": STUDENT_PAGE,
    "privacy:my_pdf": STUDENT_PAGE,
    "privacy:student_data": MANAGED_CAMPAIGN,  # student A's copy and its log
    "privacy:export_log": STAFF_PAGE,  # each sees the copies of their students
    # retention (issue 16): anonymous counts for staff, the retention page for admins
    "privacy:statistics": STAFF_PAGE,
    "privacy:retention": expect(302, 403, 403, 403, 403, 200),
}


def is_allauth(name: str, route: str) -> bool:
    # allauth's own pages (login, logout, password reset, SSO callbacks) under
    # comptes/: any role may reach them; what matters is that none fails.
    return route.startswith("comptes/")


# GET parameters some admin views require
QUERY = {
    "admin:autocomplete": "?app_label=accounts&model_name=staffassignment&field_name=programme&term=L2",
    "certification:day_documents": "?jour=2027-03-11",
}
ADMIN_EXCEPTIONS = {
    "admin:logout": 405,  # Django's logout only answers POST
    "admin:accounts_rosterimport_add": 403,  # batches come from uploads, never typed in
    "admin:campaigns_resultimport_add": 403,
    # participations and shares come from imports; their campaign deletes them
    **{
        f"admin:campaigns_{model}_{action}": 403
        for model in ("participation", "share")
        for action in ("add", "delete")
    },
    # grids change through their page (validation, versions, simulation); notes, their
    # history and publications only through the grading services (audit trail)
    **{
        f"admin:grading_{model}_{action}": 403
        for model in ("grid", "note", "notechange", "publication")
        for action in ("add", "delete")
    },
    "admin:badges_badgesubmission_add": 403,  # submissions come from uploads
    "admin:badges_badgesubmission_delete": 403,  # the history stays
    # django-import-export's confirmation step only answers POST
    **{f"admin:rooms_{model}_process_import": 405 for model in ("site", "room")},
    "admin:certification_certificationsession_add": 403,  # planned on its page (checks)
    "admin:certification_certificationresult_add": 403,  # results come from imports
    "admin:view_on_site": 404,  # students have no public page
    "admin:mail_message_add": 403,  # messages come from queue_message, with their key
}
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else ""
            yield name, prefix + str(entry.pattern), entry


def all_patterns():
    return list(walk(get_resolver().url_patterns))


def badges_world(people):
    """A required badge of L2 Géographie and student A's submission (to review)."""
    from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

    student = people["student_a"].student
    requirement = BadgeRequirementFactory(programmes=[student.programme])
    BadgeSubmissionFactory(student=student, requirement=requirement)


def badge_pk(name: str) -> int:
    from pixoffice.badges.models import BadgeRequirement, BadgeSubmission

    on_submission = name in {"badges:submission", "badges:submission_file", "badges:review"}
    model = BadgeSubmission if on_submission else BadgeRequirement
    return model.objects.order_by("pk").first().pk  # badges_world made the first ones


def test_every_url_pattern_is_named_and_declared():
    undeclared = [
        (name, route)
        for name, route, _ in all_patterns()
        if not route.startswith("admin/")  # the admin checks staff status itself
        and not is_allauth(name, route)
        and name not in ACCESS
    ]
    assert undeclared == [], "say who may open these URLs in tests/test_url_matrix.py ACCESS"


def test_access_table_has_no_stale_entries():
    names = {name for name, _, _ in all_patterns()}
    assert set(ACCESS) - names == set()


@pytest.fixture
def world(people, roster_bytes):
    badges_world(people)
    from pixoffice.accounts import services

    batch = services.store_roster_file(
        roster_bytes, name="liste.csv", by=people["staff"], mapping={}, academic_year=None
    )
    from campaigns import services as campaign_services
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(programmes=[people["student_a"].student.programme])
    result_import = campaign_services.store_result_file(
        b"x", name="export.csv", by=people["staff"], campaign=campaign
    )
    return {
        "people": people,
        "roster_import": batch,
        "campaign": campaign,
        "result_import": result_import,
        **grading_world(people, campaign),
    }


def grading_world(people, campaign):
    """A scheme of L2 Géographie with student A's note, published, and its grid."""
    from grading import services as grading_services
    from grading.demo import saint_etienne_steps
    from grading.grids import create_grid
    from grading.models import Component, Scheme

    student = people["student_a"].student
    grid = create_grid(
        name="Grille",
        academic_year=student.academic_year,
        scale=10,
        steps=saint_etienne_steps(),
        by=None,
    )
    scheme = Scheme.objects.create(name="Pix", academic_year=student.academic_year)
    scheme.programmes.set([student.programme])
    Component.objects.create(
        scheme=scheme, label="C1", campaign=campaign, basis="mean_level", grid=grid
    )
    grading_services.recompute_notes(scheme)
    grading_services.publish_notes(scheme, student.programme, by=people["staff"])
    return {"grid": grid, "scheme": scheme, "note": student.notes.get()}


def certification_pk(name: str, student) -> int:
    """A room (and its site), a published session and student A as its candidate, made on
    first use."""
    from certification.models import Candidate, CertificationSession
    from rooms.models import Room
    from tests.factories.certification import CandidateFactory
    from tests.factories.rooms import RoomFactory

    room = Room.objects.first() or RoomFactory()
    # a session already made (a POST may have removed its candidate) is reused: a second
    # one at the same time in the same room would be refused by the exclusion constraint
    session = CertificationSession.objects.filter(room=room, status="published").first()
    candidate = Candidate.objects.first() or (
        CandidateFactory(session=session, student=student)
        if session
        else CandidateFactory(session__room=room, session__status="published", student=student)
    )
    if name == "certification:my_convocation":  # student A's own, whatever else exists
        mine = Candidate.objects.filter(student=student, session__status="published").first()
        return (mine or CandidateFactory(session__status="published", student=student)).pk
    if name in ("certification:candidate_remove", "certification:withdraw"):
        return candidate.pk
    if name == "certification:unavailability_remove":
        from certification.models import Unavailability
        from tests.factories.certification import paris

        return (
            Unavailability.objects.filter(student=student).first()
            or Unavailability.objects.create(
                student=student, starts_at=paris(2027, 3, 1, 8), ends_at=paris(2027, 3, 1, 12)
            )
        ).pk
    if name.startswith("certification:results_import"):
        from certification.models import ResultsImport
        from pixoffice.accounts.models import User

        batch = ResultsImport.objects.first() or ResultsImport.keep(
            b"x", name="resultats.csv", by=User.objects.get(email="equipe@univ-exemple.fr")
        )
        return batch.pk
    if name.startswith("certification:allocation_"):
        from certification.models import AllocationRun

        run = AllocationRun.objects.first()
        if run is None:  # a proposal for student A's programme into the session
            run = AllocationRun.objects.create(academic_year=candidate.session.academic_year)
            run.programmes.set([student.programme])
            run.sessions.set([candidate.session])
        return run.pk
    if name.startswith("certification:"):
        return candidate.session_id
    return room.site_id if name.startswith("rooms:site") else room.pk


GRADING_NOTE_URLS = {
    "grading:note",
    "grading:override",
    "grading:override_remove",
    "grading:attestation",
    "grading:my_attestation",
}


def calendar_pk(name: str, world) -> int:
    """A message to student A in a bulk send, a support session and a workshop of their
    programme (made once per test)."""
    from pixoffice.mail import services as mail_services
    from tests.factories.events import SupportSessionFactory, WorkshopFactory

    programme = world["people"]["student_a"].student.programme
    if name.startswith("events:"):
        if "session" not in world:
            world["session"] = SupportSessionFactory(programme=programme)
            world["workshop"] = WorkshopFactory(programme=programme)
        if name == "events:cancel":  # a registration of a student who is none of the roles
            from pixoffice.events.models import Registration
            from tests.factories import StudentFactory

            if "registration" not in world:
                world["registration"] = Registration.objects.create(
                    workshop=world["workshop"],
                    student=StudentFactory(programme=programme),
                    status=Registration.Status.REGISTERED,
                )
            return world["registration"].pk
        return world["session" if name == "events:edit" else "workshop"].pk

    if "message" not in world:
        batch = mail_services.create_batch(label="Rappel")
        world["message"], _ = mail_services.queue_message(
            key="matrix",
            to="a@etu.univ-exemple.fr",
            template="workshop_registered",
            context={},
            student=world["people"]["student_a"].student,
            batch=batch,
        )
    return world["message"].batch_id if name.startswith("mail:batch") else world["message"].pk


def fill_kwargs(name: str, route: str, world) -> dict | None:
    student_a = world["people"]["student_a"].student
    kwargs = {}
    for key in (a or b for a, b in ARGUMENT.findall(route)):
        if key == "pk" and name.startswith("accounts:roster_import"):
            kwargs[key] = world["roster_import"].pk
        elif key == "pk" and name.startswith(("rooms:", "certification:")):
            kwargs[key] = certification_pk(name, student_a)
        elif key == "pk" and name.startswith("badges:"):
            kwargs[key] = badge_pk(name)
        elif key == "pk" and name.startswith("campaigns:import"):
            kwargs[key] = world["result_import"].pk
        elif key == "pk" and name.startswith("campaigns:"):
            kwargs[key] = world["campaign"].pk
        elif key == "pk" and name.startswith("grading:grid"):
            kwargs[key] = world["grid"].pk
        elif key == "pk" and name in GRADING_NOTE_URLS:
            kwargs[key] = world["note"].pk
        elif key == "pk" and name.startswith("grading:"):
            kwargs[key] = world["scheme"].pk
        elif key == "pk" and name.startswith("reminders:"):
            from pixoffice.reminders.models import ReminderRule

            kwargs[key] = ReminderRule.objects.get_or_create(
                name="J-7", campaign=world["campaign"], days_before=7, audience="not_joined"
            )[0].pk
        elif key == "pk" and name.startswith(("mail:", "events:")):
            kwargs[key] = calendar_pk(name, world)
        elif key == "pk":
            kwargs[key] = student_a.pk
        elif key == "participation_pk":  # the POST matrix's unmatched row, if any
            kwargs[key] = world["unmatched"].pk if "unmatched" in world else 1
        elif key == "token":
            kwargs[key] = "jeton-inconnu"
        elif key == "kind":
            kwargs[key] = "seance"
        elif key == "fmt":
            kwargs[key] = "csv"
        elif key == "app_label":
            kwargs[key] = "accounts"
        elif key == "object_id" and name == "admin:view_on_site":
            kwargs[key] = str(student_a.pk)
        elif key == "id":  # the admin's password change page of a user
            kwargs[key] = str(world["people"]["student_a"].pk)
        elif key == "object_id":
            model = next(
                m
                for m in site._registry
                if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")
            )
            instance = model.objects.first()
            if instance is None:
                return None
            kwargs[key] = str(instance.pk)
        elif key == "content_type_id":
            kwargs[key] = ContentType.objects.get_for_model(student_a).pk
        elif key in ("uidb36", "key", "provider_id", "url", "organization_slug"):
            kwargs[key] = {
                "uidb36": "1",
                "key": "cle-invalide",
                "provider_id": "universite",
                "organization_slug": "renater",  # the SAML app's (none configured here)
            }.get(key, "x")
        else:
            raise AssertionError(
                f"{name}: no value for URL argument {key!r}: add one in fill_kwargs"
            )
    return kwargs


def status_for(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_url_matrix(role, world, client):
    user = None if role == "anonymous" else world["people"][role]
    failures = []
    for name, route, _pattern in all_patterns():
        if not name:
            continue
        kwargs = fill_kwargs(name, route, world)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs) + QUERY.get(name, "")
        client.logout()
        status = status_for(client, user, url)
        if name.startswith("admin:"):
            # non-admins are sent to the login page; the admin sees every page
            expected = ADMIN_EXCEPTIONS.get(name, 200) if role == "admin" else 302
            ok = status == expected or (expected == 200 and status == 302)
        elif is_allauth(name, route):
            ok, expected = status < 500, "<500"
        else:
            expected = ACCESS[name][role]
            ok = status == expected
        if not ok:
            failures.append(f"{name} {url}: {status} (expected {expected})")
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_student_b_gets_404_on_student_a_record(people, client):
    client.force_login(people["student_b"])
    url = reverse("accounts:student_detail", kwargs={"pk": people["student_a"].student.pk})

    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_of_another_programme_sees_only_their_students(people, client):
    from tests.factories import StudentFactory

    histoire = StudentFactory(programme=people["staff_other"].programmes.get())
    client.force_login(people["staff_other"])

    page = client.get(reverse("accounts:student_list"))

    assert [s.pk for s in page.context["page"].object_list] == [histoire.pk]
