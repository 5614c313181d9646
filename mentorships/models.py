"""Mentorships: an experienced party paired with a learning city, and the pair's contact log
(docs/DESIGN.md rule 9).

The tables keep the names they had in the calls app (issue 12 moved the models, not the data).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cities.models import City, Contact
from exchanges.models import Programme


class MentorshipKind(models.TextChoices):
    MENTORING = "mentoring", _("mentoring")
    TUTORING = "tutoring", _("tutoring")
    COACHING = "coaching", _("coaching")


class Mentorship(models.Model):
    """An experienced party paired with a learning city in a programme (docs/DESIGN.md rule 9).

    The mentor is a city (Motiva's first-pilot municipalities) or a partner organisation (an
    experienced Covenant Coordinator in MAYORS in ACTION): exactly one of the two.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="mentorships",
        verbose_name=_("programme"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MentorshipKind.choices, default=MentorshipKind.MENTORING
    )
    mentor_city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships_given",
        verbose_name=_("mentor city"),
    )
    mentor_partner = models.ForeignKey(
        "meetings.Partner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships_given",
        verbose_name=_("mentor organisation"),
    )
    mentee = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="mentorships", verbose_name=_("mentee")
    )
    mentor_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships_as_contact",
        verbose_name=_("mentor's contact person"),
        help_text=_("For a mentor city: one of its contacts."),
    )
    contact_name = models.CharField(
        _("contact person's name"),
        max_length=200,
        blank=True,
        help_text=_("For a mentor organisation, or when the person is not a city contact."),
    )
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact person's phone"), max_length=50, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "calls_mentorship"
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["programme", "mentee__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(mentor_city__isnull=False) & Q(mentor_partner__isnull=True))
                | (Q(mentor_city__isnull=True) & Q(mentor_partner__isnull=False)),
                name="mentorship_one_mentor",
                violation_error_message=_(
                    "The mentor is a city or a partner organisation: exactly one of the two."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="mentorship_end_not_before_start",
                violation_error_message=_("A mentorship cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(mentor_city=F("mentee")),
                name="mentorship_not_own_mentor",
                violation_error_message=_("A city cannot mentor itself."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MentorshipKind.values), name="mentorship_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["programme", "mentor_city", "mentee"],
                condition=Q(mentor_city__isnull=False),
                name="mentorship_unique_city_pair",
                violation_error_message=_("This pair already exists in the programme."),
            ),
            models.UniqueConstraint(
                fields=["programme", "mentor_partner", "mentee"],
                condition=Q(mentor_partner__isnull=False),
                name="mentorship_unique_partner_pair",
                violation_error_message=_("This pair already exists in the programme."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} → {self.mentee} ({self.get_kind_display()})"

    def clean(self):
        errors = {}
        if bool(self.mentor_city_id) == bool(self.mentor_partner_id):
            errors["mentor_city"] = _(
                "The mentor is a city or a partner organisation: exactly one of the two."
            )
        if self.mentor_city_id and self.mentor_city_id == self.mentee_id:
            errors["mentee"] = _("A city cannot mentor itself.")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("A mentorship cannot end before it starts.")
        if self.mentor_contact_id and self.mentor_contact.city_id != self.mentor_city_id:
            errors["mentor_contact"] = _("The contact person must work for the mentor city.")
        if (
            self.mentor_partner_id
            and self.programme_id
            and self.mentor_partner.programme_id != self.programme_id
        ):
            errors["mentor_partner"] = _("The organisation is a partner of another programme.")
        if errors:
            raise ValidationError(errors)

    @property
    def mentor(self):
        return self.mentor_city or self.mentor_partner

    @property
    def contact_person(self) -> dict | None:
        """Who the mentee's staff get in touch with: the named person, else the city contact."""
        if self.contact_name or self.contact_email:
            return {
                "name": self.contact_name,
                "email": self.contact_email,
                "phone": self.contact_phone,
                "position": "",
            }
        contact = self.mentor_contact
        if contact is None:
            return None
        return {
            "name": contact.full_name,
            "email": contact.email,
            "phone": contact.phone,
            "position": contact.position,
        }


class ContactForm(models.TextChoices):
    MEETING = "meeting", _("meeting in person")
    ONLINE = "online", _("online meeting")
    PHONE = "phone", _("phone call")
    EMAIL = "email", _("e-mail")
    VISIT = "visit", _("visit")
    OTHER = "other", _("other")


class MentorshipContact(models.Model):
    """One entry of a mentorship's contact log: when, how, and what came of it."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("mentorship")
    )
    date = models.DateField(_("date"))
    form = models.CharField(_("form"), max_length=20, choices=ContactForm.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "calls_mentorshipcontact"
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")
        ordering = ["mentorship", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=ContactForm.values), name="mentorship_contact_form_valid"
            ),
        ]

    def __str__(self):
        return f"{self.date} – {self.get_form_display()}"
