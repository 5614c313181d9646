from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from . import views

# admin.site is the project's site (multiply/admin.py): its titles, who may enter, its sign-in
# through allauth and its index grouped by task are set there.

# Browsers ask for /favicon.ico whatever the page links. Not permanent: the target's hashed
# name changes with the file, and a browser keeps a permanent redirect for good. Lazy, because in
# production the hashed name comes from the collected manifest, which `check` runs without.
FAVICON_URL = lazy(static, str)("img/favicon.ico")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=FAVICON_URL, permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("api.urls")),
    path("me/api-tokens/", include("api.coordinator.token_urls")),
    path("me/", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("", include("exchanges.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("calls.urls")),
    path("", include("mentorships.urls")),
    path("", include("visits.urls")),
    path("", include("cockpit.urls")),
]
