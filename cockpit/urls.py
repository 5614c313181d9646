from django.urls import path

from . import views

app_name = "cockpit"
urlpatterns = [
    path("manage/", views.index, name="index"),
    path("manage/<slug:slug>/", views.programme, name="programme"),
]
