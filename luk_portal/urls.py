from allauth.urls import build_provider_urlpatterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from accounts import views as accounts_views
from applications import urls as applications_urls
from reporting import export_views
from reporting import views as reporting_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", reporting_views.start, name="start"),
    path("helse/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Sign-in, sign-out, passwords, second factors and electronic ID (django-allauth; see accounts/). People and
    # their e-mail addresses are made by administrators: allauth's sign-up and e-mail pages are not offered.
    path("konto/", include([re_path(route, views.not_offered) for route in accounts_views.NOT_OFFERED])),
    path("konto/", include("allauth.account.urls")),
    path("konto/2fa/", include("allauth.mfa.urls")),
    path("konto/3rdparty/", include("allauth.socialaccount.urls")),
    path("konto/", include(build_provider_urlpatterns())),
    path("konto/okter/", accounts_views.sessions, name="sessions"),
    path("admin/", admin.site.urls),
    path("", include("programmes.urls")),
    # The case lists' addresses are applications' names, served by reporting (their page, and their files).
    path("", include((applications_urls.urlpatterns + export_views.LIST_URLS, applications_urls.app_name))),
    path("", include("reporting.urls")),
]

handler403 = "luk_portal.views.permission_denied"
handler404 = "luk_portal.views.page_not_found"
handler500 = "luk_portal.views.server_error"
