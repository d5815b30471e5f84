"""The staff follow-up of a campaign at scale: its filters, counters and charts are
computed by PostgreSQL over the whole filtered roster, with the filtered list's count
and page, in one statement over the CTEs of ``followup_state``; only a page's
students are read as objects (``queries.follow_up``).

« The share shown » of a participation is the one that counts, else its latest one,
as in ``queries.follow_up``: every count of the page uses it.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from pixoffice.accounts.models import Student

from . import queries
from .followup_state import (
    BELOW,
    Listing,
    levels_subquery,
    listed_cte,
    page_columns,
    state_ctes,
)
from .models import Campaign, Share
from .queries import NOT_JOINED, SHARED, SHARED_LATE, STARTED, STATUS_LABELS, AssessmentSummary

__all__ = ["BELOW", "Counters", "Listing", "counters", "filter_rows", "shares_over_time"]
PARIS = ZoneInfo("Europe/Paris")


def filter_rows(
    campaign: Campaign,
    students: QuerySet[Student],
    codes: list[str],
    *,
    status: str = "",
    stage: int | None = None,
    badge: tuple[str, bool] | None = None,
) -> QuerySet[Student]:
    """``students`` narrowed to a status (or ``below``), a stage, a badge (acquired or
    not, on the share shown), in SQL: the ``listed`` CTE of the page's statement
    (``followup_state``), so the export has the rows the page counts."""
    listing = Listing(status=status, stage=stage, badge=badge)
    if not listing.narrowed:
        return students
    if connection.vendor != "postgresql":
        return _filter_rows_in_python(campaign, students, status=status, stage=stage, badge=badge)
    state, params = state_ctes(campaign, students, codes)
    listed, more = listed_cte(listing)
    sql = f"WITH {state}, {listed} SELECT id FROM listed"  # noqa: S608 (placeholders only)
    return students.filter(pk__in=RawSQL(sql, [*params, *more]))  # noqa: S611 (placeholders)


def listed_rows(campaign: Campaign, students: QuerySet[Student], codes: list[str], listing):
    """The students a ``listing`` (the page's filters) keeps, in the list's order: what
    the export writes whole and the embedded default pages."""
    return filter_rows(
        campaign, students, codes, status=listing.status, stage=listing.stage, badge=listing.badge
    ).order_by("last_name", "first_name", "pk")


@dataclass
class Counters:
    total: int
    counts: dict[str, int]  # status → students
    below: int
    certifiable: int
    distribution: dict[str, list[int]]  # code → students at each level (profiles)
    assessment: AssessmentSummary | None
    # with a ``Listing``: the students it keeps, the page number shown, its students' ids
    listed: int = 0
    page_number: int = 1
    page_ids: list[int] = field(default_factory=list)


def counters(
    campaign: Campaign,
    students: QuerySet[Student],
    codes: list[str],
    max_level: int,
    *,
    listing: Listing | None = None,
) -> Counters:
    """The page's counters and charts over every student of ``students`` (the filtered
    roster, before the status, stage and badge filters) and, given a ``listing``, how
    many students it keeps and the ids of the page asked for. One query: the roster,
    its participations and their shares shown are read once each (CTEs), every count
    and the per-competence figures computed over them (each share's levels read from
    the array PostgreSQL keeps, none parsed), the list filtered, counted and cut over the same CTEs."""
    if connection.vendor != "postgresql":
        return _counters_in_python(campaign, students, codes, max_level, listing)
    state, params = state_ctes(campaign, students, codes)
    ctes = [state]
    if listing is not None and listing.narrowed:
        listed, more = listed_cte(listing)
        ctes.append(listed)
        params += more
    assessment = campaign.kind == Campaign.Kind.ASSESSMENT
    columns = [
        "(SELECT count(*) FROM roster)",
        "(SELECT count(*) FROM part)",
        "count(*)",
        "count(*) FILTER (WHERE is_late)",
        "count(*) FILTER (WHERE certifiable)",
    ]
    if assessment:
        columns += ["avg(mastery_rate)", "max(stage)", "max(stage_count)"]
        for name in campaign.badge_names:
            columns += ["count(*) FILTER (WHERE badges @> %s::jsonb)"] * 2
            params += [json.dumps({name: True}), json.dumps({name: False})]
        columns.append(
            "(SELECT json_agg(json_build_array(stage, n)) FROM (SELECT stage, count(*) AS n"
            " FROM shown WHERE stage IS NOT NULL GROUP BY stage) AS st)"
        )
        per = "json_build_array(key, avg(round(v * 100)))", "key"
    else:
        columns.append("(SELECT count(*) FROM below)")
        bucket = f"least(floor(v)::int, {int(max_level)})"
        per = f"json_build_array(key, {bucket}, count(*))", f"key, {bucket}"
    levels, level_params = levels_subquery(codes)
    columns.append(
        f"(SELECT json_agg(x.item) FROM (SELECT {per[0]} AS item FROM ({levels}) AS levels"  # noqa: S608 (placeholders only)
        f" GROUP BY {per[1]}) AS x)"
    )
    params += level_params
    if listing is not None:
        more_columns, more = page_columns(listing, "listed" if listing.narrowed else "roster")
        columns += more_columns
        params += more
    sql = f"WITH {', '.join(ctes)} SELECT {', '.join(columns)} FROM shown"  # noqa: S608 (placeholders only)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        got = list(cursor.fetchone())
    page = {}
    if listing is not None:
        listed_count, number, ids = got[-3:]
        got = got[:-3]
        page = {"listed": listed_count, "page_number": number, "page_ids": list(ids or [])}
    total, joined, shown, late, certifiable = got[:5]
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts[SHARED_LATE] = late
    counts[SHARED] = shown - late
    counts[STARTED] = joined - shown
    counts[NOT_JOINED] = total - joined
    per_competence = _loads(got[-1])
    if assessment:
        summary = _assessment(campaign, codes, shown, got[5:-1], per_competence)
        return Counters(total, counts, 0, certifiable, {}, summary, **page)
    distribution: dict[str, list[int]] = {}
    for code, level, n in per_competence:
        distribution.setdefault(code, [0] * (max_level + 1))[level] += n
    return Counters(total, counts, got[5], certifiable, distribution, None, **page)


def _loads(value):
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else value


def _assessment(campaign, codes, shown, got, per_competence) -> AssessmentSummary:
    mastery, stage_top, stage_count_top, *badge_counts, reached = got
    reached = dict(_loads(reached))
    means = dict(per_competence)
    top = max(campaign.stage_count or 0, stage_top or 0, stage_count_top or 0)
    total = shown or 1
    stages = [
        (n, reached.get(n, 0), round(100 * reached.get(n, 0) / total)) for n in range(top + 1)
    ]
    badges = [
        (
            name,
            badge_counts[2 * i],
            badge_counts[2 * i + 1],
            round(100 * badge_counts[2 * i] / total),
        )
        for i, name in enumerate(campaign.badge_names)
    ]
    return AssessmentSummary(
        shared=shown,
        stages=stages if (campaign.stage_count is not None or reached) else [],
        badges=badges,
        mastery=None if mastery is None else round(100 * mastery),
        competences=[
            (code, None if means.get(code) is None else round(means[code])) for code in codes
        ],
    )


def shares_over_time(campaign: Campaign, students: QuerySet[Student]) -> list[tuple[datetime, int]]:
    """Cumulative number of students of ``students`` (the roster the page's counters
    cover: programme and search filters applied) who had sent, at the last first share
    of each day (Paris): one point a day. Unmatched and ignored rows (no student) and
    students outside ``students`` are not counted, so the last point is the counters'
    « envoyé » + « envoyé en retard ». One query."""
    earlier = Share.objects.filter(
        participation=OuterRef("participation"), shared_at__lt=OuterRef("shared_at")
    )
    days = (
        Share.objects.filter(
            participation__campaign=campaign,
            participation__student__in=students.order_by().values("pk"),
        )
        .filter(~Exists(earlier))
        .annotate(day=TruncDate("shared_at", tzinfo=PARIS))
        .values("day")
        .annotate(n=Count("participation_id", distinct=True), moment=Max("shared_at"))
        .order_by("day")
    )
    points, running = [], 0
    for day in days:
        running += day["n"]
        points.append((day["moment"], running))
    return points


# --- the embedded default (SQLite): the same figures, counted in Python ---------------
# The SQL above is PostgreSQL's (DISTINCT ON, FILTER, jsonb, MATERIALIZED); the demo on
# SQLite holds a hundred students, so it reads every row once instead. The two paths
# give the same counters (tests/campaigns/test_followup_pagination.py compares the SQL
# with these helpers).


def _counters_in_python(campaign, students, codes, max_level, listing=None) -> Counters:
    page = {}
    if listing is not None:
        listed = listed_rows(campaign, students, codes, listing)
        found = Paginator(listed.values_list("pk", flat=True), listing.per_page)
        found = found.get_page(listing.page)
        page = {
            "listed": found.paginator.count,
            "page_number": found.number,
            "page_ids": list(found.object_list),
        }
    rows = queries.follow_up(campaign, students)
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row.status] += 1
    assessment = campaign.kind == Campaign.Kind.ASSESSMENT
    return Counters(
        total=len(rows),
        counts=counts,
        below=sum(1 for r in rows if r.below_target),
        certifiable=sum(1 for r in rows if r.share and r.share.certifiable),
        distribution={} if assessment else queries.level_distribution(rows, max_level),
        assessment=queries.assessment_summary(campaign, rows) if assessment else None,
        **page,
    )


def _filter_rows_in_python(campaign, students, *, status, stage, badge) -> QuerySet[Student]:
    if not status and stage is None and badge is None:
        return students
    rows = queries.follow_up(campaign, students)
    if status == BELOW:
        rows = [r for r in rows if r.below_target]
    elif status:
        rows = [r for r in rows if r.status == status]
    if stage is not None:
        rows = [r for r in rows if r.share and r.share.stage == stage]
    if badge is not None:  # acquired, or not acquired in the share that counts
        name, acquired = badge
        rows = [r for r in rows if r.has_badge(name) is acquired]
    return students.filter(pk__in=[r.student.pk for r in rows])
