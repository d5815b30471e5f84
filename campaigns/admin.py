from django.contrib import admin

from pixoffice.core.admin import ReadOnlyAdmin

from .models import Campaign, Competence, Domain, Participation, ResultImport, Share


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "title"]


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "academic_year", "deadline", "target_level"]
    list_filter = ["kind", "academic_year", "programmes"]
    search_fields = ["name", "code"]
    filter_horizontal = ["programmes", "competences"]


@admin.register(ResultImport)
class ResultImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "campaign", "uploaded_by", "uploaded_at", "status"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ResultImport._meta.fields]

    def has_add_permission(self, request):
        return False


class ImportedAdmin(ReadOnlyAdmin):
    """Rows written by Pix imports: shown here, changed only by the imports and the
    site's pages (linking an unmatched row), never deleted one by one (their campaign
    deletes them)."""


@admin.register(Participation)
class ParticipationAdmin(ImportedAdmin):
    list_display = ["identifier", "last_name", "first_name", "campaign", "student"]
    list_filter = ["campaign"]
    search_fields = ["identifier", "last_name", "first_name"]
    raw_id_fields = ["student"]


@admin.register(Share)
class ShareAdmin(ImportedAdmin):
    list_display = ["participation", "shared_at", "total_pix", "counts", "is_late"]
    list_filter = ["counts", "is_late", "participation__campaign"]
    raw_id_fields = ["participation"]
