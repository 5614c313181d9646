from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access import rules

from .kinds import KINDS
from .models import MessageTemplate
from .rendering import template_errors


def kind_choices(*, portal_wide: bool) -> list:
    """The registered kinds, grouped as listed in the overview; the account messages (which
    belong to no programme) only for whoever writes the portal-wide texts."""
    groups: dict[str, list] = {}
    for kind in KINDS.values():
        if kind.per_programme or portal_wide:
            groups.setdefault(str(kind.group), []).append((kind.code, kind.label))
    return [("", "---------"), *groups.items()]


class MessageTemplateForm(forms.ModelForm):
    """A coordinator's subject and text for one kind, programme and language, refused when it
    would not render (rendering.template_errors): a message never fails at send time."""

    user = None  # set per request by the admin (MessageTemplateAdmin.get_form)

    class Meta:
        model = MessageTemplate
        fields = ["programme", "kind", "language", "subject", "body"]
        widgets = {
            "subject": forms.TextInput(attrs={"class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        superuser = bool(self.user and rules.scope(self.user).everything)
        if "body" in self.fields:
            self.fields["body"].help_text = gettext(
                "Write a placeholder as {{ name }}, from the list beside the text. A line that "
                "only some recipients need can go between %(if)s and %(endif)s."
            ) % {"if": "{% if name %}", "endif": "{% endif %}"}
        if "kind" in self.fields:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Message"), choices=kind_choices(portal_wide=superuser)
            )
        if "programme" in self.fields:
            # A programme is picked here, not edited: no links to add or change one.
            widget = self.fields["programme"].widget
            for link in ("add", "change", "delete", "view"):
                setattr(widget, f"can_{link}_related", False)
            # Only a superuser writes the portal-wide texts (an empty programme).
            self.fields["programme"].required = not superuser
            if superuser:
                self.fields["programme"].help_text = _(
                    "Empty for an account message: its text is then used portal-wide."
                )

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("The subject is one line: write it without breaks."))
        return subject

    def clean_body(self):
        # A browser sends a textarea's lines ending in CRLF: keep the text as it was written.
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("kind") if "kind" in self.fields else self.instance.kind
        kind = KINDS.get(code or "")
        if "programme" in self.fields and kind is not None:
            self._check_programme(kind, cleaned.get("programme"))
        # A kind no longer registered has nothing to offer: its text may hold no placeholder.
        placeholders = kind.placeholders if kind is not None else {}
        for name in ("subject", "body"):
            source = cleaned.get(name)
            if source is not None:
                for reason in template_errors(source, placeholders):
                    self.add_error(name, reason)
        return cleaned

    def _check_programme(self, kind, programme) -> None:
        if kind.per_programme and programme is None:
            self.add_error("programme", _("Choose the programme whose messages this text is for."))
        elif not kind.per_programme and programme is not None:
            self.add_error(
                "programme",
                _(
                    "An account message belongs to no programme: leave the programme empty, "
                    "and the text is used portal-wide."
                ),
            )
