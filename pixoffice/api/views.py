"""The admins' page of API tokens: list, create (the secret shown once), revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pixoffice.core.permissions import permission_required

from . import tokens
from .forms import TokenForm
from .models import ApiToken


@permission_required("api.manage_tokens")
def token_list(request):
    listed = ApiToken.objects.select_related("created_by", "revoked_by").prefetch_related(
        "programmes"
    )
    return render(request, "api/token_list.html", {"tokens": listed})


@never_cache  # the page that shows the secret must not stay in any cache
@permission_required("api.manage_tokens")
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = tokens.create_token(
            name=form.cleaned_data["name"],
            programmes=form.cleaned_data["programmes"],
            by=request.user,
            expires_at=form.expires_at,
        )
        return render(
            request, "api/token_created.html", {"token": created.token, "secret": created.secret}
        )
    return render(request, "api/token_form.html", {"form": form})


@permission_required("api.manage_tokens")
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    if tokens.revoke_token(token, by=request.user):
        messages.success(request, _("Jeton « %(name)s » révoqué.") % {"name": token.name})
    else:
        messages.info(request, _("Ce jeton était déjà révoqué."))
    return redirect("api:token_list")
