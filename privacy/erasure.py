"""Erasure: a person's data removed on their word or a coordinator's (issue 15, item 3).

What is personal goes; what the programme must still count stays, nameless:
- each contact of the person keeps its row, its city and its target groups, with no name,
  address, phone or position (`Contact.erased_at` says so), so the registrations and the
  attendance it took part in are still counted in the funder's report (reports.selectors
  counts contacts, never names);
- their registrations lose their notes and answers, their feedback its written comments (the
  ratings stay in the meeting's averages); certificates and participant lists that print their
  name are deleted, to be rendered again without it;
- the applications they made and the visit material they uploaded belong to a city: the city
  keeps them and their files, with the contact person's fields emptied and no uploader;
- messages to them lose body and address; one still waiting to go is deleted;
- the account is deleted (e-mail addresses, roles and link requests with it);
- finally every text column of every table is swept for their full name, e-mail addresses and
  phone (the audit trail, messages to coordinators about them, answers that name them), so no
  copy survives where nobody thought to look.

The whole erasure is one transaction with the audit trail off (its own entries would keep the
old values), and leaves a `RemovalRecord` with counts only.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import Role
from accounts.models import User
from calls.models import Application
from cities.models import Contact
from exchanges.models import Registration
from exchanges.models.questions import FeedbackAnswer, RegistrationAnswer
from mentorships.models import Mentorship
from notifications.models import Message
from reports.models import Document
from visits.models import BackgroundMaterial, Interview

from .models import RemovalRecord
from .selectors import Person

# What stands in for a value that was erased, in texts that keep their other words.
ERASED = "[…]"
# An address that can never receive mail (RFC 2606), for rows whose e-mail may not be empty.
ERASED_DOMAIN = "erased.invalid"
# Documents that print a participant's name; they are rendered again when next asked for.
NAMING_DOCUMENTS = [
    Document.Kind.CERTIFICATE,
    Document.Kind.PARTICIPANTS,
    Document.Kind.AGENDA,
]


class ErasureRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Traces:
    """The values that identify the person in free text: full names (both orders), e-mail
    addresses and phone numbers. A first or last name alone is not swept: it would erase
    other people's namesakes."""

    values: tuple[str, ...]

    @classmethod
    def of(cls, person: Person) -> "Traces":
        values = set(person.emails)
        people = [*person.contacts, *([person.user] if person.user else [])]
        for someone in people:
            first, last = someone.first_name.strip(), someone.last_name.strip()
            if first and last:
                values.update({f"{first} {last}", f"{last} {first}", f"{last}, {first}"})
        values.update(c.phone.strip() for c in person.contacts if len(c.phone.strip()) >= 6)
        # Longest first, so that "Anna Nowak" goes before a shorter value inside it.
        return cls(tuple(sorted((v for v in values if v), key=len, reverse=True)))

    def pattern(self) -> re.Pattern | None:
        if not self.values:
            return None
        return re.compile("|".join(re.escape(v) for v in self.values), re.IGNORECASE)


def erasure_refusal(person: Person) -> str | None:
    """Why the person cannot be erased here, or None. Someone who coordinates a programme
    keeps their account until another coordinator has taken their role away: erasing it
    would leave a programme without the one person who runs it."""
    user = person.user
    if user is not None and (user.is_superuser or Role.objects.filter(user=user).exists()):
        return str(_("This account holds a coordinator's role. Its roles must be removed first."))
    return None


def person_erase(*, person: Person, reason: str, by=None) -> RemovalRecord:
    """Erase the person (the module docstring says what that means) and record it."""
    refusal = erasure_refusal(person)
    if refusal:
        raise ErasureRefused(refusal)
    with transaction.atomic(), disable_auditlog():
        removed = erase(person)
        return RemovalRecord.objects.create(reason=reason, by=by, removed=dict(removed))


def erase(person: Person) -> Counter:
    """The erasure itself, inside the caller's transaction; the counts of what went. Also
    used by retention (privacy.retention), which records one run for many people."""
    traces = Traces.of(person)
    removed = Counter()
    removed += _erase_registrations(person)
    removed += _erase_city_records(person)
    removed += _erase_messages(person)
    for contact in person.contacts:
        _anonymise_contact(contact)
    removed["contacts"] += len(person.contacts)
    removed["audit_entries_emptied"] = _empty_audit_trail(person)
    if person.user is not None:
        person.user.delete()
        removed["accounts"] += 1
    removed["texts_swept"] += sweep(traces)
    return +removed  # without the zero counts


def _anonymise_contact(contact: Contact) -> None:
    contact.first_name = ""
    contact.last_name = ""
    contact.email = f"erased-{contact.pk}@{ERASED_DOMAIN}"
    contact.phone = contact.position = contact.organisation = ""
    contact.user = None
    contact.is_active = False
    contact.erased_at = timezone.now()
    contact.save()


def _erase_registrations(person: Person) -> Counter:
    removed = Counter()
    registrations = Registration.objects.filter(contact__in=person.contact_ids)
    meetings = set(registrations.values_list("meeting_id", flat=True))
    removed["registration_answers"] = RegistrationAnswer.objects.filter(
        registration__in=registrations
    ).delete()[0]
    registrations.update(note="", listed_consent_at=None)
    removed["feedback_comments"] = (
        FeedbackAnswer.objects.filter(feedback__contact__in=person.contact_ids)
        .exclude(text="")
        .update(text="")
    )
    documents = Document.objects.filter(
        Q(registration__in=registrations)
        | Q(meeting__in=meetings, kind__in=NAMING_DOCUMENTS, registration__isnull=True)
    )
    for document in documents:
        if document.file:
            document.file.delete(save=False)
            removed["files"] += 1
    removed["documents"] = documents.delete()[0]
    return removed


def _erase_city_records(person: Person) -> Counter:
    """Applications and visit material belong to the city; only who made them goes."""
    removed = Counter()
    emails = list(person.emails)
    made = Q(address__in=emails)
    if person.user is not None:
        made |= Q(applicant=person.user)
    applications = Application.objects.annotate(address=Lower("contact_email")).filter(made)
    removed["applications_unattributed"] = applications.update(
        applicant=None, contact_name="", contact_email="", contact_phone="", contact_position=""
    )
    if person.user is not None:
        removed["files_kept_for_city"] = BackgroundMaterial.objects.filter(
            uploaded_by=person.user
        ).update(uploaded_by=None)
    mentorships = Mentorship.objects.annotate(address=Lower("contact_email")).filter(
        Q(address__in=emails) | Q(mentor_contact__in=person.contact_ids)
    )
    removed["mentorships_unattributed"] = mentorships.update(
        contact_name="", contact_email="", contact_phone=""
    )
    interviews = Interview.objects.annotate(address=Lower("email")).filter(address__in=emails)
    removed["interviews_unattributed"] = interviews.update(email="")
    return removed


def _erase_messages(person: Person) -> Counter:
    """A sent message keeps its envelope (kind, time, status: the campaign's counts); one not
    sent yet is deleted rather than sent to nobody."""
    removed = Counter()
    theirs = Message.objects.annotate(address=Lower("recipient_email")).filter(
        address__in=list(person.emails)
    )
    waiting = [Message.Status.QUEUED, Message.Status.SENDING, Message.Status.FAILED]
    removed["messages_deleted"] = theirs.filter(status__in=waiting).delete()[0]
    removed["messages_emptied"] = theirs.update(
        recipient_email=f"erased@{ERASED_DOMAIN}",
        recipient_name="",
        body_text="",
        body_html="",
        calendar="",
        values={},
        body_removed_at=timezone.now(),
    )
    return removed


def _empty_audit_trail(person: Person) -> int:
    """The audit trail of the person's own rows (their account, their contacts) records each
    field on its own, a first name here, a phone there, where no sweep for whole names finds
    them: those entries keep only that the row was created or changed, and when."""
    rows = Q(
        content_type=ContentType.objects.get_for_model(Contact), object_id__in=person.contact_ids
    )
    if person.user is not None:
        rows |= Q(content_type=ContentType.objects.get_for_model(User), object_id=person.user.pk)
    return LogEntry.objects.filter(rows).update(
        object_repr=ERASED, changes={}, changes_text="", serialized_data=None
    )


# --- The sweep ---------------------------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def sweep(traces: Traces) -> int:
    """Replace every trace of the person in every text column of every table; the number of
    rows changed. One query per column and value finds the rows (most find none)."""
    pattern = traces.pattern()
    if pattern is None:
        return 0
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model is RemovalRecord or model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if fields:
            changed += _sweep_model(model, fields, traces.values, pattern)
    return changed


def _sweep_model(model, fields, values, pattern) -> int:
    condition = Q()
    annotations = {}
    for field in fields:
        column = field.name
        if isinstance(field, models.JSONField):
            column = f"_{field.name}_as_text"
            annotations[column] = Cast(field.name, models.TextField())
        for value in values:
            condition |= Q(**{f"{column}__icontains": value})
            if column in annotations:
                # SQLite keeps JSON with non-ASCII letters escaped ("\u015b").
                condition |= Q(**{f"{column}__icontains": json.dumps(value)[1:-1]})
    rows = model._base_manager.annotate(**annotations).filter(condition)
    changed = 0
    for row in rows:
        update = {}
        for field in fields:
            old = getattr(row, field.attname)
            new = _scrub(old, pattern)
            if new != old:
                update[field.attname] = new
        if update:
            model._base_manager.filter(pk=row.pk).update(**update)
            changed += 1
    return changed


def _scrub(value, pattern: re.Pattern):
    """The value with every trace replaced, walking into JSON (lists and dicts, keys kept)."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value
