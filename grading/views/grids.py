"""Staff pages for grids: list, create (typed or from a file), edit with a simulation
first, export as CSV, copy to another year."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grading import grids as grid_services
from grading.forms import CopyGridForm, GridForm, digest
from grading.models import Grid
from grading.queries import grids_with_use
from grading.rules import can_edit_grid
from grading.services import GradingError, simulate_grid_edit
from pixoffice.core.downloads import download
from pixoffice.core.permissions import permission_required


def editable_grid(request, grids, pk) -> Grid:
    """The grid if the user may change it, else 403 (every staff member sees grids)."""
    grid = get_object_or_404(grids, pk=pk)
    if not can_edit_grid(request.user, grid):
        raise PermissionDenied(grid_services.READ_ONLY)
    return grid


@permission_required("grading.manage_grading")
def grid_list(request):
    grids = grids_with_use(Grid.objects.all())
    return render(request, "grading/grid_list.html", {"grids": grids})


@permission_required("grading.manage_grading")
@require_http_methods(["GET", "POST"])
def grid_create(request):
    form = GridForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grid = grid_services.create_grid(
                name=data["name"],
                academic_year=data["academic_year"],
                scale=data["scale"],
                steps=data["step_list"],
                by=request.user,
            )
        except GradingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La grille « %(name)s » est enregistrée.") % {"name": grid})
            return redirect("grading:grid", pk=grid.pk)
    return render(request, "grading/grid_form.html", {"form": form})


@permission_required("grading.manage_grading")
def grid_detail(request, pk):
    grid = get_object_or_404(Grid.objects.select_related("academic_year", "supersedes"), pk=pk)
    versions = Grid.objects.filter(name=grid.name, academic_year=grid.academic_year).order_by(
        "-version"
    )
    return render(
        request,
        "grading/grid_detail.html",
        {
            "grid": grid,
            "steps": grid.step_list(),
            "locked": grid_services.is_locked(grid),
            "schemes": grid_services.schemes_using(grid).select_related("academic_year"),
            "versions": versions,
            "copy_form": CopyGridForm(),
            "can_edit": can_edit_grid(request.user, grid),
            "read_only": grid_services.READ_ONLY,
        },
    )


@permission_required("grading.manage_grading")
@require_http_methods(["GET", "POST"])
def grid_edit(request, pk):
    """Edit the steps: "Simuler" shows each scheme's cohort under the old and the new grid;
    "Enregistrer" (offered only then) saves exactly what was simulated."""
    grid = editable_grid(request, Grid.objects.select_related("academic_year"), pk)
    if not grid.is_current:
        messages.error(request, _("Cette version a été remplacée : modifiez la plus récente."))
        return redirect("grading:grid", pk=grid.superseded_by.pk)
    form = GridForm(request.POST or None, grid=grid)
    context = {"grid": grid, "form": form, "locked": grid_services.is_locked(grid)}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = digest(request.POST)
        if request.POST.get("action") == "save" and request.POST.get("simulated") == token:
            try:
                saved = grid_services.save_grid(
                    grid, steps=data["step_list"], scale=data["scale"], by=request.user
                )
            except GradingError as error:
                form.add_error(None, str(error))
            else:
                if saved.pk != grid.pk:
                    messages.success(
                        request,
                        _(
                            "La grille était utilisée par des notes publiées : la version "
                            "%(version)s la remplace ; les notes sont recalculées et une "
                            "nouvelle publication sera nécessaire."
                        )
                        % {"version": saved.version},
                    )
                else:
                    messages.success(
                        request, _("La grille est enregistrée ; les notes sont recalculées.")
                    )
                return redirect("grading:grid", pk=saved.pk)
        context["simulations"] = simulate_grid_edit(grid, data["step_list"], data["scale"])
        context["token"] = token
    return render(request, "grading/grid_edit.html", context)


@permission_required("grading.manage_grading")
def grid_csv(request, pk):
    grid = get_object_or_404(Grid, pk=pk)
    filename = f"grille-{grid.name}-{grid.academic_year}-v{grid.version}.csv".replace(" ", "-")
    return download(grid_services.grid_csv(grid), filename)


@permission_required("grading.manage_grading")
@require_POST
def grid_copy(request, pk):
    grid = get_object_or_404(Grid, pk=pk)
    form = CopyGridForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez l'année de destination."))
        return redirect("grading:grid", pk=grid.pk)
    try:
        copy = grid_services.copy_grid(grid, form.cleaned_data["academic_year"], by=request.user)
    except GradingError as error:
        messages.error(request, str(error))
        return redirect("grading:grid", pk=grid.pk)
    messages.success(request, _("Grille copiée pour %(year)s.") % {"year": copy.academic_year})
    return redirect("grading:grid", pk=copy.pk)


@permission_required("grading.manage_grading")
@require_POST
def grid_delete(request, pk):
    grid = editable_grid(request, Grid.objects.all(), pk)
    try:
        grid.delete()
    except ProtectedError:
        messages.error(request, _("Cette grille est utilisée par une modalité : elle reste."))
        return redirect("grading:grid", pk=grid.pk)
    messages.success(request, _("Grille supprimée."))
    return redirect("grading:grid_list")
