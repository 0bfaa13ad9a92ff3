"""The grant cycle in the admin: for looking things up. Cases change state only through the portal's services,
so the case models are read-only here."""

from django.contrib import admin

from programmes.admin import ReadOnlyAdmin

from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    CaseEvent,
    ChangeRequest,
    CountyPlan,
    Decision,
    Indicator,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    Partner,
    Payment,
    ProgressReport,
    Project,
    Recommendation,
    ReminderSent,
    ReportAttachment,
    ReportCost,
    ReportDeadline,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine


class PartnerInline(ReadOnlyInline):
    model = Partner


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fk_name = "application"


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "title", "lead_municipality", "funding_round", "status", "requested_amount"]
    list_filter = ["status", "funding_round__county", "funding_round"]
    search_fields = ["case_number", "title", "summary"]
    inlines = [BudgetLineInline, PartnerInline, EventInline]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "amount", "author", "created_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "amount", "decided_by", "decided_at"]


@admin.register(CountyPlan)
class CountyPlanAdmin(ReadOnlyAdmin):
    list_display = ["county", "title", "status", "requested_amount", "approved_amount"]
    list_filter = ["status", "county"]


class ProjectEventInline(ReadOnlyInline):
    model = CaseEvent
    fk_name = "project"


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "lead_municipality", "county", "status", "granted_amount", "paid_amount"]
    list_filter = ["status", "county"]
    search_fields = ["title"]
    inlines = [ProjectEventInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["project", "amount", "status", "requested_at", "decided_at"]
    list_filter = ["status", "project__county"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["project", "final", "status", "period_from", "period_to"]
    list_filter = ["status", "final"]


for model in (
    BudgetLine,
    Partner,
    Attachment,
    ApplicationVersion,
    CaseEvent,
    ChangeRequest,
    Indicator,
    IndicatorValue,
    Milestone,
    MilestoneUpdate,
    ReminderSent,
    ReportAttachment,
    ReportCost,
    ReportDeadline,
):
    admin.site.register(model, ReadOnlyAdmin)
