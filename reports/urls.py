from django.urls import path

from . import funder_views, verification, views

app_name = "reports"

urlpatterns = [
    path("programmes/<slug:slug>/peer-learning-plan.pdf", views.plan_download, name="plan"),
    path(
        "programmes/<slug:slug>/consortium/<int:number>/minutes.pdf",
        views.minutes_download,
        name="minutes",
    ),
    path("meetings/<int:pk>/participants.pdf", views.participants_download, name="participants"),
    path("meetings/<int:pk>/programme.pdf", views.agenda_download, name="agenda"),
    path(
        "meetings/<int:pk>/feedback/summary.pdf",
        views.meeting_feedback_download,
        name="meeting_feedback",
    ),
    path(
        "me/registrations/<int:pk>/certificate.pdf", views.certificate_download, name="certificate"
    ),
    path("certificates/", verification.certificate_lookup, name="certificate_lookup"),
    path("certificates/<str:code>/", verification.certificate_page, name="certificate_verify"),
    path("reports/attendance/", views.attendance_page, name="attendance"),
    path("reports/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("reports/attendance.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("reports/attendance.xlsx", funder_views.attendance_xlsx, name="attendance_xlsx"),
    path("reports/funder/publish/", funder_views.funder_report_publish_view, name="funder_publish"),
    path("reports/funder/<int:pk>/", funder_views.funder_report_page, name="funder_report"),
    path("reports/funder/<int:pk>.csv", funder_views.funder_report_csv, name="funder_report_csv"),
    path(
        "reports/funder/<int:pk>.xlsx", funder_views.funder_report_xlsx, name="funder_report_xlsx"
    ),
    path("reports/funder/<int:pk>.pdf", funder_views.funder_report_pdf, name="funder_report_pdf"),
]
