"""The public front page, named without the app's namespace (`home`): the root URLconf includes it at /."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
