"""The root URLconf. It names each app's URL modules by string, so that the core imports none of the apps."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", include("programmes.root_urls")),  # the public front page (home)
    path("", include("reporting.root_urls")),  # each person's start page (start)
    path("helse/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Sign-in, sign-out, passwords, second factors, electronic ID and the person's sessions (accounts/).
    path("konto/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("programmes.urls")),
    # applications' addresses; its four case lists are served by reporting (their page, and their files).
    path("", include("reporting.application_urls")),
    path("", include("reporting.urls")),
]

handler403 = "luk_portal.views.permission_denied"
handler404 = "luk_portal.views.page_not_found"
handler500 = "luk_portal.views.server_error"
