"""Staff pages of the outbox: the list, a message, a bulk send (preview, hold, release)."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pixoffice.core.permissions import permission_required

from . import queries, services
from .forms import OutboxFilterForm, UncertainDecisionForm

PAGE_SIZE = 50


@permission_required("mail.view_outbox")
def outbox(request):
    form = OutboxFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.search_messages(
        queries.messages_visible_to(request.user),
        status=filters.get("status", ""),
        q=filters.get("q", ""),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "mail/outbox.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@permission_required("mail.view_outbox")
def message_detail(request, pk):
    message = get_object_or_404(queries.messages_visible_to(request.user), pk=pk)
    form = UncertainDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.release_uncertain(message, sent=form.cleaned_data["decision"] == "sent")
        except services.OutboxError as error:
            flash.error(request, str(error))
        else:
            flash.success(request, _("Décision enregistrée."))
        return redirect("mail:message", pk=message.pk)
    return render(request, "mail/message.html", {"message": message, "form": form})


@permission_required("mail.manage_batches")
def batch_detail(request, pk):
    batch = get_object_or_404(queries.batches_visible_to(request.user), pk=pk)
    return render(request, "mail/batch.html", {"batch": batch, **services.preview_batch(batch)})


@permission_required("mail.manage_batches")
@require_POST
def batch_hold(request, pk):
    batch = get_object_or_404(queries.batches_visible_to(request.user), pk=pk)
    count = services.hold_batch(batch)
    flash.success(request, _("%(n)s courriel(s) retenu(s).") % {"n": count})
    return redirect("mail:batch", pk=batch.pk)


@permission_required("mail.manage_batches")
@require_POST
def batch_release(request, pk):
    batch = get_object_or_404(queries.batches_visible_to(request.user), pk=pk)
    count = services.release_batch(batch)
    flash.success(request, _("%(n)s courriel(s) libéré(s) : ils partent.") % {"n": count})
    return redirect("mail:batch", pk=batch.pk)
