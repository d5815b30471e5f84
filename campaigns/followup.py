"""The staff follow-up of a campaign at scale: its filters, counters and charts are
computed by PostgreSQL over the whole filtered roster (``Exists``, conditional
``Count``); only a page's students are read as objects (``queries.follow_up``).

« The share shown » of a participation is the one that counts, else its latest one,
as in ``queries.follow_up``: every count of the page uses it.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Avg,
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

from .models import Campaign, Participation, Share
from .queries import NOT_JOINED, SHARED, SHARED_LATE, STARTED, STATUS_LABELS, AssessmentSummary

PARIS = ZoneInfo("Europe/Paris")
BELOW = "below"


def shown_shares(campaign: Campaign) -> QuerySet[Share]:
    """Per matched participation of ``campaign``, the share that counts, else the latest."""
    siblings = Share.objects.filter(participation=OuterRef("participation"))
    return Share.objects.filter(
        participation__campaign=campaign, participation__student__isnull=False
    ).filter(
        Q(counts=True)
        | (
            ~Exists(siblings.filter(counts=True))
            & ~Exists(siblings.filter(shared_at__gt=OuterRef("shared_at")))
        )
    )


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


def _per_competence(shares: QuerySet[Share], codes: list[str], max_level: int, assessment):
    """Per competence of ``codes`` over ``shares``, each share's results parsed once:
    ``{code: [students at level 0..max_level]}`` (profiles, levels above ``max_level``
    counted at it), or ``{code: mean of the rounded mastery percentages}``
    (assessment). One query."""
    if not codes:
        return {}
    inner, params = shares.order_by().values("pk").query.sql_with_params()
    marks = ", ".join(["%s"] * len(codes))
    value = "(e.value ->> 0)::float"
    if assessment:
        select, group, head = f"e.key, AVG(ROUND({value} * 100))", "e.key", ()
    else:
        select = f"e.key, LEAST(FLOOR({value})::int, %s) AS level, COUNT(*)"
        group, head = "e.key, level", (max_level,)
    sql = (
        f"SELECT {select} FROM {Share._meta.db_table} AS s"  # noqa: S608 (no user input)
        f" CROSS JOIN LATERAL json_each(s.results) AS e WHERE s.id IN ({inner})"
        f" AND e.key IN ({marks}) AND (e.value ->> 0) IS NOT NULL GROUP BY {group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*head, *params, *codes))
        found = cursor.fetchall()
    if assessment:
        return dict(found)
    distribution: dict[str, list[int]] = {}
    for code, level, n in found:
        distribution.setdefault(code, [0] * (max_level + 1))[level] += n
    return distribution


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
    roster, before the status, stage and badge filters). Three queries (four for an
    assessment whose shares have stages it does not announce)."""
    ids = students.order_by().values("pk")
    joined = Exists(Participation.objects.filter(campaign=campaign, student=OuterRef("pk")))
    roster = Student.objects.filter(pk__in=ids).aggregate(
        total=Count("pk"), joined=Count("pk", filter=Q(joined))
    )
    total, joined = roster["total"], roster["joined"]
    shares = shown_shares(campaign).filter(participation__student__in=ids)
    assessment = campaign.kind == Campaign.Kind.ASSESSMENT
    sums = {
        "shown": Count("pk"),
        "late": Count("pk", filter=Q(is_late=True)),
        "certifiable": Count("pk", filter=Q(certifiable=True)),
    }
    if assessment:
        sums["mastery"] = Avg("mastery_rate")
        sums["stage_top"] = Max("stage")
        sums["stage_count_top"] = Max("stage_count")
        for n in range((campaign.stage_count or 0) + 1):  # the stages the campaign announces
            sums[f"stage_{n}"] = Count("pk", filter=Q(stage=n))
        for i, name in enumerate(campaign.badge_names):
            sums[f"badge_{i}_yes"] = Count("pk", filter=Q(badges__contains={name: True}))
            sums[f"badge_{i}_no"] = Count("pk", filter=Q(badges__contains={name: False}))
    else:
        sums["below"] = Count("pk", filter=_below(campaign, codes))
    got = shares.aggregate(**sums)
    per_competence = _per_competence(shares, codes, max_level, assessment)
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts[SHARED_LATE] = got["late"]
    counts[SHARED] = got["shown"] - got["late"]
    counts[STARTED] = joined - got["shown"]
    counts[NOT_JOINED] = total - joined
    distribution = {} if assessment else per_competence
    return Counters(
        total=total,
        counts=counts,
        below=got.get("below") or 0,
        certifiable=got["certifiable"],
        distribution=distribution,
        assessment=_assessment(campaign, codes, shares, got, per_competence)
        if assessment
        else None,
    )


def _assessment(campaign, codes, shares, got, means) -> AssessmentSummary:
    top = max(campaign.stage_count or 0, got["stage_top"] or 0, got["stage_count_top"] or 0)
    if campaign.stage_count is not None and top <= campaign.stage_count:
        reached = {n: got[f"stage_{n}"] for n in range(top + 1) if got[f"stage_{n}"]}
    else:  # stages beyond those announced (or none announced): one more query
        reached = dict(
            shares.filter(stage__isnull=False)
            .values_list("stage")
            .annotate(n=Count("pk"))
            .order_by()
        )
    shown = got["shown"]
    total = shown or 1
    stages = [
        (n, reached.get(n, 0), round(100 * reached.get(n, 0) / total)) for n in range(top + 1)
    ]
    badges = [
        (
            name,
            got[f"badge_{i}_yes"],
            got[f"badge_{i}_no"],
            round(100 * got[f"badge_{i}_yes"] / total),
        )
        for i, name in enumerate(campaign.badge_names)
    ]
    return AssessmentSummary(
        shared=shown,
        stages=stages if (campaign.stage_count is not None or reached) else [],
        badges=badges,
        mastery=None if got["mastery"] is None else round(100 * got["mastery"]),
        competences=[
            (code, None if means.get(code) is None else round(means[code])) for code in codes
        ],
    )


def shares_over_time(campaign: Campaign) -> list[tuple[datetime, int]]:
    """Cumulative number of participants who had shared, at the last first share of
    each day (Paris): one point a day, counted by PostgreSQL. One query."""
    earlier = Share.objects.filter(
        participation=OuterRef("participation"), shared_at__lt=OuterRef("shared_at")
    )
    days = (
        Share.objects.filter(participation__campaign=campaign)
        .filter(~Exists(earlier))
        .annotate(day=TruncDate("shared_at", tzinfo=PARIS))
        .values("day")
        .annotate(n=Count("pk"), moment=Max("shared_at"))
        .order_by("day")
    )
    points, running = [], 0
    for day in days:
        running += day["n"]
        points.append((day["moment"], running))
    return points
