"""The exchanges app's models, one module per concept; all are importable from here
(`from exchanges.models import ExchangeMeeting`), as the migrations and the other apps do."""

from .agenda import Session
from .feedback import MeetingFeedback, Usefulness
from .meetings import (
    DID_NOT_TAKE_PLACE,
    LONGEST_MEETING,
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    MeetingWording,
    MessageKind,
    material_upload_to,
)
from .programmes import (
    Membership,
    NationalNetwork,
    Programme,
    Role,
    Theme,
    Topic,
    portal_languages,
    validate_languages,
)
from .questions import (
    CHOICE_KINDS,
    FeedbackAnswer,
    Question,
    QuestionChoice,
    QuestionKind,
    QuestionPurpose,
    RegistrationAnswer,
)
from .registrations import (
    ACTIVE,
    SEAT_HOLDING,
    Invitation,
    Registration,
    RegistrationStatus,
    new_certificate_code,
    new_invitation_token,
    new_registration_code,
)
from .versions import DataVersion

__all__ = [
    "DataVersion",
    "LONGEST_MEETING",
    "ACTIVE",
    "CHOICE_KINDS",
    "DID_NOT_TAKE_PLACE",
    "SEAT_HOLDING",
    "ExchangeMeeting",
    "FeedbackAnswer",
    "Invitation",
    "MeetingFeedback",
    "MeetingFormat",
    "MeetingKind",
    "MeetingMaterial",
    "MeetingStatus",
    "MeetingWording",
    "Membership",
    "MessageKind",
    "NationalNetwork",
    "Programme",
    "Question",
    "QuestionChoice",
    "QuestionKind",
    "QuestionPurpose",
    "Registration",
    "RegistrationAnswer",
    "RegistrationStatus",
    "Role",
    "Session",
    "Theme",
    "Topic",
    "Usefulness",
    "material_upload_to",
    "new_certificate_code",
    "new_invitation_token",
    "new_registration_code",
    "portal_languages",
    "validate_languages",
]
