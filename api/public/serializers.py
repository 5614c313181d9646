"""What the public API shows of each row: the fields the public pages show, nothing more.

Never here: a meeting's online link, its participants or registrations, anyone's e-mail or
phone, a call's applications, a file's place in storage (files are linked through the pages
that serve them). Translated fields read the active language with English as the fallback
(django-modeltranslation), as the pages do; the view sets the language.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calls.models import Call
from calls.models import Question as CallQuestion
from cities.models import Country, TargetGroup
from exchanges.models import ExchangeMeeting, NationalNetwork, Programme, Role, Theme, Topic
from exchanges.selectors import ROLE_ORDER

from .documents import plan_path
from .filters import DocumentFilter


def absolute(serializer: serializers.Serializer, path: str) -> str:
    return serializer.context["request"].build_absolute_uri(path)


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class TargetGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = TargetGroup
        fields = ["slug", "name"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name"]


class ProgrammeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    plan_url = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "slug",
            "name",
            "tagline",
            "description",
            "peer_learning",
            "start_date",
            "end_date",
            "funding",
            "url",
            "plan_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, programme) -> str:
        return absolute(self, programme.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_plan_url(self, programme) -> str | None:
        """The peer-learning plan in the language asked for; none when the programme has
        nothing for a plan to show (reports.plan)."""
        if not programme.has_plan:
            return None
        return absolute(self, plan_path(programme, self.context["language"]))


class MemberCitySerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=Role.choices)
    role_label = serializers.CharField(help_text="The programme's own word for the role.")


class NetworkSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.slug")
    country = CountrySerializer()
    url = serializers.SerializerMethodField()
    cities = serializers.SerializerMethodField()

    class Meta:
        model = NationalNetwork
        fields = ["id", "programme", "country", "name", "url", "cities"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, network) -> str:
        return absolute(self, f"{network.programme.get_absolute_url()}#network-{network.pk}")

    @extend_schema_field(MemberCitySerializer(many=True))
    def get_cities(self, network) -> list[dict]:
        """Grouped by role in the programme page's order, alphabetical within a role."""
        memberships = sorted(
            network.memberships.all(), key=lambda m: (ROLE_ORDER.index(m.role), m.city.name)
        )
        return [
            {
                "name": membership.city.name,
                "role": membership.role,
                "role_label": network.programme.role_label(membership.role),
            }
            for membership in memberships
        ]


class ThemeSerializer(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.slug")
    topics = TopicSerializer(many=True)
    target_groups = TargetGroupSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Theme
        fields = [
            "id",
            "programme",
            "name",
            "description",
            "open_to_all",
            "topics",
            "target_groups",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, theme) -> str:
        return absolute(self, f"{theme.programme.get_absolute_url()}#themes")


class ThemeNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "name"]


class HostCitySerializer(serializers.Serializer):
    name = serializers.CharField()
    country = CountrySerializer()


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()
    # The model's labels (ExchangeMeeting.kind_label): get_kind_display() and its kin cost a
    # gettext per choice on every call.
    kind_label = serializers.CharField(read_only=True)
    status_label = serializers.CharField(read_only=True)
    format_label = serializers.CharField(read_only=True)
    programme = serializers.CharField(source="programme.slug")
    country = serializers.CharField(source="network.country.code", allow_null=True)
    theme = ThemeNameSerializer(allow_null=True)
    topics = TopicSerializer(many=True)
    target_groups = serializers.SerializerMethodField()
    host_city = HostCitySerializer(allow_null=True)
    seats_left = serializers.SerializerMethodField()

    class Meta:
        model = ExchangeMeeting
        fields = [
            "id",
            "url",
            "ics_url",
            "title",
            "description",
            "kind",
            "kind_label",
            "number",
            "status",
            "status_label",
            "status_note",
            "format",
            "format_label",
            "programme",
            "network",
            "country",
            "theme",
            "topics",
            "target_groups",
            "host_city",
            "start",
            "end",
            "timezone",
            "venue",
            "address",
            "capacity",
            "seats_left",
            "engaged_only",
            "registration_opens",
            "registration_deadline",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, meeting) -> str:
        return absolute(self, meeting.get_absolute_url())

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, meeting) -> str:
        return absolute(self, reverse("exchanges:meeting_ics", kwargs={"pk": meeting.pk}))

    @extend_schema_field(TargetGroupSerializer(many=True))
    def get_target_groups(self, meeting) -> list[dict]:
        """The theme's, as the meeting page shows them."""
        groups = meeting.theme.target_groups.all() if meeting.theme else []
        return TargetGroupSerializer(groups, many=True).data

    @extend_schema_field({"type": "integer", "minimum": 0, "nullable": True})
    def get_seats_left(self, meeting) -> int | None:
        """None when the meeting has no limit."""
        if meeting.capacity is None:
            return None
        return max(meeting.capacity - meeting.seats_taken, 0)


class CallQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallQuestion
        fields = ["text", "kind", "required"]


class CallSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    programme = serializers.CharField(source="programme.slug")
    when = serializers.SerializerMethodField()
    slides_url = serializers.SerializerMethodField()
    recording_url = serializers.SerializerMethodField()
    questions = CallQuestionSerializer(many=True)

    class Meta:
        model = Call
        fields = [
            "slug",
            "url",
            "title",
            "text",
            "programme",
            "opens_at",
            "closes_at",
            "timezone",
            "when",
            "places_min",
            "places_max",
            "eligibility",
            "selection_criteria",
            "webinar_title",
            "webinar_start",
            "webinar_end",
            "slides_url",
            "recording_url",
            "questions",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, call) -> str:
        return absolute(self, call.get_absolute_url())

    @extend_schema_field({"type": "string", "enum": ["open", "upcoming", "past"]})
    def get_when(self, call) -> str:
        return {0: "open", 1: "upcoming", 2: "past"}[call.state]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_slides_url(self, call) -> str | None:
        """Through the portal's own address, never the file's place in storage."""
        if not (call.slides_file or call.slides_url):
            return None
        return absolute(self, reverse("calls:slides", kwargs={"slug": call.slug}))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_recording_url(self, call) -> str | None:
        return call.recording_url or None


class DocumentSerializer(serializers.Serializer):
    """One public document: a generated PDF, a meeting's material or a call's slides."""

    kind = serializers.ChoiceField(choices=DocumentFilter.KINDS)
    title = serializers.CharField()
    language = serializers.CharField(
        allow_null=True, help_text="The PDF's language; none for uploaded files and links."
    )
    programme = serializers.CharField(help_text="The programme's slug.")
    meeting = serializers.IntegerField(allow_null=True)
    call = serializers.CharField(allow_null=True, help_text="The call's slug.")
    url = serializers.URLField(help_text="The public page that serves or forwards to it.")


class PublicErrorSerializer(serializers.Serializer):
    """Every refusal: `detail` says why; a refused value is named by its parameter, with the
    reasons as a list (`{"kind": ["Select a valid choice..."]}`)."""

    detail = serializers.CharField(required=False)
    unknown = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The parameters not read here."
    )
    allowed = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The parameters read here."
    )
