"""The staff follow-up of a campaign as a table (CSV or XLSX): one row per student of
the filtered list, the same columns whatever the file format."""

from django.utils import timezone


def follow_up_table(campaign, rows) -> tuple[list[str], list[list]]:
    """``(header, rows)`` of the follow-up export; ``rows`` are ``FollowUpRow``s."""
    codes = list(campaign.competences.order_by("position").values_list("code", flat=True))
    header = [
        "Numéro étudiant",
        "Nom",
        "Prénom",
        "Courriel",
        "Formation",
        "Groupe",
        "Statut",
        "Envoyé le",
        "Pix",
        "Certifiable",
        *[f"Niveau {c}" for c in codes],
        "Sous le niveau visé",
    ]
    return header, [_row(r) for r in rows]


def _row(r) -> list:
    share = r.share
    certifiable = "" if share is None or share.certifiable is None else share.certifiable
    return [
        r.student.student_number,
        r.student.last_name,
        r.student.first_name,
        r.student.email,
        r.student.programme.name,
        r.student.group,
        r.status_label,
        timezone.localtime(share.shared_at).strftime("%d/%m/%Y %H:%M") if share else "",
        share.total_pix if share else None,
        {True: "Oui", False: "Non"}.get(certifiable, ""),
        *[level for _code, level, _below in r.levels],
        ", ".join(r.below_target),
    ]
