"""The public, read-only API: programmes, networks, themes, meetings, calls, documents."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("networks", views.NetworkViewSet, basename="network")
router.register("themes", views.ThemeViewSet, basename="theme")
router.register("target-groups", views.TargetGroupViewSet, basename="target-group")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("calls", views.CallViewSet, basename="call")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = router.urls
