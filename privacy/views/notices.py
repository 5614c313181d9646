"""The privacy notices, public (issue 15, item 1): the current version or any published one by its
number, in the reader's language (English where a translation is missing), with the earlier
versions. A draft, or a number never published, is not there (404)."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.http import require_GET

from exchanges.models import Programme

from ..models import PrivacyNotice
from ..notices import notice_current, notice_version, notice_versions


@require_GET
def portal_notice(request, version=None):
    notice = _notice(programme=None, version=version)
    return _render(request, notice, programme=None, programmes=_programmes_with_notices())


@require_GET
def programme_notice(request, slug, version=None):
    programme = get_object_or_404(_programmes(), slug=slug)
    notice = _notice(programme=programme, version=version)
    return _render(request, notice, programme=programme)


def _notice(*, programme, version) -> PrivacyNotice:
    """The asked version of the programme's own notice, else the one that applies now (the
    portal's for a programme with none of its own)."""
    if version is None:
        notice = notice_current(programme=programme)
    else:
        notice = notice_version(programme=programme, version=version)
    if notice is None:
        raise Http404
    return notice


def _published_notices():
    return PrivacyNotice.objects.filter(programme=OuterRef("pk"), published_at__isnull=False)


def _programmes():
    """A published programme, or one that published a notice: a notice once published is
    public, since people agreed to it, whether or not the programme's pages are listed yet."""
    return Programme.objects.filter(Q(is_published=True) | Exists(_published_notices()))


def _programmes_with_notices():
    """The published programmes with a notice of their own, for the portal's page."""
    programmes = Programme.objects.filter(Exists(_published_notices()), is_published=True)
    return programmes.order_by("name")


def _render(request, notice: PrivacyNotice, *, programme, programmes=()):
    versions = notice_versions(programme=notice.programme)
    language = translation.get_language()
    context = {
        "notice": notice,
        "programme": programme,
        # The programme has none of its own: the portal's notice covers it.
        "fallback": programme is not None and notice.programme_id is None,
        "versions": versions,
        "is_current": bool(versions) and versions[0].pk == notice.pk,
        # The language the text is shown in: the reader's, or English where it is missing.
        "text_language": language
        if getattr(notice, f"body_{language}", "")
        else settings.LANGUAGE_CODE,
        "programmes": programmes,
    }
    return render(request, "privacy/notice.html", context)
