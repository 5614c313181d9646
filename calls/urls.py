from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
    path("calls/<slug:slug>/apply/", views.call_apply, name="apply"),
    path("calls/<slug:slug>/slides/", views.call_slides, name="slides"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "me/applications/<int:pk>/files/<int:answer_pk>/",
        views.answer_file,
        name="answer_file",
    ),
]
