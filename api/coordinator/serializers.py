"""What the coordinator API reads and writes. Writing checks only the shape of the data here
(types, lengths, the choices of a field); the rules are the admin's form's (meetings.py).

Names start with "Coordinator": the schema names its components after the serializers, and
the public API has meetings of its own.
"""

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.pagination import LARGEST
from exchanges.models import ExchangeMeeting, Registration, RegistrationAnswer

from .meetings import ANNOUNCE, MEETING_FIELDS, zone_named

RECORD_FIELDS = ["id", "sequence", "created_at", "updated_at"]


class CoordinatorMeetingSerializer(serializers.ModelSerializer):
    """A meeting as a coordinator reads it: every field of the admin's form, each translated
    field in every language, its times in its own time zone."""

    # Empty when the meeting has none: a URLField would promise the schema a URI always.
    online_url = serializers.CharField(
        read_only=True, help_text=_("Only confirmed participants and coordinators see it.")
    )

    class Meta:
        model = ExchangeMeeting
        fields = ["id", *MEETING_FIELDS, "sequence", "created_at", "updated_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        with timezone.override(instance.tz):
            return super().to_representation(instance)


def _timezone(value: str) -> None:
    # cities.validators.validate_timezone lets zoneinfo's OSError through ("Europe" is a
    # directory): checked here first, so that the model's check never meets such a name.
    if zone_named(value) is None:
        raise serializers.ValidationError(
            _("“%(value)s” is not a time zone; use a name such as Europe/Warsaw.")
            % {"value": value}
        )


class Id(serializers.IntegerField):
    """The id of a row: a number the database can compare (SQLite refuses a larger one with
    an OverflowError, where the admin's form expects a "not one of the choices")."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=LARGEST, **kwargs)


class CoordinatorMeetingWriteSerializer(serializers.ModelSerializer):
    """A meeting as a coordinator sends it. Related rows are named by id; which ids the person
    may choose is the admin form's question (out of scope is "not one of the available
    choices"), so they are plain numbers here. Times are ISO 8601: without an offset, they are
    the meeting's local times."""

    programme = Id()
    network = Id(allow_null=True, required=False)
    theme = Id(allow_null=True, required=False)
    host_city = Id(allow_null=True, required=False)
    topics = serializers.ListField(child=Id(), required=False)
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        validators=[_timezone],
        help_text=_("The meeting's local time zone, e.g. Europe/Warsaw."),
    )
    announce_change = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text=_(
            "Tell the registered people about a change that is not of time, place, format or "
            "status (those are always told)."
        ),
    )

    class Meta:
        model = ExchangeMeeting
        fields = [*MEETING_FIELDS, ANNOUNCE]
        # The admin's form asks for the English title (modeltranslation's default language).
        extra_kwargs = {"title_en": {"required": True, "allow_null": False, "allow_blank": False}}
        # The admin's form checks what spans fields (a number unique in its network, one
        # conference per programme), with its own messages.
        validators = []

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = set(self.fields) | set(RECORD_FIELDS)  # a meeting read may be sent back
            unknown = sorted(str(name) for name in data if name not in known)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class CoordinatorAnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.label", help_text=_("The question."))
    answer = serializers.CharField(source="display", help_text=_("The answer as given."))

    class Meta:
        model = RegistrationAnswer
        fields = ["question", "answer"]


class CoordinatorRegistrationSerializer(serializers.ModelSerializer):
    """A registration for one of the coordinator's meetings, with the person's answers."""

    name = serializers.CharField(source="contact.full_name")
    email = serializers.CharField(source="contact.email")
    city = serializers.CharField(source="contact.city.name")
    privacy_notice_version = serializers.IntegerField(
        source="privacy_notice.version", allow_null=True, default=None
    )
    answers = CoordinatorAnswerSerializer(many=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "email",
            "city",
            "status",
            "waiting_number",
            "note",
            "privacy_consent_at",
            "privacy_notice_version",
            "listed_consent_at",
            "created_at",
            "answers",
        ]
        read_only_fields = fields


class CoordinatorErrorSerializer(serializers.Serializer):
    """Why a request was refused (401, 404...)."""

    detail = serializers.CharField()
