"""The coordinator API (issue 16, item 2): with a personal token, a coordinator reads the
meetings in their scope and the registrations and answers of each, and makes and changes
meetings as the admin does (meetings.py). Everything is read through access.rules; what lies
outside the token owner's scope is a 404, as everywhere (docs/DESIGN.md, "Access")."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from access import rules
from api.pagination import PublicPagination
from api.public.views import JSONOnly
from exchanges.models import ExchangeMeeting, Registration, RegistrationAnswer

from .authentication import ApiTokenAuthentication
from .meetings import MeetingInvalid, meeting_write, meeting_zone
from .parsers import StrictJSONParser
from .serializers import (
    CoordinatorErrorSerializer,
    CoordinatorMeetingSerializer,
    CoordinatorMeetingWriteSerializer,
    CoordinatorRegistrationSerializer,
)

PAGE_PARAMETERS = frozenset({"page", "page_size"})


class IsCoordinator(BasePermission):
    """The token's owner coordinates something now (roles can be taken away after the token
    was made)."""

    def has_permission(self, request, view):
        return rules.is_coordinator(request.user)


class CoordinatorView(GenericAPIView):
    """A token, and nothing else, says who is asking: no session (a token is the point, and
    without a session there is no CSRF to think of); JSON in and out; unknown query parameters
    are a 400 with their names."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated, IsCoordinator]
    parser_classes = [StrictJSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly  # JSON whatever Accept says, as the public API
    # The public API's pages: `page`, and `page_size` up to 100; junk in either is a 400.
    pagination_class = PublicPagination
    query_parameters: frozenset = frozenset()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.query_parameters)
        if unknown:
            raise ValidationError({name: [_("Unknown parameter.")] for name in unknown})

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise NotAuthenticated()
        raise NotFound()  # a person who coordinates nothing: there is nothing here for them

    def meetings(self):
        return rules.visible(self.request.user, ExchangeMeeting.objects.all())

    def write(self, meeting: ExchangeMeeting | None, *, partial: bool) -> ExchangeMeeting:
        """The request's meeting, made or changed; its errors, the serializer's (the shape) or
        the admin form's (the rules), are a 400 by field."""
        zone = meeting_zone(self.request.data, meeting)
        # A time without an offset is the meeting's local time, as in the admin.
        with timezone.override(zone):
            serializer = CoordinatorMeetingWriteSerializer(data=self.request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            try:
                return meeting_write(
                    request=self.request,
                    meeting=meeting,
                    changes=serializer.validated_data,
                    zone=zone,
                )
            except MeetingInvalid as invalid:
                raise ValidationError(invalid.errors) from None


def _error(description):
    return OpenApiResponse(CoordinatorErrorSerializer, description=description)


REFUSED = {
    401: _error(_("No token, or a token that is unknown, revoked or expired.")),
    404: _error(_("Nothing of that kind in the scope of the token's owner.")),
    429: _error(_("Too many requests.")),
}
INVALID = {
    (400, "application/json"): OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=_(
            "The reasons, by field or parameter; or, as the site's own page, a NUL byte or a "
            "lone surrogate in the address (multiply/hardening.py)."
        ),
    ),
    (400, "text/html"): OpenApiResponse(OpenApiTypes.STR),
}
TAGS = ["coordinator"]


class MeetingList(CoordinatorView):
    serializer_class = CoordinatorMeetingSerializer
    query_parameters = PAGE_PARAMETERS

    def get_queryset(self):
        return self.meetings().prefetch_related("topics").order_by("-start", "-pk")

    @extend_schema(
        operation_id="coordinator_meetings_list",
        summary=_("The meetings in your scope, latest first"),
        tags=TAGS,
        responses={200: CoordinatorMeetingSerializer(many=True), **INVALID, **REFUSED},
    )
    def get(self, request):
        """The meetings of the programmes and networks the token's owner coordinates, by their
        roles, latest first: every field of the admin's meeting form, with each translated field
        in every language and the times in the meeting's own time zone."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary=_("Make a meeting, with the admin's rules"),
        tags=TAGS,
        request=CoordinatorMeetingWriteSerializer,
        responses={201: CoordinatorMeetingSerializer, **INVALID, **REFUSED},
    )
    def post(self, request):
        """Make a meeting as the admin's form does, with its checks and its messages: a network
        outside the owner's scope is not one of the choices, a national coordinator makes
        meetings of their own network only. A time without an offset is the meeting's local
        time (in `timezone`)."""
        if not rules.may(request.user, "add", ExchangeMeeting):
            raise NotFound()
        meeting = self.write(None, partial=False)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetail(CoordinatorView):
    serializer_class = CoordinatorMeetingSerializer

    def get_queryset(self):
        return self.meetings().prefetch_related("topics")

    @extend_schema(
        summary=_("One meeting"),
        tags=TAGS,
        responses={200: CoordinatorMeetingSerializer, **INVALID, **REFUSED},
    )
    def get(self, request, pk):
        """One meeting in the owner's scope."""
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary=_("Change a meeting: every field the admin's form has"),
        tags=TAGS,
        request=CoordinatorMeetingWriteSerializer,
        responses={200: CoordinatorMeetingSerializer, **INVALID, **REFUSED},
    )
    def put(self, request, pk):
        """Change a meeting, sending every required field (a meeting as read may be sent back
        as it is). A new time, place, format or status is told to everyone registered, as when
        it is changed in the admin; another change only with `announce_change`."""
        return self._change(partial=False)

    @extend_schema(
        summary=_("Change some fields of a meeting"),
        tags=TAGS,
        request=CoordinatorMeetingWriteSerializer,
        responses={200: CoordinatorMeetingSerializer, **INVALID, **REFUSED},
    )
    def patch(self, request, pk):
        """Change the fields sent, and keep the rest. A new time, place, format or status is
        told to everyone registered, as when it is changed in the admin; another change only
        with `announce_change`."""
        return self._change(partial=True)

    def _change(self, *, partial: bool) -> Response:
        meeting = self.get_object()
        if not rules.may(self.request.user, "change", ExchangeMeeting, meeting):
            raise NotFound()
        meeting = self.write(meeting, partial=partial)
        meeting = self.get_queryset().get(pk=meeting.pk)  # its topics as saved
        return Response(self.get_serializer(meeting).data)


class MeetingRegistrations(CoordinatorView):
    serializer_class = CoordinatorRegistrationSerializer
    query_parameters = PAGE_PARAMETERS

    def get_queryset(self):
        meeting = get_object_or_404(self.meetings(), pk=self.kwargs["pk"])
        answers = RegistrationAnswer.objects.select_related("question").prefetch_related("choices")
        registrations = Registration.objects.filter(meeting=meeting)
        return (
            rules.visible(self.request.user, registrations)
            .select_related("contact__city", "privacy_notice")
            .prefetch_related(Prefetch("answers", queryset=answers))
            .order_by("created_at", "pk")
        )

    @extend_schema(
        summary=_("A meeting's registrations, with the answers to its questions"),
        tags=TAGS,
        responses={200: CoordinatorRegistrationSerializer(many=True), **INVALID, **REFUSED},
    )
    def get(self, request, pk):
        """Who registered for one of the owner's meetings, in the order they did: name, e-mail,
        city, status, consent, and their answers to the meeting's questions."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
