"""Business actions on campaigns: import Pix Orga exports, pick the share that counts,
resolve unmatched rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pixoffice.accounts import batches
from pixoffice.accounts.models import Student, User
from pixoffice.core.locking import LockError, RowsGone, lock_rows
from pixoffice.tabular import FileRefused, no_cyclic_gc

from . import pix_files
from .bulk import copy_columns, reserve_ids
from .models import Campaign, Competence, Participation, ResultImport, Share
from .pix_files import ParsedFile, ParsedRow, RowError
from .queries import matchable_students
from .rules import can_manage_campaign
from .signals import results_changed

IMPORT_WAIT_MS = 60_000  # an import waits this long for the previous one of its campaign


def announce_results_changed(campaign_id: int, student_ids: list[int] | None = None) -> None:
    """Tell the floors above (grading) once the transaction commits."""
    transaction.on_commit(
        lambda: results_changed.send(Campaign, campaign_id=campaign_id, student_ids=student_ids)
    )


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
        warnings = {
            "warnings": [
                {"row": w.line, "column": w.column, "message": w.message} for w in self.warnings
            ]
        }
        return (
            outside
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
    plan.kind, plan.rows = parsed.kind, len(parsed.rows)
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
                RowError(0, "Ce fichier n'a pas de colonne « Code » : choisissez la campagne.")
            )
            return None
        chosen = Campaign.objects.filter(code=code).first()
        if chosen is None:
            errors.append(
                RowError(
                    0,
                    f"Aucune campagne n'a le code {code} : enregistrez d'abord la campagne dans pixoffice.",
                )
            )
            return None
    elif code is not None and code != chosen.code:
        errors.append(
            RowError(
                0,
                f"Ce fichier est l'export de la campagne de code {code}, pas de « {chosen.name} » "
                f"(code {chosen.code}). Vérifiez le fichier ou la campagne choisie.",
                "Code",
            )
        )
        return None
    pix_ids = sorted(parsed.pix_ids)
    if len(pix_ids) > 1:
        errors.append(
            RowError(
                0,
                f"Ce fichier mêle plusieurs campagnes Pix (ID Campagne {', '.join(pix_ids)}).",
                "ID Campagne",
            )
        )
        return None
    if pix_ids and chosen.pix_id and pix_ids[0] != chosen.pix_id:
        errors.append(
            RowError(
                0,
                f"Ce fichier est l'export de la campagne Pix n° {pix_ids[0]}, alors que "
                f"« {chosen.name} » ({chosen.code}) est la campagne Pix n° {chosen.pix_id} : "
                "vérifiez le fichier, ou corrigez l'ID Campagne de la campagne.",
                "ID Campagne",
            )
        )
        return None
    if parsed.kind != chosen.kind:
        errors.append(
            RowError(
                0,
                f"Ce fichier est un export de campagne « {Campaign.Kind(parsed.kind).label} » alors que "
                f"« {chosen.name} » est une campagne « {chosen.get_kind_display()} ».",
            )
        )
        return None
    if by is not None and not can_manage_campaign(by, chosen):
        errors.append(
            RowError(0, f"Vous ne suivez aucune formation de la campagne « {chosen.name} ».")
        )
        return None
    return chosen


def _match(
    plan: ResultPlan, parsed: ParsedFile, campaign: Campaign, scope: QuerySet[Student] | None
) -> None:
    """Match the rows to the students of ``scope`` (``None``: every student)."""
    by_identifier: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in parsed.rows:
        by_identifier[row.identifier].append(row)
    plan.participants = list(by_identifier)
    plan.first_rows = {key: rows[0] for key, rows in by_identifier.items()}

    existing = {}
    for identifier, pk, student_id in Participation.objects.filter(campaign=campaign).values_list(
        "identifier", "id", "student_id"
    ):
        existing[identifier] = student_id
        plan.participation_ids[identifier] = pk
    stored: dict[str, list[tuple]] = defaultdict(list)
    for identifier, *share in Share.objects.filter(participation__campaign=campaign).values_list(
        "participation__identifier", "id", "shared_at", "total_pix", "mastery_rate", "counts"
    ):
        stored[identifier].append(tuple(share))
    plan.stored_shares = stored
    known_shares = {
        (identifier, share[1]) for identifier, shares in stored.items() for share in shares
    }
    # old exports give only the UTC date of a sending: the same participant, UTC date and
    # results is the same sending, whichever of the two exports came first
    same_day = {
        (identifier, share[1].date(), share[2], share[3])
        for identifier, shares in stored.items()
        for share in shares
    }
    stored_day_only = {
        (identifier, share[1].date(), share[2], share[3])
        for identifier, shares in stored.items()
        for share in shares
        if _date_only(share[1])
    }
    by_number, by_email = _roster_keys(
        [row for key, row in plan.first_rows.items() if not existing.get(key)], scope
    )

    # student → the identifier of their participation (stored, then from the file)
    owners = {student: key for key, student in existing.items() if student}
    deadline = campaign.deadline
    for key, rows in by_identifier.items():
        student_id = existing.get(key, 0)
        if student_id == 0:
            plan.new_participants.append(key)
        if student_id:
            plan.linked[key] = student_id
        else:
            row = rows[0]
            student_id = by_number.get(row.student_number) or by_number.get(row.external_id)
            if not student_id and by_email:
                student_id = by_email.get(row.external_id.lower())
            if student_id:
                plan.matches[key] = student_id
            else:
                plan.unmatched.append(key)
        if student_id:
            _one_participation_per_student(plan, owners, student_id, key, rows[0])
        shared = False
        for row in rows:
            if row.shared:
                shared = True
                if known_shares and (
                    (key, row.shared_at) in known_shares
                    or _same_sending(key, row, same_day, stored_day_only)
                ):
                    plan.shares_unchanged += 1
                else:
                    plan.new_shares.append(row)
        if not shared:
            plan.not_shared.append(key)
    plan.late_shares = sum(row.shared_at > deadline for row in plan.new_shares)
    if scope is not None and plan.unmatched:  # how many, never whom
        outside_number, outside_email = _roster_keys(
            [plan.first_rows[key] for key in plan.unmatched], None
        )
        plan.outside_scope = sum(
            1
            for row in map(plan.first_rows.__getitem__, plan.unmatched)
            if outside_number.get(row.student_number)
            or outside_number.get(row.external_id)
            or outside_email.get(row.external_id.lower())
        )


def _date_only(when) -> bool:
    """A sending known only by its date (old header ``Date de l'envoi``): midnight UTC."""
    return when.hour == when.minute == when.second == when.microsecond == 0


def _same_sending(key: str, row: ParsedRow, same_day: set, stored_day_only: set) -> bool:
    """The row is a stored sending known with another precision: a date-only row and a
    stored share of that UTC day, or a stored date-only share and a row of its day, with
    the same results (total pix, mastery rate)."""
    day = (key, row.shared_at.date(), row.total_pix, row.mastery_rate)
    return day in stored_day_only or (_date_only(row.shared_at) and day in same_day)


def _one_participation_per_student(plan, owners: dict, student_id: int, key: str, row) -> None:
    """Refuse a row whose identifier resolves to a student who already has a participation
    under another identifier (in this file or stored): each student has one participation
    per campaign (a database constraint), whose counting share the note uses."""
    owner = owners.setdefault(student_id, key)
    if owner == key:
        return
    first = plan.first_rows.get(owner)
    where = f"la ligne {first.line}" if first else "une participation déjà enregistrée"
    plan.errors.append(
        RowError(
            row.line,
            f"l'identifiant {key} désigne le même étudiant·e que {where} (identifiant {owner}) : "
            "une seule participation par étudiant·e. Corrigez le numéro étudiant ou "
            "l'identifiant externe de l'une des deux lignes.",
        )
    )


def _roster_keys(
    rows: list[ParsedRow], scope: QuerySet[Student] | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Ids of the students of ``scope`` (``None``: all) by number and by lower-case
    e-mail, for the identifiers of ``rows``."""
    numbers = {row.student_number for row in rows} | {row.external_id for row in rows}
    numbers.discard("")
    emails = {number.lower() for number in numbers if "@" in number}
    numbers = {number for number in numbers if "@" not in number} if emails else numbers
    if not numbers and not emails:
        return {}, {}
    students = Student.objects.all() if scope is None else scope
    if len(numbers) + len(emails) < 2000:  # else reading the roster beats a huge IN
        students = students.filter(Q(student_number__in=numbers) | Q(email__in=emails))
    if not emails:
        return dict(students.values_list("student_number", "pk")), {}
    by_number, by_email = {}, {}
    for pk, number, email in students.values_list("pk", "student_number", "email"):
        by_number[number] = pk
        by_email.setdefault(email.lower(), pk)
    return by_number, by_email


def store_result_file(
    data: bytes,
    *,
    name: str,
    by: User | None,
    campaign: Campaign | None,
    summary: dict | None = None,
) -> ResultImport:
    return ResultImport.keep(data, name=name, by=by, campaign=campaign, summary=summary or {})


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
        plan.errors.append(RowError(0, "La campagne de ce fichier a changé ; relancez l'import."))
    result_import.summary = plan.summary()
    if plan.refused:
        result_import.status = ResultImport.Status.REFUSED
        result_import.save(update_fields=["status", "summary"])
        return result_import
    _write(plan, result_import)
    if plan.pix_id and not plan.campaign.pix_id:  # the first import says which campaign
        Campaign.objects.filter(pk=plan.campaign.pk, pix_id="").update(pix_id=plan.pix_id)
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
        Participation.objects.bulk_update(relinked, ["student"])
    firsts = [plan.first_rows[key] for key in keys]
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
    }
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
            "import_batch": [result_import.pk] * len(rows),
            "is_late": [at > campaign.deadline for at in shared_at],
            "counts": [index in counting_new for index in range(len(rows))],
        }

    _flip(flip_on, flip_off, before=True)  # at most one counting share, at every moment
    copy_columns((Participation, participations), (Share, shares))
    _flip(flip_on, flip_off, before=False)


def _flip(flip_on: list[int], flip_off: list[int], *, before: bool) -> None:
    """Shares that stop counting lose the mark before any share gains it (the database
    allows one counting share per participation)."""
    if before and flip_off:
        Share.objects.filter(pk__in=flip_off).update(counts=False)
    if not before and flip_on:
        Share.objects.filter(pk__in=flip_on).update(counts=True)


def _at_most(length: int, texts) -> list[str]:
    texts = list(texts)
    if texts and max(map(len, texts)) > length:
        return [text[:length] for text in texts]
    return texts


def may_count(shared_at, campaign: Campaign) -> bool:
    """Whether a share sent at ``shared_at`` can count at all under the campaign's rule."""
    return (
        campaign.counting_rule != Campaign.CountingRule.LAST_BEFORE_DEADLINE
        or shared_at <= campaign.deadline
    )


def pick_counting(candidates: list[tuple], campaign: Campaign):
    """The candidate share that counts by the campaign's rule, or ``None``: the one
    place the rule is written (imports and ``recompute_counting`` both use it).

    A candidate is ``(key, shared_at, total_pix, mastery_rate)``.
    """
    candidates = [c for c in candidates if may_count(c[1], campaign)]
    if not candidates:
        return None
    if campaign.counting_rule == Campaign.CountingRule.BEST:
        position = 3 if campaign.kind == Campaign.Kind.ASSESSMENT else 2
        return max(candidates, key=lambda c: (c[position] is not None, c[position] or 0, c[1]))
    return max(candidates, key=lambda c: c[1])


def _counting_after_import(plan: ResultPlan) -> tuple[set[int], list[int], list[int]]:
    """Which new shares count, and which stored shares gain or lose that mark; computed
    here so that an import writes each share once (no campaign-wide UPDATE)."""
    new_by_key: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(plan.new_shares):
        new_by_key[row.identifier].append(index)
    counting_new, flip_on, flip_off = set(), [], []
    campaign = plan.campaign
    for key, indexes in new_by_key.items():
        stored = plan.stored_shares.get(key)
        if not stored and len(indexes) == 1:  # most people: one sending, the first seen
            index = indexes[0]
            if may_count(plan.new_shares[index].shared_at, campaign):  # pick_counting of one
                counting_new.add(index)
            continue
        stored = stored or []
        candidates = [(("stored", pk), at, pix, rate) for pk, at, pix, rate, _counts in stored] + [
            (
                ("new", i),
                plan.new_shares[i].shared_at,
                plan.new_shares[i].total_pix,
                plan.new_shares[i].mastery_rate,
            )
            for i in indexes
        ]
        chosen = pick_counting(candidates, campaign)
        chosen_key = chosen[0] if chosen else None
        for pk, _at, _pix, _rate, counts in stored:
            if counts and chosen_key != ("stored", pk):
                flip_off.append(pk)
            elif not counts and chosen_key == ("stored", pk):
                flip_on.append(pk)
        if chosen_key and chosen_key[0] == "new":
            counting_new.add(chosen_key[1])
    return counting_new, flip_on, flip_off


def recompute_counting(campaign: Campaign) -> None:
    """Mark the share that counts for each participation, by the campaign's rule
    (``pick_counting``), and flag the shares sent after the deadline: in one
    transaction, under the campaign's lock (imports and linking wait), reading the
    campaign's rule and shares after taking it. Writes only the shares that change."""
    with transaction.atomic():
        lock_rows(Campaign, [campaign.pk])
        campaign.refresh_from_db(fields=["deadline", "counting_rule", "kind"])
        by_participation: dict[int, list[tuple]] = defaultdict(list)
        late_on, late_off = [], []
        for pk, participation, at, pix, rate, counts, late in Share.objects.filter(
            participation__campaign=campaign
        ).values_list(
            "pk", "participation_id", "shared_at", "total_pix", "mastery_rate", "counts", "is_late"
        ):
            by_participation[participation].append((pk, at, pix, rate, counts))
            if late != (at > campaign.deadline):
                (late_off if late else late_on).append(pk)
        flip_on, flip_off = [], []
        for shares in by_participation.values():
            chosen = pick_counting([share[:4] for share in shares], campaign)
            for pk, _at, _pix, _rate, counts in shares:
                if counts and (chosen is None or chosen[0] != pk):
                    flip_off.append(pk)
                elif not counts and chosen is not None and chosen[0] == pk:
                    flip_on.append(pk)
        if late_on:
            Share.objects.filter(pk__in=late_on).update(is_late=True)
        if late_off:
            Share.objects.filter(pk__in=late_off).update(is_late=False)
        _flip(flip_on, flip_off, before=True)
        _flip(flip_on, flip_off, before=False)
        announce_results_changed(campaign.pk)


def link_participation(
    participation: Participation, student: Student, *, by: User
) -> Participation:
    """Resolve an unmatched row: attach it (and its shares) to a roster student.

    Under the campaign's lock (an import of the campaign waits), then the student's;
    the database refuses a second participation of the student in the campaign."""
    with transaction.atomic():
        lock_rows(Campaign, [participation.campaign_id])
        lock_rows(Student, [student.pk], strength="key share")
        lock_rows(Participation, [participation.pk])
        participation.refresh_from_db(fields=["student"])
        if participation.student_id is not None:
            raise ValueError(f"{participation.identifier} est déjà rattaché·e à un·e étudiant·e.")
        participation.student = student
        participation.linked_by = by
        participation.linked_at = timezone.now()
        try:
            with transaction.atomic():
                participation.save(update_fields=["student", "linked_by", "linked_at"])
        except IntegrityError:
            other = Participation.objects.filter(
                campaign_id=participation.campaign_id, student=student
            ).first()
            raise ValueError(
                f"{student.full_name} a déjà une participation à cette campagne"
                f" (identifiant {other.identifier if other else '?'})."
            ) from None
        announce_results_changed(participation.campaign_id, [student.pk])
    return participation
