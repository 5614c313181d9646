from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("link/", views.link_request, name="link_request"),
    path("calendar-token/reset/", views.reset_calendar_token, name="reset_calendar_token"),
]
