"""The mentorship page of a city's staff: their city's mentors and the cities it mentors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cities.selectors import contact_for_user

from . import selectors


@login_required
@require_GET
def my_mentorship(request):
    contact = contact_for_user(request.user)
    context = {"contact": contact, **selectors.contact_mentorships(contact=contact)}
    return render(request, "mentorships/my_mentorship.html", context)
