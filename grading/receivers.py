"""Recompute notes when an input changes on a floor below."""

from django.dispatch import receiver

from campaigns.signals import results_changed
from pixoffice.badges.signals import badge_status_changed

from .models import Scheme
from .scheduling import schedule_recompute


@receiver(results_changed, dispatch_uid="grading_results_changed")
def campaign_results_changed(sender, campaign_id, student_ids=None, **kwargs):
    schemes = Scheme.objects.filter(components__campaign_id=campaign_id).distinct()
    schedule_recompute(schemes.values_list("pk", flat=True), student_ids)


@receiver(badge_status_changed, dispatch_uid="grading_badge_status_changed")
def badge_changed(sender, student_id, requirement_id, **kwargs):
    schemes = Scheme.objects.filter(components__badge_requirement_id=requirement_id).distinct()
    schedule_recompute(schemes.values_list("pk", flat=True), [student_id])
