"""The staff follow-up of a campaign at scale: its filters, counters and charts are
computed by PostgreSQL over the whole filtered roster (``Exists``, conditional
``Count``); only a page's students are read as objects (``queries.follow_up``).

« The share shown » of a participation is the one that counts, else its latest one,
as in ``queries.follow_up``: every count of the page uses it.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Avg,
    Count,
    Exists,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Round, TruncDate

from pixoffice.accounts.models import Student

from .models import Campaign, Participation, Share
from .queries import NOT_JOINED, SHARED, SHARED_LATE, STARTED, STATUS_LABELS, AssessmentSummary

PARIS = ZoneInfo("Europe/Paris")
BELOW = "below"


class ResultValue(Func):
    """``results -> code ->> 0`` as a float: a competence's level (profiles) or its
    mastery rate (assessment) in a share; ``NULL`` when the share has none."""

    output_field = FloatField()

    def __init__(self, code: str):
        super().__init__("results", Value(code))

    def as_sql(self, compiler, connection, **extra):
        results, params = compiler.compile(self.source_expressions[0])
        code, code_params = compiler.compile(self.source_expressions[1])
        return f"((({results})::json -> {code}) ->> 0)::float", (*params, *code_params)


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


def _below(campaign: Campaign, codes: list[str]) -> Q:
    """A share with a level under the target on an expected competence (needs the
    ``level_<i>`` aliases of ``_with_levels``)."""
    below = Q(pk__in=[])
    for index in range(len(codes)):
        below |= Q(**{f"level_{index}__lt": campaign.target_level})
    return below


def _with_levels(shares: QuerySet[Share], codes: list[str]) -> QuerySet[Share]:
    return shares.alias(**{f"level_{i}": ResultValue(code) for i, code in enumerate(codes)})


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
        students = students.filter(
            Exists(_with_levels(shown, codes).filter(_below(campaign, codes)))
        )
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
    roster, before the status, stage and badge filters). Two queries (three for an
    assessment whose shares have stages it does not announce)."""
    ids = students.order_by().values("pk")
    joined = Exists(Participation.objects.filter(campaign=campaign, student=OuterRef("pk")))
    roster = Student.objects.filter(pk__in=ids).aggregate(
        total=Count("pk"), joined=Count("pk", filter=Q(joined))
    )
    total, joined = roster["total"], roster["joined"]
    shares = _with_levels(shown_shares(campaign).filter(participation__student__in=ids), codes)
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
        for i in range(len(codes)):  # the mean of the rows' rounded percentages
            sums[f"mean_{i}"] = Avg(Round(ResultValue(codes[i]) * 100))
    else:
        sums["below"] = Count("pk", filter=_below(campaign, codes))
        for i in range(len(codes)):
            for level in range(max_level + 1):
                exact = {f"level_{i}__gte": level} if level == max_level else {f"level_{i}": level}
                sums[f"l_{i}_{level}"] = Count("pk", filter=Q(**exact))
    got = shares.aggregate(**sums)
    counts = dict.fromkeys(STATUS_LABELS, 0)
    counts[SHARED_LATE] = got["late"]
    counts[SHARED] = got["shown"] - got["late"]
    counts[STARTED] = joined - got["shown"]
    counts[NOT_JOINED] = total - joined
    distribution = {}
    if not assessment:
        for i, code in enumerate(codes):
            levels = [got[f"l_{i}_{level}"] for level in range(max_level + 1)]
            if sum(levels):
                distribution[code] = levels
    return Counters(
        total=total,
        counts=counts,
        below=got.get("below") or 0,
        certifiable=got["certifiable"],
        distribution=distribution,
        assessment=_assessment(campaign, codes, shares, got) if assessment else None,
    )


def _assessment(campaign, codes, shares, got) -> AssessmentSummary:
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
            (code, None if got[f"mean_{i}"] is None else round(got[f"mean_{i}"]))
            for i, code in enumerate(codes)
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
