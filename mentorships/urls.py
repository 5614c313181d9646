from django.urls import path

from . import views

app_name = "mentorships"

urlpatterns = [
    path("me/mentorship/", views.my_mentorship, name="my_mentorship"),
]
