from allauth.socialaccount.admin import SocialAccountAdmin
from allauth.socialaccount.models import SocialAccount
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    """Read-only: events are kept as they happened."""

    list_display = ["at", "kind", "username", "ip_address", "by", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip_address", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class PortalUserAdmin(UserAdmin):
    """Django's user admin with the reset of a person's second factors (for a lost phone)."""

    actions = ["second_factors_reset"]

    @admin.action(description=_("Reset second factors (lost phone): remove them, sign the person out, mail them"))
    def second_factors_reset(self, request, queryset):  # type: ignore[no-untyped-def]
        count = 0
        for user in queryset:
            services.factors_reset(user=user, by=request.user, request=request)
            count += 1
        self.message_user(
            request,
            ngettext(
                "The second factors of %(count)d person were reset.",
                "The second factors of %(count)d people were reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), PortalUserAdmin)


class EIDLinkAdmin(SocialAccountAdmin):
    """An administrator links a person's electronic ID (the provider's `pid`/`sub` as uid); each link is recorded."""

    def get_form(self, request, obj=None, **kwargs):  # type: ignore[no-untyped-def]
        form = super().get_form(request, obj, **kwargs)
        if "extra_data" in form.base_fields:  # filled in by the provider at the first sign-in
            form.base_fields["extra_data"].required = False
        return form

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        obj.extra_data = obj.extra_data or {}
        super().save_model(request, obj, form, change)
        if not change:
            services.signin_event_record(
                kind=SignInEvent.Kind.OIDC_LINKED, request=request, user=obj.user, by=request.user, detail=obj.provider
            )

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        services.signin_event_record(
            kind=SignInEvent.Kind.OIDC_UNLINKED, request=request, user=obj.user, by=request.user, detail=obj.provider
        )
        super().delete_model(request, obj)


admin.site.unregister(SocialAccount)
admin.site.register(SocialAccount, EIDLinkAdmin)
