"""The cached student homes (``student_home.py``) are forgotten whenever what they show
changes: an import applied (Pix Orga or roster, whatever writes its rows with COPY),
notes published, a badge submitted or reviewed, or any row of the page saved or
deleted through the ORM (a campaign's deadline, a student's programme…)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from campaigns.models import Campaign, Competence, Participation, ResultImport, Share
from campaigns.signals import results_changed
from grading.models import Note, Publication, Scheme
from pixoffice.accounts.models import AcademicYear, Programme, RosterImport, Student
from pixoffice.badges.models import BadgeRequirement, BadgeSubmission
from pixoffice.badges.signals import badge_status_changed

from .student_home import forget_student_homes

SHOWN = [
    Student,
    Programme,
    AcademicYear,
    Campaign,
    Competence,
    Participation,
    Share,
    BadgeRequirement,
    BadgeSubmission,
    Scheme,
    Note,
    Publication,  # a publication writes its notes with bulk_update: no signal per note
    ResultImport,  # an import's rows go in with COPY; the batch is saved as applied
    RosterImport,
]
SHOWN_LINKS = [
    Campaign.programmes.through,
    Campaign.competences.through,
    BadgeRequirement.programmes.through,
]


def _forget_now_and_after_commit():
    # now: this transaction's later reads see fresh data; after commit: a page read by
    # another request meanwhile (the old rows) is not kept under the new generation
    forget_student_homes()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # saved and committed already
    savepoints = set(connection.savepoint_ids)
    if not any(  # once per transaction, however many rows it saves, unless the savepoint
        # that asked for it may be rolled back without this change
        func is forget_student_homes and sids <= savepoints
        for sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(forget_student_homes)


def _row_changed(sender, **kwargs):
    _forget_now_and_after_commit()


def _links_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        _forget_now_and_after_commit()


for model in SHOWN:
    post_save.connect(_row_changed, sender=model, dispatch_uid=f"student_home_save_{model}")
    post_delete.connect(_row_changed, sender=model, dispatch_uid=f"student_home_delete_{model}")
for through in SHOWN_LINKS:
    m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"student_home_{through}")


@receiver(results_changed, dispatch_uid="student_home_results_changed")
def campaign_results_changed(sender, **kwargs):  # sent after commit
    forget_student_homes()


@receiver(badge_status_changed, dispatch_uid="student_home_badge_status_changed")
def badge_changed(sender, **kwargs):  # sent after commit
    forget_student_homes()
