"""Hardening that every page shares: the Content-Security-Policy header, no inline
script or style for it to forbid, safe links from uploaded data, private file modes."""

import re
import stat
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from tests.storage import is_local
from tests.test_url_matrix import all_patterns, fill_kwargs, world  # noqa: F401 (fixture)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Rendered by WeasyPrint into a PDF, never served as a page: its <style> is fine.
PDF_TEMPLATES = {
    "grading/attestation.html",
    "certification/documents/convocations.html",
    "certification/documents/attendance.html",
    "privacy/document_pdf.html",
}
INLINE = [
    (re.compile(r"\sstyle\s*="), "a style attribute"),
    (re.compile(r"<style\b"), "a <style> element"),
    # a data block (type="application/json", as Django's json_script makes) is never run
    (re.compile(r'<script(?![^>]*\s(?:src=|type="application/json"))[^>]*>'), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (d.split() for d in header.split(";") if d.strip())}


def test_templates_have_no_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative in PDF_TEMPLATES:
            continue
        text = path.read_text()
        found += [f"{relative}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


@pytest.mark.django_db
def test_login_page_carries_a_strict_policy(client):
    response = client.get(reverse("account_login"))

    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "student_a", "staff", "admin"])
def test_every_html_page_carries_the_policy(role, world, client):  # noqa: F811
    user = None if role == "anonymous" else world["people"][role]
    if user is not None:
        client.force_login(user)
    pages, missing = 0, []
    for name, route, _pattern in all_patterns():
        if not name or (name.startswith("admin:") and role != "admin"):
            continue
        kwargs = fill_kwargs(name, route, world)
        if kwargs is None:
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:  # allauth patterns whose arguments the matrix leaves out
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        if "script-src 'self'" not in response.headers.get("Content-Security-Policy", ""):
            missing.append(name)
    assert pages > 10
    assert missing == []


@pytest.mark.django_db
def test_a_javascript_assertion_id_is_never_a_link(people, client):
    from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

    student = people["student_a"].student
    submission = BadgeSubmissionFactory(
        student=student,
        requirement=BadgeRequirementFactory(programmes=[student.programme]),
        assertion_uri="javascript:fetch('/x?c='+document.cookie)",
    )
    client.force_login(people["staff"])

    page = client.get(reverse("badges:submission", args=[submission.pk])).content.decode()

    assert 'href="javascript:' not in page
    assert "<code>javascript:fetch(&#x27;/x?c=&#x27;+document.cookie)</code>" in page


@pytest.mark.django_db
def test_an_https_assertion_id_is_a_link(people, client):
    from tests.factories.badges import BadgeRequirementFactory, BadgeSubmissionFactory

    student = people["student_a"].student
    submission = BadgeSubmissionFactory(
        student=student,
        requirement=BadgeRequirementFactory(programmes=[student.programme]),
        assertion_uri="https://mooc-ia.example.fr/assertions/42",
    )
    client.force_login(people["staff"])

    page = client.get(reverse("badges:submission", args=[submission.pk])).content.decode()

    assert 'href="https://mooc-ia.example.fr/assertions/42"' in page


@pytest.mark.django_db
def test_uploaded_files_are_readable_by_the_application_only(people, roster_bytes):
    from pixoffice.accounts import services

    if not is_local():
        pytest.skip("file modes are the local storage's (an S3 bucket is private)")

    batch = services.store_roster_file(
        roster_bytes, name="liste.csv", by=people["staff"], mapping={}, academic_year=None
    )

    path = Path(batch.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
