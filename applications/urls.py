from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("soknader/", views.application_list, name="list"),
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
]
