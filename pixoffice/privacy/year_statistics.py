"""The statistics page's counts: per academic year and programme, the live counts of
what the database holds plus what purges stored (``YearStatistics``).

``live_counts`` is also what a purge measures before and after removing a year's
personal data: it stores the difference, so the figures never change with a purge."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, When
from django.db.models.functions import Coalesce, Floor

from campaigns.models import Participation, Share
from certification.models import CertificationResult
from grading.models import Note
from pixoffice.accounts.models import AcademicYear, Programme, Student
from pixoffice.accounts.queries import programmes_visible_to
from pixoffice.accounts.rules import is_admin
from pixoffice.badges.models import BadgeSubmission

from .statistics_models import YearStatistics

MEASURES = (
    "students",
    "participants",
    "shares",
    "notes_validated",
    "notes_not_validated",
    "notes_absent",
    "badges_validated",
    "certified",
)
NOTE_MEASURES = {
    Note.Result.VALIDATED: "notes_validated",
    Note.Result.NOT_VALIDATED: "notes_not_validated",
    Note.Result.ABSENT: "notes_absent",
}
Key = tuple[int, int | None]  # (academic year id, programme id or None)


@dataclass
class Counts:
    students: int = 0
    participants: int = 0
    shares: int = 0
    notes_validated: int = 0
    notes_not_validated: int = 0
    notes_absent: int = 0
    badges_validated: int = 0
    certified: int = 0
    note_distribution: Counter = field(default_factory=Counter)

    def add(self, other: "Counts", sign: int = 1) -> None:
        for name in MEASURES:
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))
        for bucket, n in other.note_distribution.items():
            self.note_distribution[bucket] += sign * n
        self.note_distribution = Counter({b: n for b, n in self.note_distribution.items() if n})

    @property
    def notes(self) -> int:
        return self.notes_validated + self.notes_not_validated + self.notes_absent

    @property
    def is_zero(self) -> bool:
        return not any(getattr(self, name) for name in MEASURES) and not self.note_distribution

    def distribution(self) -> list[tuple[int, int]]:
        return sorted((int(b), n) for b, n in self.note_distribution.items())


def _grouped(queryset, year: str, programme: str):
    return queryset.values(y=F(year), p=F(programme)).annotate(n=Count("pk")).order_by()


def live_counts() -> dict[Key, Counts]:
    """What the database holds now, per (year, programme): six queries whatever the size."""
    counts: dict[Key, Counts] = defaultdict(Counts)

    def put(rows, measure):
        for row in rows:
            if row["y"] is not None:
                c = counts[(row["y"], row["p"])]
                setattr(c, measure, getattr(c, measure) + row["n"])

    put(_grouped(Student.objects.all(), "academic_year_id", "programme_id"), "students")
    put(
        _grouped(
            Participation.objects.all(), "campaign__academic_year_id", "student__programme_id"
        ),
        "participants",
    )
    put(
        _grouped(
            Share.objects.all(),
            "participation__campaign__academic_year_id",
            "participation__student__programme_id",
        ),
        "shares",
    )
    put(
        _grouped(
            BadgeSubmission.objects.filter(is_current=True, status__in=BadgeSubmission.HOLDING),
            "requirement__academic_year_id",
            "student__programme_id",
        ),
        "badges_validated",
    )
    put(
        CertificationResult.objects.filter(status=CertificationResult.Status.VALIDATED)
        .values(
            y=Coalesce("session__academic_year_id", "student__academic_year_id"),
            p=F("student__programme_id"),
        )
        .annotate(n=Count("pk"))
        .order_by(),
        "certified",
    )
    overridden = ~Q(override_result="")
    notes = (
        Note.objects.annotate(
            final_result=Case(
                When(overridden, then=F("override_result")),
                default=F("result"),
                output_field=CharField(),
            ),
            bucket=Floor(Case(When(overridden, then=F("override_value")), default=F("value"))),
        )
        .values(
            "final_result", "bucket", y=F("scheme__academic_year_id"), p=F("student__programme_id")
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in notes:
        c = counts[(row["y"], row["p"])]
        measure = NOTE_MEASURES.get(row["final_result"])
        if measure:
            setattr(c, measure, getattr(c, measure) + row["n"])
        if row["bucket"] is not None:
            c.note_distribution[str(int(row["bucket"]))] += row["n"]
    return dict(counts)


def stored_counts() -> dict[Key, Counts]:
    counts = {}
    for row in YearStatistics.objects.all():
        counts[(row.academic_year_id, row.programme_id)] = Counts(
            **{name: getattr(row, name) for name in MEASURES},
            note_distribution=Counter(row.note_distribution),
        )
    return counts


def store_difference(before: dict[Key, Counts], after: dict[Key, Counts]) -> int:
    """Add ``before - after`` to the stored rows (inside the purge's transaction);
    returns how many rows it wrote."""
    written = 0
    for key in sorted(set(before) | set(after), key=lambda k: (k[0], k[1] or 0)):
        diff = Counts()
        diff.add(before.get(key, Counts()))
        diff.add(after.get(key, Counts()), sign=-1)
        if diff.is_zero:
            continue
        year_id, programme_id = key
        row, _created = YearStatistics.objects.select_for_update().get_or_create(
            academic_year_id=year_id, programme_id=programme_id
        )
        total = Counts(
            **{name: getattr(row, name) for name in MEASURES},
            note_distribution=Counter(row.note_distribution),
        )
        total.add(diff)
        for name in MEASURES:
            setattr(row, name, getattr(total, name))
        row.note_distribution = dict(total.note_distribution)
        row.save()
        written += 1
    return written


@dataclass
class Line:
    programme: Programme | None
    counts: Counts


@dataclass
class YearBlock:
    year: AcademicYear
    purged: bool  # some of its counts come from a purge
    lines: list[Line]
    total: Counts


def statistics_for(user) -> list[YearBlock]:
    """The page's table: every year, newest first, one line per programme the user
    may see (staff: the programmes they follow; admins: all, and the unlinked line)."""
    live = live_counts()
    stored = stored_counts()
    totals: dict[Key, Counts] = defaultdict(Counts)
    for source in (live, stored):
        for key, counts in source.items():
            totals[key].add(counts)
    programmes = {p.pk: p for p in programmes_visible_to(user)}
    show_unlinked = is_admin(user)
    blocks = []
    for year in AcademicYear.objects.order_by("-start"):
        lines = [
            Line(programmes.get(pid), counts)
            for (yid, pid), counts in totals.items()
            if yid == year.pk
            and not counts.is_zero
            and (pid in programmes or (pid is None and show_unlinked))
        ]
        if not lines:
            continue
        lines.sort(key=lambda line: (line.programme is None, str(line.programme or "")))
        total = Counts()
        for line in lines:
            total.add(line.counts)
        purged = any(key[0] == year.pk for key in stored)
        blocks.append(YearBlock(year, purged, lines, total))
    return blocks
