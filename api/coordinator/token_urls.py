"""A coordinator's API tokens, on their profile (/me/api-tokens/)."""

from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.tokens, name="index"),
    path("<int:pk>/revoke/", token_views.revoke, name="revoke"),
]
