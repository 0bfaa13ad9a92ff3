from django.urls import path

from . import project_views, views

app_name = "applications"

# The four case lists (soknader/, prosjekt/, rapportar/, utbetalingar/) are in this namespace too, but served by
# reporting.export_views.LIST_URLS, which gives their files and otherwise the pages of views and project_views
# (reporting/application_urls.py puts both under `applications`; the root URLconf includes that).

urlpatterns = [
    path("soknader/ny/", views.application_new, name="new"),
    path("soknader/<int:pk>/", views.application_detail, name="detail"),
    path("soknader/<int:pk>/endre/", views.application_edit, name="edit"),
    path("soknader/<int:pk>/vedlegg/", views.attachment_upload, name="attachment_upload"),
    path("soknader/<int:pk>/vedlegg/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("soknader/<int:pk>/vedlegg/<int:attachment_pk>/slett/", views.attachment_delete, name="attachment_delete"),
    path("soknader/<int:pk>/versjon/<int:number>/", views.version_detail, name="version"),
    path("soknader/<int:pk>/ta/", views.application_take, name="take"),
    path("soknader/<int:pk>/send-tilbake/", views.application_return, name="return"),
    path("soknader/<int:pk>/innstilling/", views.application_recommend, name="recommend"),
    path("soknader/<int:pk>/vedtak/", views.application_decide, name="decide"),
    path("soknader/<int:pk>/vedtaksbrev/", views.letter_download, name="letter"),
    path("fylkesplanar/", views.plan_list, name="plan_list"),
    path("fylkesplanar/ny/", views.plan_new, name="plan_new"),
    path("fylkesplanar/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("fylkesplanar/<int:pk>/endre/", views.plan_edit, name="plan_edit"),
    path("fylkesplanar/<int:pk>/avgjer/", views.plan_decide, name="plan_decide"),
    path("prosjekt/<int:pk>/", project_views.project_detail, name="project_detail"),
    path("prosjekt/<int:pk>/plan/", project_views.project_plan, name="project_plan"),
    path("prosjekt/<int:pk>/rapportering/", project_views.project_schedule, name="project_schedule"),
    path("prosjekt/<int:pk>/rapport/ny/", project_views.report_new, name="report_new"),
    path("prosjekt/<int:pk>/utbetaling/ny/", project_views.payment_new, name="payment_new"),
    path("prosjekt/<int:pk>/endring/ny/", project_views.change_new, name="change_new"),
    path("prosjekt/<int:pk>/avslutt/", project_views.project_close, name="project_close"),
    path("prosjekt/<int:pk>/avbryt/", project_views.project_cancel, name="project_cancel"),
    path("rapportar/<int:pk>/", project_views.report_detail, name="report_detail"),
    path("rapportar/<int:pk>/endre/", project_views.report_edit, name="report_edit"),
    path("rapportar/<int:pk>/avgjer/", project_views.report_decide, name="report_decide"),
    path("rapportar/<int:pk>/vedlegg/", project_views.report_attachment_upload, name="report_attachment_upload"),
    path(
        "rapportar/<int:pk>/vedlegg/<int:attachment_pk>/",
        project_views.report_attachment_download,
        name="report_attachment_download",
    ),
    path("utbetalingar/<int:pk>/avgjer/", project_views.payment_decide, name="payment_decide"),
    path("endringar/<int:pk>/avgjer/", project_views.change_decide, name="change_decide"),
]
