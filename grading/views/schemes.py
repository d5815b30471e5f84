"""Staff pages for schemes and their notes: configure with a simulation first, follow,
recompute, publish."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grading import deadlines, explain, queries, scheduling, services
from grading.forms import (
    ComponentFormSet,
    ExportForm,
    NoteFilterForm,
    PublishForm,
    SchemeForm,
    campaigns_for,
    digest,
)
from grading.models import Scheme
from grading.rules import can_manage_scheme
from pixoffice.accounts.queries import programmes_visible_to, students_visible_to
from pixoffice.core.permissions import permission_required

PUBLISH_ID = "publish-%s"


def managed_scheme(request, pk) -> Scheme:
    scheme = get_object_or_404(Scheme.objects.select_related("academic_year", "semester"), pk=pk)
    if not can_manage_scheme(request.user, scheme):
        raise Http404
    return scheme


@permission_required("grading.manage_grading")
def scheme_list(request):
    schemes = queries.schemes_visible_to(request.user).prefetch_related("programmes")
    return render(request, "grading/scheme_list.html", {"schemes": schemes})


def _proposed_rule(scheme: Scheme, formset):
    components = [
        f.instance for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    components.sort(key=lambda c: (c.position, c.pk or 0))
    return services.scheme_rule(scheme, components), components


@permission_required("grading.manage_grading")
@require_http_methods(["GET", "POST"])
def scheme_form(request, pk=None):
    """Create or edit a scheme and its components. "Simuler" shows the cohort's notes
    under the saved and the proposed rule; "Enregistrer" saves exactly what was
    simulated, then the notes are recomputed."""
    scheme = managed_scheme(request, pk) if pk else Scheme()
    saved = Scheme.objects.get(pk=scheme.pk) if pk else None
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=scheme, user=request.user)
    formset = ComponentFormSet(
        data, instance=scheme, campaigns=campaigns_for(request.user), prefix="components"
    )
    context = {"form": form, "formset": formset, "scheme": saved}
    if data is not None and form.is_valid() and formset.is_valid():
        token = digest(request.POST)
        saving = request.POST.get("action") == "save" and request.POST.get("simulated") == token
        if saving and form.shared_change_unconfirmed(also_changed=formset.has_changed()):
            saving = False  # shared with programmes this user does not follow: confirm
        if saving:
            with transaction.atomic():
                scheme = form.save()
                formset.instance = scheme
                formset.save()
                scheduling.schedule_recompute([scheme.pk])
            messages.success(
                request,
                _("La modalité « %(name)s » est enregistrée ; les notes sont recalculées.")
                % {"name": scheme.name},
            )
            return redirect("grading:scheme", pk=scheme.pk)
        new_rule, new_components = _proposed_rule(scheme, formset)
        current_rule = current_components = None
        if saved is not None:
            current_components = services.scheme_components(saved)
            current_rule = services.scheme_rule(saved, current_components)
        students = services.students_in(
            form.cleaned_data["programmes"], form.cleaned_data["academic_year"].pk
        ).filter(pk__in=students_visible_to(request.user))  # never name another's student
        context["simulation"] = services.simulate(
            students, new_rule, new_components, current_rule, current_components, saved
        )
        context["token"] = token
    return render(request, "grading/scheme_form.html", context)


@permission_required("grading.manage_grading")
def scheme_detail(request, pk):
    return _detail_page(request, managed_scheme(request, pk))


def _detail_page(request, scheme: Scheme, publish_form: PublishForm | None = None):
    """The scheme's page; after a refused publication, with the form as it was sent and
    its errors next to their fields."""
    programmes = scheme.programmes.filter(pk__in=programmes_visible_to(request.user))
    filters = NoteFilterForm(request.GET or None, programmes=programmes)
    notes = queries.notes_visible_to(request.user, scheme)
    all_values = [
        override if overridden else value
        for value, override, overridden in notes.select_related(None).values_list(
            "value", "override_value", "override_result"
        )
    ]
    if filters.is_valid():
        notes = queries.filter_notes(notes, **filters.cleaned_data)
    page = Paginator(notes.order_by("student__last_name", "student__first_name"), 50).get_page(
        request.GET.get("page")
    )
    histogram = services.histogram(all_values, scheme.scale)
    top = max([*histogram, 1])
    components = services.scheme_components(scheme)
    context = {
        "scheme": scheme,
        "components": components,
        "summary": queries.programme_summary(request.user, scheme),
        "filters": filters,
        "page": page,
        "bars": [
            {"label": i, "count": c, "pct": round(100 * c / top)} for i, c in enumerate(histogram)
        ],
        # three forms on one page: ids of their own, names unchanged
        "publish_form": publish_form or PublishForm(programmes=programmes, auto_id=PUBLISH_ID),
        "open_deadlines": deadlines.open_deadlines(scheme, programmes, components=components),
        "export_form": ExportForm(programmes=programmes, auto_id="export-%s"),
        "publications": scheme.publications.filter(programme__in=programmes).select_related(
            "programme", "published_by"
        )[:10],
        "query": request.GET.urlencode(),
    }
    return render(request, "grading/scheme_detail.html", context)


@permission_required("grading.manage_grading")
@require_POST
def scheme_recompute(request, pk):
    scheme = managed_scheme(request, pk)
    report = services.recompute_notes(scheme, by=request.user)
    messages.success(
        request,
        _(
            "%(students)s étudiant·es : %(created)s note(s) créée(s), %(changed)s modifiée(s), "
            "%(unchanged)s inchangée(s)."
        )
        % report.as_dict(),
    )
    return redirect("grading:scheme", pk=scheme.pk)


@permission_required("grading.manage_grading")
@require_POST
def scheme_publish(request, pk):
    scheme = managed_scheme(request, pk)
    programmes = scheme.programmes.filter(pk__in=programmes_visible_to(request.user))
    form = PublishForm(request.POST, programmes=programmes, auto_id=PUBLISH_ID)
    if not form.is_valid():
        return _detail_page(request, scheme, form)
    programme = form.cleaned_data["programme"]
    waiting = deadlines.open_deadlines(scheme, [programme])
    if waiting and not form.cleaned_data["before_deadline"]:
        form.add_error(
            "before_deadline",
            _(
                "Publication de %(p)s non faite : %(items)s. Cochez « Publier quand même "
                "avant la date limite » pour publier maintenant."
            )
            % {"p": programme, "items": explain.semicolons(_waiting_text(w) for w in waiting)},
        )
        return _detail_page(request, scheme, form)
    try:
        publication = services.publish_notes(
            scheme, programme, by=request.user, reason=form.cleaned_data["reason"]
        )
    except services.GradingError as error:
        form.add_error("reason", str(error))  # the one refusal: a reason is needed
        return _detail_page(request, scheme, form)
    if publication is None:
        messages.info(request, _("Rien de nouveau à publier pour %(p)s.") % {"p": programme})
    else:
        messages.success(
            request,
            _("%(count)s note(s) publiée(s) pour %(p)s : les étudiant·es les voient.")
            % {"count": publication.notes_count, "p": programme},
        )
    return redirect("grading:scheme", pk=scheme.pk)


def _waiting_text(waiting: deadlines.OpenDeadline) -> str:
    return _(
        "%(label)s (%(name)s) : date limite le %(deadline)s, %(missing)s étudiant·e(s) "
        "n'ont encore rien envoyé"
    ) % {
        "label": waiting.label,
        "name": waiting.name,
        "deadline": formats.date_format(timezone.localtime(waiting.deadline), "d/m/Y H:i"),
        "missing": waiting.missing,
    }
