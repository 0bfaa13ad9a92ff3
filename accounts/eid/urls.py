from django.urls import include, path

from . import views

urlpatterns = [
    path(
        "eid/<str:provider_id>/",
        include(
            [
                path("login/", views.login, name="eid_login"),
                path("login/callback/", views.callback, name="eid_callback"),
            ]
        ),
    )
]
