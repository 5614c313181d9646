"""A person's data to take away (issue 15, item 2): everything the portal holds about them, as
one zip they download from their profile, or that a coordinator makes to answer their request.

Whose data is whose is privacy.selectors.person_of, which the erasure shares: the account, the
contacts linked to it, and what was sent or written to one of their addresses. The archive holds
data.json (one section per kind of row), the files they uploaded under files/, and README.txt in
their language, saying what it holds and how to have it corrected or erased.

Left out on purpose: secrets (passwords, the calendar, invitation and check-in tokens), which
are keys rather than facts about the person, and an archive is easily forwarded; and who else
handled a row (the coordinator who approved a registration), which is someone else's data.

Each section is one query with what it shows prefetched, so the number of queries stays the
same however many registrations or e-mails a person has.
"""

import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import LinkRequest
from calls.models import Answer, Application, QuestionKind
from cities.models import Contact
from exchanges.models import (
    FeedbackAnswer,
    Invitation,
    MeetingFeedback,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
)
from mentorships.models import Mentorship
from multiply.filenames import safe_name
from notifications.kinds import KINDS
from notifications.models import Message
from visits.models import BackgroundMaterial, Interview

from .selectors import Person


@dataclass
class Upload:
    """A file the person uploaded, and where it goes in the archive."""

    path: str
    file: FieldFile
    about: dict = field(default_factory=dict)


def person_archive(*, person: Person, internal_notes: bool = False) -> bytes:
    """Everything the portal holds about the person, as a zip (issue 15, item 2; the privacy
    notice's "Your rights").

    `internal_notes` adds the coordinators' notes on the selection criteria of the person's
    applications: the applicant's own pages never show them (calls.Application), so the
    self-service download leaves them out and a coordinator answering a request decides."""
    made_at = timezone.now()
    language = _language_of(person)
    with translation.override(language):
        applications = _applications_of(person)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            files = [_write_upload(archive, u) for u in _uploads(person, applications)]
            data = {
                "made_at": made_at,
                "language": language,
                **_sections(person, applications, internal_notes=internal_notes),
                "uploaded_files": files,
            }
            # Readable as it is: Łódź stays Łódź, not \u0141\u00f3d\u017a.
            archive.writestr(
                "data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
            )
            archive.writestr("README.txt", _readme(person, made_at=made_at, files=files))
    return buffer.getvalue()


def _language_of(person: Person) -> str:
    """The person's own language (their contact's, as for their e-mails), else the language
    they are reading the portal in."""
    for contact in person.contacts:
        if contact.language in dict(settings.LANGUAGES):
            return contact.language
    try:
        return translation.get_supported_language_variant(translation.get_language() or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def _sections(person: Person, applications: list, *, internal_notes: bool) -> dict:
    return {
        "account": _account(person.user),
        "contacts": _contacts(person),
        "registrations": _registrations(person),
        "invitations": _invitations(person),
        "feedback": _feedback(person),
        "applications": [_application(a, internal_notes=internal_notes) for a in applications],
        "link_requests": _link_requests(person.user),
        "mentorships": _mentorships(person),
        "visit_interviews": _interviews(person),
        "messages": _messages(person),
    }


# --- The account and the contacts ------------------------------------------------------------


def _account(user) -> dict | None:
    if user is None:
        return None
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "roles": _roles(user),
        "privacy_notice": _notice(user.privacy_notice),
        "privacy_accepted_at": user.privacy_accepted_at,
    }


def _roles(user) -> list[dict]:
    roles = user.roles.select_related("programme", "network__programme", "network__country")
    return [
        {
            "kind": role.kind,
            "kind_display": role.get_kind_display(),
            "programme": role.programme.name,
            "network": str(role.network) if role.network_id else None,
        }
        for role in roles
    ]


def _notice(notice) -> dict | None:
    """The privacy notice version a consent names: the programme's, or the portal's own."""
    if notice is None:
        return None
    programme = notice.programme.name if notice.programme_id else None
    return {"programme": programme, "version": notice.version, "title": notice.title}


def _contacts(person: Person) -> list[dict]:
    contacts = (
        Contact.objects.filter(pk__in=person.contact_ids)
        .select_related("city__country")
        .prefetch_related("target_groups")
    )
    return [_contact(contact) for contact in contacts]


def _contact(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "city": contact.city.name,
        "country": contact.city.country.name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "email": contact.email,
        "phone": contact.phone,
        "position": contact.position,
        "organisation": contact.organisation,
        "language": contact.language,
        "target_groups": [group.name for group in contact.target_groups.all()],
        "active": contact.is_active,
        "erased_at": contact.erased_at,
    }


# --- Meetings: registrations, invitations, feedback ------------------------------------------


def _answers_prefetch(model) -> Prefetch:
    return Prefetch(
        "answers", queryset=model.objects.select_related("question").prefetch_related("choices")
    )


def _answers(answers) -> list[dict]:
    rows = []
    for answer in answers:
        row = {"question": answer.question.label, "answer": answer.display()}
        if answer.question.has_choices:
            row["choices"] = [choice.label for choice in answer.choices.all()]
        rows.append(row)
    return rows


def _registrations(person: Person) -> list[dict]:
    registrations = (
        Registration.objects.filter(contact__in=person.contact_ids)
        .select_related("meeting__programme", "privacy_notice__programme")
        .prefetch_related(_answers_prefetch(RegistrationAnswer))
        .order_by("meeting__start", "pk")
    )
    user_id = person.user.pk if person.user is not None else None
    return [_registration(r, user_id=user_id) for r in registrations]


def _registration(registration: Registration, *, user_id) -> dict:
    meeting = registration.meeting
    return {
        "meeting": meeting.title,
        "programme": meeting.programme.name,
        "start": meeting.start,
        "end": meeting.end,
        "status": registration.status,
        "status_display": registration.get_status_display(),
        "registered_at": registration.created_at,
        "updated_at": registration.updated_at,
        "registered_on_your_behalf": registration.registered_by_id not in (None, user_id),
        "waiting_number": registration.waiting_number,
        "offer_expires_at": registration.offer_expires_at,
        "cancelled_at": registration.cancelled_at,
        "privacy_consent_at": registration.privacy_consent_at,
        "privacy_notice": _notice(registration.privacy_notice),
        "listed_consent_at": registration.listed_consent_at,
        "note": registration.note,
        "checked_in_at": registration.checked_in_at,
        "attended": registration.status == RegistrationStatus.ATTENDED,
        "certificate_code": registration.certificate_code,
        "answers": _answers(registration.answers.all()),
    }


def _invitations(person: Person) -> list[dict]:
    invitations = Invitation.objects.filter(contact__in=person.contact_ids).select_related(
        "meeting"
    )
    return [
        {
            "meeting": invitation.meeting.title,
            "start": invitation.meeting.start,
            "invited_at": invitation.created_at,
            "opened_at": invitation.opened_at,
            "registered_at": invitation.registered_at,
            "declined_at": invitation.declined_at,
        }
        for invitation in invitations
    ]


def _feedback(person: Person) -> list[dict]:
    feedback = (
        MeetingFeedback.objects.filter(contact__in=person.contact_ids)
        .select_related("meeting")
        .prefetch_related(_answers_prefetch(FeedbackAnswer))
    )
    return [
        {
            "meeting": row.meeting.title,
            "answered_at": row.created_at,
            "updated_at": row.updated_at,
            "answers": _answers(row.answers.all()),
        }
        for row in feedback
    ]


# --- Calls, link requests, mentorships, peer visits ------------------------------------------


def _applications_of(person: Person) -> list[Application]:
    if person.user is None:
        return []
    answers = Answer.objects.select_related("question").order_by("question__order", "question")
    return list(
        Application.objects.filter(applicant=person.user)
        .select_related("call__programme", "city", "country")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("submitted_at", "pk")
    )


def _application(application: Application, *, internal_notes: bool) -> dict:
    row = {
        "call": application.call.title,
        "programme": application.call.programme.name,
        "municipality": application.municipality_name,
        "new_municipality": bool(application.new_city_name),
        "country": application.country.name,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "contact_phone": application.contact_phone,
        "contact_position": application.contact_position,
        "language": application.language,
        "eligibility_confirmed_at": application.eligibility_confirmed_at,
        "status": application.status,
        "status_display": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "updated_at": application.updated_at,
        "decided_at": application.decided_at,
        "answers": [_application_answer(answer) for answer in application.answers.all()],
    }
    if internal_notes:
        row["criteria_notes"] = application.criteria_notes
    return row


def _application_answer(answer: Answer) -> dict:
    if answer.question.kind == QuestionKind.FILE:
        return {"question": answer.question.text, "file": _answer_path(answer) or None}
    return {"question": answer.question.text, "answer": answer.display}


def _link_requests(user) -> list[dict]:
    if user is None:
        return []
    requests = LinkRequest.objects.filter(user=user).select_related("country", "city")
    return [
        {
            "country": request.country.name,
            "municipality": request.city.name if request.city_id else None,
            "municipality_as_typed": request.city_name,
            "position": request.position,
            "note": request.note,
            "status": request.status,
            "status_display": request.get_status_display(),
            "asked_at": request.created_at,
            "decided_at": request.decided_at,
        }
        for request in requests
    ]


def _mentorships(person: Person) -> list[dict]:
    """Mentorships naming the person: as the mentor city's contact, or by their address."""
    mentorships = (
        Mentorship.objects.annotate(email_lower=Lower("contact_email"))
        .filter(Q(mentor_contact__in=person.contact_ids) | Q(email_lower__in=person.emails))
        .select_related("programme", "mentor_city", "mentor_partner", "mentee")
    )
    return [
        {
            "programme": row.programme.name,
            "kind": row.get_kind_display(),
            "mentor": str(row.mentor),
            "mentee": row.mentee.name,
            "contact_name": row.contact_name,
            "contact_email": row.contact_email,
            "contact_phone": row.contact_phone,
            "start_date": row.start_date,
            "end_date": row.end_date,
        }
        for row in mentorships
    ]


def _interviews(person: Person) -> list[dict]:
    interviews = (
        Interview.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=person.emails)
        .select_related("visit__round", "visit__host")
    )
    return [
        {
            "round": row.visit.round.name,
            "host": row.visit.host.name,
            "time": row.starts_at,
            "role_interviewed": row.role,
            "interviewee": row.interviewee,
            "email": row.email,
        }
        for row in interviews
    ]


# --- E-mails ---------------------------------------------------------------------------------


def _messages(person: Person) -> list[dict]:
    """Every e-mail sent to one of the person's addresses, whatever its case."""
    messages = (
        Message.objects.annotate(recipient_lower=Lower("recipient_email"))
        .filter(recipient_lower__in=person.emails)
        .select_related("meeting")
        .defer("body_html", "calendar", "last_error")
        .order_by("created_at", "pk")
    )
    return [_message(message) for message in messages]


def _message(message: Message) -> dict:
    kind = KINDS.get(message.kind)
    row = {
        "kind": message.kind,
        "kind_display": str(kind.label) if kind else message.kind,
        "meeting": message.meeting.title if message.meeting_id else None,
        "recipient": message.recipient_email,
        "subject": message.subject,
        "status": message.status,
        "status_display": message.get_status_display(),
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "body_text": message.body_text,
    }
    if message.body_removed_at:
        row["body_text"] = None
        row["body_removed_at"] = message.body_removed_at
        row["note"] = _(
            "The text of this e-mail was removed at the end of its retention period or with "
            "your data; the record that it was sent stays."
        )
    return row


# --- Files -----------------------------------------------------------------------------------


def _answer_path(answer: Answer) -> str:
    if not answer.file:
        return ""
    return f"files/applications/{answer.pk}-{safe_name(answer.filename)}"


def _uploads(person: Person, applications: list[Application]) -> list[Upload]:
    """The files the person uploaded: the files of their applications, and the background
    material they sent for a peer visit. Each name carries its row's id, so two files called
    plan.pdf stay two files; safe_name keeps every name inside its folder."""
    uploads = [
        Upload(
            _answer_path(answer),
            answer.file,
            {
                "what": "application",
                "call": application.call.title,
                "question": answer.question.text,
            },
        )
        for application in applications
        for answer in application.answers.all()
        if answer.file
    ]
    return uploads + [_material_upload(material) for material in _materials(person.user)]


def _materials(user) -> list[BackgroundMaterial]:
    if user is None:
        return []
    materials = BackgroundMaterial.objects.filter(uploaded_by=user)
    return list(materials.select_related("visit__round", "visit__host"))


def _material_upload(material: BackgroundMaterial) -> Upload:
    about = {
        "what": "peer_visit_material",
        "title": material.title,
        "visit": f"{material.visit.round.name} – {material.visit.host.name}",
        "uploaded_at": material.uploaded_at,
    }
    path = f"files/visits/{material.pk}-{safe_name(material.filename)}"
    return Upload(path, material.file, about)


def _write_upload(archive: zipfile.ZipFile, upload: Upload) -> dict:
    """Copies one file into the archive through its storage (never a path on the disk, so S3
    works too). A file the storage has lost is listed as missing: one lost file must not cost
    the person the rest of their data."""
    entry = {"path": upload.path, "name": upload.file.name.rsplit("/", 1)[-1], **upload.about}
    try:
        source = upload.file.open("rb")
    except FileNotFoundError:
        return {**entry, "path": None, "missing": True}
    with source, archive.open(upload.path, "w") as target:
        shutil.copyfileobj(source, target)
    return {**entry, "size": archive.getinfo(upload.path).file_size, "missing": False}


# --- README ----------------------------------------------------------------------------------


def _readme(person: Person, *, made_at, files: list[dict]) -> str:
    contact = person.contacts[0] if person.contacts else None
    name = (person.user.get_full_name() or person.user.email) if person.user else None
    return render_to_string(
        "privacy/export_readme.txt",
        {
            "name": name or (contact.full_name if contact else ""),
            "made_at": made_at,
            "has_account": person.user is not None,
            "files": [f for f in files if not f["missing"]],
            "missing": [f for f in files if f["missing"]],
            "profile_url": settings.SITE_URL + reverse("accounts:profile"),
            "delete_url": settings.SITE_URL + reverse("privacy:me_delete"),
            "privacy_url": settings.SITE_URL + reverse("privacy:portal"),
        },
    )
