"""Logging in with the university's account (the ENT): which providers the login page
offers, whom they let in, and whether the password form is offered beside them.

One rule for every provider (OpenID Connect, CAS, SAML): only people the office
already knows get in — an existing account (staff, admins, students who activated
theirs), or a roster student, whose account is then created and linked to the roster
record. Anyone else sees ``account/signup_closed.html``.
"""

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.urls import reverse

from .models import Student, User
from .services import ensure_student_account, find_roster_student


@dataclass(frozen=True)
class UniversityProvider:
    """A button of the login page: the provider's name and the URL its form posts to."""

    label: str
    url: str


def university_providers(request) -> list[UniversityProvider]:
    """The university providers configured, in the order the login page shows them.

    CAS when ``SSO_CAS_SERVER_URL`` is set, then allauth's providers (OpenID Connect,
    SAML…) as ``SOCIALACCOUNT_PROVIDERS`` and the social applications configure them.
    A new kind of provider adds its entry here.
    """

    providers = []
    if settings.SSO_CAS_SERVER_URL:
        providers.append(UniversityProvider(settings.SSO_CAS_NAME, reverse("cas_login")))
    for provider in get_adapter().list_providers(request):
        providers.append(UniversityProvider(provider.name, provider.get_login_url(request)))
    return providers


def password_login_mode(providers) -> str:
    """``shown``, ``collapsed`` or ``off`` (``PASSWORD_LOGIN``); without a university
    provider the password form is the only way in, so it is always shown."""
    return settings.PASSWORD_LOGIN if providers else "shown"


def password_login_allowed(request) -> bool:
    return password_login_mode(university_providers(request)) != "off"


def known_person(*, email: str = "", student_number: str = "") -> User | Student | None:
    """Whom the university vouches for, if the office knows them: their account, or
    the roster student without one yet. A student number is looked up first (the
    roster), then the email (any account, then the roster)."""
    student_number = (student_number or "").strip()
    email = (email or "").strip()
    if student_number and "@" not in student_number:
        student = find_roster_student(student_number)
        if student is not None:
            return student.user or student
    if email and "@" in email:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user
        student = find_roster_student(email)
        if student is not None and student.user_id is None:
            return student
    return None


def account_of_known_person(*, email: str = "", student_number: str = "") -> User | None:
    """The account a university login opens: the known person's, created and linked
    for a roster student on first use; ``None`` for anyone the office does not know."""
    person = known_person(email=email, student_number=student_number)
    if isinstance(person, Student):
        return ensure_student_account(person) if person.email else None
    return person
