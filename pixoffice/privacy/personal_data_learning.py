"""The learning half of a student's copy: campaigns and shares, badge submissions,
notes and their history (``personal_data`` documents the structure)."""

from campaigns.models import Participation, Share
from grading.explain import sentences
from grading.models import Note, NoteChange
from pixoffice.accounts.models import Student
from pixoffice.badges.models import BadgeSubmission


def name_of(user) -> str | None:
    return None if user is None else (user.get_full_name() or user.email)


def batch_of(batch) -> dict | None:
    if batch is None:
        return None
    return {"file": batch.original_name, "uploaded_at": batch.uploaded_at}


def _share(share: Share) -> dict:
    return {
        "shared_at": share.shared_at,
        "counts": share.counts,
        "is_late": share.is_late,
        "total_pix": share.total_pix,
        "certifiable": share.certifiable,
        "certifiable_count": share.certifiable_count,
        "mastery_rate": share.mastery_rate,
        "stage": share.stage,
        "stage_count": share.stage_count,
        "badges": share.badges,
        "results": share.results,
        "progression": share.progression,
        "started_at": share.started_at,
        "import": batch_of(share.import_batch),
        "row": share.row,
    }


def campaigns(student: Student) -> dict:
    """Participations and every share, the one that counts marked (2 queries)."""
    participations = list(
        Participation.objects.filter(student=student)
        .select_related("campaign__academic_year", "first_import")
        .order_by("campaign__deadline", "campaign__name", "pk")
    )
    shares: dict[int, list] = {p.pk: [] for p in participations}
    for share in (
        Share.objects.filter(participation__student=student)
        .select_related("header", "import_batch")
        .order_by("shared_at", "pk")
    ):
        shares.setdefault(share.participation_id, []).append(share)
    items = []
    for p in participations:
        campaign = p.campaign
        counting = next((s for s in shares[p.pk] if s.counts), None)
        items.append(
            {
                "campaign": {
                    "name": campaign.name,
                    "code": campaign.code,
                    "kind": campaign.kind,
                    "kind_label": campaign.get_kind_display(),
                    "academic_year": campaign.academic_year.name,
                    "deadline": campaign.deadline,
                    "counting_rule": campaign.counting_rule,
                    "counting_rule_label": campaign.get_counting_rule_display(),
                },
                "identifier": p.identifier,
                "last_name": p.last_name,
                "first_name": p.first_name,
                "group": p.group,
                "progression": p.progression,
                "started_at": p.started_at,
                "linked_at": p.linked_at,
                "first_import": batch_of(p.first_import),
                "counting_share": counting.shared_at if counting else None,
                "shares": [_share(s) for s in shares[p.pk]],
            }
        )
    return {"participations": items}


def badges(student: Student) -> dict:
    submissions = (
        BadgeSubmission.objects.filter(student=student)
        .select_related("requirement", "reviewed_by")
        .order_by("uploaded_at", "pk")
    )
    return {
        "submissions": [
            {
                "requirement": s.requirement.name,
                "deadline": s.requirement.deadline,
                "uploaded_at": s.uploaded_at,
                "file": s.original_name,
                "format": s.format,
                "status": s.status,
                "status_label": s.get_status_display(),
                "is_current": s.is_current,
                "reason": s.reason,
                "findings": s.findings,
                "badge_name": s.badge_name,
                "issuer_name": s.issuer_name,
                "issued_on": s.issued_on,
                "expires_on": s.expires_on,
                "assertion_uri": s.assertion_uri,
                "reviewed_at": s.reviewed_at,
                "reviewed_by": name_of(s.reviewed_by),
            }
            for s in submissions
        ]
    }


def _change(change: NoteChange) -> dict:
    return {
        "at": change.at,
        "kind": change.kind,
        "kind_label": change.get_kind_display(),
        "by": name_of(change.by),
        "old_value": change.old_value,
        "new_value": change.new_value,
        "old_result": change.old_result,
        "new_result": change.new_result,
        "reason": change.reason,
    }


def grading(student: Student) -> dict:
    """Every note row, published or not, and its whole history (2 queries)."""
    notes = list(
        Note.objects.filter(student=student)
        .select_related("scheme__academic_year", "override_by")
        .order_by("scheme__academic_year__start", "scheme__name", "pk")
    )
    changes: dict[int, list] = {n.pk: [] for n in notes}
    for change in (
        NoteChange.objects.filter(note__student=student).select_related("by").order_by("at", "pk")
    ):
        changes.setdefault(change.note_id, []).append(_change(change))
    items = []
    for n in notes:
        override = None
        if n.is_overridden:
            override = {
                "value": n.override_value,
                "result": n.override_result,
                "reason": n.override_reason,
                "by": name_of(n.override_by),
                "at": n.override_at,
            }
        items.append(
            {
                "scheme": n.scheme.name,
                "academic_year": n.scheme.academic_year.name,
                "published": n.is_published,
                "value": n.value,
                "result": n.result,
                "result_label": n.get_result_display(),
                "absence_code": n.absence_code,
                "computed_at": n.computed_at,
                "override": override,
                "published_value": n.published_value,
                "published_result": n.published_result,
                "published_at": n.published_at,
                "explanation": n.explanation,
                "explanation_text": sentences(n.explanation),
                "changes": changes[n.pk],
            }
        )
    return {"notes": items}
