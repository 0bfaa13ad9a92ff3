"""The `applications` namespace as served: applications' own addresses (applications.urls) and its four case
lists, whose addresses reporting serves (export_views: the file on `?format=`, else applications' page). The
root URLconf includes this module in place of applications.urls, so that the lists keep their names
(`applications:list`, ...) and applications imports nothing of reporting."""

from applications import urls as applications_urls

from .export_views import LIST_URLS

app_name = applications_urls.app_name

urlpatterns = [*applications_urls.urlpatterns, *LIST_URLS]
