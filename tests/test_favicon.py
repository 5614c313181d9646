"""The portal's icon: linked from every page, and at /favicon.ico for browsers that just ask."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
    assert finders.find("img/favicon.ico")


def test_every_page_links_the_icon(client):
    page = client.get("/").text

    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in page
    assert f'<link rel="icon" href="{static("img/favicon.ico")}" sizes="32x32">' in page
    assert finders.find("img/favicon.svg")
