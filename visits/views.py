"""Pages of peer visits: authorize, fetch, call one service, respond.

Who may reach what (docs/DESIGN.md, "Permission tests"): signed out, every page sends to the login;
a visit the person may not see is not there (404), even for other participants of its round;
a page of a role the person does not have within a visit they see is refused (403).
"""

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import rules
from exchanges.languages import programme_speak
from multiply.refusals import refusal_or_success
from reports.models import Document
from reports.views import serve_or_prepare

from . import assignment, selectors, services
from .forms import (
    AssignmentForm,
    CommentForm,
    InterviewForm,
    MaterialForm,
    ReportForm,
    SelfAssessmentForm,
    VisitForm,
)
from .models import BackgroundMaterial, Interview, Phase, ReviewRound


def _pdf_language(request, programme, default: str | None = None) -> str:
    """?lang=, else the default (or the page's language) if the programme speaks it, else the
    programme's first; a language the programme does not speak is not there (404)."""
    language = request.GET.get("lang") or programme.language_for(default or get_language())
    if not programme.speaks(language):
        raise Http404
    return language


def _data(request):
    """The POST data when posted (even empty: every field may be optional), else unbound."""
    return request.POST if request.method == "POST" else None


def _files(request):
    return request.FILES if request.method == "POST" else None


def _visit_for(request, pk):
    contact = selectors.user_contact(request.user)
    visit = get_object_or_404(selectors.visits_visible_to(request.user, contact), pk=pk)
    access = selectors.visit_access(user=request.user, visit=visit, contact=contact)
    return visit, access


def _host_only(access) -> None:
    if not access.is_host:
        raise PermissionDenied


def _tz(visit_or_round):
    review_round = getattr(visit_or_round, "round", visit_or_round)
    return zoneinfo.ZoneInfo(review_round.timezone)


# --- Lists -----------------------------------------------------------------------------------


@login_required
@require_GET
def my_visits(request):
    contact = selectors.user_contact(request.user)
    context = {
        "contact": contact,
        "rounds": list(selectors.rounds_visible_to(request.user, contact)),
        **selectors.my_visits(contact=contact),
    }
    return render(request, "visits/my_visits.html", context)


@login_required
@require_GET
def round_detail(request, pk):
    contact = selectors.user_contact(request.user)
    review_round = get_object_or_404(selectors.rounds_visible_to(request.user, contact), pk=pk)
    programme_speak(request, review_round.programme)
    is_coordinator = selectors.is_coordinator(request.user, review_round)
    mine = selectors.my_visits(contact=contact)
    context = {
        "round": review_round,
        "phases": review_round.phases(),
        "themes": selectors.round_themes(review_round),
        "is_coordinator": is_coordinator,
        "visits": (
            selectors.round_visits(user=request.user, review_round=review_round)
            if is_coordinator
            else None
        ),
        "hosting": [v for v in mine["hosting"] if v.round_id == review_round.pk],
        "reviewing": [v for v in mine["reviewing"] if v.round_id == review_round.pk],
    }
    return render(request, "visits/round_detail.html", context)


# --- The assignment (coordinators) -----------------------------------------------------------


def _coordinator_only(user) -> None:
    if not selectors.is_coordinator(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def round_assignment(request, pk):
    _coordinator_only(request.user)
    rounds = rules.visible(request.user, ReviewRound.objects.select_related("programme"))
    review_round = get_object_or_404(rounds, pk=pk)
    if not rules.may(request.user, "change", ReviewRound, review_round):
        raise PermissionDenied  # a national coordinator reads the round; its coordinators assign
    participants = assignment.round_participants(review_round=review_round)
    current = assignment.round_assignment(review_round=review_round)
    errors, proposed = [], False
    seed = request.GET.get("seed", "")
    seed = int(seed) if seed.isdigit() else None
    if request.method == "POST":
        form = AssignmentForm(request.POST, participants=participants, groups=current)
        if form.is_valid():
            try:
                assignment.assignment_save(review_round=review_round, groups=form.groups())
            except assignment.AssignmentInvalid as invalid:
                errors = invalid.errors
            except services.PhaseClosed as closed:
                errors = [closed.message]
            else:
                messages.success(request, _("The interview groups are saved."))
                return redirect(review_round)
    else:
        if not current or seed is not None:
            try:
                current = assignment.assignment_propose(participants=participants, seed=seed)
                proposed = True
            except assignment.AssignmentInvalid as invalid:
                errors = invalid.errors
        form = AssignmentForm(participants=participants, groups=current)
    context = {
        "round": review_round,
        "form": form,
        "errors": errors,
        "proposed": proposed,
        "next_seed": (seed or 0) + 1,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/assignment.html", context, status=status)


# --- A visit ---------------------------------------------------------------------------------


@login_required
@require_GET
def visit_detail(request, pk):
    visit, access = _visit_for(request, pk)
    detail = selectors.visit_detail(visit=visit)
    report = detail["report"]
    review_round = visit.round
    programme_speak(request, review_round.programme)
    context = {
        "visit": visit,
        "round": review_round,
        "access": access,
        "group": access.group,
        **detail,
        # The host reads the report once submitted; the group and coordinators see the draft.
        "show_report": report is not None
        and (report.is_submitted or access.is_member or access.is_coordinator),
        "preparing_open": review_round.is_open(Phase.PREPARING),
        "report_open": review_round.is_open(Phase.REPORT),
        "comments_open": review_round.is_open(Phase.COMMENTS),
        "arrangements_open": review_round.today() <= review_round.visit_end,
    }
    with timezone.override(_tz(visit)):
        return render(request, "visits/visit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    with timezone.override(_tz(visit)):
        form = VisitForm(_data(request), instance=visit)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.visit_update(
                    visit=visit,
                    responsible=data["responsible"],
                    date=data["date"],
                    format=data["format"],
                    session_at=data["session_at"],
                    session_place=data["session_place"],
                )
            except services.VisitRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The visit's arrangements are saved."))
                return redirect(visit)
        status = 400 if request.method == "POST" else 200
        context = {"visit": visit, "form": form}
        return render(request, "visits/visit_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def interviews(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    with timezone.override(_tz(visit)):
        form = InterviewForm(_data(request))
        if request.method == "POST" and form.is_valid():
            try:
                services.interview_add(visit=visit, **form.cleaned_data)
            except services.VisitRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The interview is added to the schedule."))
                return redirect("visits:interviews", pk=visit.pk)
        context = {"visit": visit, "form": form, "interviews": list(visit.interviews.all())}
        status = 400 if request.method == "POST" else 200
        return render(request, "visits/interviews.html", context, status=status)


@login_required
@require_POST
def interview_delete(request, pk, interview_pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    interview = get_object_or_404(Interview, pk=interview_pk, visit=visit)
    return refusal_or_success(
        request,
        lambda: services.interview_delete(interview=interview),
        success=_("The interview is removed from the schedule."),
        then="visits:interviews",
        pk=visit.pk,
    )


@login_required
@require_POST
def session_invite(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    try:
        count = services.session_invite(visit=visit)
    except services.VisitRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if count:
            messages.success(
                request,
                _("Invitations to the feedback session are on their way to %(count)s people.")
                % {"count": count},
            )
        else:
            messages.info(request, _("Everyone interviewed with an address is already invited."))
    return redirect(visit)


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    themes = selectors.round_themes(visit.round)
    existing = {a.theme_id: a.text for a in visit.self_assessments.all()}
    form = SelfAssessmentForm(_data(request), themes=themes, initial_texts=existing)
    is_open = visit.round.is_open(Phase.PREPARING)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(visit=visit, texts=form.texts())
        except services.VisitRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The self-assessment is saved."))
            return redirect(visit)
    context = {
        "visit": visit,
        "form": form,
        "is_open": is_open,
        "window": visit.round.window(Phase.PREPARING),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/self_assessment.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def materials(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    form = MaterialForm(_data(request), _files(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(
                visit=visit,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except services.VisitRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The file is uploaded: the interview group can read it."))
            return redirect("visits:materials", pk=visit.pk)
    context = {
        "visit": visit,
        "form": form,
        "materials": list(BackgroundMaterial.objects.filter(visit=visit)),
        "is_open": visit.round.is_open(Phase.PREPARING),
        "window": visit.round.window(Phase.PREPARING),
        "max_size": settings.MAX_UPLOAD_SIZE,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/materials.html", context, status=status)


@login_required
@require_GET
def material_download(request, pk, material_pk):
    """Private files: served only here, after the visit's access check, never from a URL of
    the storage."""
    visit, _access = _visit_for(request, pk)
    material = get_object_or_404(BackgroundMaterial, pk=material_pk, visit=visit)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=material.filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def material_delete(request, pk, material_pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    material = get_object_or_404(BackgroundMaterial, pk=material_pk, visit=visit)
    return refusal_or_success(
        request,
        lambda: services.material_delete(material=material),
        success=_("The file is deleted."),
        then="visits:materials",
        pk=visit.pk,
    )


# --- The report ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    """The interview group's form: save a draft, or submit."""
    visit, access = _visit_for(request, pk)
    if not access.is_member:
        raise PermissionDenied
    report = selectors.visit_report(visit)
    themes = selectors.round_themes(visit.round)
    findings = {f.theme_id: f for f in report.findings.all()} if report else {}
    form = ReportForm(
        _data(request),
        themes=themes,
        findings=findings,
        initial={"summary": report.summary if report else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                visit=visit, summary=form.cleaned_data["summary"], findings=form.findings()
            )
            if "submit" in request.POST:
                services.report_submit(visit=visit, user=request.user)
        except services.VisitRefused as refusal:
            messages.error(request, refusal.message)
        else:
            if "submit" in request.POST:
                messages.success(request, _("The report is submitted: the host can read it now."))
                return redirect(visit)
            messages.success(request, _("The draft is saved."))
        return redirect("visits:report", pk=visit.pk)
    context = {
        "visit": visit,
        "form": form,
        "report": report,
        "is_open": visit.round.is_open(Phase.REPORT),
        "window": visit.round.window(Phase.REPORT),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/report_edit.html", context, status=status)


@login_required
@require_GET
def report_pdf(request, pk):
    """The submitted report, as a PDF in the host's language (or ?lang=)."""
    visit, _access = _visit_for(request, pk)
    report = selectors.visit_report(visit)
    if report is None or not report.is_submitted:
        raise Http404
    return serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.FEEDBACK_REPORT,
        programme=visit.round.programme,
        reference=f"visit:{visit.pk}",
        language=_pdf_language(request, visit.round.programme, default=visit.host_language),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    visit, access = _visit_for(request, pk)
    _host_only(access)
    report = selectors.visit_report(visit)
    if report is None or not report.is_submitted:
        raise Http404
    form = CommentForm(_data(request), instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_comment(
                report=report,
                comment=form.cleaned_data["host_comment"],
                agrees_to_be_named=form.cleaned_data["host_agrees_to_be_named"],
            )
        except services.VisitRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Your comments are saved."))
            return redirect(visit)
    context = {
        "visit": visit,
        "form": form,
        "is_open": visit.round.is_open(Phase.COMMENTS),
        "window": visit.round.window(Phase.COMMENTS),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/report_comment.html", context, status=status)


# --- The results summary ---------------------------------------------------------------------


def _summary_round(request, pk) -> tuple[ReviewRound, bool]:
    """The round, for its participants and coordinators; whether its summary may be read yet:
    coordinators always, participants from the opening of the comments window."""
    contact = selectors.user_contact(request.user)
    review_round = get_object_or_404(selectors.rounds_visible_to(request.user, contact), pk=pk)
    readable = selectors.is_coordinator(request.user, review_round) or (
        review_round.today() >= review_round.comments_start
    )
    return review_round, readable


@login_required
@require_GET
def results_summary(request, pk):
    review_round, readable = _summary_round(request, pk)
    is_coordinator = selectors.is_coordinator(request.user, review_round)
    context = {
        "round": review_round,
        "readable": readable,
        "summary": selectors.results_summary(review_round=review_round) if readable else None,
        "comments": selectors.round_comments(review_round=review_round) if is_coordinator else None,
        "comments_open": review_round.is_open(Phase.COMMENTS),
    }
    return render(request, "visits/results_summary.html", context)


@login_required
@require_GET
def results_summary_pdf(request, pk):
    review_round, readable = _summary_round(request, pk)
    if not readable:
        raise PermissionDenied
    return serve_or_prepare(
        request,
        public=False,
        kind=Document.Kind.RESULTS_SUMMARY,
        programme=review_round.programme,
        reference=f"round:{review_round.pk}",
        language=_pdf_language(request, review_round.programme),
    )
