"""A student's copy of everything the site holds about them (GDPR art. 15 and 20).

``collect_personal_data(student)`` returns one dict with a fixed structure; the JSON
download, the readable page and the PDF all show it. Values are Python values (dates,
aware datetimes, ``Decimal``); ``as_json`` writes datetimes in Paris time (ISO 8601
with offset) and decimals as strings. Every key below is always present (an empty
list or ``None`` when there is nothing); a coded value comes with its French label
beside it (``status`` / ``status_label``). Constant queries: 17 whatever the student
has (the student, their account's addresses and sign-in links, participations,
shares, badge submissions, notes, note history, candidacies, unavailabilities,
certification results, allocation proposals, registrations, emails, attachments,
reminders, calendar feed, copies produced).

Structure (``FORMAT`` names its version; a change of keys changes the version)::

    format, produced_at
    identity        every roster field: numbers, names, birth date and place, sex,
                    INSEE/postal code and country of birth, email, programme, group,
                    academic year, extra time, accessible room, left_on, created/updated
    account         None, or the login: email, names, role, date_joined, last_login,
                    email_addresses [{email, verified, primary}],
                    sso_accounts [{provider, uid, date_joined, last_login}]
    campaigns       participations [{campaign {name, code, kind, kind_label,
                    academic_year, deadline, counting_rule, counting_rule_label},
                    identifier, last_name, first_name, group (as Pix Orga wrote them),
                    progression, started_at, linked_at, first_import {file, uploaded_at},
                    counting_share (its shared_at, or None),
                    shares [{shared_at, counts, is_late, total_pix, certifiable,
                    certifiable_count, mastery_rate, stage, stage_count, badges,
                    results, progression, started_at, import {file, uploaded_at},
                    row (the Pix Orga export's row, column → cell)}]}]
    badges          submissions [{requirement, deadline, uploaded_at, file, format,
                    status, status_label, is_current, reason, findings, badge_name,
                    issuer_name, issued_on, expires_on, assertion_uri, reviewed_at,
                    reviewed_by}]
    grading         notes [{scheme, academic_year, published, value, result,
                    result_label, absence_code, computed_at, override {value, result,
                    reason, by, at} or None, published_value, published_result,
                    published_at, explanation, explanation_text, changes [{at, kind, kind_label, by,
                    old_value, new_value, old_result, new_result, reason}]}]
                    Every note row held is given, published or not: a copy of personal
                    data holds what is stored; ``published`` says which ones the
                    student's notes page shows (the others are provisional).
    certification   candidacies [{session {starts_at, ends_at, room, status,
                    pix_session_number}, extra_time_percent, attendance,
                    attendance_label, placed_at, convocation_end}],
                    unavailabilities [{starts_at, ends_at, reason}],
                    results [{certification_number, session_number, status,
                    status_label, level, score, competences, comment, centre, taken_on,
                    first_name, last_name, birth_date, birth_place, external_id, kind,
                    imported_at}],
                    allocation_proposals [{run, created_at, status, session, reason,
                    reason_label, detail}]
    events          registrations [{workshop, start, end, location, status,
                    status_label, created_at, cancelled_at}]
    mail            messages [{created_at, sent_at, to, subject, kind, status,
                    status_label, text, attachments [names], reminder}]
    reminders       messages [{created_at, subject, rule, occurrence}] (the emails above
                    that a reminder rule sent)
    calendar        feed: None or {created_at} (the secret address itself is left out:
                    it is a password, the calendar page shows and renews it)
    privacy         exports [{at, by, format}]: the copies staff produced
    not_included    sentences saying what is held elsewhere and why it is not here
"""

import datetime as dt
import json
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.accounts.models import Student

from .personal_data_learning import badges, campaigns, grading
from .personal_data_office import calendar, certification, events, mail_and_reminders, privacy

FORMAT = "pixoffice.personal_data/1"
QUERIES = 17


def identity(student: Student) -> dict:
    return {
        "student_number": student.student_number,
        "ine": student.ine,
        "last_name": student.last_name,
        "birth_name": student.birth_name,
        "first_name": student.first_name,
        "email": student.email,
        "birth_date": student.birth_date,
        "birth_place": student.birth_place,
        "sex": student.sex,
        "birth_insee_code": student.birth_insee_code,
        "birth_postal_code": student.birth_postal_code,
        "birth_country": student.birth_country,
        "programme": student.programme.name,
        "group": student.group,
        "academic_year": student.academic_year.name if student.academic_year_id else None,
        "extra_time_percent": student.extra_time_percent,
        "needs_accessible_room": student.needs_accessible_room,
        "left_on": student.left_on,
        "created_at": student.created_at,
        "updated_at": student.updated_at,
    }


def account(student: Student) -> dict | None:
    """The login, its addresses and single sign-on links (2 queries; none without one)."""
    # the same two queries with or without an account, so the count stays constant
    user_id = student.user_id or 0
    addresses = list(EmailAddress.objects.filter(user_id=user_id).order_by("pk"))
    links = list(SocialAccount.objects.filter(user_id=user_id).order_by("pk"))
    user = student.user
    if user is None:
        return None
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "role_label": user.get_role_display(),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "sso_accounts": [
            {
                "provider": link.provider,
                "uid": link.uid,
                "date_joined": link.date_joined,
                "last_login": link.last_login,
            }
            for link in links
        ],
    }


def not_included() -> list[str]:
    return [
        _(
            "Les fichiers déposés (listes de la scolarité, exports Pix Orga, résultats de "
            "certification, badges) sont conservés tels quels avec leur import : votre ligne "
            "d'un export Pix Orga et d'un fichier de résultats est reprise ci-dessus, vos "
            "lignes des listes de la scolarité ne sont pas conservées à part (votre identité "
            "ci-dessus est ce que la dernière liste a écrit)."
        ),
    ]


def collect_personal_data(student: Student) -> dict:
    """Everything held about ``student``, in ``QUERIES`` queries (see the module)."""
    student = Student.objects.select_related("programme", "academic_year", "user").get(
        pk=student.pk
    )
    return {
        "format": FORMAT,
        "produced_at": timezone.now(),
        "identity": identity(student),
        "account": account(student),
        "campaigns": campaigns(student),
        "badges": badges(student),
        "grading": grading(student),
        "certification": certification(student),
        "events": events(student),
        **mail_and_reminders(student),
        "calendar": calendar(student),
        "privacy": privacy(student),
        "not_included": not_included(),
    }


def _plain(value):
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def as_json(data: dict) -> bytes:
    """The copy as UTF-8 JSON (accents kept, indented: it is read by people too)."""
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2).encode()
