"""The staff follow-up of a campaign as a table (CSV or XLSX): one row per student of
the filtered list, the same columns whatever the file format."""

from django.utils import timezone

from .models import Campaign

YES_NO = {True: "Oui", False: "Non"}


def follow_up_table(campaign, rows) -> tuple[list[str], list[list]]:
    """``(header, rows)`` of the follow-up export; ``rows`` are ``FollowUpRow``s. An
    assessment campaign has its results instead of pix and levels: progression, mastery,
    stage, one column per thematic badge, mastery per expected competence (in %)."""
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    header = ["Numéro étudiant", "Nom", "Prénom", "Courriel", "Formation", "Groupe", "Statut"]
    header.append("Envoyé le")
    if campaign.kind == Campaign.Kind.ASSESSMENT:
        stages = f"Palier obtenu (/{campaign.stage_count})" if campaign.stage_count else "Palier"
        header += [
            "Commencé le",
            "% de progression",
            "% de maîtrise",
            stages,
            *[f"{name} obtenu (O/N)" for name in campaign.badge_names],
            *[f"% de maîtrise {c}" for c in codes],
        ]
        return header, [_common(r) + _assessment(r) for r in rows]
    header += ["Pix", "Certifiable", *[f"Niveau {c}" for c in codes], "Sous le niveau visé"]
    return header, [_common(r) + _profiles(r) for r in rows]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _common(r) -> list:
    return [
        r.student.student_number,
        r.student.last_name,
        r.student.first_name,
        r.student.email,
        r.student.programme.name,
        r.student.group,
        r.status_label,
        _when(r.share.shared_at) if r.share else "",
    ]


def _profiles(r) -> list:
    share = r.share
    certifiable = "" if share is None or share.certifiable is None else share.certifiable
    return [
        share.total_pix if share else None,
        YES_NO.get(certifiable, ""),
        *[level for _code, level, _below in r.levels],
        ", ".join(r.below_target),
    ]


def _assessment(r) -> list:
    share = r.share
    progression = share.progression if share else r.progression
    return [
        _when(share.started_at if share else r.started_at),
        None if progression is None else round(progression * 100),
        share.mastery_percent if share else None,
        share.stage if share else None,
        *[YES_NO.get(has, "") for _name, has in r.badges],
        *[pct for _code, pct, _below in r.levels],
    ]
