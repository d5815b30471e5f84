"""Planning a Pix Orga import: parse, check the campaign, match, count. Writes nothing."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from campaigns import pix_files
from campaigns.models import Campaign, Competence, ResultImport
from campaigns.pix_files import ParsedFile, ParsedRow, RowError
from campaigns.queries import matchable_students
from campaigns.rules import can_manage_campaign
from pixoffice.accounts.models import User
from pixoffice.tabular import FileRefused, no_cyclic_gc

from .matching import _match


def current_framework() -> pix_files.Framework:
    return pix_files.Framework(
        competences=tuple(Competence.objects.order_by("position").values_list("code", "name")),
        max_level=settings.PIX_MAX_REACHABLE_LEVEL,
    )


@dataclass
class ResultPlan:
    """What an import would do, computed without writing anything."""

    campaign: Campaign | None = None
    kind: str = ""
    rows: int = 0
    participants: list[str] = field(default_factory=list)
    first_rows: dict[str, ParsedRow] = field(default_factory=dict)  # identifier → its first row
    new_participants: list[str] = field(default_factory=list)
    matches: dict[str, int] = field(default_factory=dict)  # identifier → student id (new links)
    linked: dict[str, int] = field(default_factory=dict)  # identifier → student id (already linked)
    unmatched: list[str] = field(default_factory=list)
    # unmatched rows whose student exists in a programme the uploader does not follow
    outside_scope: int = 0
    new_shares: list[ParsedRow] = field(default_factory=list)
    shares_unchanged: int = 0
    not_shared: list[str] = field(default_factory=list)
    late_shares: int = 0
    participation_ids: dict[str, int] = field(default_factory=dict)  # stored participations
    # stored participations whose name or group the file changes:
    # identifier → (line, {label: (old, new)})
    renamed: dict[str, tuple[int, dict]] = field(default_factory=dict)
    # assessment: identifier → its current row (progression, start), and the stored
    # participations whose progression or start the file changes
    current_rows: dict[str, ParsedRow] = field(default_factory=dict)
    progressed: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the file's header (kept once)
    # stored shares without their row (imported before rows were kept): (id, the row)
    completed: list[tuple[int, ParsedRow]] = field(default_factory=list)
    stage_count: int | None = None  # assessment: « Palier obtenu (/N) »
    badge_names: list[str] = field(default_factory=list)  # assessment: thematic badges
    # identifier → shares already stored: (id, shared_at, total_pix, mastery_rate, counts)
    stored_shares: dict[str, list[tuple]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # imported anyway
    pix_id: str = ""  # the file's « ID Campagne », kept by the campaign's first import

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def summary(self) -> dict:
        outside = {"outside_scope": self.outside_scope} if self.outside_scope else {}
        renamed = {"renamed": len(self.renamed)} if self.renamed else {}
        renamed |= {"completed": len(self.completed)} if self.completed else {}
        warnings = {
            "warnings": [
                {"row": w.line, "column": w.column, "message": w.message} for w in self.warnings
            ]
        }
        return (
            outside
            | renamed
            | (warnings if self.warnings else {})
            | {
                "campaign": self.campaign.code if self.campaign else None,
                "kind": self.kind,
                "rows": self.rows,
                "participants": len(self.participants),
                "new_participants": len(self.new_participants),
                "shares_created": len(self.new_shares),
                "shares_unchanged": self.shares_unchanged,
                "late_shares": self.late_shares,
                "not_shared": len(self.not_shared),
                "unmatched": len(self.unmatched),
                "errors": [
                    {"row": e.line, "column": e.column, "message": e.message} for e in self.errors
                ],
            }
        )


def _report(import_id: int | None, percent: int) -> None:
    if import_id is not None:
        cache.set(f"pix-import-progress-{import_id}", percent, 3600)


def import_progress(result_import: ResultImport) -> int:
    if result_import.status in (ResultImport.Status.APPLIED, ResultImport.Status.REFUSED):
        return 100
    return cache.get(f"pix-import-progress-{result_import.pk}", 0)


@no_cyclic_gc()
def plan_result_import(
    data: bytes,
    *,
    campaign: Campaign | None,
    by: User | None,
    max_bytes: int | None = None,
    import_id: int | None = None,
) -> ResultPlan:
    """Parse, validate and match a Pix Orga export against the database. Writes nothing.

    ``campaign`` is the one the user chose (the file's ``Code`` must match it) or
    ``None`` (the file's code picks it). ``by=None`` is the command line.
    """
    plan = ResultPlan(campaign=campaign)
    try:
        parsed = pix_files.parse_pix_export(
            data,
            current_framework(),
            external_id_label=campaign.external_id_label if campaign else None,
            max_bytes=max_bytes,
        )
    except FileRefused as error:
        plan.errors.append(RowError(0, str(error)))
        return plan
    _report(import_id, 30)
    plan.kind, plan.rows, plan.header = parsed.kind, len(parsed.rows), parsed.header
    if parsed.rows and parsed.kind == pix_files.ASSESSMENT:
        plan.stage_count = parsed.rows[0].stage_count
        plan.badge_names = list(parsed.rows[0].badges)
    plan.pix_id = next(iter(parsed.pix_ids)) if len(parsed.pix_ids) == 1 else ""
    plan.errors.extend(parsed.errors)
    plan.warnings.extend(parsed.warnings)
    campaign = plan.campaign = _campaign_of(parsed, campaign, by, plan.errors)
    if campaign is None or plan.errors:
        return plan
    _match(plan, parsed, campaign, matchable_students(campaign, by))
    _report(import_id, 50)
    return plan


def _campaign_of(parsed: ParsedFile, chosen: Campaign | None, by, errors: list) -> Campaign | None:
    codes = sorted(c for c in parsed.codes if c)
    if len(codes) > 1:
        return None  # the parser already reported the rows with another code
    code = codes[0] if codes else None
    if chosen is None:
        if code is None:
            errors.append(
                RowError(0, _("Ce fichier n'a pas de colonne « Code » : choisissez la campagne."))
            )
            return None
        chosen = Campaign.objects.filter(code=code).first()
        if chosen is None:
            errors.append(
                RowError(
                    0,
                    _(
                        "Aucune campagne n'a le code %(code)s : enregistrez d'abord la "
                        "campagne dans pixoffice."
                    )
                    % {"code": code},
                )
            )
            return None
    elif code is not None and code != chosen.code:
        errors.append(
            RowError(
                0,
                _(
                    "Ce fichier est l'export de la campagne de code %(code)s, pas de "
                    "« %(name)s » (code %(chosen)s). Vérifiez le fichier ou la campagne choisie."
                )
                % {"code": code, "name": chosen.name, "chosen": chosen.code},
                "Code",
            )
        )
        return None
    pix_ids = sorted(parsed.pix_ids)
    if len(pix_ids) > 1:
        errors.append(
            RowError(
                0,
                _("Ce fichier mêle plusieurs campagnes Pix (ID Campagne %(ids)s).")
                % {"ids": ", ".join(pix_ids)},
                "ID Campagne",
            )
        )
        return None
    if pix_ids and chosen.pix_id and pix_ids[0] != chosen.pix_id:
        errors.append(
            RowError(
                0,
                _(
                    "Ce fichier est l'export de la campagne Pix n° %(file_id)s, alors que "
                    "« %(name)s » (%(code)s) est la campagne Pix n° %(pix_id)s : vérifiez le "
                    "fichier, ou corrigez l'ID Campagne de la campagne."
                )
                % {
                    "file_id": pix_ids[0],
                    "name": chosen.name,
                    "code": chosen.code,
                    "pix_id": chosen.pix_id,
                },
                "ID Campagne",
            )
        )
        return None
    if parsed.kind != chosen.kind:
        errors.append(
            RowError(
                0,
                _(
                    "Ce fichier est un export de campagne « %(kind)s » alors que « %(name)s » "
                    "est une campagne « %(chosen)s »."
                )
                % {
                    "kind": Campaign.Kind(parsed.kind).label,
                    "name": chosen.name,
                    "chosen": chosen.get_kind_display(),
                },
            )
        )
        return None
    if by is not None and not can_manage_campaign(by, chosen):
        errors.append(
            RowError(
                0,
                _("Vous ne suivez aucune formation de la campagne « %(name)s ».")
                % {"name": chosen.name},
            )
        )
        return None
    return chosen
