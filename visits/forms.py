"""The forms of peer visits. They parse and check input; the rules are in services.py. Uploads
are checked here, size and type, before anything is stored (docs/DESIGN.md, "Uploads": Django has no
per-file cap)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cities.models import Contact
from multiply.uploads import validate_upload

from .models import FeedbackReport, Visit, VisitFormat

# The types background material may have (each is checked for what it is: multiply/uploads.py).
MATERIAL_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "png", "jpg", "jpeg"]


def validate_material(upload) -> None:
    validate_upload(upload, max_size=settings.MAX_UPLOAD_SIZE, extensions=MATERIAL_EXTENSIONS)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class VisitForm(forms.ModelForm):
    """The host's arrangements. Times are read in the round's time zone (the view sets it)."""

    class Meta:
        model = Visit
        fields = ["responsible", "date", "format", "session_at", "session_place"]
        widgets = {"date": DateInput(), "session_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Contact.objects.filter(
            city_id=self.instance.host_id, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["responsible"].label_from_instance = lambda c: (
            f"{c.full_name}, {c.position}" if c.position else c.full_name
        )
        self.fields["format"].choices = VisitFormat.choices


class InterviewForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Time"), widget=DateTimeInput())
    role = forms.CharField(label=_("Role interviewed"), max_length=200)
    interviewee = forms.CharField(label=_("Interviewee"), max_length=200)
    email = forms.EmailField(
        label=_("Interviewee's e-mail address"),
        required=False,
        help_text=_("For the invitation to the closing feedback session."),
    )


class SelfAssessmentForm(forms.Form):
    """One text per theme of the round."""

    def __init__(self, *args, themes, initial_texts: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        for theme in themes:
            self.fields[f"theme_{theme.pk}"] = forms.CharField(
                label=theme.name,
                required=False,
                max_length=10000,
                initial=initial_texts.get(theme.pk, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def texts(self) -> dict[int, str]:
        return {theme.pk: self.cleaned_data[f"theme_{theme.pk}"] for theme in self.themes}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents or images."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in MATERIAL_EXTENSIONS)}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_material(upload)
        return upload


class ReportForm(forms.Form):
    """Per theme strengths and development areas, then the summary. No scores: text only."""

    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, themes, findings: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = themes
        summary = self.fields.pop("summary")
        for theme in themes:
            finding = findings.get(theme.pk)
            for kind, label in (
                ("strengths", _("Strengths")),
                ("development_areas", _("Development areas")),
            ):
                self.fields[f"{kind}_{theme.pk}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=10000,
                    initial=getattr(finding, kind, "") if finding else "",
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        self.fields["summary"] = summary

    def theme_fields(self):
        """(theme, strengths field, development areas field), for the template."""
        return [
            (theme, self[f"strengths_{theme.pk}"], self[f"development_areas_{theme.pk}"])
            for theme in self.themes
        ]

    def findings(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            theme.pk: (data[f"strengths_{theme.pk}"], data[f"development_areas_{theme.pk}"])
            for theme in self.themes
        }


class CommentForm(forms.ModelForm):
    class Meta:
        model = FeedbackReport
        fields = ["host_comment", "host_agrees_to_be_named"]
        labels = {
            "host_comment": _("Your comments on the results summary, as far as your data go"),
            "host_agrees_to_be_named": _(
                "Our municipality may be named next to its observations in the results summary"
            ),
        }
        widgets = {"host_comment": forms.Textarea(attrs={"rows": 6})}


class AssignmentForm(forms.Form):
    """Two selects per visit: the municipalities of its interview group."""

    def __init__(self, *args, participants, groups: dict[int, list[int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        choices = [("", "—")] + [(p.id, p.name) for p in participants]
        for participant in participants:
            members = list(groups.get(participant.id, [])) + [None, None]
            for place in (1, 2):
                self.fields[f"group_{participant.id}_{place}"] = forms.TypedChoiceField(
                    label=_("Municipality %(place)s in the group visiting %(host)s")
                    % {"place": place, "host": participant.name},
                    choices=choices,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    initial=members[place - 1],
                )

    def rows(self):
        return [(p, self[f"group_{p.id}_1"], self[f"group_{p.id}_2"]) for p in self.participants]

    def groups(self) -> dict[int, list[int]]:
        data = self.cleaned_data
        return {
            p.id: [
                member
                for member in (data.get(f"group_{p.id}_1"), data.get(f"group_{p.id}_2"))
                if member is not None
            ]
            for p in self.participants
        }
