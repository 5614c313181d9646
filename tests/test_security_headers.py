"""Every page says what it may load and which browser features it may use (issue 15, item 9): a
Content-Security-Policy with no inline script or style (django-csp), and a Permissions-Policy
that leaves the camera to the check-in scanner."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from . import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CSP, PERMISSIONS = "Content-Security-Policy", "Permissions-Policy"


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive -> sources."""
    parts = (part.split() for part in response[CSP].split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def features(response) -> dict[str, str]:
    """The Permissions-Policy as feature -> allow list, `camera=(self)` as {"camera": "(self)"}."""
    return dict(item.strip().split("=", 1) for item in response[PERMISSIONS].split(","))


@pytest.fixture
def pages(client, coordinator):
    """The public home page, the admin's index and a meeting's check-in page, as their usual
    visitor opens each."""
    home = client.get("/")
    client.force_login(coordinator)
    meeting = factories.MeetingFactory()
    return {
        "public page": home,
        "admin": client.get("/admin/"),
        "check-in": client.get(reverse("cockpit:check_in", args=[meeting.pk])),
    }


@pytest.mark.parametrize("name", ["public page", "admin", "check-in"])
def test_a_page_loads_only_the_portals_own_scripts_and_styles_and_is_never_framed(pages, name):
    response = pages[name]
    assert response.status_code == 200

    directives = policy(response)

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response[CSP]


@pytest.mark.parametrize("name", ["public page", "admin", "check-in"])
def test_a_page_may_use_the_camera_and_no_microphone_location_payment_or_usb(pages, name):
    allowed = features(pages[name])

    assert allowed["camera"] == "(self)"  # the check-in scanner (templates/cockpit/check_in.html)
    for feature in ("microphone", "geolocation", "payment", "usb", "serial", "display-capture"):
        assert allowed[feature] == "()", feature


def test_the_message_preview_alone_allows_the_e_mails_style_attributes(admin_client):
    """Its iframe (srcdoc) takes the page's policy; an e-mail is styled by style attributes."""
    programme = factories.ProgrammeFactory()
    data = {
        "programme": programme.pk,
        "kind": "invitation",
        "language": "en",
        "subject": "Welcome",
        "body": "{{ introduction }}\n\nRegister: {{ invitation_url }}\n",
        "_preview": "1",
    }

    preview = admin_client.post(reverse("admin:notifications_messagetemplate_add"), data)
    form = admin_client.get(reverse("admin:notifications_messagetemplate_add"))

    assert preview.context["adminform"].form.errors == {}
    assert '<iframe sandbox="" srcdoc="' in preview.text
    assert policy(preview)["style-src-attr"] == ["'unsafe-inline'"]
    assert policy(preview)["script-src"] == ["'self'"]
    assert "style-src-attr" not in policy(form)


# What the policy would refuse, were it in a page's template: an inline script (a script of
# JSON data runs nothing and may stay), an event handler, a javascript: link, a <style> block,
# a style attribute. E-mails (styled inline, as mail programs need) and the PDFs (rendered by
# WeasyPrint, never served as a page) are not pages.
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: link": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
}


PRINT_BASE = "_print_base.html"


def page_templates() -> list[Path]:
    templates = ROOT / "templates"
    not_pages = {templates / "emails", templates / "account" / "email"}
    pages = []
    for path in sorted(templates.rglob("*.html")):
        text = path.read_text()
        is_pdf = path.name == PRINT_BASE or '{% extends "reports/' + PRINT_BASE in text
        if not is_pdf and not any(folder in path.parents for folder in not_pages):
            pages.append(path)
    return pages


def test_no_page_template_holds_an_inline_script_or_style():
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in page_templates()
        for name, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]

    assert len(page_templates()) > 50
    assert found == []


def test_the_admin_takes_its_added_styles_from_a_static_stylesheet(admin_client):
    page = admin_client.get(reverse("admin:notifications_messagetemplate_add"))

    assert '<link rel="stylesheet" href="/static/css/admin.css">' in page.text
    assert "<style" not in page.text
