from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path(
        "programmes/<slug:slug>/consortium/",
        views.consortium_meetings,
        name="consortium",
    ),
]
