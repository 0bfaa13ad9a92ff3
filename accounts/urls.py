"""Sign-in, sign-out, passwords, second factors and electronic ID (django-allauth), under /konto/.

People and their e-mail addresses are made by administrators: allauth's sign-up and e-mail pages are not offered.
The names are allauth's own, without a namespace (`account_login`), and `sessions`.
"""

from allauth.urls import build_provider_urlpatterns
from django.urls import include, path, re_path

from luk_portal.views import not_offered

from . import views

urlpatterns = [
    *(re_path(route, not_offered) for route in views.NOT_OFFERED),
    path("", include("allauth.account.urls")),
    path("2fa/", include("allauth.mfa.urls")),
    path("3rdparty/", include("allauth.socialaccount.urls")),
    path("", include(build_provider_urlpatterns())),
    path("okter/", views.sessions, name="sessions"),
]
