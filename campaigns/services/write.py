"""Applying a planned import in one locked transaction, and keeping its file."""

import hashlib
from operator import attrgetter

import orjson
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, ExportHeader, Participation, ResultImport, Share
from campaigns.pix_files import RowError
from campaigns.signals import announce_results_changed
from pixoffice.accounts import batches
from pixoffice.accounts.models import Student, User
from pixoffice.core.bulk import copy_columns, reserve_ids, update_rows
from pixoffice.core.locking import LockError, RowsGone, lock_rows
from pixoffice.tabular import no_cyclic_gc

from .counting import _counting_after_import, _flip
from .plan import ResultPlan, _report, plan_result_import

IMPORT_WAIT_MS = 60_000  # an import waits this long for the previous one of its campaign


def store_result_file(
    data: bytes,
    *,
    name: str,
    by: User | None,
    campaign: Campaign | None,
    summary: dict | None = None,
    status: str = ResultImport.Status.PREVIEWED,
) -> ResultImport:
    return ResultImport.keep(
        data, name=name, by=by, campaign=campaign, summary=summary or {}, status=status
    )


def nothing_new(summary: dict) -> bool:
    """An export that would change nothing (the same file again): no new participant,
    no new share, no rename, no error."""
    return not (
        summary.get("errors")
        or summary.get("new_participants")
        or summary.get("shares_created")
        or summary.get("renamed")
    )


@no_cyclic_gc()
def apply_result_import(result_import_id: int) -> ResultImport:
    """Apply a stored export in one transaction. Safe to run twice (the batch is locked
    and its status checked); imports of one campaign are serialised; a refused file
    writes nothing.

    Locks in the project's order (``pixoffice.core.locking``): the campaign, then the
    batch, then the matched students. A file that names its campaign itself is planned
    once first, to know which campaign to lock. Raises ``LockError`` (French message)
    if the campaign was deleted meanwhile, or its rows stay locked too long."""
    _report(result_import_id, 5)
    result_import = ResultImport.objects.select_related("uploaded_by", "campaign").get(
        pk=result_import_id
    )
    if result_import.status in batches.DONE:  # applied, refused, or failed: retry first
        return result_import
    with result_import.file.open("rb") as handle:
        data = handle.read()
    campaign = result_import.campaign
    if campaign is None:
        campaign = plan_result_import(data, campaign=None, by=result_import.uploaded_by).campaign
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _apply_locked(result_import_id, campaign, data)
        except RowsGone as gone:
            if gone.model is Student and not attempt:
                continue  # a matched student was deleted after matching: match again, once
            return _refuse(result_import_id, gone)
        except LockError as error:
            return _refuse(result_import_id, error)
    raise AssertionError("unreachable")


def _refuse(result_import_id: int, error: LockError) -> ResultImport:
    """Record why the import could not run; re-raise if its batch is gone (its campaign
    was deleted: nothing left to import into)."""
    summary = {"rows": 0, "errors": [{"row": 0, "column": "", "message": error.message}]}
    refused = ResultImport.objects.filter(
        pk=result_import_id, status__in=[ResultImport.Status.PREVIEWED, ResultImport.Status.QUEUED]
    ).update(status=ResultImport.Status.REFUSED, summary=summary)
    if not refused and not ResultImport.objects.filter(pk=result_import_id).exists():
        raise error
    return ResultImport.objects.get(pk=result_import_id)


def _apply_locked(result_import_id: int, campaign: Campaign | None, data: bytes) -> ResultImport:
    if campaign is not None:  # imports of a campaign wait for each other
        lock_rows(Campaign, [campaign.pk], timeout_ms=IMPORT_WAIT_MS)
    lock_rows(ResultImport, [result_import_id])
    result_import = ResultImport.objects.select_related("uploaded_by", "campaign").get(
        pk=result_import_id
    )
    if result_import.status in batches.DONE:  # applied, refused, or failed: retry first
        return result_import
    plan = plan_result_import(
        data,
        campaign=result_import.campaign,
        by=result_import.uploaded_by,
        import_id=result_import.pk,
    )
    if plan.campaign is not None and (campaign is None or plan.campaign.pk != campaign.pk):
        plan.errors.append(
            RowError(0, _("La campagne de ce fichier a changé ; relancez l'import."))
        )
    result_import.summary = plan.summary()
    if plan.refused:
        result_import.status = ResultImport.Status.REFUSED
        result_import.save(update_fields=["status", "summary"])
        return result_import
    _write(plan, result_import)
    if plan.pix_id and not plan.campaign.pix_id:  # the first import says which campaign
        Campaign.objects.filter(pk=plan.campaign.pk, pix_id="").update(pix_id=plan.pix_id)
    _keep_target_profile(plan)
    result_import.campaign = plan.campaign
    result_import.status = ResultImport.Status.APPLIED
    result_import.applied_at = timezone.now()
    result_import.save(update_fields=["campaign", "status", "summary", "applied_at"])
    announce_results_changed(result_import.campaign_id)
    _report(result_import_id, 100)
    return result_import


def _write(plan: ResultPlan, result_import: ResultImport) -> None:
    """Participations then shares, each in one ``COPY`` built column by column; the new
    participations' ids are reserved first, so that their shares go in the same call."""
    campaign, keys = plan.campaign, plan.new_participants
    # the campaign and the batch are locked already; the matched students must still
    # exist (RowsGone otherwise) and stay until the transaction ends
    lock_rows(Student, plan.matches.values(), strength="key share")
    new = set(keys)
    newly_matched = [key for key in plan.matches if key not in new]
    if newly_matched:  # rows unmatched by an earlier import that the roster now matches
        relinked = list(
            Participation.objects.filter(campaign=campaign, identifier__in=newly_matched)
        )
        for participation in relinked:
            participation.student_id = plan.matches[participation.identifier]
            # set aside as « not followed here », the roster now says otherwise
            participation.ignored_at, participation.ignored_by_id = None, None
            participation.ignored_reason = ""
        Participation.objects.bulk_update(
            relinked, ["student", "ignored_at", "ignored_by", "ignored_reason"]
        )
    if plan.renamed:  # the latest export's names and groups
        names = [(plan.participation_ids[key], plan.first_rows[key]) for key in plan.renamed]
        update_rows(
            Participation,
            ["last_name", "first_name", "group"],
            [(pk, r.last_name[:150], r.first_name[:150], r.group[:150]) for pk, r in names],
        )
    if plan.progressed:  # the latest export's progression and start of a participation
        update_rows(
            Participation,
            ["progression", "started_at"],
            [
                (plan.participation_ids[key], row.progression, row.started_at)
                for key in plan.progressed
                for row in [plan.current_rows[key]]
            ],
        )
    firsts = [plan.first_rows[key] for key in keys]
    currents = [plan.current_rows.get(key) for key in keys]
    reserved = reserve_ids(Participation, len(keys))
    participations = {
        "id": reserved,
        "campaign": [campaign.pk] * len(keys),
        "identifier": keys,
        "student": [plan.matches.get(key) for key in keys],
        "last_name": _at_most(150, map(attrgetter("last_name"), firsts)),
        "first_name": _at_most(150, map(attrgetter("first_name"), firsts)),
        "group": _at_most(150, map(attrgetter("group"), firsts)),
        "first_import": [result_import.pk] * len(keys),
        "progression": [row.progression if row else None for row in currents],
        "started_at": [row.started_at if row else None for row in currents],
    }
    header_id = _header_id(plan.header) if plan.new_shares or plan.completed else None
    if plan.completed:  # shares stored before rows were kept get this file's row, once
        update_rows(
            Share,
            ["raw", "header", "badges", "progression", "started_at", "stage_count"],
            [
                (pk, row.raw or [], header_id, row.badges,
                 row.progression, row.started_at, row.stage_count)
                for pk, row in plan.completed
            ],
        )  # fmt: skip
    ids = plan.participation_ids | dict(zip(keys, reserved, strict=True))
    counting_new, flip_on, flip_off = _counting_after_import(plan)

    def shares() -> dict[str, list]:  # made while the participations are written
        rows = plan.new_shares
        shared_at = list(map(attrgetter("shared_at"), rows))
        return {
            "participation": [ids[row.identifier] for row in rows],
            "shared_at": shared_at,
            "total_pix": list(map(attrgetter("total_pix"), rows)),
            "certifiable": list(map(attrgetter("certifiable"), rows)),
            "certifiable_count": list(map(attrgetter("certifiable_count"), rows)),
            "results": list(map(attrgetter("results"), rows)),
            "mastery_rate": list(map(attrgetter("mastery_rate"), rows)),
            "stage": list(map(attrgetter("stage"), rows)),
            "stage_count": list(map(attrgetter("stage_count"), rows)),
            "badges": list(map(attrgetter("badges"), rows)),
            "progression": list(map(attrgetter("progression"), rows)),
            "started_at": list(map(attrgetter("started_at"), rows)),
            "raw": [orjson.dumps(row.raw or []).decode() for row in rows],
            "header": [header_id] * len(rows),
            "import_batch": [result_import.pk] * len(rows),
            "is_late": [at > campaign.deadline for at in shared_at],
            "counts": [index in counting_new for index in range(len(rows))],
        }

    _flip(flip_on, flip_off, before=True)  # at most one counting share, at every moment
    copy_columns((Participation, participations), (Share, shares))
    _flip(flip_on, flip_off, before=False)


def _header_id(columns: list[str]) -> int:
    """The stored header line of the file (one row per distinct header)."""
    digest = hashlib.sha256(orjson.dumps(columns)).hexdigest()
    # one statement, whoever wrote it first: INSERT … ON CONFLICT (digest) DO UPDATE … RETURNING
    (header,) = ExportHeader.objects.bulk_create(
        [ExportHeader(digest=digest, columns=columns)],
        update_conflicts=True,
        unique_fields=["digest"],
        update_fields=["digest"],
    )
    return header.pk


def _keep_target_profile(plan: ResultPlan) -> None:
    """An assessment export names the target profile's stages and badges: the campaign
    keeps them (badges seen in an earlier export stay, in their order)."""
    campaign = plan.campaign
    if plan.kind != Campaign.Kind.ASSESSMENT or not plan.rows:
        return
    names = list(campaign.badge_names)
    names += [name for name in plan.badge_names if name not in names]
    if (campaign.stage_count, campaign.badge_names) != (plan.stage_count, names):
        Campaign.objects.filter(pk=campaign.pk).update(
            stage_count=plan.stage_count, badge_names=names
        )
        campaign.stage_count, campaign.badge_names = plan.stage_count, names


def _at_most(length: int, texts) -> list[str]:
    texts = list(texts)
    if texts and max(map(len, texts)) > length:
        return [text[:length] for text in texts]
    return texts
