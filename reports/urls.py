from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("programmes/<slug:slug>/peer-learning-plan.pdf", views.plan_download, name="plan"),
    path(
        "programmes/<slug:slug>/consortium/<int:number>/minutes.pdf",
        views.minutes_download,
        name="minutes",
    ),
    path("meetings/<int:pk>/participants.pdf", views.participants_download, name="participants"),
    path(
        "meetings/<int:pk>/feedback/summary.pdf",
        views.meeting_feedback_download,
        name="meeting_feedback",
    ),
    path(
        "me/registrations/<int:pk>/certificate.pdf", views.certificate_download, name="certificate"
    ),
    path("reports/attendance/", views.attendance_page, name="attendance"),
    path("reports/attendance.csv", views.attendance_csv, name="attendance_csv"),
    path("reports/attendance.pdf", views.attendance_pdf, name="attendance_pdf"),
]
