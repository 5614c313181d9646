from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Multiply")
admin.site.site_title = _("Multiply")
admin.site.index_title = _("Programme administration")
# The admin's own login has no rate limit: send it through allauth's (DESIGN.md, "Pitfalls").
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),
    path("", include("exchanges.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("calls.urls")),
    path("", include("visits.urls")),
]
