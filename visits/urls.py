from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("visits/", views.my_visits, name="mine"),
    path("visits/rounds/<int:pk>/", views.round_detail, name="round"),
    path("visits/rounds/<int:pk>/assignment/", views.round_assignment, name="assignment"),
    path("visits/rounds/<int:pk>/summary/", views.results_summary, name="summary"),
    path("visits/rounds/<int:pk>/summary.pdf", views.results_summary_pdf, name="summary_pdf"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="edit"),
    path("visits/<int:pk>/interviews/", views.interviews, name="interviews"),
    path(
        "visits/<int:pk>/interviews/<int:interview_pk>/delete/",
        views.interview_delete,
        name="interview_delete",
    ),
    path("visits/<int:pk>/invite/", views.session_invite, name="invite"),
    path("visits/<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("visits/<int:pk>/materials/", views.materials, name="materials"),
    path(
        "visits/<int:pk>/materials/<int:material_pk>/",
        views.material_download,
        name="material",
    ),
    path(
        "visits/<int:pk>/materials/<int:material_pk>/delete/",
        views.material_delete,
        name="material_delete",
    ),
    path("visits/<int:pk>/report/", views.report_edit, name="report"),
    path("visits/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("visits/<int:pk>/comment/", views.report_comment, name="comment"),
]
