"""Privacy notices, versioned, and the version every consent records (issue 15, item 1).

A programme's current notice is its newest published version; a programme with none of its own
is covered by the portal's (no programme). A draft is numbered when it is made, as the next
version of its programme (or of the portal), under a lock as the funder's report versions are
(reports/funder.py); publishing it is decided under the notice's own lock, and a published
version is never changed again (the admin shows it read-only), so the version a consent names
stays the text the person was shown.
"""

from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.utils import get_translation_fields

from exchanges.models import Programme
from multiply.refusals import Refused

from .models import PrivacyNotice

# Every language's title and text: what a new version copies from the one it starts from.
TEXT_FIELDS = [*get_translation_fields("title"), *get_translation_fields("body")]


class NoticeRefused(Refused):
    """A change the rules of notices do not allow; the message is shown as it is."""


def _own(programme: Programme | None) -> QuerySet[PrivacyNotice]:
    """The notices of the programme, or the portal's own for None."""
    if programme is None:
        return PrivacyNotice.objects.filter(programme__isnull=True)
    return PrivacyNotice.objects.filter(programme=programme)


def notice_versions(*, programme: Programme | None) -> list[PrivacyNotice]:
    """The published versions of the programme's own notice (the portal's for None), newest
    first. One query."""
    published = _own(programme).filter(published_at__isnull=False)
    return list(published.select_related("programme").order_by("-version"))


def notice_version(*, programme: Programme | None, version: int) -> PrivacyNotice | None:
    """One published version by its number; a draft is nobody's to read yet."""
    published = _own(programme).filter(published_at__isnull=False, version=version)
    return published.select_related("programme").first()


def notice_current(*, programme: Programme | None = None) -> PrivacyNotice | None:
    """The notice that applies to the programme: its newest published version, else the
    portal's newest published one; None when nothing is published at all. One query."""
    return _applying(programme).select_related("programme").first()


def notice_current_id(*, programme: Programme | None = None) -> int | None:
    """The id alone of notice_current, for a consent that records it: a registration reads it
    for every person, and a notice's texts in every language are long."""
    return _applying(programme).values_list("pk", flat=True).first()


def _applying(programme: Programme | None) -> QuerySet[PrivacyNotice]:
    """The published notices that may apply, the one that does first: the programme's own
    versions sort before the portal's."""
    if programme is None:
        return _own(None).filter(published_at__isnull=False).order_by("-version")
    published = PrivacyNotice.objects.filter(
        Q(programme=programme) | Q(programme__isnull=True), published_at__isnull=False
    )
    return published.order_by(F("programme_id").asc(nulls_last=True), "-version")


def notice_draft_insert(*, draft: PrivacyNotice, by) -> PrivacyNotice:
    """Save a new draft as the next version of its programme (or of the portal).

    The number is decided under a lock, so two coordinators starting a version at once get two
    numbers: the programme's row, or for the portal (which has no row) its latest notice. The
    unique constraints refuse what a lock could not cover (the portal's very first notice).
    """
    with transaction.atomic():
        if draft.programme_id is not None:
            Programme.objects.select_for_update().get(pk=draft.programme_id)
        else:
            latest = _own(None).order_by("-version").values("pk")[:1]
            # Ordered by programme name (Meta.ordering) the query joins the programmes, whose
            # missing row PostgreSQL cannot lock: lock the notice alone, unordered.
            locking = PrivacyNotice.objects.select_for_update(of=("self",)).order_by()
            list(locking.filter(pk__in=latest))
        draft.version = (_own(draft.programme).aggregate(latest=Max("version"))["latest"] or 0) + 1
        draft.published_at = None
        draft.created_by = by
        draft.save()
        return draft


def notice_draft_create(
    *, programme: Programme | None, by, source: PrivacyNotice | None = None
) -> PrivacyNotice:
    """A new draft of the programme's notice (the portal's for None), its title and text in
    every language copied from `source`, else from the notice that applies now, so that a new
    version starts from what people read today."""
    origin = source or notice_current(programme=programme)
    texts = {name: getattr(origin, name) for name in TEXT_FIELDS} if origin else {}
    draft = PrivacyNotice(programme=programme, **texts)
    return notice_draft_insert(draft=draft, by=by)


def notice_publish(*, notice: PrivacyNotice, by) -> PrivacyNotice:
    """Publish a draft: from now on it is the current notice of its programme (or of the
    portal) and what every consent records. A published version is never published again (its
    date would move under consents already given): the row is locked and checked first, so of
    two coordinators pressing Publish at once one publishes and the other is told. Saved, not
    UPDATEd, so that the audit log records who published (`by`, the request's user there)."""
    with transaction.atomic():
        locked = PrivacyNotice.objects.select_for_update(of=("self",)).order_by().get(pk=notice.pk)
        if locked.is_published:
            raise NoticeRefused(
                _("%(notice)s is already published: start a new version to change it.")
                % {"notice": locked},
                "published",
            )
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
    notice.published_at = locked.published_at
    return notice


def user_notice_accept(*, user) -> None:
    """Record that the person accepted the portal's notice as it is now (at sign-up): its
    version, none when nothing is published yet, and the moment."""
    user.privacy_notice = notice_current(programme=None)
    user.privacy_accepted_at = timezone.now()
    user.save(update_fields=["privacy_notice", "privacy_accepted_at"])
