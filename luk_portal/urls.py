from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import views as accounts_views
from reporting import views as reporting_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", reporting_views.start, name="start"),
    path("helse/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("passord/endre/", accounts_views.PasswordChangeView.as_view(), name="password_change"),
    path("passord/endra/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("passord/gloymt/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("passord/sendt/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passord/nytt/<uidb64>/<token>/",
        accounts_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("passord/ferdig/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("konto/okter/", accounts_views.sessions, name="sessions"),
    path("admin/", admin.site.urls),
    path("", include("programmes.urls")),
    path("", include("applications.urls")),
    path("", include("reporting.urls")),
]

handler403 = "luk_portal.views.permission_denied"
handler404 = "luk_portal.views.page_not_found"
handler500 = "luk_portal.views.server_error"
