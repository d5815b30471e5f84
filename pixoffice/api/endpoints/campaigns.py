"""Campaigns of the token's programmes and each student's participation, read through
the staff follow-up (``campaigns.queries.follow_up``: status, the share that counts)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from campaigns.queries import STATUS_LABELS, follow_up
from pixoffice.api import queries
from pixoffice.api.pagination import PageQuery, paginate
from pixoffice.api.schemas import CampaignOut, Page, ParticipationOut

router = Router(tags=["campagnes"])


def campaign_out(campaign) -> dict:
    return {
        "code": campaign.code,
        "name": campaign.name,
        "kind": campaign.kind,
        "academic_year": campaign.academic_year.name,
        "semester": campaign.semester.number if campaign.semester_id else None,
        "opens_on": campaign.opens_on,
        "deadline": campaign.deadline,
        "target_level": campaign.target_level,
        "counting_rule": campaign.counting_rule,
        "competences": [c.code for c in campaign.competences.all()],
        "programmes": [p.name for p in campaign.token_programmes],
    }


def with_details(campaigns, token):
    return campaigns.prefetch_related(
        "competences",
        Prefetch(
            "programmes", queryset=queries.token_programmes(token), to_attr="token_programmes"
        ),
    )


class CampaignFilters(Schema):
    academic_year: str | None = Field(None, description="Année universitaire, ex. 2026-2027.")


@router.get("/campaigns", response=Page[CampaignOut], url_name="campaigns")
def list_campaigns(request, page: Query[PageQuery], filters: Query[CampaignFilters]):
    """Les campagnes qui concernent une formation du jeton (les plus récentes d'abord)."""
    campaigns = queries.campaigns_of(request.auth)
    if filters.academic_year:
        campaigns = campaigns.filter(academic_year__name=filters.academic_year)
    items, envelope = paginate(with_details(campaigns, request.auth), page)
    return {**envelope, "items": [campaign_out(c) for c in items]}


def campaign_of(request, code: str):
    return get_object_or_404(queries.campaigns_of(request.auth), code=code)


@router.get("/campaigns/{code}", response=CampaignOut, url_name="campaign")
def get_campaign(request, code: str):
    """Une campagne par son code Pix (404 si elle ne concerne aucune formation du jeton)."""
    return campaign_out(
        get_object_or_404(with_details(queries.campaigns_of(request.auth), request.auth), code=code)
    )


def share_out(row) -> dict | None:
    share = row.share
    if share is None:
        return None
    return {
        "shared_at": share.shared_at,
        "counts": share.counts,
        "is_late": share.is_late,
        "total_pix": share.total_pix,
        "certifiable": share.certifiable,
        "mastery_rate": share.mastery_rate,
        "stage": share.stage,
        "stage_count": share.stage_count,
        "results": {code: value for code, value, _below in row.levels},
        "badges": dict(share.badges),
    }


def participation_out(row) -> dict:
    student = row.student
    return {
        "student_number": student.student_number,
        "last_name": student.last_name,
        "first_name": student.first_name,
        "programme": student.programme.name,
        "status": row.status,
        "status_label": str(STATUS_LABELS[row.status]),
        "share_count": row.share_count,
        "share": share_out(row),
    }


@router.get(
    "/campaigns/{code}/participations",
    response=Page[ParticipationOut],
    url_name="participations",
)
def list_participations(request, code: str, page: Query[PageQuery]):
    """Un élément par étudiant inscrit des formations du jeton concernées : son statut
    (pas rejoint, commencé, envoyé, envoyé en retard) et l'envoi qui compte, comme le
    suivi de la campagne."""
    campaign = campaign_of(request, code)
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    students, envelope = paginate(queries.campaign_roster(request.auth, campaign), page)
    rows = follow_up(campaign, students, codes)
    return {**envelope, "items": [participation_out(row) for row in rows]}
