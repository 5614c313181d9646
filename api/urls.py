from django.urls import include, path, re_path

from .public.views import ApiDocsView, ApiSchemaView, not_found

app_name = "api"

urlpatterns = [
    path("", include("api.public.urls")),
    path("coordinator/", include("api.coordinator.urls")),
    # The OpenAPI 3 schema (drf-spectacular) and Swagger UI from the portal's own static files.
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    # Any other address under /api/ is a JSON 404 rather than the site's HTML page. Only
    # addresses ending in a slash, so that a missing slash is still redirected (APPEND_SLASH).
    re_path(r"^[\s\S]*/$", not_found),
]
