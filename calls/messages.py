"""The messages of a call for applications, each a kind a coordinator can rewrite (issue 14,
item 5): the copy of an application when it is received or updated, and the decision.

Registered from CallsConfig.ready(); the values are computed here, in the recipient's language
(call application_values inside translation.override(language)).
"""

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.kinds import Kind, kind_register

from .models import Application, ApplicationStatus

CALL_PLACEHOLDERS = {
    "recipient_name": gettext_lazy("The contact person's name"),
    "municipality": gettext_lazy("The applying municipality"),
    "call_title": gettext_lazy("The call's title"),
    "programme_name": gettext_lazy("The programme's name"),
    "application_url": gettext_lazy("The link to the application"),
}
RECEIVED_PLACEHOLDERS = {
    **CALL_PLACEHOLDERS,
    "closes_at": gettext_lazy("Until when the application can be changed (the call's closing)"),
    "call_timezone": gettext_lazy("The call's time zone"),
    "answers": gettext_lazy("A copy of the answers, one question after another"),
}
DECISION_PLACEHOLDERS = {
    **CALL_PLACEHOLDERS,
    "role": gettext_lazy("The role the municipality is selected for"),
    "programme_url": gettext_lazy("The link to the programme's page"),
}


def answers_text(application: Application) -> str:
    """The copy of the application: who applies, then each question and its answer."""
    contact = f"{application.contact_name} <{application.contact_email}>"
    if application.contact_phone:
        contact = f"{contact}, {application.contact_phone}"
    lines = [
        f"{_('Municipality')}: {application.municipality_name}, {application.country.name}",
        f"{_('Contact person')}: {contact}",
    ]
    from .services import answers_for  # it imports this module

    for answer in answers_for(application):
        lines += ["", answer.question.text, str(answer.display or "–")]  # "Yes" is lazy
    return "\n".join(lines)


def application_values(application: Application) -> dict:
    """What every message about an application can say, in the active language."""
    call = application.call
    return {
        "municipality": application.municipality_name,
        "call_title": call.title,
        "programme_name": call.programme.name,
        "application_url": f"{settings.SITE_URL}{application.get_absolute_url()}",
    }


def received_values(application: Application) -> dict:
    call = application.call
    return {
        **application_values(application),
        "closes_at": date_format(call.local_closes_at.replace(tzinfo=None), "DATETIME_FORMAT"),
        "call_timezone": call.timezone,
        "answers": answers_text(application),
    }


def decision_values(application: Application) -> dict:
    programme = application.call.programme
    return {
        **application_values(application),
        "role": application.get_role_display(),
        "programme_url": f"{settings.SITE_URL}{programme.get_absolute_url()}",
    }


def decision_kind(application: Application) -> str:
    if application.status == ApplicationStatus.SELECTED:
        return "call_selected"
    return "call_not_selected"


def _first(rows) -> Application | None:
    return rows.filter(language=translation.get_language()).first() or rows.first()


def _sampler(values, statuses=None):
    """The latest application of the programme, in the active language if there is one."""

    def sample(programme):
        rows = (
            Application.objects.filter(call__programme=programme)
            .select_related("call__programme", "city", "country")
            .order_by("-submitted_at")
        )
        application = (statuses and _first(rows.filter(status__in=statuses))) or _first(rows)
        if application is None:
            return None
        return {**values(application), "recipient_name": application.contact_name}

    return sample


GROUP = gettext_lazy("Calls for applications")


def register() -> None:
    kinds = [
        (
            "call_application_received",
            gettext_lazy("Application received (the applicant's copy)"),
            RECEIVED_PLACEHOLDERS,
            _sampler(received_values),
        ),
        (
            "call_application_updated",
            gettext_lazy("Application updated (the applicant's copy)"),
            RECEIVED_PLACEHOLDERS,
            _sampler(received_values),
        ),
        (
            "call_selected",
            gettext_lazy("Decision: selected"),
            DECISION_PLACEHOLDERS,
            _sampler(decision_values, [ApplicationStatus.SELECTED]),
        ),
        (
            "call_not_selected",
            gettext_lazy("Decision: not selected"),
            DECISION_PLACEHOLDERS,
            _sampler(decision_values, [ApplicationStatus.REJECTED]),
        ),
    ]
    for code, label, placeholders, sample in kinds:
        kind_register(
            Kind(
                code=code,
                label=label,
                group=GROUP,
                placeholders=placeholders,
                sample=sample,
            )
        )
