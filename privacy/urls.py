from django.urls import path

from .views import erasure, export, notices

app_name = "privacy"

urlpatterns = [
    # The notices, public: the current one, and every published version by its number.
    path("privacy/", notices.portal_notice, name="portal"),
    path("privacy/v<int:version>/", notices.portal_notice, name="portal_version"),
    path("privacy/<slug:slug>/", notices.programme_notice, name="programme"),
    path(
        "privacy/<slug:slug>/v<int:version>/",
        notices.programme_notice,
        name="programme_version",
    ),
    # The person's own data (linked from /me/).
    path("me/export/", export.me_export, name="me_export"),
    path("me/delete/", erasure.me_delete, name="me_delete"),
    # A coordinator answering a person's request, for a contact they coordinate.
    path("privacy/contacts/<int:pk>/export/", export.contact_export, name="contact_export"),
    path("privacy/contacts/<int:pk>/erase/", erasure.contact_erase, name="contact_erase"),
]
