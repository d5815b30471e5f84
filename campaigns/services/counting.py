"""Which share counts: the rule, written once, for the import and for a recount."""

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

from campaigns.models import Campaign, Share
from pixoffice.core.locking import lock_rows

if TYPE_CHECKING:  # the plan module imports the write module, which imports this one
    from .plan import ResultPlan
from campaigns.signals import announce_results_changed


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


def _counting_after_import(plan: "ResultPlan") -> tuple[set[int], list[int], list[int]]:
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


def _flip(flip_on: list[int], flip_off: list[int], *, before: bool) -> None:
    """Shares that stop counting lose the mark before any share gains it (the database
    allows one counting share per participation)."""
    if before and flip_off:
        Share.objects.filter(pk__in=flip_off).update(counts=False)
    if not before and flip_on:
        Share.objects.filter(pk__in=flip_on).update(counts=True)
