from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("utlysingar/", views.round_list, name="round_list"),
    path("utlysingar/<int:pk>/", views.round_detail, name="round_detail"),
]
