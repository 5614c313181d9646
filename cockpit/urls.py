from django.urls import path

from . import checkin, registrations, views

app_name = "cockpit"
urlpatterns = [
    path("manage/meetings/<int:pk>/check-in/", checkin.check_in_page, name="check_in"),
    path("manage/meetings/<int:pk>/check-in/scan/", checkin.check_in_scan, name="check_in_scan"),
    path(
        "manage/meetings/<int:pk>/check-in/walk-in/",
        checkin.walk_in,
        name="walk_in",
    ),
    path(
        "manage/meetings/<int:pk>/check-in/<int:registration_id>/",
        checkin.check_in_registration,
        name="check_in_registration",
    ),
    path(
        "manage/meetings/<int:pk>/register/",
        registrations.register_contact,
        name="register_contact",
    ),
    path("manage/", views.index, name="index"),
    path("manage/<slug:slug>/", views.programme, name="programme"),
    path("manage/<slug:slug>/translations/", views.translations, name="translations"),
    path("manage/<slug:slug>/messages/resend/", views.messages_resend, name="messages_resend"),
]
