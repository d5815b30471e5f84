"""Retention: which finished academic years are past the retention period, what a purge
of them would remove (``plan_purge``: the dry run, the admin page and the command read
it) and the purge itself (``apply_purge``: one transaction, files after commit).

A year is **past retention** when it ended more than ``PERSONAL_DATA_RETENTION_YEARS``
years ago (default 5). A year not finished yet is never purged. ``before`` narrows the
purge to the years that started before a given year; a year it names that is still
within the retention period refuses the whole purge unless ``ignore_retention`` (the
command's ``--ignore-retention``: an admin's decision, e.g. a legal ground to purge
earlier; the scheduled task never passes it).

What a purged year loses (each kind below, ``KINDS``): its students (those whose
current year it is and who have nothing in a kept year), with their account, their
outbox messages, certification candidacies, slots, registrations, calendar feed;
every participation and share of its campaigns and the Pix Orga files; its roster
files; its badge submissions and their files; its notes and their history; its
certification candidacies, allocation proposals' lines, results and results files.
The campaigns, schemes, grids, sessions, required badges and the year itself stay
(no personal data), and so do the figures: ``year_statistics.store_difference``
keeps the counts the purge removes (``YearStatistics``).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Participation, ResultImport, Share
from certification.models import (
    AllocationAssignment,
    Candidate,
    CertificationResult,
    ResultsImport,
)
from grading.models import Note, NoteChange
from pixoffice.accounts.models import AcademicYear, Role, RosterImport, Student, User
from pixoffice.badges.models import BadgeSubmission
from pixoffice.mail.models import Message

from . import year_statistics
from .retention_kinds import KINDS

logger = logging.getLogger(__name__)


class PurgeRefused(Exception):
    """The purge asked for cannot be done (French message); nothing was changed."""


def retention_years() -> int:
    return settings.PERSONAL_DATA_RETENTION_YEARS


def retention_limit(today: dt.date | None = None) -> dt.date:
    """A year that ended before this date is past retention."""
    today = today or timezone.localdate()
    years = retention_years()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass
class PurgePlan:
    years: list[AcademicYear]
    limit: dt.date
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind → year → n
    files: list[tuple[str, int | None]] = field(default_factory=list)  # name, bytes

    @property
    def is_empty(self) -> bool:
        return not any(n for per_year in self.counts.values() for n in per_year.values())

    def total(self, kind: str) -> int:
        return sum(self.counts.get(kind, {}).values())

    @property
    def file_bytes(self) -> int:
        return sum(size or 0 for _name, size in self.files)

    def rows(self):
        """(kind, total, per year) for the page, in ``KINDS`` order."""
        return [(kind, self.total(kind.key), self.counts.get(kind.key, {})) for kind in KINDS]

    def as_dict(self) -> dict:
        return {
            "retention_years": retention_years(),
            "past_retention_before": self.limit.isoformat(),
            "years": [year.name for year in self.years],
            "counts": {kind.key: self.counts.get(kind.key, {}) for kind in KINDS},
            "totals": {kind.key: self.total(kind.key) for kind in KINDS},
            "files": {"count": len(self.files), "bytes": self.file_bytes},
        }


def purgeable_years(
    *, before: str | None = None, ignore_retention: bool = False, today: dt.date | None = None
) -> tuple[list[AcademicYear], dt.date]:
    """The years a purge takes, oldest first; ``PurgeRefused`` when ``before`` names an
    unknown year or takes a year within retention (without ``ignore_retention``) or
    not finished."""
    today = today or timezone.localdate()
    limit = retention_limit(today)
    years = AcademicYear.objects.order_by("start")
    if before is None:
        return list(years.filter(end__lt=limit)), limit
    bound = AcademicYear.objects.filter(name=before).first()
    if bound is None:
        raise PurgeRefused(_("L'année %(name)s n'existe pas.") % {"name": before})
    chosen = list(years.filter(start__lt=bound.start))
    unfinished = [year.name for year in chosen if year.end >= today]
    if unfinished:
        raise PurgeRefused(
            _("Année(s) pas encore terminée(s) : %(names)s.") % {"names": ", ".join(unfinished)}
        )
    kept = [year.name for year in chosen if year.end >= limit]
    if kept and not ignore_retention:
        raise PurgeRefused(
            _(
                "Année(s) encore dans la durée de conservation (%(n)s ans) : %(names)s. "
                "--ignore-retention pour les purger quand même."
            )
            % {"n": retention_years(), "names": ", ".join(kept)}
        )
    return chosen, limit


def _year_of(primary: str, fallback: str, year_ids):
    """The year a row is counted in: its own year when it is a purged one, else the
    year of its student (a row taken because its student goes)."""
    return Case(
        When(**{f"{primary}_id__in": year_ids}, then=F(f"{primary}__name")),
        default=F(f"{fallback}__name"),
        output_field=CharField(),
    )


def _targets(years: list[AcademicYear]) -> dict[str, tuple[QuerySet, object]]:
    """Kind → (the rows a purge of ``years`` removes, the expression of their year)."""
    ids = [year.pk for year in years]
    last_end = max((year.end for year in years), default=dt.date.min)
    # a student with something in a kept year stays (and so does that year's data);
    # ``student__isnull=False``: a NULL in a NOT IN list would keep every student
    kept_elsewhere = (
        Q(
            pk__in=Participation.objects.filter(student__isnull=False)
            .exclude(campaign__academic_year__in=ids)
            .values("student")
        )
        | Q(pk__in=Note.objects.exclude(scheme__academic_year__in=ids).values("student"))
        | Q(
            pk__in=BadgeSubmission.objects.exclude(requirement__academic_year__in=ids).values(
                "student"
            )
        )
        | Q(pk__in=Candidate.objects.exclude(session__academic_year__in=ids).values("student"))
    )
    students = Student.objects.filter(academic_year__in=ids).exclude(kept_elsewhere)
    gone = Q(student__in=students)
    year = F("academic_year__name")
    return {
        "students": (students, year),
        "participations": (
            Participation.objects.filter(campaign__academic_year__in=ids),
            F("campaign__academic_year__name"),
        ),
        "shares": (
            Share.objects.filter(participation__campaign__academic_year__in=ids),
            F("participation__campaign__academic_year__name"),
        ),
        "result_imports": (  # and the files of no campaign (refused) sent back then
            ResultImport.objects.filter(
                Q(campaign__academic_year__in=ids)
                | Q(campaign__isnull=True, uploaded_at__date__lte=last_end)
            ),
            _year_or_dash("campaign__academic_year"),
        ),
        "roster_imports": (
            RosterImport.objects.filter(
                Q(academic_year__in=ids)
                | Q(academic_year__isnull=True, uploaded_at__date__lte=last_end)
            ),
            _year_or_dash("academic_year"),
        ),
        "badge_submissions": (
            BadgeSubmission.objects.filter(Q(requirement__academic_year__in=ids) | gone),
            _year_of("requirement__academic_year", "student__academic_year", ids),
        ),
        "notes": (
            Note.objects.filter(Q(scheme__academic_year__in=ids) | gone),
            _year_of("scheme__academic_year", "student__academic_year", ids),
        ),
        "note_changes": (
            NoteChange.objects.filter(
                Q(note__scheme__academic_year__in=ids) | Q(note__student__in=students)
            ),
            _year_of("note__scheme__academic_year", "note__student__academic_year", ids),
        ),
        "candidates": (
            Candidate.objects.filter(Q(session__academic_year__in=ids) | gone),
            _year_of("session__academic_year", "student__academic_year", ids),
        ),
        "allocation_lines": (
            AllocationAssignment.objects.filter(Q(run__academic_year__in=ids) | gone),
            _year_of("run__academic_year", "student__academic_year", ids),
        ),
        "certification_results": (
            CertificationResult.objects.filter(
                Q(session__academic_year__in=ids)
                | gone
                | Q(session__isnull=True, student__isnull=True, taken_on__lte=last_end)
            ),
            _year_of("session__academic_year", "student__academic_year", ids),
        ),
        "results_imports": (
            ResultsImport.objects.filter(uploaded_at__date__lte=last_end),
            None,
        ),
        "messages": (Message.objects.filter(gone), F("student__academic_year__name")),
    }


def _year_or_dash(path: str):
    """A roster file without a year is counted under « — »."""
    return Coalesce(F(f"{path}__name"), Value("—"), output_field=CharField())


def _count(queryset: QuerySet, year, years: list[AcademicYear]) -> dict[str, int]:
    if not years:
        return {}
    if year is None:  # files without a year: under the last purged one
        n = queryset.count()
        return {years[-1].name: n} if n else {}
    rows = queryset.values(y=year).annotate(n=Count("pk")).order_by("y")
    return {row["y"] or "—": row["n"] for row in rows}


def _files(targets) -> list[str]:
    names = []
    for kind in KINDS:
        if kind.has_files:
            queryset, _year = targets[kind.key]
            names += [name for name in queryset.values_list("file", flat=True) if name]
    return sorted(set(names))


def _size(name: str) -> int | None:
    try:
        return default_storage.size(name)
    except OSError:
        return None  # already gone: nothing to measure


def plan_purge(
    *, before: str | None = None, ignore_retention: bool = False, today: dt.date | None = None
) -> PurgePlan:
    """The dry run: what a purge would remove now, per kind and year; nothing changes."""
    years, limit = purgeable_years(before=before, ignore_retention=ignore_retention, today=today)
    plan = PurgePlan(years=years, limit=limit)
    if not years:
        return plan
    targets = _targets(years)
    plan.counts = {key: _count(qs, year, years) for key, (qs, year) in targets.items()}
    plan.files = [(name, _size(name)) for name in _files(targets)]
    return plan


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("purge: could not delete %s", name)


def apply_purge(
    *, before: str | None = None, ignore_retention: bool = False, today: dt.date | None = None
) -> PurgePlan:
    """Purge, all or nothing: the plan is made again inside one transaction (the years'
    rows locked, so two purges never run together), the figures stored, the rows
    deleted; the files are deleted from the storage only once the transaction has
    committed, so a failure loses nothing."""
    with transaction.atomic():
        years, _limit = purgeable_years(
            before=before, ignore_retention=ignore_retention, today=today
        )
        list(AcademicYear.objects.select_for_update().filter(pk__in=[y.pk for y in years]))
        plan = plan_purge(before=before, ignore_retention=ignore_retention, today=today)
        if plan.is_empty:
            return plan
        targets = _targets(plan.years)
        names = [name for name, _size in plan.files]
        before_counts = year_statistics.live_counts()
        users = list(
            User.objects.filter(
                pk__in=targets["students"][0].values("user"), role=Role.STUDENT, is_superuser=False
            ).values_list("pk", flat=True)
        )
        # the order: what points at students first, then the students and their accounts
        for key in (
            "messages",
            "note_changes",
            "notes",
            "badge_submissions",
            "allocation_lines",
            "candidates",
            "certification_results",
            "results_imports",
            "shares",
            "participations",
            "result_imports",
            "roster_imports",
        ):
            targets[key][0].delete()
        targets["students"][0].delete()
        User.objects.filter(pk__in=users).delete()
        year_statistics.store_difference(before_counts, year_statistics.live_counts())
        transaction.on_commit(lambda: _delete_files(names))
    logger.info("purge of %s: %s", [y.name for y in plan.years], plan.as_dict()["totals"])
    return plan
