from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from access.admin import site_permission

from . import views

admin.site.site_header = _("Multiply")
admin.site.site_title = _("Multiply")
admin.site.index_title = _("Programme administration")
# The admin's own login has no rate limit: send it through allauth's (DESIGN.md, "Pitfalls").
admin.site.login = secure_admin_login(admin.site.login)
# Who enters the admin is a question for the access rules (roles), not the is_staff flag.
admin.site.has_permission = site_permission

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
    path("me/", include("accounts.urls")),
    path("", include("exchanges.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("calls.urls")),
    path("", include("visits.urls")),
    path("", include("cockpit.urls")),
]
