"""The admin of a meeting's questions: listed on the meeting, each with its choices on its own
page (the admin cannot nest inlines), and the typical questions added with one action."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from access.admin import ScopedMixin
from multiply.admin_translations import TranslationGapsMixin

from ..models import CHOICE_KINDS, Question, QuestionChoice, QuestionPurpose
from ..questions import questions_add_starters


class QuestionInline(ScopedMixin, TranslationTabularInline):
    """The meeting's questions; a choice question's choices are edited on its own page
    ("Change"), and it is not asked until it has some."""

    model = Question
    fields = ["purpose", "kind", "label", "help_text", "required", "order", "choice_count"]
    readonly_fields = ["choice_count"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")

    @admin.display(description=_("choices"))
    def choice_count(self, obj):
        if obj.pk is None or obj.kind not in CHOICE_KINDS:
            return "–"
        count = len(obj.choices.all())
        return count or _("none yet: not asked until it has choices")


class ChoicesFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.kind not in CHOICE_KINDS:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            raise ValidationError(_("A choice question needs at least one choice."))


class ChoiceInline(ScopedMixin, TranslationTabularInline):
    model = QuestionChoice
    formset = ChoicesFormSet
    fields = ["label", "order"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(TranslationGapsMixin, ScopedMixin, TabbedTranslationAdmin):
    list_display = ["label", "meeting", "purpose", "kind", "required", "order"]
    list_filter = ["purpose", "kind", ("meeting__programme", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = [*get_translation_fields("label"), "meeting__title"]
    autocomplete_fields = ["meeting"]
    fields = ["meeting", "purpose", "kind", "label", "help_text", "required", "order"]
    inlines = [ChoiceInline]


class QuestionActionsMixin:
    """The meeting admin's actions that add the typical questions of either form."""

    @admin.action(description=_("Add the typical registration questions"), permissions=["change"])
    def add_registration_questions(self, request, queryset):
        self._add_starters(request, queryset, QuestionPurpose.REGISTRATION)

    @admin.action(description=_("Add the typical feedback questions"), permissions=["change"])
    def add_feedback_questions(self, request, queryset):
        self._add_starters(request, queryset, QuestionPurpose.FEEDBACK)

    def _add_starters(self, request, queryset, purpose) -> None:
        added = sum(
            len(questions_add_starters(meeting=meeting, purpose=purpose)) for meeting in queryset
        )
        message = ngettext(
            "%(count)d question added; edit or remove it on the meeting's page.",
            "%(count)d questions added; edit or remove them on the meeting's page.",
            added,
        )
        self.message_user(request, message % {"count": added}, messages.SUCCESS)
