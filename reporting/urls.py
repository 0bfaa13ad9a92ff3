from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("departement/", views.national, name="national"),
    path("fylke/<int:pk>/", views.county, name="county"),
    path("kommune/<int:pk>/", views.municipality, name="municipality"),
]
