"""One page per student for staff (« dossier »): everything the office knows of a
student, each part linking to where it can be acted on. The portal is the top floor:
it reads campaigns, badges, grading, certification and the outbox, none of which may
read each other this way.

A constant number of queries whatever the student has (``student_record``).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from campaigns import queries as campaign_queries
from campaigns.models import ResultImport
from certification.models import Candidate, CertificationResult
from grading.models import Note, NoteChange
from pixoffice.accounts.models import Student
from pixoffice.badges import queries as badge_queries
from pixoffice.mail import queries as mail_queries

MESSAGES_SHOWN = 50
# what a student row keeps of the roster imports that wrote it (select them with it)
ROSTER_IMPORTS = (
    "created_by_import__uploaded_by",
    "last_changed_by_import__uploaded_by",
)


@dataclass
class StudentRecord:
    student: Student
    campaigns: campaign_queries.StudentCampaigns
    badges: list  # (requirement, current submission or None)
    notes: list  # notes with ``changes`` prefetched (newest first)
    imports: list  # Pix Orga result imports that wrote a row or a share of the student
    roster_imports: list  # (roster import, what it did: « created », « changed », both)
    candidacies: list
    certification_results: list
    messages: list
    more_messages: bool


def roster_imports_of(student: Student) -> list[tuple]:
    """The roster imports that wrote the student's row: the one that created it and the
    last one that changed it (``Student.created_by_import``, ``last_changed_by_import``,
    recorded by the import's own ``COPY`` and ``UPDATE``), newest first. No query when
    they were selected with the student (``ROSTER_IMPORTS``)."""
    created, changed = student.created_by_import, student.last_changed_by_import
    if created is not None and changed is not None and created.pk == changed.pk:
        return [(created, CREATED)]  # created, not changed since
    found = [(batch, what) for batch, what in ((changed, CHANGED), (created, CREATED)) if batch]
    return sorted(found, key=lambda item: item[0].uploaded_at, reverse=True)


CREATED, CHANGED = "created", "changed"


def student_record(student: Student, user) -> StudentRecord:
    """Ten queries whatever the student has: notes and their history (2), imports (1),
    candidacies (1), certification results (1), emails (1), campaigns (3), badges (1);
    one more for the campaigns' year when the student has none (``AcademicYear.current``)."""
    notes = list(
        Note.objects.filter(student=student)
        .select_related("scheme", "scheme__academic_year", "override_by")
        .prefetch_related(
            Prefetch("changes", queryset=NoteChange.objects.select_related("by").order_by("-at"))
        )
        .order_by("-scheme__academic_year__start", "scheme__name")
    )
    imports = list(
        ResultImport.objects.filter(
            Q(shares__participation__student=student)
            | Q(pk__in=campaign_queries.first_imports_of(student))
        )
        .select_related("campaign", "uploaded_by")
        .distinct()
        .order_by("-uploaded_at")
    )
    candidacies = list(
        Candidate.objects.filter(student=student)
        .select_related("session__room__site")
        .order_by("-session__starts_at")
    )
    results = list(
        CertificationResult.objects.filter(student=student)
        .select_related("session")
        .order_by("-taken_on", "-certification_number")
    )
    messages = list(
        mail_queries.messages_visible_to(user)
        .filter(student=student)
        .select_related(None)
        .defer("text", "html")
        .order_by("-created_at", "-pk")[: MESSAGES_SHOWN + 1]
    )
    return StudentRecord(
        student=student,
        roster_imports=roster_imports_of(student),
        campaigns=campaign_queries.student_campaigns(student),
        badges=badge_queries.student_badges(student),
        notes=notes,
        imports=imports,
        candidacies=candidacies,
        certification_results=results,
        messages=messages[:MESSAGES_SHOWN],
        more_messages=len(messages) > MESSAGES_SHOWN,
    )
