from django.urls import path

app_name = "exchanges"

urlpatterns = []
