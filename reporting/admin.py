"""Report jobs in the admin, for looking things up; they change state only through reporting.services."""

from django.contrib import admin

from .models import ReportJob, ReportJobEvent


class ReadOnly:
    """Nothing is added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    has_change_permission = has_delete_permission = has_add_permission


class ReportJobEventInline(ReadOnly, admin.TabularInline):
    model = ReportJobEvent
    extra = 0
    readonly_fields = ("at", "by", "from_state", "to_state", "reason")


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = (
        "pk",
        "kind",
        "county",
        "project",
        "list_name",
        "file_format",
        "rows",
        "language",
        "state",
        "progress",
        "requested_by",
        "created_at",
    )
    list_filter = ("kind", "state", "language")
    inlines = [ReportJobEventInline]


@admin.register(ReportJobEvent)
class ReportJobEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("job", "at", "by", "from_state", "to_state", "reason")
