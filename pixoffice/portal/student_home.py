"""What the student home shows, read in four queries and kept in the cache, with the
HTML made from it.

Publication day: thousands of students open this page within minutes. Besides the
session and the user, the page reads

1. the student (programme, academic year, the current year's start) with their
   participations and shares, LEFT JOINed (one row per share);
2. their published notes with their scheme;
3. the campaigns of their programme with their competences (one row per competence);
4. the badges their programme requires with their current submission, LEFT JOINed;

whatever the data. The result is cached per user and language (``CACHE_TTL``) under a
generation number that ``forget_student_homes`` increments: ``portal/receivers.py``
calls it when an import is applied, notes are published, a badge is submitted or
reviewed, or any row the page shows is saved, so a student never reads an old note.
What depends on the clock (« encore 3 jours », a campaign closed) is computed when the
page is rendered, not cached.
"""

import hashlib
import time
from collections import defaultdict

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from campaigns import queries as campaign_queries
from campaigns.models import Campaign, Competence, Share
from grading import explain
from grading import queries as grading_queries
from pixoffice.accounts.models import AcademicYear, Student
from pixoffice.badges import queries as badge_queries
from pixoffice.core.joins import joined_columns, joined_instance

CACHE_TTL = 300  # seconds: a safety net; every change the page shows invalidates it
GENERATION_KEY = "portal:student-home:generation"
_last_seen = [None]  # the generation this process read last


def forget_student_homes() -> None:
    """Every cached student home is stale from now on (one cache write)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value starts a new generation
        cache.set(GENERATION_KEY, _new_generation(), None)


def _new_generation() -> int:
    # an integer (Redis increments it); from the clock, so that a generation lost with
    # the cache never comes back while pages read under it are still cached
    return int(timezone.now().timestamp() * 1000)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def student_home(user, page_key: str = "") -> dict:
    """The page's context for ``user``: ``student`` (``None``: no student record) and
    ``content``, the page's HTML; from the cache when nothing changed since it was read.

    Two levels: what was read (per user and language, ``CACHE_TTL``) and the HTML made
    from it, for the current minute only, since « encore 3 heures, 12 minutes » and
    whether a campaign is still open depend on the clock (deadlines fall on a minute).
    Given ``page_key`` (``page_key_of``), the whole page rendered for that browser in
    this minute comes in the same round trip, as ``html``, when it was cached
    (``remember_page``); then nothing else is read (``student`` is ``None``).
    """
    if getattr(cache, "degraded", False):
        # Redis unreachable (pixoffice/cache.py): each process falls back to a cache of its
        # own, which another web process's or a worker's forget_student_homes never
        # reaches. Read and render, keep nothing.
        return _page(read_student_home(user))
    minute = int(time.time() // 60)
    # one round trip when nothing changed: the generation and, under the generation this
    # process saw last, the whole page rendered for this browser (else the home's HTML)
    seen = f"portal:student-home:{_last_seen[0]}:{user.pk}:{get_language()}"
    wanted = f"{seen}:{minute}:{page_key}" if page_key else f"{seen}:{minute}"
    found = cache.get_many([GENERATION_KEY, wanted])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _generation()
    base = f"portal:student-home:{generation}:{user.pk}:{get_language()}"
    fresh = generation == _last_seen[0]
    _last_seen[0] = generation
    whole_page_key = f"{base}:{minute}:{page_key}" if page_key else ""
    if fresh and page_key and wanted in found:
        # served as it is (a page is kept only for a student): nothing else is read
        return {"student": None, "content": "", "html": found[wanted], "page_key": whole_page_key}
    page = found.get(wanted) if fresh and not page_key else None
    if page is None:
        page = cache.get(f"{base}:{minute}")
    if page is None:
        context = cache.get(base)
        if context is None:
            context = read_student_home(user)
            cache.set(base, context, CACHE_TTL)
        page = _rendered(context)
        cache.set(f"{base}:{minute}", page, 60)
    return {
        "student": page["student"],
        "content": mark_safe(page["content"]),  # noqa: S308 (rendered by Django's templates above)
        "html": None,
        "page_key": whole_page_key,
    }


def page_key_of(request) -> str:
    """What the whole page depends on besides the home's data, the user and the
    language: the browser's CSRF secret (the page's forms carry a token of it), the
    name shown, the path (the language form returns to it). Empty, so nothing is
    cached, while messages wait to be shown or the browser has no CSRF cookie yet (the
    page rendered makes its secret: another browser must not get its tokens)."""
    if not request.META.get("CSRF_COOKIE") or len(get_messages(request)):
        return ""
    user = request.user
    parts = [request.META["CSRF_COOKIE"], user.get_full_name() or user.email]
    parts.append(request.get_full_path())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def remember_page(context: dict, html: bytes) -> None:
    """Keep the page rendered for this minute (``student_home(…, page_key)``)."""
    if context.get("page_key"):
        cache.set(context["page_key"], html, 60)


def _rendered(context: dict) -> dict:
    content = render_to_string("portal/_student_home.html", context) if context["student"] else ""
    return {"student": context["student"], "content": content}


def _page(context: dict) -> dict:
    page = _rendered(context)
    return {
        "student": page["student"],
        "content": mark_safe(page["content"]),  # noqa: S308 (rendered by Django's templates)
        "html": None,
        "page_key": "",  # nothing kept: remember_page stores nothing
    }


def read_student_home(user) -> dict | None:
    student, shares_by_campaign, joined, year_start = _student_with_shares(user)
    if student is None:
        return {"student": None}
    notes = list(grading_queries.published_notes_of(student))
    for note in notes:
        note.sentences = explain.sentences(note.published_explanation)
    items = campaign_queries.campaign_items(_campaigns_of(student), shares_by_campaign, joined)
    return {
        "student": student,
        "campaigns": campaign_queries.split_by_year(items, year_start),
        "badges": badge_queries.student_badges(student),
        "notes": notes,
    }


def _student_with_shares(user):
    """The student of ``user`` with their shares by campaign (by date), the campaigns
    they joined and the start of their academic year (else the current one). One query."""
    today = timezone.localdate()
    years = AcademicYear.objects.values("start")
    rows = list(
        Student.objects.filter(user=user)
        .select_related("programme", "academic_year")
        .annotate(
            current_year_start=Coalesce(
                F("academic_year__start"),
                Subquery(years.filter(start__lte=today, end__gte=today)[:1]),
                Subquery(years.order_by("-start")[:1]),
            ),
            joined_campaign_id=F("participations__campaign_id"),
            joined_progression=F("participations__progression"),
            **joined_columns(Share, "participations__shares", "share_"),
        )
        .order_by("participations__shares__shared_at")
    )
    if not rows:
        return None, {}, {}, None
    shares_by_campaign: dict[int, list[Share]] = defaultdict(list)
    joined: dict[int, float | None] = {}  # campaign → the participation's progression
    for row in rows:
        if row.joined_campaign_id is not None:
            joined[row.joined_campaign_id] = row.joined_progression
            share = joined_instance(Share, row, "share_")
            if share is not None:
                shares_by_campaign[row.joined_campaign_id].append(share)
    student = rows[0]
    return student, shares_by_campaign, joined, student.current_year_start


def _campaigns_of(student) -> list[tuple[Campaign, list[Competence]]]:
    """The campaigns of the student's programme by deadline, each with its competences
    in the framework's order. One query."""
    campaigns: dict[int, tuple[Campaign, list[Competence]]] = {}
    rows = (
        Campaign.objects.filter(programmes=student.programme_id)
        .select_related("academic_year")
        .annotate(**joined_columns(Competence, "competences", "competence_"))
        .order_by("deadline", "pk", "competences__position")
    )
    for row in rows:
        _campaign, competences = campaigns.setdefault(row.pk, (row, []))
        competence = joined_instance(Competence, row, "competence_")
        if competence is not None:
            competences.append(competence)
    return list(campaigns.values())


def with_student(user, context: dict) -> None:
    """Give ``user`` the cached student record, so that the navigation (which asks
    whether the user is a student) reads no row again."""
    user.student = context["student"]
