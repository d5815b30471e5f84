"""Every URL of the project POSTed with every role: who may write what.

The GET walker (``tests/test_url_matrix.py``) says who may *see* a page; this one
says who may *change* something through it. Each URL gets a POST that would change
the database if it were accepted (``PAYLOADS``); for each role the answer must be
the one in ``POST_ACCESS`` (by default, the GET matrix's: a view that does not
restrict its methods answers a POST like a GET), and the database must be exactly as
before unless the role is one of the URL's writers. Roles: anonymous, student A,
student B (same programme), staff of another programme, staff of the programme,
admin; the objects are those of the GET matrix's ``world`` (L2 Géographie).
"""

import datetime as dt
import hashlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.test_url_matrix import (
    ACCESS,
    ROLES,
    all_patterns,
    expect,
    fill_kwargs,
    is_allauth,
)
from tests.test_url_matrix import world as url_world  # noqa: F401  (a fixture)

ANY = "any"  # a writer: any answer below 500, the database may change
STAFF_WRITE = {"staff", "admin"}
POST_ONLY_STAFF = expect(302, 403, 403, 404, ANY, ANY)  # another programme's: 404
MANAGED = expect(302, 403, 403, 404, ANY, ANY)
STAFF_FORM = expect(302, 403, 403, ANY, ANY, ANY)  # staff of another programme: a form

POST_ACCESS = {
    # page: (answer per role, roles whose POST may write)
    "healthz": (expect(200, 200, 200, 200, 200, 200), set()),
    "set_language": (expect(302, 302, 302, 302, 302, 302), set()),  # a cookie, no row
    "accounts:activate": (expect(200, 302, 302, 302, 302, 302), {"anonymous"}),
    # staff of another programme keep their own batch (its preview refuses the rows)
    "accounts:roster_import_new": (STAFF_FORM, {"staff_other:accounts.RosterImport", *STAFF_WRITE}),
    "accounts:roster_import": (expect(302, 403, 403, 404, ANY, ANY), STAFF_WRITE),
    "accounts:roster_import_confirm": (POST_ONLY_STAFF, STAFF_WRITE),
    "accounts:roster_import_cancel": (POST_ONLY_STAFF, STAFF_WRITE),
    "badges:my_badge": (expect(302, 405, 405, 403, 403, 403), set()),  # GET only
    "badges:upload": (expect(302, ANY, ANY, 403, 403, 403), {"student_a", "student_b"}),
    "badges:review": (POST_ONLY_STAFF, STAFF_WRITE),
    "badges:requirement_create": (STAFF_FORM, STAFF_WRITE),  # L2 Géographie not offered
    "badges:requirement_edit": (MANAGED, STAFF_WRITE),
    "campaigns:create": (STAFF_FORM, STAFF_WRITE),
    "campaigns:edit": (MANAGED, STAFF_WRITE),
    "campaigns:unmatched": (MANAGED, STAFF_WRITE),
    "campaigns:unmatched_ignore": (POST_ONLY_STAFF, STAFF_WRITE),
    "campaigns:unmatched_restore": (POST_ONLY_STAFF, STAFF_WRITE),
    "campaigns:import_new": (STAFF_FORM, STAFF_WRITE),
    "campaigns:import_confirm": (POST_ONLY_STAFF, STAFF_WRITE),
    "campaigns:import_cancel": (POST_ONLY_STAFF, STAFF_WRITE),
    "grading:scheme_create": (STAFF_FORM, STAFF_WRITE),
    "grading:scheme_edit": (MANAGED, STAFF_WRITE),
    "grading:recompute": (POST_ONLY_STAFF, STAFF_WRITE),
    "grading:publish": (POST_ONLY_STAFF, STAFF_WRITE),
    "grading:override": (POST_ONLY_STAFF, STAFF_WRITE),
    "grading:override_remove": (POST_ONLY_STAFF, STAFF_WRITE),
    # grids: anyone of the staff creates or copies one; the world's grid is used by a
    # scheme of L2 Géographie, so staff of another programme may not change it
    "grading:grid_create": (STAFF_FORM, {"staff_other", "staff", "admin"}),
    "grading:grid_edit": (expect(302, 403, 403, 403, ANY, ANY), STAFF_WRITE),
    "grading:grid_copy": (expect(302, 403, 403, ANY, ANY, ANY), {"staff_other", *STAFF_WRITE}),
    "grading:grid_delete": (expect(302, 403, 403, 403, ANY, ANY), STAFF_WRITE),
    # rooms and sessions serve every programme: any staff member plans them; candidates
    # and results batches stay within the staff member's programmes and uploads
    "certification:session_publish": (STAFF_FORM, {"staff_other", *STAFF_WRITE}),
    "certification:session_close": (STAFF_FORM, {"staff_other", *STAFF_WRITE}),
    "certification:candidate_place": (STAFF_FORM, STAFF_WRITE),
    "certification:candidate_remove": (POST_ONLY_STAFF, STAFF_WRITE),
    "certification:results_import_confirm": (POST_ONLY_STAFF, STAFF_WRITE),
    # a student enrols, withdraws, declares slots for themselves only (student A's
    # candidacy and slot: 404 to student B); the office moves and takes attendance
    "certification:enrol": (expect(302, ANY, ANY, 403, 403, 403), {"student_a", "student_b"}),
    "certification:withdraw": (expect(302, ANY, 404, 403, 403, 403), {"student_a"}),
    "certification:unavailability_add": (
        expect(302, ANY, ANY, 403, 403, 403),
        {"student_a", "student_b"},
    ),
    "certification:unavailability_remove": (expect(302, ANY, 404, 403, 403, 403), {"student_a"}),
    "certification:candidate_move": (STAFF_FORM, STAFF_WRITE),
    "certification:attendance": (STAFF_FORM, STAFF_WRITE),
    # an allocation runs on the staff member's own programmes only: for staff of another
    # programme, L2 Géographie is not a choice (the form again) and its proposal a 404
    "certification:allocation_new": (STAFF_FORM, STAFF_WRITE),
    "certification:allocation_apply": (POST_ONLY_STAFF, STAFF_WRITE),
    # documents write nothing; without ?jour= the day is today, with no session: the week
    "certification:day_documents": (expect(302, 403, 403, 302, 302, 302), set()),
    # calendar, events and the outbox: students register for a workshop (a row and its
    # email) and renew their own feed; the world's registration is nobody's of the
    # roles (404); staff of the programme hold or release a bulk send
    "events:register": (expect(302, ANY, ANY, 403, 403, 403), {"student_a", "student_b"}),
    "events:cancel": (expect(302, 404, 404, 403, 403, 403), set()),
    "mail:batch_hold": (POST_ONLY_STAFF, STAFF_WRITE),
    "mail:batch_release": (POST_ONLY_STAFF, STAFF_WRITE),
    # the calendar page makes the student's secret feed address on first visit
    "portal:calendar": (expect(302, 200, 200, 403, 403, 403), {"student_a", "student_b"}),
    "portal:calendar_feed_renew": (
        expect(302, ANY, ANY, 403, 403, 403),
        {"student_a", "student_b"},
    ),
    # producing student A's copy is logged (a PersonalDataExport row); another
    # programme's staff: 404, nothing logged
    "privacy:student_data": (MANAGED, STAFF_WRITE),
}


def _digest(data: dict) -> str:
    from django.http import QueryDict

    from grading.forms import digest

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    return digest(query)


def _pix_export(w) -> bytes:
    from tests.campaigns.generate import profiles_export

    number = w["people"]["student_a"].student.student_number
    return profiles_export(1, code=w["campaign"].code, twice=0, numbers=[number])


def _scheme_edit(w) -> dict:
    from grading.forms import ComponentFormSet, SchemeForm, campaigns_for
    from tests.scope.forms import field_values, formset_values

    admin, scheme = w["people"]["admin"], w["scheme"]
    data = {
        **field_values(SchemeForm(instance=scheme, user=admin)),
        **formset_values(
            ComponentFormSet(instance=scheme, campaigns=campaigns_for(admin), prefix="components")
        ),
        "pass_mark": "5",
        "action": "save",
    }
    return {**data, "simulated": _digest(data)}


def _grid_edit(w) -> dict:
    data = {"scale": "10", "steps": "0;0\n1;10", "action": "save"}
    return {**data, "simulated": _digest(data)}


def _other_year(w):
    from pixoffice.accounts.models import AcademicYear

    return AcademicYear.objects.get_or_create(
        name="2031-2032", defaults={"start": dt.date(2031, 9, 1), "end": dt.date(2032, 8, 31)}
    )[0]


def _campaign_form(w, **extra) -> dict:
    from campaigns.models import Competence

    student = w["people"]["student_a"].student
    return {
        "name": "Campagne postée",
        "code": "POSTED001",
        "kind": "profiles_collection",
        "academic_year": student.academic_year_id,
        "programmes": [student.programme_id],
        "competences": [Competence.objects.order_by("position").first().pk],
        "opens_on": "2026-09-15",
        "deadline": "2026-10-27T23:59",
        "target_level": 3,
        "external_id_label": "Numéro étudiant",
        "counting_rule": "last_before_deadline",
        **extra,
    }


def _requirement_form(w) -> dict:
    student = w["people"]["student_a"].student
    return {
        "name": "Badge posté",
        "academic_year": student.academic_year_id,
        "programmes": [student.programme_id],
        "deadline": "2026-12-08T23:59",
        "confirm_shared": "on",
    }


def _scheme_form(w) -> dict:
    student = w["people"]["student_a"].student
    data = {
        "name": "Modalité postée",
        "academic_year": student.academic_year_id,
        "programmes": [student.programme_id],
        "combine": "sum",
        "scale": "20",
        "rounding": "none",
        "pass_mark": "10",
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "1000",
        "components-0-position": "1",
        "components-0-label": "C1",
        "components-0-kind": "campaign",
        "components-0-campaign": str(w["campaign"].pk),
        "components-0-basis": "mean_level",
        "components-0-grid": str(w["grid"].pk),
        "components-0-weight": "1",
        "components-0-missing": "zero",
        "components-0-absence_code": "ABI",
        "action": "save",
    }
    return {**data, "simulated": _digest(data)}


# name → a function of the world giving the POST body (fresh files each time)
PAYLOADS = {
    "set_language": lambda w: {"language": "en", "next": "/"},
    "accounts:activate": lambda w: {"identifier": w["people"]["student_a"].student.student_number},
    "accounts:roster_import_new": lambda w: {
        "file": SimpleUploadedFile("liste.csv", w["roster_bytes"])
    },
    "accounts:roster_import": lambda w: {"student_number": "0", "last_name": "1"},
    "badges:upload": lambda w: {"file": SimpleUploadedFile("badge.json", b"{}")},
    "badges:review": lambda w: {"decision": "accept"},
    "badges:requirement_create": _requirement_form,
    "badges:requirement_edit": _requirement_form,
    "campaigns:create": _campaign_form,
    "campaigns:edit": lambda w: _campaign_form(w, code=w["campaign"].code, confirm_shared="on"),
    "campaigns:unmatched": lambda w: {
        "participation": str(w["unmatched"].pk),
        "student_number": w["people"]["student_a"].student.student_number,
    },
    "campaigns:unmatched_ignore": lambda w: {"reason": "Inscrit en M1 MEEF"},
    "campaigns:import_new": lambda w: {
        "file": SimpleUploadedFile("Resultats.csv", _pix_export(w)),
        "campaign": str(w["campaign"].pk),
    },
    "grading:scheme_create": _scheme_form,
    "grading:scheme_edit": _scheme_edit,
    "grading:publish": lambda w: {"programme": str(w["people"]["student_a"].student.programme_id)},
    "grading:override": lambda w: {"value": "20", "result": "validated", "reason": "Jury"},
    "grading:override_remove": lambda w: {"reason": "Erreur"},
    "grading:grid_create": lambda w: {
        "name": "Grille postée",
        "academic_year": str(w["grid"].academic_year_id),
        "scale": "20",
        "steps": "0;0\n50;20",
    },
    "grading:grid_edit": _grid_edit,
    "grading:grid_copy": lambda w: {"academic_year": str(_other_year(w).pk)},
    "certification:session_publish": lambda w: {},  # no body: the action is the URL
    "certification:session_close": lambda w: {},
    "certification:candidate_place": lambda w: {
        "student_number": w["people"]["student_b"].student.student_number
    },
    "certification:candidate_remove": lambda w: {},
    "certification:results_import_confirm": lambda w: {},
    "certification:unavailability_add": lambda w: {
        "starts_at": "2099-03-01T08:00",
        "ends_at": "2099-03-01T12:00",
        "reason": "Partiel",
    },
    "certification:candidate_move": lambda w: {"candidate": str(_candidate().pk), "to": "1"},
    "certification:attendance": lambda w: {f"presence-{_candidate().pk}": "absent"},
    "certification:allocation_new": lambda w: _allocation_form(w),  # defined below
    "certification:allocation_apply": lambda w: {},
    "privacy:student_data": lambda w: {"format": "json"},
}


def _candidate():
    """The world's candidate (``fill_kwargs`` makes it before the payload is built)."""
    from certification.models import Candidate

    return Candidate.objects.order_by("pk").first()


def _allocation_form(w) -> dict:
    from tests.test_url_matrix import certification_pk

    student = w["people"]["student_a"].student
    return {
        "programmes": [student.programme_id],
        "sessions": [certification_pk("certification:session", student)],
        "solver": "flow",
    }


def snapshot() -> dict[str, str]:
    """A fingerprint of every table's rows (sessions aside: logging in writes them)."""
    state = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label == "sessions":
            continue
        rows = repr(list(model._base_manager.order_by("pk").values_list()))
        state[meta.label] = hashlib.sha256(rows.encode()).hexdigest()
    return state


def _tables_allowed(writers: set[str], role: str) -> set[str]:
    """``"role:app.Model"`` entries: a role that may write only these tables."""
    return {w.split(":", 1)[1] for w in writers if w.startswith(f"{role}:")}


def walked():
    for name, route, _pattern in all_patterns():
        if name and not route.startswith("admin/") and not is_allauth(name, route):
            yield name, route


def test_post_table_names_only_known_urls():
    names = {name for name, _route in walked()}
    assert set(POST_ACCESS) - names == set()
    assert set(PAYLOADS) - names == set()


def test_every_url_that_writes_has_a_payload():
    writes = {name for name, (_answers, writers) in POST_ACCESS.items() if writers}
    bodiless = {"accounts:roster_import_confirm", "campaigns:import_confirm"}
    bodiless |= {"accounts:roster_import_cancel", "campaigns:import_cancel"}
    bodiless |= {"grading:recompute", "grading:grid_delete"}
    bodiless |= {"events:register", "mail:batch_hold", "mail:batch_release"}
    bodiless |= {"portal:calendar", "portal:calendar_feed_renew"}
    bodiless |= {"certification:enrol", "certification:withdraw"}
    bodiless |= {"certification:unavailability_remove", "campaigns:unmatched_restore"}
    assert writes - set(PAYLOADS) - bodiless == set()


@pytest.fixture
def post_world(url_world, roster_bytes):  # noqa: F811
    from campaigns.models import Participation

    unmatched = Participation.objects.create(
        campaign=url_world["campaign"], identifier="99999999", last_name="Inconnu"
    )
    return {**url_world, "roster_bytes": roster_bytes, "unmatched": unmatched}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_post_matrix(role, post_world, client):
    user = None if role == "anonymous" else post_world["people"][role]
    if user is not None:
        client.force_login(user)
    failures, unchanged = [], []
    for name, route in walked():
        kwargs = fill_kwargs(name, route, post_world)
        url = reverse(name, kwargs=kwargs)
        answers, writers = POST_ACCESS.get(name, (ACCESS[name], set()))
        expected = answers[role]
        body = PAYLOADS.get(name, lambda w: {})(post_world)
        before = snapshot()
        status = client.post(url, body).status_code
        changed = sorted(k for k, v in snapshot().items() if before.get(k) != v)
        ok = status < 500 if expected == ANY else status == expected
        if not ok:
            failures.append(f"{name} {url}: {status} (expected {expected})")
        allowed = set(changed) if role in writers else _tables_allowed(writers, role)
        if set(changed) - allowed:
            failures.append(f"{name} {url}: {role} changed {', '.join(changed)}")
        if role in writers and name in PAYLOADS and not changed:
            unchanged.append(name)
        if name == "set_language":
            client.cookies.pop("django_language", None)
    print("writers' POSTs that changed nothing:", unchanged)
    assert failures == [], "\n".join(failures)
