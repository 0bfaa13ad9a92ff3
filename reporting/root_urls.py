"""Each person's start page, named without the app's namespace (`start`): the root URLconf includes it at /."""

from django.urls import path

from . import views

urlpatterns = [path("start/", views.start, name="start")]
