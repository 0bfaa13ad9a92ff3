from django.urls import path

from . import export_views, views

app_name = "reporting"

urlpatterns = [
    path("departement/", views.national, name="national"),
    path("fylke/<int:pk>/", views.county, name="county"),
    path("kommune/<int:pk>/", views.municipality, name="municipality"),
    path("pdf-rapportar/", views.report_jobs, name="jobs"),
    path("pdf-rapportar/bestill/", views.report_ask, name="ask"),
    path("pdf-rapportar/<int:pk>/", views.report_job, name="job"),
    path("pdf-rapportar/<int:pk>/fil/", views.report_job_file, name="job_file"),
    path("eksport/bestill/", export_views.export_ask, name="export_ask"),
    path("eksport/<int:pk>/fil/", export_views.export_file, name="export_file"),
]
