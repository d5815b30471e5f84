"""Querysets and read models for campaigns: who sees which campaign, the staff
follow-up (roster vs participants), a student's own status."""

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pixoffice.accounts.models import AcademicYear, Student
from pixoffice.accounts.rules import is_admin, is_office_staff, is_student

from .models import Campaign, Competence, Participation, Share

NOT_JOINED, STARTED, SHARED, SHARED_LATE = "not_joined", "started", "shared", "shared_late"
STATUS_LABELS = {
    NOT_JOINED: _("Pas encore rejoint"),
    STARTED: _("Commencé, pas envoyé"),
    SHARED: _("Envoyé"),
    SHARED_LATE: _("Envoyé en retard"),
}
# a campaign of a finished year that the student never joined: nothing left to do


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("academic_year", "semester")
    if is_admin(user):
        return campaigns
    if is_office_staff(user):
        return campaigns.filter(programmes__assignments__user=user).distinct()
    if is_student(user):
        return campaigns.filter(programmes=user.student.programme_id)
    return campaigns.none()


def with_participation_counts(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return campaigns.annotate(
        participant_count=Count("participations", distinct=True),
        unmatched_count=Count(
            "participations",
            filter=Q(participations__student__isnull=True, participations__ignored_at__isnull=True),
            distinct=True,
        ),
    )


@dataclass
class FollowUpRow:
    student: Student
    status: str
    share: Share | None  # the share that counts (or the latest late one)
    share_count: int
    levels: list[tuple[str, int | None, bool]] = field(
        default_factory=list
    )  # code, level, below target; assessment: code, mastery in %, False
    # assessment: the participation's current progression and start (its latest row)
    progression: float | None = None
    started_at: datetime | None = None
    badges: list[tuple[str, bool | None]] = field(default_factory=list)  # assessment

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def progression_percent(self) -> int | None:
        return None if self.progression is None else round(self.progression * 100)

    def has_badge(self, name: str) -> bool | None:
        """Assessment: whether the counted share has the badge (``None``: no share)."""
        if self.share is None:
            return None
        return self.share.badges.get(name)

    @property
    def below_target(self) -> list[str]:
        return [code for code, _level, below in self.levels if below]


def follow_up(
    campaign: Campaign, students: QuerySet[Student], codes: list[str] | None = None
) -> list[FollowUpRow]:
    """One row per student of ``students`` (roster students of the campaign's programmes:
    a page, or the whole list for the export): status, the share that counts, levels on
    the expected competences against the target. Four queries (three given ``codes``),
    reading only these students' participations and shares."""
    students = list(students)  # a page of the follow-up, or the whole filtered list (export)
    ids = [student.pk for student in students]
    if codes is None:
        codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    participations, progressions = {}, {}
    for student_id, pk, *progress in Participation.objects.filter(
        campaign=campaign, student_id__in=ids
    ).values_list("student_id", "id", "progression", "started_at"):
        participations[student_id], progressions[pk] = pk, progress
    assessment = campaign.kind == Campaign.Kind.ASSESSMENT
    badge_names = campaign.badge_names if assessment else []
    counting: dict[int, Share] = {}
    latest: dict[int, Share] = {}
    share_counts: Counter = Counter()
    for share in (
        Share.objects.filter(participation__campaign=campaign, participation__student_id__in=ids)
        .defer("raw")  # the snapshot: shown nowhere here
        .order_by("shared_at")
    ):
        share_counts[share.participation_id] += 1
        latest[share.participation_id] = share
        if share.counts:
            counting[share.participation_id] = share
    rows = []
    for student in students:
        participation_id = participations.get(student.pk)
        share = counting.get(participation_id) or latest.get(participation_id)
        if participation_id is None:
            status = NOT_JOINED
        elif share is None:
            status = STARTED
        elif share.is_late:
            status = SHARED_LATE
        else:
            status = SHARED
        levels = []
        for code in codes:
            if assessment:
                rate = share.mastery(code) if share else None
                levels.append((code, None if rate is None else round(rate * 100), False))
                continue
            level = share.level(code) if share else None
            levels.append(
                (
                    code,
                    level,
                    share is not None and level is not None and level < campaign.target_level,
                )
            )
        rows.append(
            FollowUpRow(
                student,
                status,
                share,
                share_counts[participation_id],
                levels,
                *progressions.get(participation_id, (None, None)),
                [(name, share.badges.get(name) if share else None) for name in badge_names],
            )
        )
    return rows


@dataclass
class AssessmentSummary:
    """An assessment campaign's results over the followed students' counted shares:
    how many reached each stage, hold each badge, and the mean mastery rates."""

    shared: int
    stages: list[tuple[int, int, int]]  # stage, students, % of those who shared
    badges: list[tuple[str, int, int, int]]  # name, acquired, not acquired, % acquired
    mastery: int | None  # mean mastery rate, in %
    competences: list[tuple[str, int | None]]  # code, mean mastery in %


def assessment_summary(campaign: Campaign, rows: list[FollowUpRow]) -> AssessmentSummary:
    shares = [row.share for row in rows if row.share is not None]
    seen = [share.stage_count for share in shares if share.stage_count is not None]
    top = max([campaign.stage_count or 0, *seen, *(s.stage or 0 for s in shares)])
    reached = Counter(share.stage for share in shares if share.stage is not None)
    total = len(shares) or 1
    stages = [(n, reached[n], round(100 * reached[n] / total)) for n in range(top + 1)]
    stages = stages if (campaign.stage_count is not None or reached) else []
    badges = []
    for name in campaign.badge_names:
        acquired = sum(1 for share in shares if share.badges.get(name) is True)
        missing = sum(1 for share in shares if share.badges.get(name) is False)
        badges.append((name, acquired, missing, round(100 * acquired / total)))
    rates = [share.mastery_rate for share in shares if share.mastery_rate is not None]
    competences = []
    for index, (code, _value, _below) in enumerate(rows[0].levels if rows else []):
        values = [row.levels[index][1] for row in rows if row.levels[index][1] is not None]
        competences.append((code, round(sum(values) / len(values)) if values else None))
    return AssessmentSummary(
        shared=len(shares),
        stages=stages,
        badges=badges,
        mastery=round(100 * sum(rates) / len(rates)) if rates else None,
        competences=competences,
    )


def roster_of(campaign: Campaign, user) -> QuerySet[Student]:
    students = Student.objects.select_related("programme").filter(
        programme__in=campaign.programmes.all()
    )
    if not is_admin(user):
        students = students.filter(programme__assignments__user=user)
    return students.order_by("last_name", "first_name")


def matchable_students(campaign: Campaign, user) -> QuerySet[Student] | None:
    """The students an import by ``user`` may link rows to: those of the unmatched
    queue (``roster_of``) for staff; ``None`` (every student) for an admin or the
    command line (``user=None``)."""
    if user is None or is_admin(user):
        return None
    return roster_of(campaign, user).select_related(None).order_by()


def level_distribution(rows: list[FollowUpRow], max_level: int) -> dict[str, list[int]]:
    """Competence code → number of students at each level 0..max_level (counted shares)."""
    distribution: dict[str, list[int]] = defaultdict(lambda: [0] * (max_level + 1))
    for row in rows:
        for code, level, _below in row.levels:
            if level is not None:
                distribution[code][min(level, max_level)] += 1
    return dict(distribution)


@dataclass
class StudentCampaigns:
    """A student's campaigns: those of their academic year (and later), what to do now;
    those of earlier years, folded under « Années précédentes »."""

    current: list[dict]
    earlier: list[dict]

    def __bool__(self) -> bool:
        return bool(self.current or self.earlier)


def student_campaigns(student: Student) -> StudentCampaigns:
    """The campaigns of the student's programme with their own participation and shares,
    split by academic year (the student's, else the current one)."""
    year = student.academic_year or AcademicYear.current()
    return split_by_year(_campaign_items(student), year.start if year else None)


def split_by_year(items: list[dict], year_start) -> StudentCampaigns:
    """Campaigns of a year starting before ``year_start`` (a date) go under « earlier »,
    only those the student took part in: an earlier year's campaign of the programme
    they never joined is not theirs (they may not have been enrolled in it then)."""
    if year_start is None:
        return StudentCampaigns(items, [])
    current, earlier = [], []
    for item in items:
        campaign_year = item["campaign"].academic_year
        if campaign_year.start < year_start:
            if item["status"] != NOT_JOINED:
                earlier.append(item)
        else:
            current.append(item)
    earlier.sort(key=lambda item: item["campaign"].deadline, reverse=True)
    return StudentCampaigns(current, earlier)


def _campaign_items(student: Student) -> list[dict]:
    campaigns = list(
        Campaign.objects.filter(programmes=student.programme_id)
        .select_related("academic_year")
        .prefetch_related("competences")
        .order_by("deadline")
    )
    shares_by_campaign: dict[int, list[Share]] = defaultdict(list)
    for share in (
        Share.objects.filter(participation__student=student)
        .select_related("participation")
        .defer("raw")
        .order_by("shared_at")
    ):
        shares_by_campaign[share.participation.campaign_id].append(share)
    joined = dict(  # campaign → the participation's progression (assessment)
        Participation.objects.filter(student=student).values_list("campaign_id", "progression")
    )
    return campaign_items(
        [(c, list(c.competences.all())) for c in campaigns], shares_by_campaign, joined
    )


def campaign_items(
    campaigns: list[tuple[Campaign, list[Competence]]],
    shares_by_campaign: dict[int, list[Share]],
    joined: dict[int, float | None],
) -> list[dict]:
    """One item per campaign (in the order given, with its competences) for a student who
    joined the campaigns ``joined`` (campaign id → the participation's progression) and sent ``shares_by_campaign`` (by date): the status,
    the share that counts, the level of each competence."""
    result = []
    for campaign, campaign_competences in campaigns:
        shares = shares_by_campaign.get(campaign.pk, [])
        counting = next((s for s in shares if s.counts), None) or (shares[-1] if shares else None)
        if campaign.pk not in joined:
            status = NOT_JOINED
        elif not shares:
            status = STARTED
        elif counting.is_late:
            status = SHARED_LATE
        else:
            status = SHARED
        assessment = campaign.kind == Campaign.Kind.ASSESSMENT
        competences = [(c, _own_result(counting, c.code, assessment)) for c in campaign_competences]
        progression = joined.get(campaign.pk)
        result.append(
            {
                "campaign": campaign,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "counting": counting,
                "shares": shares,
                "competences": competences,
                "assessment": assessment,
                # thematic badges of the counted share, in the campaign's order
                "badges": [
                    (name, counting.badges.get(name))
                    for name in (campaign.badge_names or list(counting.badges))
                ]
                if assessment and counting
                else [],
                "progression": None if progression is None else round(progression * 100),
            }
        )
    return result


def _own_result(share: Share | None, code: str, assessment: bool) -> int | None:
    """A competence on the student's counted share: its level (profiles) or its mastery
    rate in % (assessment)."""
    if share is None:
        return None
    if assessment:
        rate = share.mastery(code)
        return None if rate is None else round(rate * 100)
    return share.level(code)


def _name_key(last: str, first: str) -> tuple[str, str]:
    def norm(text):
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
        return " ".join(text.replace("-", " ").replace("'", " ").split())

    return norm(last), norm(first)


def name_proposals(participations, students: QuerySet[Student]) -> dict[int, list[Student]]:
    """Roster students whose name matches an unmatched row: proposed to staff, never
    applied silently (homonyms exist). One query."""
    wanted = {_name_key(p.last_name, p.first_name): p.pk for p in participations}
    proposals: dict[int, list[Student]] = defaultdict(list)
    if not wanted:
        return proposals
    for student in students:  # compared without accents, case or hyphens
        pk = wanted.get(_name_key(student.last_name, student.first_name))
        if pk is not None:
            proposals[pk].append(student)
    return dict(proposals)


def zero_proposals(participations, students: QuerySet[Student]) -> dict[int, list[Student]]:
    """Roster students whose number differs from an unmatched row's identifier only by
    leading zeros (a roster or an export re-saved by Excel): proposed to staff, never
    applied (two people can have such numbers). One query."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for p in participations:
        if p.identifier.isdigit():
            wanted[p.identifier.lstrip("0")].append(p.pk)
    proposals: dict[int, list[Student]] = defaultdict(list)
    if not wanted:
        return proposals
    by_pk = {p.pk: p for p in participations}
    for student in students.filter(student_number__regex=r"^[0-9]+$"):
        for pk in wanted.get(student.student_number.lstrip("0"), ()):
            if by_pk[pk].identifier != student.student_number:
                proposals[pk].append(student)
    return dict(proposals)


def unmatched_rows(campaign: Campaign, *, ignored: bool = False) -> QuerySet[Participation]:
    """The campaign's unmatched rows still to handle, or (``ignored``) those set aside."""
    rows = campaign.participations.filter(student__isnull=True)
    if ignored:
        return rows.filter(ignored_at__isnull=False).select_related("ignored_by")
    return rows.filter(ignored_at__isnull=True)


def first_imports_of(student: Student) -> QuerySet[Participation]:
    """The imports that created the student's participations (a subquery of ids)."""
    return Participation.objects.filter(student=student, first_import__isnull=False).values(
        "first_import"
    )
