from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Multiply"
admin.site.site_title = "Multiply"
admin.site.index_title = "Programme administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("exchanges.urls")),
    path("", include("meetings.urls")),
]
