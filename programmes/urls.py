from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("utlysingar/", views.round_list, name="round_list"),
    path("utlysingar/<int:pk>/", views.round_detail, name="round_detail"),
    path("utlysingar/<int:pk>/endre/", views.round_edit, name="round_edit"),
    path("fylke/<int:county_pk>/ny-utlysing/", views.round_new, name="round_new"),
]
