"""What each kind of component reads, for many students at once.

A loader takes the scheme's components of its kind and the students (``None``: the
whole cohort) and returns ``{student_id: {component key: ComponentInput}}``; one query
per component whatever the number of students. A certification component reads the
certified score of each student's latest imported result.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from campaigns.models import Share
from certification.queries import latest_results
from pixoffice.badges.queries import badge_holders

from . import computation as calc
from .models import Component


def campaign_inputs(components: list[Component], student_ids: Iterable[int] | None) -> dict:
    found: dict[int, dict] = defaultdict(dict)
    for component in components:
        codes = component_competences(component)
        shares = Share.objects.filter(counts=True, participation__campaign_id=component.campaign_id)
        if student_ids is not None:
            shares = shares.filter(participation__student_id__in=list(student_ids))
        else:
            shares = shares.filter(participation__student_id__isnull=False)
        rows = shares.values_list(
            "participation__student_id",
            "pk",
            "total_pix",
            "results",
            "import_batch_id",
            "shared_at",
            "mastery_rate",
            "stage",
            "stage_count",
        )
        stage = component.basis == calc.STAGE
        for (
            student_id,
            share_id,
            total_pix,
            results,
            batch_id,
            shared_at,
            mastery_rate,
            reached,
            stage_count,
        ) in rows.iterator(chunk_size=5000):
            score = calc.campaign_score(
                component.basis,
                codes,
                total_pix,
                results or {},
                mastery_rate=mastery_rate,
                stage=reached,
            )
            if score is None:  # a share without this result (not an assessment's)
                continue
            found[student_id][component.key] = calc.ComponentInput(
                score=score,
                out_of=stage_count if stage else None,
                source={
                    "share": share_id,
                    "import": batch_id,
                    "shared_at": shared_at.isoformat(),
                    "campaign": component.campaign_id,
                },
            )
    return found


def badge_inputs(components: list[Component], student_ids: Iterable[int] | None) -> dict:
    found: dict[int, dict] = defaultdict(dict)
    for component in components:
        holders = badge_holders(
            component.badge_requirement, None if student_ids is None else list(student_ids)
        )
        for student_id in holders:
            found[student_id][component.key] = calc.ComponentInput(
                met=True, source={"badge_requirement": component.badge_requirement_id}
            )
    return found


def certification_inputs(components: list[Component], student_ids: Iterable[int] | None) -> dict:
    """The latest certification result of each student (within the scheme's year when it
    has a date): « Validée » and « Non obtenue » give their score; « Annulée », « En
    erreur » or no result give no input, so the component's missing rule applies."""
    found: dict[int, dict] = defaultdict(dict)
    for component in components:
        year = component.scheme.academic_year
        results = latest_results(
            None if student_ids is None else list(student_ids),
            start=year.start if year else None,
            end=year.end if year else None,
        )
        for student_id, (result_id, status, score, taken_on) in results.items():
            if status not in ("validated", "rejected") or score is None:
                continue
            found[student_id][component.key] = calc.ComponentInput(
                score=Decimal(score),
                source={
                    "certification_result": result_id,
                    "status": status,
                    "taken_on": taken_on.isoformat() if taken_on else "",
                },
            )
    return found


LOADERS: dict[str, Callable] = {
    Component.Kind.CAMPAIGN: campaign_inputs,
    Component.Kind.BADGE: badge_inputs,
    Component.Kind.CERTIFICATION: certification_inputs,
}


def component_competences(component: Component) -> tuple[str, ...]:
    """The competence codes of a campaign component (prefetched by ``scheme_rule``)."""
    if component.campaign_id is None:
        return ()
    return tuple(sorted(c.code for c in component.campaign.competences.all()))


def gather_inputs(components: list[Component], student_ids: Iterable[int] | None) -> dict:
    """Every component's input for the students: ``{student_id: {key: ComponentInput}}``."""
    by_kind: dict[str, list[Component]] = defaultdict(list)
    for component in components:
        by_kind[component.kind].append(component)
    merged: dict[int, dict] = defaultdict(dict)
    for kind, of_kind in by_kind.items():
        for student_id, inputs in LOADERS[kind](of_kind, student_ids).items():
            merged[student_id].update(inputs)
    return merged
