"""The exchanges app's models, one module per concept; all are importable from here
(`from exchanges.models import ExchangeMeeting`), as the migrations and the other apps do."""

from .feedback import MeetingFeedback, Usefulness
from .meetings import (
    DID_NOT_TAKE_PLACE,
    ExchangeMeeting,
    MeetingFormat,
    MeetingKind,
    MeetingMaterial,
    MeetingStatus,
    MeetingWording,
    MessageKind,
    material_upload_to,
)
from .programmes import Membership, NationalNetwork, Programme, Role, Theme, Topic
from .registrations import (
    ACTIVE,
    SEAT_HOLDING,
    Invitation,
    Registration,
    RegistrationStatus,
    new_invitation_token,
)

__all__ = [
    "ACTIVE",
    "DID_NOT_TAKE_PLACE",
    "SEAT_HOLDING",
    "ExchangeMeeting",
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
    "Registration",
    "RegistrationStatus",
    "Role",
    "Theme",
    "Topic",
    "Usefulness",
    "material_upload_to",
    "new_invitation_token",
]
