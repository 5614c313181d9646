from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/materials/<int:material_pk>/",
        views.material_download,
        name="material",
    ),
]
