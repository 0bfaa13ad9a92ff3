from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    County,
    CountyAccount,
    CountyFrame,
    FundingRound,
    Membership,
    Municipality,
    MunicipalityChange,
    Programme,
    ResultGoal,
    Theme,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "is_county_authority", "valid_from", "valid_to"]
    list_filter = ["is_county_authority"]
    search_fields = ["number", "name"]


class ChangeOutInline(admin.TabularInline):
    model = MunicipalityChange
    fk_name = "old"
    extra = 0
    autocomplete_fields = ["new"]
    verbose_name_plural = "successors"


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "valid_from", "valid_to", "language_form", "population"]
    list_filter = ["county", "language_form"]
    search_fields = ["number", "name"]
    inlines = [ChangeOutInline]


@admin.register(MunicipalityChange)
class MunicipalityChangeAdmin(admin.ModelAdmin):
    list_display = ["date", "old", "new"]
    list_filter = ["date"]
    search_fields = ["old__name", "new__name", "old__number", "new__number"]
    autocomplete_fields = ["old", "new"]


class ResultGoalInline(admin.StackedInline):
    model = ResultGoal
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_nn", "start_year", "end_year", "structure_year"]
    inlines = [ResultGoalInline, ThemeInline]


@admin.register(ResultGoal)
class ResultGoalAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "text_nn"]
    list_filter = ["programme"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["programme", "code", "name_nn", "name_nb", "name_en"]
    list_filter = ["programme"]


@admin.register(FundingRound)
class FundingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "kind", "county", "budget", "opens_at", "deadline"]
    list_filter = ["programme", "kind", "county"]
    search_fields = ["name"]
    filter_horizontal = ["themes"]


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """For looking up rows that move only through the services: frames and accounts here (frame_grant,
    decisions keep them in step), the grant cycle's cases in applications' admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CountyFrame)
class CountyFrameAdmin(ReadOnlyAdmin):
    list_display = ["county", "programme", "funding_round", "amount", "granted_on"]
    list_filter = ["programme", "county"]


@admin.register(CountyAccount)
class CountyAccountAdmin(ReadOnlyAdmin):
    list_display = ["county", "programme", "framed", "granted", "paid"]
    list_filter = ["programme"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "county", "municipality", "is_active"]
    list_filter = ["role", "is_active", "county"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "municipality__name", "county__name"]
    autocomplete_fields = ["user", "county", "municipality"]
