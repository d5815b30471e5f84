"""Staff pages: the reminder rules, a new rule, a rule's preview (who, what) and runs."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pixoffice.core.permissions import permission_required
from pixoffice.mail.rendering import render_email

from . import queries, services
from .forms import ReminderRuleForm


@permission_required("reminders.manage_rules")
def rule_list(request):
    return render(
        request, "reminders/rule_list.html", {"rules": queries.rules_visible_to(request.user)}
    )


@permission_required("reminders.manage_rules")
def rule_create(request):
    form = ReminderRuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        rule = form.save(commit=False)
        rule.created_by = request.user
        rule.save()
        messages.success(request, _("Règle « %(name)s » enregistrée.") % {"name": rule.name})
        return redirect("reminders:rule", pk=rule.pk)
    return render(request, "reminders/rule_form.html", {"form": form})


@permission_required("reminders.manage_rules")
def rule_detail(request, pk):
    rule = get_object_or_404(queries.rules_visible_to(request.user), pk=pk)
    moment, _occurrence = services.occurrence_of(rule)
    students = list(
        services.targeted_students(rule)
        .select_related("programme")
        .order_by("last_name", "first_name")
    )
    sample = (
        render_email(kind="reminder", context=services.context_of(rule, students[0]))
        if students
        else None
    )
    return render(
        request,
        "reminders/rule_detail.html",
        {
            "rule": rule,
            "moment": moment,
            "due": moment <= timezone.now() < services.target_moment(rule),
            "students": students,
            "sample": sample,
            "runs": rule.runs.select_related("batch").order_by("-occurrence"),
        },
    )
