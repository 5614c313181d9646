from django.urls import path

from . import embed, feeds, views

app_name = "exchanges"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    # Feeds and the embeddable calendar (issue 16): exchanges/feeds.py, exchanges/embed.py.
    path(
        "programmes/<slug:slug>/calendar.ics",
        feeds.programme_calendar,
        name="programme_calendar",
    ),
    path(
        "programmes/<slug:slug>/meetings.atom",
        feeds.ProgrammeMeetingsFeed(),
        name="programme_meetings_feed",
    ),
    path(
        "programmes/<slug:slug>/calls.atom",
        feeds.ProgrammeCallsFeed(),
        name="programme_calls_feed",
    ),
    path("embed/calendar/", embed.embed_calendar, name="embed_calendar"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/register/", views.meeting_register, name="register"),
    path("me/meetings/", views.my_meetings, name="my_meetings"),
    path("me/registrations/<int:pk>/cancel/", views.registration_cancel, name="cancel"),
    path("me/registrations/<int:pk>/accept/", views.offer_accept, name="accept_offer"),
    path("calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("invitations/<str:token>/", views.invitation_landing, name="invitation"),
    path(
        "meetings/<int:pk>/materials/<int:material_pk>/",
        views.material_download,
        name="material",
    ),
    path("meetings/<int:pk>/feedback/", views.meeting_feedback, name="meeting_feedback"),
    path(
        "meetings/<int:pk>/feedback/summary/",
        views.meeting_feedback_summary,
        name="meeting_feedback_summary",
    ),
    # The QR image of a registration's check-in code: PNG for e-mails, SVG for pages.
    path(
        "check-in-codes/<str:code>.png",
        views.check_in_code,
        {"kind": "png"},
        name="check_in_code",
    ),
    path(
        "check-in-codes/<str:code>.svg",
        views.check_in_code,
        {"kind": "svg"},
        name="check_in_code_svg",
    ),
]
