"""The coordinator API: personal tokens scoped by the access module; registrations, meetings."""

from django.urls import path

from . import views

app_name = "coordinator"

urlpatterns = [
    path("meetings/", views.MeetingList.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetail.as_view(), name="meeting"),
    path(
        "meetings/<int:pk>/registrations/",
        views.MeetingRegistrations.as_view(),
        name="registrations",
    ),
]
