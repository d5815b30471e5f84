"""The staff follow-up of a campaign at scale: its filters, counters and charts are
computed by PostgreSQL over the whole filtered roster (``Exists``, conditional
``Count``); only a page's students are read as objects (``queries.follow_up``).

« The share shown » of a participation is the one that counts, else its latest one,
as in ``queries.follow_up``: every count of the page uses it.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate

from pixoffice.accounts.models import Student

from . import queries
from .models import Campaign, Participation, Share
from .queries import NOT_JOINED, SHARED, SHARED_LATE, STARTED, STATUS_LABELS, AssessmentSummary

PARIS = ZoneInfo("Europe/Paris")
BELOW = "below"


def shown_shares(campaign: Campaign) -> QuerySet[Share]:
    """Per matched participation of ``campaign``, the share that counts, else the latest
    (``DISTINCT ON``: one sort of the campaign's shares, hashed by the queries using it)."""
    shown = (
        Share.objects.filter(participation__campaign=campaign, participation__student__isnull=False)
        .order_by("participation_id", "-counts", "-shared_at")
        .distinct("participation_id")
        .values("pk")
    )
    return Share.objects.filter(pk__in=shown)


class BelowTarget(Func):
    """Whether a share has a level under ``target`` on one of ``codes``: its results
    parsed once (``json_each``), not once per competence."""

    output_field = BooleanField()

    def __init__(self, codes: list[str], target: int):
        super().__init__("results")
        self.codes, self.target = list(codes), target

    def as_sql(self, compiler, connection, **extra):
        results, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.codes))
        return (
            f"EXISTS (SELECT 1 FROM json_each({results}) AS e WHERE e.key IN ({marks})"  # noqa: S608 (placeholders only)
            " AND (e.value ->> 0)::float < %s)",
            (*params, *self.codes, self.target),
        )


def _below(campaign: Campaign, codes: list[str]) -> Q:
    """A share with a level under the target on an expected competence."""
    if not codes:
        return Q(pk__in=[])
    return Q(BelowTarget(codes, campaign.target_level))


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
    not, on the share shown), in SQL."""
    if connection.vendor != "postgresql":
        return _filter_rows_in_python(campaign, students, status=status, stage=stage, badge=badge)
    mine = {"participation__student": OuterRef("pk")}
    shown = shown_shares(campaign).filter(**mine)
    if status in (NOT_JOINED, STARTED):
        joined = Exists(Participation.objects.filter(campaign=campaign, student=OuterRef("pk")))
        students = students.filter(joined if status == STARTED else ~joined)
        if status == STARTED:
            sent = Share.objects.filter(participation__campaign=campaign, **mine)
            students = students.filter(~Exists(sent))
    elif status in (SHARED, SHARED_LATE):
        students = students.filter(Exists(shown.filter(is_late=status == SHARED_LATE)))
    elif status == BELOW:
        students = students.filter(Exists(shown.filter(_below(campaign, codes))))
    if stage is not None:
        students = students.filter(Exists(shown.filter(stage=stage)))
    if badge is not None:
        name, acquired = badge
        students = students.filter(Exists(shown.filter(badges__contains={name: acquired})))
    return students


@dataclass
class Counters:
    total: int
    counts: dict[str, int]  # status → students
    below: int
    certifiable: int
    distribution: dict[str, list[int]]  # code → students at each level (profiles)
    assessment: AssessmentSummary | None


def counters(
    campaign: Campaign, students: QuerySet[Student], codes: list[str], max_level: int
) -> Counters:
    """The page's counters and charts over every student of ``students`` (the filtered
    roster, before the status, stage and badge filters). One query: the roster, its
    participations and their shares shown are read once each (CTEs), every count and
    the per-competence figures computed over them, each share's results parsed once."""
    if connection.vendor != "postgresql":
        return _counters_in_python(campaign, students, max_level)
    roster, params = students.order_by().values("pk").query.sql_with_params()
    params = [*params, campaign.pk]
    assessment = campaign.kind == Campaign.Kind.ASSESSMENT
    marks = ", ".join(["%s"] * len(codes)) or "NULL"
    params += codes  # the levels CTE
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
        columns.append("(SELECT count(DISTINCT id) FROM levels WHERE v < %s)")
        params.append(campaign.target_level)
        bucket = f"least(floor(v)::int, {int(max_level)})"
        per = f"json_build_array(key, {bucket}, count(*))", f"key, {bucket}"
    columns.append(
        f"(SELECT json_agg(x.item) FROM (SELECT {per[0]} AS item FROM levels"  # noqa: S608 (no user input)
        f" GROUP BY {per[1]}) AS x)"
    )
    share = Share._meta.db_table
    sql = (
        f"WITH roster (id) AS MATERIALIZED ({roster}),"  # noqa: S608 (placeholders only)
        f" part AS MATERIALIZED (SELECT p.id FROM {Participation._meta.db_table} AS p"
        " JOIN roster ON roster.id = p.student_id WHERE p.campaign_id = %s),"
        f" shown AS MATERIALIZED (SELECT DISTINCT ON (s.participation_id) s.* FROM {share} AS s"
        " JOIN part ON part.id = s.participation_id"
        " ORDER BY s.participation_id, s.counts DESC, s.shared_at DESC),"
        # each share's results parsed once: (share, competence, level or mastery rate)
        " levels AS MATERIALIZED (SELECT shown.id, e.key, (e.value ->> 0)::float AS v"
        " FROM shown CROSS JOIN LATERAL json_each(shown.results) AS e"
        f" WHERE e.key IN ({marks}) AND (e.value ->> 0) IS NOT NULL)"
        f" SELECT {', '.join(columns)} FROM shown"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        got = list(cursor.fetchone())
    total, joined, shown, late, certifiable = got[:5]
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts[SHARED_LATE] = late
    counts[SHARED] = shown - late
    counts[STARTED] = joined - shown
    counts[NOT_JOINED] = total - joined
    per_competence = _loads(got[-1])
    if assessment:
        summary = _assessment(campaign, codes, shown, got[5:-1], per_competence)
        return Counters(total, counts, 0, certifiable, {}, summary)
    distribution: dict[str, list[int]] = {}
    for code, level, n in per_competence:
        distribution.setdefault(code, [0] * (max_level + 1))[level] += n
    return Counters(total, counts, got[5], certifiable, distribution, None)


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


def _counters_in_python(campaign: Campaign, students: QuerySet[Student], max_level: int):
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
